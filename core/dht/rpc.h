#pragma once

#include "core/base/rng.h"
#include "core/base/scheduler.h"
#include "core/dht/message.h"
#include "core/dht/rttestimator.h"
#include "core/net/messagetransport.h"

#include <QHash>

#include <deque>
#include <functional>

namespace cairn::dht {

/// Requests and responses over a MessageTransport. Each request gets a
/// transaction id from the Rng (unguessable with the production Rng, so an
/// off-path sender cannot forge answers), is retransmitted on the peer's
/// adaptive timeout, and reports "slow" at the peer's slow threshold so
/// lookups can move on. At most maxInFlight requests are outstanding; more
/// wait in a queue. Responses are accepted only from the address the
/// request went to and, when the id was known, from that id.
class Rpc {
public:
    struct Config {
        int maxInFlight = 64;
        int retransmits = 1;
        int maxEstimates = 4096; // peers whose RTT we remember
    };
    using Done = std::function<void(Result<Message> response)>;
    using Slow = std::function<void()>;
    using RequestHandler = std::function<void(const Contact &from, const Message &request)>;
    using ContactHandler = std::function<void(const Contact &contact)>;

    Rpc(net::MessageTransport &transport, base::Scheduler &scheduler, base::Rng &rng, const identity::NodeId &self,
        const Config &config);
    ~Rpc();
    Rpc(const Rpc &) = delete;
    Rpc &operator=(const Rpc &) = delete;

    /// Sends `request` (its txid and sender are filled in). `to.id` may be
    /// a null id when unknown (bootstrap). `done` runs exactly once, unless
    /// cancel() comes first, with the response, or with the peer's error
    /// message (kind Error, its code in `error`), or with Timeout; `slow`
    /// runs at most once, before `done`.
    quint64 call(const Contact &to, Message request, Done done, Slow slow = {});
    void cancel(quint64 txid);
    void respond(const base::Endpoint &to, const Message &response);

    void setRequestHandler(RequestHandler handler) { m_onRequest = std::move(handler); }
    /// Every valid message names its sender: the routing table learns from it.
    void setContactHandler(ContactHandler handler) { m_onContact = std::move(handler); }
    /// A call to a known id ran out of retransmits.
    void setFailureHandler(ContactHandler handler) { m_onFailure = std::move(handler); }
    /// Whether the node at `from` may speak as `sender`. Over secure
    /// sessions the engine checks the id against the peer's certificate, so
    /// a member cannot claim someone else's overlay position; messages that
    /// fail are dropped. Unset: every claim is believed (simulations).
    using SenderCheck = std::function<bool(const base::Endpoint &from, const identity::NodeId &sender)>;
    void setSenderCheck(SenderCheck check) { m_senderCheck = std::move(check); }

    const identity::NodeId &self() const { return m_self; }
    base::Scheduler &scheduler() { return m_scheduler; }
    /// The slow threshold for `endpoint`: its own estimate, else the
    /// estimate over every peer.
    base::Duration slowThreshold(const base::Endpoint &endpoint) const;
    base::Duration retransmitTimeout(const base::Endpoint &endpoint) const;
    const RttEstimator &overall() const { return m_overall; }

    quint64 requestsSent() const { return m_requestsSent; }
    quint64 bytesSent() const { return m_bytesSent; }
    quint64 bytesReceived() const { return m_bytesReceived; }
    quint64 timeouts() const { return m_timeouts; }
    int inFlight() const { return m_inFlight; }

private:
    struct Pending {
        Contact to;
        Op op = Op::Ping;
        QByteArray bytes;
        Done done;
        Slow slow;
        base::Instant firstSent {0};
        int attempts = 0;
        base::TimerId retransmitTimer = 0;
        base::TimerId slowTimer = 0;
        bool started = false;
    };

    void start(quint64 txid);
    void transmit(quint64 txid);
    void onRetransmitTimer(quint64 txid);
    void finish(quint64 txid, Result<Message> result);
    void startQueued();
    void onMessage(const base::Endpoint &from, const QByteArray &bytes);
    void sample(const base::Endpoint &endpoint, base::Duration rtt);

    net::MessageTransport &m_transport;
    base::Scheduler &m_scheduler;
    base::Rng &m_rng;
    identity::NodeId m_self;
    Config m_config;
    QHash<quint64, Pending> m_pending;
    std::deque<quint64> m_queue;
    int m_inFlight = 0;
    QHash<base::Endpoint, RttEstimator> m_estimates;
    RttEstimator m_overall;
    RequestHandler m_onRequest;
    ContactHandler m_onContact;
    ContactHandler m_onFailure;
    SenderCheck m_senderCheck;
    quint64 m_requestsSent = 0;
    quint64 m_bytesSent = 0;
    quint64 m_bytesReceived = 0;
    quint64 m_timeouts = 0;
};

} // namespace cairn::dht
