#pragma once

// SecureTransport's private state, shared by securetransport*.cpp:
// the public API and dispatch (securetransport.cpp), handshakes, cookies and
// rate limits (securetransporthandshakes.cpp), and the data path, timers and
// closing (securetransportsessions.cpp).
#include "core/net/cookiejar.h"
#include "core/net/handshake.h"
#include "core/net/ratelimiter.h"
#include "core/net/reassembler.h"
#include "core/net/securetransport.h"
#include "core/net/session.h"
#include "core/net/sessionwire.h"

#include <QHash>
#include <QList>

#include <limits>
#include <memory>
#include <unordered_map>

namespace cairn::net {

/// Our own handshake with a peer, while it runs.
struct Initiation {
    explicit Initiation(Handshake h) : handshake(std::move(h)) { }
    Handshake handshake;
    base::Instant started {0};
    base::TimerId timer = 0;
    /// After our finish: the new keys and the peer they authenticated. They
    /// are used for sending once the responder shows it has them too (its
    /// first datagram under them).
    std::unique_ptr<Session> session;
    AuthenticatedPeer peer;
};

/// A responder's handshake that waits for the initiator's finish. Costs
/// state, so only sources that passed the rate limit (and, under load, the
/// cookie check) get one, one per endpoint.
struct HalfOpen {
    explicit HalfOpen(Handshake h) : handshake(std::move(h)) { }
    Handshake handshake;
    base::Endpoint endpoint;
    base::TimerId timer = 0;
};

/// A message waiting for its session.
struct Queued {
    sessionwire::InnerKind channel;
    QByteArray message;
};

/// Everything we hold about one remote endpoint. At most one handshake is
/// under way per peer: ours (initiation) or theirs (halfOpen), never both.
struct Peer {
    base::Endpoint endpoint;
    /// Sends and receives.
    std::unique_ptr<Session> current;
    /// The keys a rekey replaced: they still receive until previousUntil, so
    /// datagrams in flight during the switch are not lost.
    std::unique_ptr<Session> previous;
    base::Instant previousUntil {0};
    std::unique_ptr<Initiation> initiation;
    quint32 halfOpen = 0; // its local index, 0: none
    QList<Queued> queue;
    base::Instant queuedSince {0};
    PeerInfo info; // meaningful while current exists
    base::Instant lastAppActivity {0}; // a message fragment sent or received
    base::Instant lastAppSent {0};
    base::Instant lastRekeyAttempt {std::numeric_limits<qint64>::min() / 2};
    base::TimerId timer = 0;
    base::Instant timerAt {0};

    bool isEmpty() const { return !current && !previous && !initiation && !halfOpen && queue.isEmpty(); }
};

struct EndpointHash {
    size_t operator()(const base::Endpoint &e) const { return base::qHash(e); }
};

/// What a local index (the one peers put in datagrams to us) stands for.
struct IndexEntry {
    enum class Kind : quint8 { Initiation, HalfOpen, Session };
    Kind kind = Kind::Session;
    base::Endpoint endpoint;
};

/// Something to tell the layer above once the state is consistent again:
/// handlers run last, because they may call back into us (or destroy us).
struct Notice {
    enum class Kind : quint8 { Up, Down, Message, Control };
    Kind kind;
    PeerInfo peer;
    CloseReason reason = CloseReason::Closed;
    QByteArray message;
};

class SecureTransport::Impl {
public:
    /// Half-open responder handshakes kept at most (beyond that, refused).
    static constexpr qsizetype kMaxHalfOpen = 1024;
    /// A silent session in use sends a keepalive this often (NAT mappings
    /// last about 30 s; the peer's idle timer must not fire).
    static constexpr base::Duration kKeepaliveInterval {25'000'000};

    Impl(SecureTransport &owner, base::Transport &transport, base::Scheduler &scheduler, base::Rng &rng,
        SessionIdentity identity, SessionConfig config);
    ~Impl();

    // --- entry points (each ends by running the queued notices) ----------
    void onDatagram(const base::Endpoint &from, const QByteArray &datagram);
    bool sendMessage(sessionwire::InnerKind channel, const base::Endpoint &to, const QByteArray &message);
    void applyRevocationList(const identity::RevocationList &crl);
    void presentNewCertificate();
    void closeEndpoint(const base::Endpoint &endpoint, CloseReason reason);
    void closeEverything();

