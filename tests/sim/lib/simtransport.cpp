#include "tests/sim/lib/simtransport.h"

#include "tests/sim/lib/world.h"

namespace cairn::sim {

bool SimTransport::send(const base::Endpoint &to, const QByteArray &datagram)
{
    return m_world.sendDatagram(m_node, to, datagram);
}

} // namespace cairn::sim
