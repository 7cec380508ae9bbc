#pragma once

#include "core/base/endpoint.h"
#include "core/base/rng.h"
#include "core/base/scheduler.h"
#include "tests/sim/lib/eventqueue.h"
#include "tests/sim/lib/linkmodel.h"
#include "tests/sim/lib/simnode.h"
#include "tests/sim/lib/simscheduler.h"

#include <QByteArray>
#include <QList>

#include <functional>
#include <memory>
#include <vector>

namespace cairn::sim {

/// Counters of what happened to datagrams and timers during a run.
struct WorldStats {
    quint64 datagramsSent = 0; ///< accepted by a transport's send()
    quint64 datagramsRefused = 0; ///< send() returned false
    quint64 datagramsDelivered = 0; ///< handed to a receive handler
    quint64 lostRandom = 0; ///< the link model's loss draw
    quint64 lostPartition = 0; ///< sender and receiver partitioned (at send or on arrival)
    quint64 lostNat = 0; ///< unsolicited, filtered by the receiver's NAT
    quint64 lostDown = 0; ///< receiver down, or crashed while it was in flight
    quint64 lostNoRoute = 0; ///< no node has the destination address
    quint64 timersFired = 0;
    quint64 timersCancelled = 0; ///< by cancel()
    quint64 timersDropped = 0; ///< by a crash of their node
};

/// One delivered datagram or fired timer, for a trace handler.
struct TraceRecord {
    enum class Kind : quint8 { Delivery = 1, Timer = 2 };
    Kind kind;
    base::Instant time;
    NodeId from; ///< the sender; for a timer, its node (kNoNode: a world timer)
    NodeId to; ///< the receiver; for a timer, its node
    qsizetype size;
    quint64 payloadHash; ///< 64-bit hash of the datagram; 0 for a timer
};

/// A deterministic discrete-event network: one virtual clock, one event
/// queue ordered by (time, sequence), nodes with their own schedulers and
/// transports, a link model, partitions, crash/restart and NAT filtering.
/// Every random draw comes from one SeededRng seeded with `seed`, and the
/// queue never compares anything but (time, sequence), so the same seed and
/// the same test code give the same run, bit for bit. Nothing is global:
/// any number of Worlds can live in one process. Not thread-safe.
class World {
public:
    /// Virtual Unix time at virtual instant 0 (2027-01-15), fixed so that
    /// certificate validity and TTLs replay too.
    static constexpr qint64 kDefaultUnixStart = 1'800'000'000;

    explicit World(quint64 seed);
    ~World();
    World(const World &) = delete;
    World &operator=(const World &) = delete;

    quint64 seed() const { return m_seed; }
    base::Instant now() const { return base::Instant(m_now); }
    qint64 unixTime() const { return m_unixStart + m_now / 1'000'000; }
    void setUnixStart(qint64 seconds) { m_unixStart = seconds; }

    // --- nodes ---------------------------------------------------------
    /// Adds a node with address 10.x.y.z:port (x.y.z = id + 1). Returns
    /// kNoNode once the 10/8 space (16.7 million nodes) is used up.
    NodeId addNode(const NodeOptions &options = {});
    SimNode &node(NodeId id) { return *m_nodes[id]; }
    const SimNode &node(NodeId id) const { return *m_nodes[id]; }
    qsizetype nodeCount() const { return qsizetype(m_nodes.size()); }
    /// The node at an endpoint, or kNoNode.
    NodeId nodeAt(const base::Endpoint &endpoint) const;

    /// The node stops: it receives nothing, its timers are dropped, datagrams
    /// in flight to it are lost, its receive handler is cleared. The crash
    /// hook runs first (to tear down protocol state). No-op if already down.
    void crash(NodeId id);
    /// The node comes back at the same address with no timers and no
    /// handler; the restart hook then rebuilds its protocol state.
    void restart(NodeId id);
    bool isUp(NodeId id) const { return m_nodes[id]->m_up; }
    void setCrashHook(NodeId id, SimNode::Hook hook) { m_nodes[id]->m_onCrash = std::move(hook); }
    void setRestartHook(NodeId id, SimNode::Hook hook) { m_nodes[id]->m_onRestart = std::move(hook); }

    void setBehindNat(NodeId id, bool behindNat, base::Duration mappingLifetime = base::Duration(0));
    void setUplink(NodeId id, qint64 bytesPerSecond) { m_nodes[id]->m_options.uplinkBytesPerSecond = bytesPerSecond; }

    // --- network -------------------------------------------------------
    LinkModel &links() { return m_links; }
    const LinkModel &links() const { return m_links; }
    /// Shorthands for links().partition() / heal().
    void partition(const QList<QList<NodeId>> &groups) { m_links.partition(groups); }
    void heal() { m_links.heal(); }

