#pragma once

#include "core/base/rng.h"
#include "tests/sim/lib/linkmodel.h"
#include "tests/sim/lib/simscheduler.h"
#include "tests/sim/lib/simtransport.h"

#include <functional>
#include <unordered_map>

namespace cairn::sim {

/// Per-node settings given to World::addNode.
struct NodeOptions {
    quint16 port = 4100;
    /// Behind a NAT-like filter: only datagrams from endpoints this node has
    /// sent to get in (checked on arrival, so simultaneous sends punch through).
    bool behindNat = false;
    /// How long an outbound mapping stays open; 0 means forever.
    base::Duration natMappingLifetime {0};
    /// Uplink rate in bytes per second; datagrams queue behind each other.
    /// 0 means unlimited.
    qint64 uplinkBytesPerSecond = 0;
};

/// One simulated host: its scheduler, transport and random generator, and
/// the World's bookkeeping about it (up or down, NAT mappings, uplink
/// queue, pending timers). Protocol code gets scheduler(), transport() and
/// rng() and never sees the World. Created and owned by the World.
class SimNode {
public:
    using Hook = std::function<void(SimNode &node)>;

    SimNode(const SimNode &) = delete;
    SimNode &operator=(const SimNode &) = delete;

    NodeId id() const { return m_id; }
    const base::Endpoint &endpoint() const { return m_transport.endpoint(); }
    SimScheduler &scheduler() { return m_scheduler; }
    SimTransport &transport() { return m_transport; }
    /// The node's own generator, seeded from the World's, so a protocol's
    /// draws do not shift when the network's draws change.
    base::SeededRng &rng() { return m_rng; }

    bool isUp() const { return m_up; }
    bool isBehindNat() const { return m_options.behindNat; }
    const NodeOptions &options() const { return m_options; }
    /// How many times the node has been restarted.
    quint32 restarts() const { return m_restarts; }
    qsizetype pendingTimers() const { return m_timerCount; }

private:
    friend class World;
    SimNode(World &world, NodeId id, const base::Endpoint &endpoint, quint64 rngSeed, const NodeOptions &options);

    NodeId m_id;
    SimScheduler m_scheduler;
    SimTransport m_transport;
    base::SeededRng m_rng;
    NodeOptions m_options;
    bool m_up = true;
    /// Bumped on every crash; events stamped with an older epoch are dead.
    quint32 m_epoch = 0;
    quint32 m_restarts = 0;
    /// Head of the intrusive list of this node's pending timer slots (~0: none).
    quint32 m_timerHead = ~quint32(0);
    qsizetype m_timerCount = 0;
    qint64 m_uplinkFreeAt = 0;
    /// Peer node -> time of the last datagram this node sent it (NAT mapping).
    std::unordered_map<NodeId, qint64> m_natMappings;
    Hook m_onCrash;
    Hook m_onRestart;
};

} // namespace cairn::sim
