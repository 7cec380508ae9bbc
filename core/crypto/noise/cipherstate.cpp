#include "core/crypto/noise/cipherstate.h"

#include <array>
#include <cstring>
#include <sodium.h>

namespace cairn::crypto::noise {
namespace {

static_assert(crypto_aead_chacha20poly1305_ietf_KEYBYTES == kKeySize);
static_assert(crypto_aead_chacha20poly1305_ietf_ABYTES == kTagSize);
static_assert(crypto_aead_chacha20poly1305_ietf_NPUBBYTES == 12);

using Nonce = std::array<quint8, crypto_aead_chacha20poly1305_ietf_NPUBBYTES>;

// Noise's ChaChaPoly nonce: 32 zero bits, then n as 64-bit little-endian.
Nonce encodeNonce(quint64 n)
{
    Nonce nonce {};
    for (int i = 0; i < 8; ++i)
        nonce[size_t(4 + i)] = quint8(n >> (8 * i));
    return nonce;
}

const unsigned char *bytes(QByteArrayView view)
{
    return reinterpret_cast<const unsigned char *>(view.data());
}

} // namespace

void CipherState::initializeKey(std::span<const quint8, kKeySize> key)
{
    m_key = SecretBytes(key.data(), kKeySize);
    m_nonce = 0;
}

void CipherState::clearKey()
{
    m_key = SecretBytes();
    m_nonce = 0;
}

Result<QByteArray> CipherState::encryptWithAd(QByteArrayView ad, QByteArrayView plaintext)
{
    if (!hasKey()) {
        if (plaintext.size() > kMaxMessageSize)
            return base::fail(CryptoError::TooLarge,
                QStringLiteral("a Noise message is at most %1 bytes, got %2")
                    .arg(kMaxMessageSize)
                    .arg(plaintext.size()));
        return plaintext.toByteArray();
    }
    if (plaintext.size() > kMaxMessageSize - kTagSize)
        return base::fail(CryptoError::TooLarge,
            QStringLiteral("a Noise message is at most %1 bytes; %2 bytes of plaintext do not fit")
                .arg(kMaxMessageSize)
                .arg(plaintext.size()));
    if (m_nonce == kReservedNonce)
        return base::fail(
            CryptoError::InvalidState, QStringLiteral("the cipher's nonces are used up; start a new session"));

    const Nonce nonce = encodeNonce(m_nonce);
    QByteArray out(plaintext.size() + kTagSize, Qt::Uninitialized);
    unsigned long long outLength = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char *>(out.data()), &outLength,
        bytes(plaintext), size_t(plaintext.size()), bytes(ad), size_t(ad.size()), nullptr, nonce.data(), m_key.data());
    ++m_nonce;
    return out;
}

Result<QByteArray> CipherState::decryptWithAd(QByteArrayView ad, QByteArrayView ciphertext)
{
    if (ciphertext.size() > kMaxMessageSize)
        return base::fail(CryptoError::TooLarge,
            QStringLiteral("a Noise message is at most %1 bytes, got %2").arg(kMaxMessageSize).arg(ciphertext.size()));
    if (!hasKey())
        return ciphertext.toByteArray();
    if (ciphertext.size() < kTagSize)
        return base::fail(CryptoError::DecryptFailed,
            QStringLiteral("ciphertext of %1 bytes is shorter than its tag").arg(ciphertext.size()));
    if (m_nonce == kReservedNonce)
        return base::fail(
            CryptoError::InvalidState, QStringLiteral("the cipher's nonces are used up; start a new session"));

    const Nonce nonce = encodeNonce(m_nonce);
    QByteArray out(ciphertext.size() - kTagSize, Qt::Uninitialized);
    unsigned long long outLength = 0;
    if (crypto_aead_chacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char *>(out.data()), &outLength, nullptr,
            bytes(ciphertext), size_t(ciphertext.size()), bytes(ad), size_t(ad.size()), nonce.data(), m_key.data())
        != 0) {
        return base::fail(CryptoError::DecryptFailed,
            QStringLiteral("message authentication failed (wrong key, nonce or tampered data)"));
    }
    ++m_nonce;
    return out;
}

Result<void> CipherState::rekey()
{
    if (!hasKey())
        return base::fail(CryptoError::InvalidState, QStringLiteral("cannot rekey a cipher that has no key"));
    const Nonce nonce = encodeNonce(kReservedNonce);
    std::array<quint8, kKeySize> zeros {};
    std::array<quint8, kKeySize + kTagSize> out {};
    unsigned long long outLength = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(
        out.data(), &outLength, zeros.data(), zeros.size(), nullptr, 0, nullptr, nonce.data(), m_key.data());
    // Overwrite in place: the nonce counter carries on under the new key.
    std::memcpy(m_key.data(), out.data(), kKeySize);
    sodium_memzero(out.data(), out.size());
    return {};
}

} // namespace cairn::crypto::noise
