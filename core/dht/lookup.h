#pragma once

#include "core/dht/rpc.h"

#include <QSet>

#include <functional>
#include <vector>

namespace cairn::dht {

/// What a finished lookup reports.
struct LookupStats {
    int queries = 0; // requests sent
    int responses = 0; // answered
    int timeouts = 0; // gave no answer in time
    int hops = 0; // rounds to the closest node found (1: it was in our table)
    base::Duration elapsed {0};
};

/// Kademlia's iterative lookup towards a target id, the base of every DHT
/// operation: keep up to `alpha` requests in flight to the closest
/// candidates not yet asked. A request past its peer's slow threshold stops
/// counting against alpha, so the lookup moves on to other nodes at once
/// instead of waiting on a dead one; reads, which end at the first valid
/// value, never wait for it. To declare the closest nodes found, though, a
/// slow candidate among them must answer or time out: a far but live node
/// is often the answer. The lookup ends when the `resultCount` closest
/// candidates that have not failed have all answered, or when a subclass
/// has what it wanted. Subclasses build the request and read the answers.
class Lookup {
public:
    struct Config {
        int alpha = 3;
        int resultCount = 20;
        int maxCandidates = 200;
        /// Only nodes that store (their answers carry `free`) count towards
        /// resultCount and are reported; the rest still route. Writes and
        /// reads use this, so copies land on, and are sought at, the nodes
        /// that keep them, however many routing-only members sit between.
        bool storageOnly = false;
    };

    Lookup(Rpc &rpc, const identity::NodeId &target, const QList<Contact> &seeds, const Config &config);
    virtual ~Lookup();
    Lookup(const Lookup &) = delete;
    Lookup &operator=(const Lookup &) = delete;

    void start();
    /// Stops without reporting; outstanding requests are cancelled.
    void abort();

    const identity::NodeId &target() const { return m_target; }
    bool isFinished() const { return m_finished; }
    /// The closest nodes that answered, nearest first, at most resultCount.
    QList<Contact> closestResponded() const;
    const LookupStats &stats() const { return m_stats; }

protected:
    virtual Message makeRequest() const = 0;
    /// An answer from `from`. Return true when the lookup has what it
    /// needs and should stop now.
    virtual bool onResponse(const Contact &from, const Message &response, int hops)
    {
        Q_UNUSED(from);
        Q_UNUSED(response);
        Q_UNUSED(hops);
        return false;
    }
    /// Runs once, when the lookup ends (not after abort()). The object may
    /// be destroyed from inside it.
    virtual void onFinished() = 0;

    Rpc &rpc() { return m_rpc; }

private:
    enum class State : quint8 { Fresh, Asked, Slow, Responded, Failed };
    struct Candidate {
        Contact contact;
        identity::NodeId distance;
        State state = State::Fresh;
        bool stores = false; // its answer carried `free`
        int depth = 0;
        quint64 txid = 0;
    };

    void add(const Contact &contact, int depth);
    Candidate *findCandidate(const identity::NodeId &id);
    void ask(Candidate &candidate);
    void onAnswer(const identity::NodeId &id, Result<Message> result);
    void onSlow(const identity::NodeId &id);
    void step();
    void finish();
    /// Whether an answered candidate is one the caller is after.
    bool counts(const Candidate &c) const { return !m_config.storageOnly || c.stores; }

    Rpc &m_rpc;
    identity::NodeId m_target;
    Config m_config;
    std::vector<Candidate> m_candidates; // nearest first
    QSet<identity::NodeId> m_seen;
    int m_active = 0;
    bool m_started = false;
    bool m_finished = false;
    bool m_stepping = false;
    base::Instant m_startedAt {0};
    LookupStats m_stats;
    /// Guards against use after the subclass destroyed us in a callback.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

/// Finds the nodes closest to a target (FIND_NODE).
class FindNodeLookup final : public Lookup {
public:
    using Done = std::function<void(const QList<Contact> &closest, const LookupStats &stats)>;
    FindNodeLookup(
        Rpc &rpc, const identity::NodeId &target, const QList<Contact> &seeds, const Config &config, Done done);

private:
    Message makeRequest() const override;
    void onFinished() override;
    Done m_done;
};

/// Walks towards `target` asking for `key` with a read request (GET_BLOB,
/// GET_RECORD or LIST); any node on the way that holds the key answers
/// with it. `accept` checks each answer that claims the value and returns
/// true to stop the lookup (a GET's first valid value) or false to go on
/// (a LIST collecting every replica's entries).
class ValueLookup final : public Lookup {
public:
    /// `hops`: rounds it took to reach `from` (1: it was in our table).
    using Accept = std::function<bool(const Contact &from, const Message &response, int hops)>;
    using Done = std::function<void(const QList<Contact> &closest, const LookupStats &stats)>;
    ValueLookup(Rpc &rpc, Message request, const QList<Contact> &seeds, const Config &config, Accept accept, Done done);

private:
    Message makeRequest() const override { return m_request; }
    bool onResponse(const Contact &from, const Message &response, int hops) override;
    void onFinished() override;
    Message m_request;
    Accept m_accept;
    Done m_done;
};

} // namespace cairn::dht