    // --- handshakes (securetransporthandshakes.cpp) ----------------------
    void onInitiation(const base::Endpoint &from, const QByteArray &datagram);
    void onResponse(const base::Endpoint &from, const QByteArray &datagram);
    void onFinish(const base::Endpoint &from, const QByteArray &datagram);
    void onCookieReply(const base::Endpoint &from, const QByteArray &datagram);
    bool startInitiation(Peer &peer, bool rekey);
    void onInitiationTimer(const base::Endpoint &endpoint);
    /// The peer whose running initiation has local index `index`, if `from` is its endpoint.
    Peer *initiationPeer(const base::Endpoint &from, quint32 index);
    /// Our handshake ended without a session: a rekey leaves the old session
    /// running; a first contact drops what was queued and reports it.
    void failInitiation(Peer &peer, const std::optional<base::Error<NetError>> &error = std::nullopt);
    void dropInitiation(Peer &peer, bool keepIndex = false);
    void onHalfOpenTimer(quint32 index);
    /// `retry`: if messages wait for this peer, start our own handshake.
    void dropHalfOpen(quint32 index, bool retry, bool keepIndex = false);
    /// A handshake failed its checks. If the peer it authenticated is the
    /// one we hold a session with (its certificate expired or was revoked
    /// since), that session ends too.
    void rejectHandshake(
        Peer *peer, const base::Error<NetError> &error, const std::optional<crypto::PublicKey> &remote);
    void installSession(Peer &peer, std::unique_ptr<Session> session, const AuthenticatedPeer &auth);
    TrustPolicy policy() const;
    quint32 newIndex(IndexEntry::Kind kind, const base::Endpoint &endpoint);

    // --- sessions (securetransportsessions.cpp) --------------------------
    void onData(const base::Endpoint &from, const QByteArray &datagram);
    void handleInner(Peer &peer, const Session &session, sessionwire::Inner inner);
    /// The session (current, previous or our unconfirmed one) with this local index.
    Session *sessionFor(Peer &peer, quint32 index, bool *unconfirmed);
    bool sendInner(Peer &peer, Session &session, const sessionwire::Inner &inner);
    void sendFragments(Peer &peer, sessionwire::InnerKind channel, const QByteArray &message);
    /// Sends what waited for the session; returns whether anything was sent.
    bool flushQueue(Peer &peer);
    void onPeerTimer(const base::Endpoint &endpoint);
    void armPeerTimer(Peer &peer);
    base::Instant nextDue(const Peer &peer) const;
    bool rekeyPossible(const Peer &peer) const;
    base::Instant rekeyDue(const Peer &peer) const;
    void maybeRekey(Peer &peer);
    base::Duration keepaliveInterval() const;
    /// Ends everything about the peer; a session that was up is reported down.
    void closePeer(Peer &peer, CloseReason reason, bool tellPeer);
    void dropSession(std::unique_ptr<Session> &session);

    // --- plumbing (securetransport.cpp) ----------------------------------
    Peer *findPeer(const base::Endpoint &endpoint);
    const Peer *findPeer(const base::Endpoint &endpoint) const;
    Peer &peerFor(const base::Endpoint &endpoint);
    /// The peer one of our local indices belongs to, if `from` is its endpoint.
    Peer *peerByIndex(const base::Endpoint &from, quint32 index, IndexEntry::Kind *kind);
    void removePeerIfEmpty(const base::Endpoint &endpoint);
    int sessionCount() const;
    void transmit(const base::Endpoint &to, const QByteArray &datagram);
    void junk(const char *what);
    void notify(Notice notice) { m_notices.append(std::move(notice)); }
    void runNotices();

    SecureTransport &q;
    base::Transport &m_transport;
    base::Scheduler &m_scheduler;
    base::Rng &m_rng;
    SessionIdentity m_identity;
    SessionConfig m_config;
    SessionStats m_stats;
    identity::RevocationList m_crl;
    ControlHandler m_controlHandler;
    SessionHandler m_upHandler;
    CloseHandler m_downHandler;
    CookieJar m_cookies;
    RateLimiter m_limiter;
    Reassembler m_reassembler;
    quint32 m_nextMessageId;
    std::unordered_map<base::Endpoint, std::unique_ptr<Peer>, EndpointHash> m_peers;
    std::unordered_map<quint32, std::unique_ptr<HalfOpen>> m_halfOpen;
    QHash<quint32, IndexEntry> m_indices;
    QList<Notice> m_notices;
    bool m_runningNotices = false;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace cairn::net
