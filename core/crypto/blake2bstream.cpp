#include "core/crypto/blake2bstream.h"

#include <cstring>

namespace cairn::crypto {

namespace {
constexpr qsizetype kStateBytes = sizeof(crypto_generichash_state);
constexpr qsizetype kChecksumBytes = 16;
// Layout of a saved state: output length (1 byte), the state, a checksum.
constexpr qsizetype kSavedBytes = 1 + kStateBytes + kChecksumBytes;

void checksum(const quint8 *data, qsizetype size, quint8 *out)
{
    crypto_generichash(out, kChecksumBytes, data, size_t(size), nullptr, 0);
}
} // namespace

Blake2bStream::Blake2bStream(int outLength) : m_outLength(qBound(16, outLength, 64))
{
    initSodium();
    crypto_generichash_init(&m_state, nullptr, 0, size_t(m_outLength));
}

Blake2bStream::~Blake2bStream()
{
    sodium_memzero(&m_state, sizeof m_state);
}

void Blake2bStream::update(QByteArrayView data)
{
    if (!m_final)
        crypto_generichash_update(&m_state, reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size()));
}

QByteArray Blake2bStream::final()
{
    if (m_final)
        return {};
    QByteArray out(m_outLength, Qt::Uninitialized);
    crypto_generichash_final(&m_state, reinterpret_cast<unsigned char *>(out.data()), size_t(m_outLength));
    m_final = true;
    sodium_memzero(&m_state, sizeof m_state);
    return out;
}

SecretBytes Blake2bStream::saveState() const
{
    if (m_final)
        return {};
    SecretBytes out(kSavedBytes);
    out.data()[0] = quint8(m_outLength);
    std::memcpy(out.data() + 1, &m_state, size_t(kStateBytes));
    checksum(out.data(), 1 + kStateBytes, out.data() + 1 + kStateBytes);
    return out;
}

Result<Blake2bStream> Blake2bStream::restore(const SecretBytes &state)
{
    if (state.size() != kSavedBytes)
        return base::fail(CryptoError::Corrupt, QStringLiteral("a saved hash state is %1 bytes").arg(kSavedBytes));
    quint8 expected[kChecksumBytes];
    checksum(state.data(), 1 + kStateBytes, expected);
    const bool intact = sodium_memcmp(expected, state.data() + 1 + kStateBytes, kChecksumBytes) == 0;
    const int outLength = state.data()[0];
    if (!intact || outLength < 16 || outLength > 64)
        return base::fail(CryptoError::Corrupt, QStringLiteral("the saved hash state is damaged"));
    Blake2bStream s(outLength);
    std::memcpy(&s.m_state, state.data() + 1, size_t(kStateBytes));
    return s;
}

} // namespace cairn::crypto
