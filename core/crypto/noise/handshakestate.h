#pragma once

#include "core/base/rng.h"
#include "core/crypto/error.h"
#include "core/crypto/keys.h"
#include "core/crypto/noise/cipherstate.h"
#include "core/crypto/noise/handshakepattern.h"
#include "core/crypto/noise/symmetricstate.h"
#include "core/crypto/secretbytes.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>
#include <utility>
#include <vector>

namespace cairn::crypto::noise {

/// What one party brings to a handshake. Move-only because it holds secrets.
struct HandshakeConfig {
    /// e.g. "Noise_XX_25519_ChaChaPoly_BLAKE2b".
    QString protocolName;
    bool initiator = false;
    /// Data both parties must agree on; it is hashed, not sent.
    QByteArray prologue;
    /// Our X25519 secret (32 bytes), if the pattern uses our static key
    /// (DeviceKey::x25519Secret()); ignored by patterns that do not.
    SecretBytes localStaticSecret;
    /// The peer's X25519 key when the pattern needs it in advance (NK, IK,
    /// KK, ...). Rejected for patterns that send it in the handshake: read
    /// remoteStatic() afterwards and compare instead.
    std::optional<PublicKey> remoteStatic;
    /// One 32-byte PSK per psk modifier, in token order.
    std::vector<SecretBytes> psks;
    /// Tests only (known-answer vectors): use this X25519 secret as our
    /// ephemeral instead of drawing one from the Rng. Never set it in
    /// production; a repeated ephemeral breaks forward secrecy.
    SecretBytes fixedEphemeralSecret;
};

/// A Noise HandshakeState (spec section 5.3) for
/// Noise_*_25519_ChaChaPoly_BLAKE2b, sans-I/O: callers move the bytes.
/// Parties call writeMessage()/readMessage() in the pattern's turn order
/// until isComplete(), then split() into transport ciphers. Any error while
/// processing a message leaves the state failed: the handshake must be
/// abandoned, because it has already absorbed part of the message.
class HandshakeState {
public:
    /// Checks the protocol name and that exactly the keys and PSKs the
    /// pattern needs are present; draws our ephemeral key from rng (rng is
    /// not kept).
    static Result<HandshakeState> create(HandshakeConfig config, base::Rng &rng);

    HandshakeState(HandshakeState &&) noexcept = default;
    HandshakeState &operator=(HandshakeState &&) noexcept = default;

    /// The next handshake message carrying payload (which is encrypted once
    /// a key exists, so early payloads may be plaintext). InvalidState when
    /// it is the peer's turn, after completion or after a failure; TooLarge
    /// if the message would exceed kMaxMessageSize.
    Result<QByteArray> writeMessage(QByteArrayView payload = {});
    /// Processes the peer's next message and returns its payload.
    /// Corrupt if it is too short for the pattern, DecryptFailed if it does
    /// not authenticate, InvalidKey for a low-order public key.
    Result<QByteArray> readMessage(QByteArrayView message);

    bool isInitiator() const { return m_initiator; }
    bool isComplete() const { return m_messageIndex >= m_pattern.messages().size(); }
    bool hasFailed() const { return m_failed; }
    /// True when the next call should be writeMessage().
    bool isMyTurn() const;

    const HandshakePattern &pattern() const { return m_pattern; }
    /// h: the transcript hash, for channel binding once complete.
    QByteArray handshakeHash() const { return m_symmetric.handshakeHash(); }
    /// The peer's static key: given in advance or learned in the handshake.
    std::optional<PublicKey> remoteStatic() const { return m_remoteStatic; }
    std::optional<PublicKey> localStaticPublic() const { return m_localStaticPublic; }

    /// The transport ciphers once complete: first initiator-to-responder,
    /// second responder-to-initiator (for both parties). InvalidState before
    /// completion or after a failure.
    Result<std::pair<CipherState, CipherState>> split() const;

private:
    HandshakeState(HandshakePattern pattern, bool initiator);

    const MessagePattern &currentMessage() const { return m_pattern.messages()[m_messageIndex]; }
    Result<void> checkTurn(bool writing) const;
    /// The fixed (non-payload) length of the current message, and whether
    /// its payload will be encrypted.
    qsizetype fixedLength(bool *payloadEncrypted) const;
    Result<void> mixDh(Token token);
    void finishMessage();
    base::Error<CryptoError> failWith(CryptoError code, QString message);

    HandshakePattern m_pattern;
    SymmetricState m_symmetric;
    bool m_initiator = false;
    bool m_failed = false;
    size_t m_messageIndex = 0;

    SecretBytes m_localStaticSecret;
    std::optional<PublicKey> m_localStaticPublic;
    SecretBytes m_ephemeralSecret;
    PublicKey m_ephemeralPublic;
    bool m_ephemeralSent = false;
    std::optional<PublicKey> m_remoteStatic;
    std::optional<PublicKey> m_remoteEphemeral;
    std::vector<SecretBytes> m_psks;
    size_t m_nextPsk = 0;
};

} // namespace cairn::crypto::noise
