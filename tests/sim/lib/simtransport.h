#pragma once

#include "core/base/transport.h"
#include "tests/sim/lib/linkmodel.h"

namespace cairn::sim {

class World;

/// One node's datagram socket in the World. Its address is virtual
/// (10.x.y.z) and never touches a real network: send() hands the datagram
/// to the World, which drops it or schedules its arrival through the link
/// model. send() returns false when the datagram is over kMaxDatagram, the
/// destination is not a valid endpoint, or this node is down.
class SimTransport final : public base::Transport {
public:
    SimTransport(World &world, NodeId node, base::Endpoint endpoint)
        : m_world(world), m_node(node), m_endpoint(std::move(endpoint))
    { }

    base::Endpoint localEndpoint() const override { return m_endpoint; }
    bool send(const base::Endpoint &to, const QByteArray &datagram) override;

    NodeId node() const { return m_node; }
    const base::Endpoint &endpoint() const { return m_endpoint; }

private:
    friend class World;
    void receive(const base::Endpoint &from, const QByteArray &datagram) { deliver(from, datagram); }

    World &m_world;
    NodeId m_node;
    base::Endpoint m_endpoint;
};

} // namespace cairn::sim
