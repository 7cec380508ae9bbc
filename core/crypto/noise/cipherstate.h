#pragma once

#include "core/crypto/error.h"
#include "core/crypto/secretbytes.h"

#include <QByteArray>
#include <QByteArrayView>

#include <span>

namespace cairn::crypto::noise {

/// Every Noise message, handshake or transport, is at most this long (spec section 3).
inline constexpr qsizetype kMaxMessageSize = 65535;
/// ChaChaPoly key and Poly1305 tag sizes.
inline constexpr qsizetype kKeySize = 32;
inline constexpr qsizetype kTagSize = 16;

/// A Noise CipherState: a ChaCha20-Poly1305 (IETF) key k and a 64-bit nonce n
/// (spec section 5.1). Without a key it passes data through unchanged, as the
/// handshake needs before the first DH. Move-only, so a key and its nonce can
/// never exist twice and be used to encrypt twice under the same nonce.
class CipherState {
public:
    /// 2^64-1 is reserved for rekey(); reaching it ends the session.
    static constexpr quint64 kReservedNonce = ~quint64(0);

    CipherState() = default;
    CipherState(CipherState &&) noexcept = default;
    CipherState &operator=(CipherState &&) noexcept = default;
    CipherState(const CipherState &) = delete;
    CipherState &operator=(const CipherState &) = delete;

    /// Sets k and resets n to zero.
    void initializeKey(std::span<const quint8, kKeySize> key);
    /// Forgets k (wiping it) and resets n to zero.
    void clearKey();
    bool hasKey() const { return !m_key.isEmpty(); }

    quint64 nonce() const { return m_nonce; }
    /// Spec's SetNonce(), for transports that carry explicit nonces. Never
    /// move it backwards under the same key.
    void setNonce(quint64 nonce) { m_nonce = nonce; }

    /// ciphertext = plaintext || tag, with ad authenticated. TooLarge if the
    /// result would exceed kMaxMessageSize, InvalidState once the nonce is
    /// exhausted. Returns the plaintext unchanged when there is no key.
    Result<QByteArray> encryptWithAd(QByteArrayView ad, QByteArrayView plaintext);
    /// DecryptFailed if the tag does not verify; the nonce then stays put.
    Result<QByteArray> decryptWithAd(QByteArrayView ad, QByteArrayView ciphertext);
    /// k = first 32 bytes of ENCRYPT(k, 2^64-1, "", 32 zero bytes); n is unchanged.
    /// InvalidState without a key.
    Result<void> rekey();

private:
    SecretBytes m_key;
    quint64 m_nonce = 0;
};

} // namespace cairn::crypto::noise
