#pragma once

#include "core/base/rng.h"
#include "core/base/scheduler.h"
#include "core/crypto/keys.h"
#include "core/crypto/noise/handshakestate.h"
#include "core/identity/certificate.h"
#include "core/identity/revocationlist.h"
#include "core/net/error.h"
#include "core/net/handshakepayload.h"
#include "core/net/securetransport.h"
#include "core/net/session.h"
#include "core/net/sessionwire.h"

#include <memory>
#include <optional>

namespace cairn::net {

/// Whom a handshake accepts, read at the moment it checks (so a newer
/// revocation list applies to handshakes already under way).
struct TrustPolicy {
    const SessionIdentity *identity = nullptr;
    const identity::RevocationList *crl = nullptr; // null: none yet
    qint64 nowUnix = 0;
    bool acceptUncertified = false;
};

/// The peer a handshake authenticated.
struct AuthenticatedPeer {
    crypto::PublicKey deviceKey; // Ed25519; its X25519 form is the peer's Noise static key
    identity::Certificate certificate; // null for a joiner
    bool rekey = false; // the peer says this replaces the session it holds with us
};

/// Checks a peer's handshake payload against the Noise static key it proved
/// it holds: the payload's device key must have that X25519 form, and the
/// certificate (if any) must verify for the trust anchor, now, against the
/// revocation list, for that device key. Without a certificate only
/// policy.acceptUncertified lets the peer in.
Result<AuthenticatedPeer> verifyPeer(
    const HandshakePayload &payload, const crypto::PublicKey &remoteStatic, const TrustPolicy &policy);

/// The Noise prologue: binds the session protocol version and the group.
QByteArray sessionPrologue(QByteArrayView groupId);

/// One Noise_XX_25519_ChaChaPoly_BLAKE2b handshake with one peer, in either
/// role, keeping the datagram it last sent for retransmission. The
/// initiator writes the initiation, reads the response (learning and
/// checking the responder) and writes the finish; the responder reads the
/// initiation, writes the response and reads the finish. Any failure ends
/// the handshake for good.
class Handshake {
public:
    static constexpr QByteArrayView kProtocolName {"Noise_XX_25519_ChaChaPoly_BLAKE2b"};

    static Result<Handshake> initiate(const SessionIdentity &identity, base::Rng &rng, quint32 localIndex, bool rekey);
    /// Reads the initiation and writes the response.
    static Result<Handshake> respond(
        const SessionIdentity &identity, const sessionwire::Initiation &initiation, base::Rng &rng, quint32 localIndex);

    Handshake(Handshake &&) noexcept = default;
    Handshake &operator=(Handshake &&) noexcept = default;

    bool isInitiator() const { return m_initiator; }
    bool isComplete() const { return m_complete; }
    bool isRekey() const { return m_rekey; }
    quint32 localIndex() const { return m_localIndex; }
    quint32 remoteIndex() const { return m_remoteIndex; }
    /// The initiator's ephemeral key: what simultaneous opens compare.
    const QByteArray &initiatorEphemeral() const { return m_initiatorEphemeral; }
    /// Responder: whether `initiation` is a retransmission of the one we answered.
    bool isSameInitiation(const sessionwire::Initiation &initiation) const;

    /// The datagram to (re)send: the initiation (with the cookie, if any),
    /// the response, or the finish.
    const QByteArray &datagram() const { return m_datagram; }
    const QByteArray &cookie() const { return m_cookie; }
    /// Initiator, before the response: later initiations carry this cookie.
    void setCookie(const QByteArray &cookie);

    /// Initiator: checks the responder; on success the handshake is
    /// complete and datagram() is the finish.
    Result<AuthenticatedPeer> readResponse(const sessionwire::Response &response, const TrustPolicy &policy);
    /// Responder: checks the initiator; on success the handshake is complete.
    Result<AuthenticatedPeer> readFinish(const sessionwire::Finish &finish, const TrustPolicy &policy);

    /// The peer's static key once a message carried it.
    std::optional<crypto::PublicKey> remoteStatic() const { return m_noise.remoteStatic(); }
    QByteArray handshakeHash() const { return m_noise.handshakeHash(); }
    /// The session keys of a complete handshake (null otherwise).
    std::unique_ptr<Session> makeSession(base::Instant now) const;

private:
    Handshake(crypto::noise::HandshakeState noise, bool initiator, quint32 localIndex, bool rekey);
    static Result<crypto::noise::HandshakeState> start(const SessionIdentity &identity, bool initiator, base::Rng &rng);
    Result<QByteArray> writeOurPayload(const SessionIdentity &identity);
    /// Reads the peer's next Noise message and checks the peer it presents.
    Result<AuthenticatedPeer> readPeerMessage(QByteArrayView noise, const TrustPolicy &policy);
    Result<AuthenticatedPeer> checkPeer(const QByteArray &payload, const TrustPolicy &policy);

    crypto::noise::HandshakeState m_noise;
    bool m_initiator;
    bool m_complete = false;
    bool m_rekey;
    quint32 m_localIndex;
    quint32 m_remoteIndex = 0;
    QByteArray m_initiatorEphemeral;
    QByteArray m_noiseMessage1; // initiator: resent with a cookie
    QByteArray m_cookie;
    QByteArray m_datagram;
};

} // namespace cairn::net
