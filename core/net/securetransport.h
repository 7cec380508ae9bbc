#pragma once

#include "core/base/rng.h"
#include "core/base/scheduler.h"
#include "core/base/transport.h"
#include "core/crypto/keys.h"
#include "core/identity/certificate.h"
#include "core/identity/nodeid.h"
#include "core/identity/revocationlist.h"
#include "core/net/messagetransport.h"

#include <QByteArray>
#include <QList>

#include <functional>
#include <memory>
#include <optional>

namespace cairn::net {

/// Who we are in the group, as the handshake presents it.
struct SessionIdentity {
    /// Our Ed25519 device key; its X25519 form is the Noise static key.
    crypto::DeviceKey deviceKey;
    /// Our certificate; null while joining (we have none yet). Without one
    /// we can only talk to a node that accepts joiners (the rendezvous), and
    /// only on the control channel.
    identity::Certificate certificate;
    /// The trust anchor: a peer's certificate must be issued by this CA key
    /// for this group.
    crypto::PublicKey caKey;
    QByteArray groupId;
};

/// Tunables; the defaults are what a node runs with.
struct SessionConfig {
    int maxSessions = 4096;
    /// Rekey after this many messages sent under one key, or this age.
    quint64 rekeyAfterMessages = quint64(1) << 20;
    base::Duration rekeyAfter {120LL * 1'000'000};
    /// A handshake not complete by then is abandoned (and its queue dropped).
    base::Duration handshakeTimeout {5'000'000};
    /// Handshake attempts (datagrams) resent this often while incomplete.
    base::Duration handshakeRetry {1'000'000};
    /// A session with no traffic either way for this long is closed.
    base::Duration idleTimeout {180LL * 1'000'000};
    /// Per source IP: handshake initiations accepted per second, and burst.
    double handshakesPerSecondPerSource = 20;
    double handshakeBurstPerSource = 40;
    /// With more than this many half-open handshakes, initiations must
    /// carry a valid stateless cookie (a cookie reply is sent otherwise).
    int cookieThreshold = 64;
    /// Tests only: demand cookies always.
    bool alwaysRequireCookie = false;
    /// The rendezvous accepts sessions from peers without a certificate
    /// (joiners); their messages reach only the control handler.
    bool acceptUncertified = false;
    /// Messages queued per peer while its handshake runs.
    int maxQueuedPerPeer = 64;
};

/// The authenticated peer at the other end of an established session.
struct PeerInfo {
    base::Endpoint endpoint;
    crypto::PublicKey deviceKey; // proven in the handshake (Noise static)
    identity::Certificate certificate; // null for an uncertified joiner
    identity::NodeId nodeId; // from deviceKey
    /// Channel binding (Noise h, 64 bytes, the same on both ends): from peer()
    /// and peers(), that of the current keys; in a ControlHandler call, that
    /// of the keys the message arrived under.
    QByteArray handshakeHash;
    bool initiatedByUs = false;
    bool certified() const { return !certificate.isNull(); }
};

/// Why a session ended.
enum class CloseReason { Closed, PeerClosed, Revoked, Timeout, HandshakeFailed, Replaced, Shutdown };

/// Counters for the statistics snapshot; all only grow.
struct SessionStats {
    quint64 bytesIn = 0; // UDP payload bytes received / sent, all kinds
    quint64 bytesOut = 0;
    quint64 datagramsIn = 0;
    quint64 datagramsOut = 0;
    quint64 handshakesCompleted = 0;
    quint64 handshakesRejected = 0; // bad certificate, wrong key, revoked, decrypt failure
    quint64 cookiesSent = 0;
    quint64 rateLimited = 0;
    quint64 replaysRejected = 0;
    quint64 junkRejected = 0; // unparsable, unknown index, failed authentication
    quint64 rekeys = 0;
};

/// Encrypted, authenticated sessions between group members over a datagram
/// Transport (docs/protocol.md, "Sessions"): Noise XX
/// (Noise_XX_25519_ChaChaPoly_BLAKE2b) with each side's certificate in its
/// handshake payload; afterwards every datagram carries the receiver's index
/// and a 64-bit counter used as the nonce, so each decrypts on its own, and a
/// sliding window rejects replays. Plaintexts are padded to a few fixed
/// sizes; keys are replaced after a message count or an age; handshake floods
/// meet stateless cookies and per-source rate limits. Messages up to
/// kMaxMessage are fragmented inside the session and reassembled with a
/// timeout.
///
/// Two channels share a session: the message channel (MessageTransport's
/// send/receive, what the DHT uses; certified peers only) and the control
/// channel (join, renewal, directory, revocation pushes). send() to a peer
/// without a session starts a handshake and queues the message.
///
/// Sans-I/O: datagrams through the Transport, time and timers through the
/// Scheduler, randomness (ephemerals, indices, cookie secrets) from the Rng.
class SecureTransport final : public MessageTransport {
public:
    using ControlHandler = std::function<void(const PeerInfo &from, const QByteArray &message)>;
    using SessionHandler = std::function<void(const PeerInfo &peer)>;
    using CloseHandler = std::function<void(const PeerInfo &peer, CloseReason reason)>;

    SecureTransport(base::Transport &transport, base::Scheduler &scheduler, base::Rng &rng, SessionIdentity identity,
        SessionConfig config = {});
    ~SecureTransport() override;
    SecureTransport(const SecureTransport &) = delete;
    SecureTransport &operator=(const SecureTransport &) = delete;

    base::Endpoint localEndpoint() const override;
    /// Message channel. False if refused locally (too large, queue full,
    /// we have no certificate, or the peer is known to be uncertified).
    bool send(const base::Endpoint &to, const QByteArray &message) override;

    /// Control channel: works with certified and (when allowed) uncertified
    /// peers. Messages up to kMaxMessage, fragmented like the other channel.
    bool sendControl(const base::Endpoint &to, const QByteArray &message);
    void setControlHandler(ControlHandler handler);

    /// A session came up (not called again when a rekey replaces its keys).
    void setSessionUpHandler(SessionHandler handler);
    /// A session ended; also called with HandshakeFailed (and a PeerInfo
    /// holding only the endpoint) when our first handshake with a peer
    /// failed or timed out and the messages queued for it were dropped.
    void setSessionDownHandler(CloseHandler handler);

    /// After joining or renewal. Existing sessions keep running; new
    /// handshakes present the new certificate, and each established session
    /// is rekeyed at once so its peer learns it (peer() at the other end
    /// then shows it).
    void setCertificate(const identity::Certificate &certificate);
    const SessionIdentity &identity() const;
    /// Trust anchor for a joiner that learned it from an invite.
    void setTrustAnchor(const crypto::PublicKey &caKey, const QByteArray &groupId);
    /// A newer revocation list (the caller verified it). Sessions with peers
    /// it revokes are closed at once (the peer is told) and new handshakes
    /// from them are refused. Older or equal versions are ignored.
    void setRevocationList(const identity::RevocationList &crl);
    const identity::RevocationList &revocationList() const;

    /// Established sessions only.
    std::optional<PeerInfo> peer(const base::Endpoint &endpoint) const;
    QList<PeerInfo> peers() const;
    int sessionCount() const;
    /// Closes the session (telling the peer) and drops anything queued.
    void close(const base::Endpoint &endpoint);
    /// Closes every session, telling each peer (clean shutdown).
    void closeAll();

    const SessionStats &stats() const;
    const SessionConfig &config() const;

private:
    class Impl;
    std::unique_ptr<Impl> d;
};

} // namespace cairn::net
