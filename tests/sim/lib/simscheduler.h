#pragma once

#include "core/base/scheduler.h"
#include "tests/sim/lib/linkmodel.h"

namespace cairn::sim {

class World;

/// One node's view of the World's virtual clock. Its timers belong to the
/// node: when the node crashes they are dropped and never fire. A timer
/// armed while the node is down is dropped at once (callAt returns 0).
class SimScheduler final : public base::Scheduler {
public:
    SimScheduler(World &world, NodeId node) : m_world(world), m_node(node) { }

    base::Instant now() const override;
    qint64 unixTime() const override;
    base::TimerId callAt(base::Instant when, std::function<void()> fn) override;
    bool cancel(base::TimerId id) override;

    NodeId node() const { return m_node; }

private:
    World &m_world;
    NodeId m_node;
};

} // namespace cairn::sim
