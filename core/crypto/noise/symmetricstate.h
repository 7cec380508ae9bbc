#pragma once

#include "core/crypto/error.h"
#include "core/crypto/noise/cipherstate.h"
#include "core/crypto/secretbytes.h"

#include <QByteArray>
#include <QByteArrayView>

#include <array>
#include <utility>

namespace cairn::crypto::noise {

/// BLAKE2b-512 as Noise's HASH.
inline constexpr qsizetype kHashSize = 64;
inline constexpr qsizetype kHashBlockSize = 128;

/// A Noise SymmetricState (spec section 5.2): the chaining key ck, the
/// handshake hash h and the CipherState they feed. ck and k are secret and
/// wiped with the state; h is a transcript hash and is not.
class SymmetricState {
public:
    /// InitializeSymmetric(protocolName): h is the name zero-padded to 64
    /// bytes, or its hash if longer; ck = h; no key yet.
    explicit SymmetricState(QByteArrayView protocolName);

    void mixKey(QByteArrayView inputKeyMaterial);
    void mixHash(QByteArrayView data);
    void mixKeyAndHash(QByteArrayView inputKeyMaterial);

    bool hasKey() const { return m_cipher.hasKey(); }
    QByteArray handshakeHash() const;

    /// Encrypts with h as associated data, then mixes the ciphertext into h.
    Result<QByteArray> encryptAndHash(QByteArrayView plaintext);
    /// Decrypts with h as associated data; h absorbs the ciphertext only if
    /// it authenticated.
    Result<QByteArray> decryptAndHash(QByteArrayView ciphertext);

    /// The two transport ciphers: first initiator-to-responder, second
    /// responder-to-initiator.
    std::pair<CipherState, CipherState> split() const;

private:
    CipherState m_cipher;
    SecretBytes m_chainingKey;
    std::array<quint8, kHashSize> m_hash {};
};

} // namespace cairn::crypto::noise
