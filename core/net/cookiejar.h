#pragma once

#include "core/base/endpoint.h"
#include "core/base/rng.h"
#include "core/base/scheduler.h"
#include "core/crypto/secretbytes.h"

#include <QByteArray>

namespace cairn::net {

/// Stateless cookies for handshakes under load: a cookie is a keyed
/// BLAKE2b-128 MAC of the source address and port under a secret that is
/// replaced every kRotation. Only someone who receives datagrams at an
/// address can present its cookie, so a flood from spoofed addresses costs
/// a responder one hash per datagram and no state. Cookies made under the
/// current or the previous secret are accepted.
class CookieJar {
public:
    static constexpr qsizetype kCookieBytes = 16;
    static constexpr base::Duration kRotation {120LL * 1'000'000};

    CookieJar(base::Scheduler &scheduler, base::Rng &rng);

    /// The cookie for `source` under the current secret.
    QByteArray make(const base::Endpoint &source);
    /// True if `cookie` is `source`'s under the current or previous secret.
    bool check(const base::Endpoint &source, QByteArrayView cookie);

private:
    void rotateIfDue();
    static QByteArray mac(const crypto::SecretBytes &secret, const base::Endpoint &source);

    base::Scheduler &m_scheduler;
    base::Rng &m_rng;
    crypto::SecretBytes m_current;
    crypto::SecretBytes m_previous;
    base::Instant m_rotatedAt {0};
};

} // namespace cairn::net
