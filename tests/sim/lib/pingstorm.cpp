#include "tests/sim/lib/pingstorm.h"

#include "tests/sim/lib/world.h"

#include <QElapsedTimer>
#include <QtEndian>

#include <algorithm>

namespace cairn::sim {

namespace {

constexpr char kPing = 'P';
constexpr char kPong = 'O';
constexpr qsizetype kHeader = 9; // type, origin node (4), ping index (4)

struct Counters {
    quint64 pingsSent = 0;
    quint64 pingsReceived = 0;
    quint64 pongsReceived = 0;
};

void sendPings(World &world, SimNode &node, quint32 count, qsizetype payloadBytes, Counters &counters)
{
    const quint32 others = quint32(world.nodeCount()) - 1;
    count = std::min(count, others);
    std::vector<NodeId> chosen;
    chosen.reserve(count);
    while (chosen.size() < count) {
        // Draw among the others: skip over our own id.
        NodeId peer = NodeId(node.rng().uniform(others));
        if (peer >= node.id())
            ++peer;
        if (std::find(chosen.begin(), chosen.end(), peer) == chosen.end())
            chosen.push_back(peer);
    }
    for (quint32 k = 0; k < count; ++k) {
        QByteArray ping(std::max(payloadBytes, kHeader), '\0');
        ping[0] = kPing;
        qToLittleEndian<quint32>(node.id(), ping.data() + 1);
        qToLittleEndian<quint32>(k, ping.data() + 5);
        if (node.transport().send(world.node(chosen[k]).endpoint(), ping))
            ++counters.pingsSent;
    }
}

} // namespace

PingStormResult PingStorm::run() const
{
    PingStormResult result;
    QElapsedTimer wall;
    wall.start();

    World world(m_config.seed);
    LinkParams link = world.links().defaults();
    link.loss = m_config.loss;
    world.links().setDefaults(link);

    Counters counters;
    const qint64 spread = std::max<qint64>(m_config.startSpread.count(), 1);
    for (quint32 i = 0; i < m_config.nodes; ++i) {
        const NodeId id = world.addNode();
        if (id == kNoNode)
            break;
        SimNode &node = world.node(id);
        SimTransport *transport = &node.transport();
        transport->setReceiveHandler([transport, id, &counters](const base::Endpoint &from, const QByteArray &d) {
            if (d.size() < kHeader)
                return;
            if (d[0] == kPing) {
                ++counters.pingsReceived;
                QByteArray pong = d;
                pong[0] = kPong;
                transport->send(from, pong);
            } else if (d[0] == kPong && qFromLittleEndian<quint32>(d.constData() + 1) == id) {
                ++counters.pongsReceived;
            }
        });
        const quint32 pings = m_config.pingsPerNode;
        const qsizetype payload = m_config.payloadBytes;
        node.scheduler().callAfter(base::Duration(qint64(node.rng().uniform(quint64(spread)))),
            [&world, &node, pings, payload, &counters] { sendPings(world, node, pings, payload, counters); });
    }
    result.setupNanoseconds = wall.nsecsElapsed();

    wall.restart();
    result.events = world.run();
    result.runNanoseconds = wall.nsecsElapsed();

    result.pingsSent = counters.pingsSent;
    result.pingsReceived = counters.pingsReceived;
    result.pongsReceived = counters.pongsReceived;
    result.traceHash = world.traceHash();
    result.virtualEnd = world.now();
    return result;
}

} // namespace cairn::sim
