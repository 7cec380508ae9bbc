#include "core/net/cookiejar.h"

#include <QtEndian>

#include <cstring>
#include <sodium.h>

namespace cairn::net {
namespace {

constexpr qsizetype kSecretBytes = 32;

crypto::SecretBytes freshSecret(base::Rng &rng)
{
    crypto::SecretBytes secret(kSecretBytes);
    rng.fill(secret.span());
    return secret;
}

} // namespace

CookieJar::CookieJar(base::Scheduler &scheduler, base::Rng &rng)
    : m_scheduler(scheduler),
      m_rng(rng),
      m_current(freshSecret(rng)),
      m_previous(freshSecret(rng)),
      m_rotatedAt(scheduler.now())
{ }

void CookieJar::rotateIfDue()
{
    const base::Instant now = m_scheduler.now();
    if (now - m_rotatedAt < kRotation)
        return;
    // After a long quiet spell both secrets are stale: the previous one must
    // not live on for more than two periods.
    m_previous = now - m_rotatedAt < 2 * kRotation ? std::move(m_current) : freshSecret(m_rng);
    m_current = freshSecret(m_rng);
    m_rotatedAt = now;
}

QByteArray CookieJar::mac(const crypto::SecretBytes &secret, const base::Endpoint &source)
{
    // The address in its 16-byte IPv6 form (IPv4 mapped), then the port.
    const Q_IPV6ADDR address = source.address.toIPv6Address();
    uchar input[16 + 2];
    memcpy(input, address.c, 16);
    qToBigEndian<quint16>(source.port, input + 16);
    QByteArray out(kCookieBytes, Qt::Uninitialized);
    crypto_generichash(reinterpret_cast<uchar *>(out.data()), size_t(kCookieBytes), input, sizeof input, secret.data(),
        size_t(secret.size()));
    return out;
}

QByteArray CookieJar::make(const base::Endpoint &source)
{
    rotateIfDue();
    return mac(m_current, source);
}

bool CookieJar::check(const base::Endpoint &source, QByteArrayView cookie)
{
    rotateIfDue();
    if (cookie.size() != kCookieBytes)
        return false;
    const QByteArray current = mac(m_current, source);
    const QByteArray previous = mac(m_previous, source);
    // Constant time: the comparison must not tell a guesser how close it got.
    const bool matchesCurrent = sodium_memcmp(current.constData(), cookie.data(), size_t(kCookieBytes)) == 0;
    const bool matchesPrevious = sodium_memcmp(previous.constData(), cookie.data(), size_t(kCookieBytes)) == 0;
    return matchesCurrent || matchesPrevious;
}

} // namespace cairn::net