    // --- time ----------------------------------------------------------
    /// A scheduler owned by no node, for the test's own script (crash at
    /// t=10 s, heal at t=20 s); its timers survive every crash.
    base::Scheduler &scheduler() { return m_worldScheduler; }
    base::TimerId callAt(base::Instant when, std::function<void()> fn)
    {
        return scheduleTimer(kNoNode, when, std::move(fn));
    }
    base::TimerId callAfter(base::Duration delay, std::function<void()> fn)
    {
        return scheduleTimer(kNoNode, now() + delay, std::move(fn));
    }
    bool cancel(base::TimerId id) { return cancelTimer(kNoNode, id); }

    /// Runs the next event. Returns false if the queue is empty.
    bool step();
    /// Runs until the queue is empty (never returns while a periodic timer
    /// keeps re-arming: use runUntil/runFor then). Returns events run.
    quint64 run();
    /// Runs every event due at or before `until`, then sets the clock to it.
    quint64 runUntil(base::Instant until);
    quint64 runFor(base::Duration duration) { return runUntil(now() + duration); }

    quint64 eventsProcessed() const { return m_eventsProcessed; }
    /// Events in the queue, counting cancelled ones not yet skipped.
    qsizetype queuedEvents() const { return qsizetype(m_queue.size()); }

    // --- observation ---------------------------------------------------
    /// Running 64-bit hash over every delivered datagram (time, sender,
    /// receiver, size, content hash) and every fired timer (time, node):
    /// two runs are identical iff (in practice) their hashes are.
    quint64 traceHash() const { return m_traceHash; }
    void setTraceHandler(std::function<void(const TraceRecord &)> handler) { m_traceHandler = std::move(handler); }
    const WorldStats &stats() const { return m_stats; }
    /// The World's generator (link draws, node seeds). Tests may draw from
    /// it too; that is part of the replayed run.
    base::SeededRng &rng() { return m_rng; }

    /// A 64-bit hash of bytes (the same one the trace uses).
    static quint64 hashBytes(const QByteArray &bytes);

private:
    friend class SimScheduler;
    friend class SimTransport;

    static constexpr quint32 kNilSlot = ~quint32(0);
    enum class EventKind : quint8 { Free, Timer, Delivery };

    /// Payload of a queued event. Pooled and reused so that a datagram in
    /// flight costs no allocation beyond its (shared) QByteArray.
    struct Slot {
        std::function<void()> fn; // timers only
        QByteArray datagram; // deliveries only
        quint32 generation = 1; // bumped on free: stale heap entries and TimerIds miss
        quint32 prev = kNilSlot; // node's timer list
        quint32 next = kNilSlot;
        NodeId target = kNoNode; // receiver, or timer owner
        NodeId from = kNoNode;
        quint32 epoch = 0; // target's epoch when queued
        EventKind kind = EventKind::Free;
    };
    using QueueEntry = EventQueue::Entry;

    base::TimerId scheduleTimer(NodeId owner, base::Instant when, std::function<void()> fn);
    bool cancelTimer(NodeId owner, base::TimerId id);
    bool sendDatagram(NodeId from, const base::Endpoint &to, const QByteArray &datagram);

    quint32 allocSlot();
    void freeSlot(quint32 index);
    void enqueue(qint64 time, quint32 slot);
    void linkTimer(SimNode &node, quint32 slot);
    void unlinkTimer(SimNode &node, quint32 slot);
    /// Pops cancelled entries; returns the next live one or nullptr.
    const QueueEntry *nextLive();
    /// Removes the top entry (which nextLive() found live) and returns it.
    QueueEntry takeNext();
    void dispatch(const QueueEntry &entry);
    void fireTimer(quint32 slot);
    void deliverDatagram(quint32 slot);
    bool natAllows(const SimNode &receiver, NodeId from) const;
    void trace(TraceRecord::Kind kind, NodeId from, NodeId to, const QByteArray *datagram);

    quint64 m_seed;
    base::SeededRng m_rng;
    LinkModel m_links;
    qint64 m_now = 0;
    qint64 m_unixStart = kDefaultUnixStart;
    quint64 m_sequence = 0;
    quint64 m_eventsProcessed = 0;
    quint64 m_traceHash;
    bool m_running = false;
    /// The node whose receive handler is running: a crash of that node from
    /// inside its own handler must not destroy the handler mid-call.
    NodeId m_dispatchNode = kNoNode;
    bool m_clearHandlerAfterDispatch = false;
    WorldStats m_stats;
    std::function<void(const TraceRecord &)> m_traceHandler;
    SimScheduler m_worldScheduler;
    std::vector<std::unique_ptr<SimNode>> m_nodes;
    // Declared after m_nodes so queued callbacks die before the nodes they
    // may point at.
    std::vector<Slot> m_slots;
    std::vector<quint32> m_freeSlots;
    EventQueue m_queue;
};

} // namespace cairn::sim
