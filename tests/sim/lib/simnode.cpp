#include "tests/sim/lib/simnode.h"

namespace cairn::sim {

SimNode::SimNode(World &world, NodeId id, const base::Endpoint &endpoint, quint64 rngSeed, const NodeOptions &options)
    : m_id(id), m_scheduler(world, id), m_transport(world, id, endpoint), m_rng(rngSeed), m_options(options)
{ }

} // namespace cairn::sim
