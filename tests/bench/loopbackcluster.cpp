#include "tests/bench/loopbackcluster.h"

#include "core/net/fragmentingtransport.h"
#ifdef CAIRN_BENCH_SECURE
#include "core/net/securetransport.h"
#endif

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QTimer>

namespace cairn::bench {

QString describe(MessageLayer layer)
{
    return layer == MessageLayer::Secure ? QStringLiteral("secure (net::SecureTransport, Noise XX + certificates)")
                                         : QStringLiteral("plain (net::FragmentingTransport, no encryption)");
}

bool secureLayerBuilt()
{
#ifdef CAIRN_BENCH_SECURE
    return true;
#else
    return false;
#endif
}

bool waitFor(const std::function<bool()> &done, std::chrono::milliseconds limit)
{
    if (done())
        return true;
    const QDeadlineTimer deadline(limit, Qt::PreciseTimer);
    // Wakes the blocking wait below at the deadline if nothing else does
    // (re-armed: a timer may fire a little before the deadline).
    QTimer wake;
    wake.setSingleShot(true);
    wake.setTimerType(Qt::PreciseTimer);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        if (!wake.isActive())
            wake.start(std::max<qint64>(deadline.remainingTime(), 1));
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

LoopbackCluster::LoopbackCluster(MessageLayer layer, const dht::DhtConfig &config, const QString &storeDir)
    : m_layer(layer),
      m_config(config),
      m_storeDir(storeDir),
      m_ca(crypto::DeviceKey::generate(m_rng)),
      m_groupId(m_rng.bytes(32))
{ }

LoopbackCluster::~LoopbackCluster()
{
    for (int i = 0; i < size(); ++i)
        crash(i);
}

QString LoopbackCluster::start(int count)
{
    for (int i = 0; i < count; ++i) {
        const QString error = addNode();
        if (!error.isEmpty())
            return error;
    }
    return {};
}

QString LoopbackCluster::addNode()
{
    const int index = size();
    auto node = std::make_unique<Node>(crypto::DeviceKey::generate(m_rng));
    if (m_layer == MessageLayer::Secure) {
        identity::CertificateFields f;
        f.groupId = m_groupId;
        f.groupName = QStringLiteral("Bench");
        f.username = QStringLiteral("node%1").arg(index);
        f.deviceKey = node->device.publicKey();
        f.roles = identity::Role::Member | identity::Role::Storage;
        f.notBefore = m_scheduler.unixTime() - 3600;
        f.notAfter = m_scheduler.unixTime() + 86400;
        f.serial = quint64(index) + 1;
        auto certificate = identity::Certificate::issue(m_ca, f);
        if (!certificate.ok())
            return QStringLiteral("certificate for node %1: %2").arg(index).arg(certificate.message());
        node->certificate = certificate.value();
    }
    auto opened = store::BlobStore::open(
        QDir(m_storeDir).filePath(QStringLiteral("node-%1.sqlite").arg(index)), store::StoreLimits {});
    if (!opened.ok())
        return QStringLiteral("store of node %1: %2").arg(index).arg(opened.message());
    node->store = std::move(opened).value();
    node->udp = std::make_unique<base::UdpTransport>();
    if (auto bound = node->udp->bind(base::Endpoint {QHostAddress::LocalHost, 0}); !bound.ok())
        return bound.message();
    node->messages = makeMessageLayer(*node);
    if (!node->messages)
        return QStringLiteral("the %1 message layer is not in this build").arg(describe(m_layer));
    node->dht = std::make_unique<dht::DhtNode>(identity::NodeId::fromDeviceKey(node->device.publicKey()),
        *node->messages, m_scheduler, m_rng, node->store.get(), m_config);
#ifdef CAIRN_BENCH_SECURE
    if (m_layer == MessageLayer::Secure) {
        // As a node runs over sessions: a peer speaks only for the NodeId
        // its certificate binds.
        auto *secure = static_cast<net::SecureTransport *>(node->messages.get());
        node->dht->rpc().setSenderCheck([secure](const base::Endpoint &from, const identity::NodeId &sender) {
            const std::optional<net::PeerInfo> peer = secure->peer(from);
            return peer && peer->nodeId == sender;
        });
    }
#endif
    m_nodes.push_back(std::move(node));
    return {};
}

std::unique_ptr<net::MessageTransport> LoopbackCluster::makeMessageLayer(Node &node)
{
    switch (m_layer) {
    case MessageLayer::Plain:
        return std::make_unique<net::FragmentingTransport>(*node.udp, m_scheduler, m_rng);
    case MessageLayer::Secure:
#ifdef CAIRN_BENCH_SECURE
    {
        // Every node shares 127.0.0.1, so the per-source handshake limit
        // would treat the whole cluster as one flooding peer.
        net::SessionConfig config;
        config.handshakesPerSecondPerSource = 1e6;
        config.handshakeBurstPerSource = 1e6;
        return std::make_unique<net::SecureTransport>(*node.udp, m_scheduler, m_rng,
            net::SessionIdentity {node.device.clone(), node.certificate, m_ca.publicKey(), m_groupId}, config);
    }
#else
        return nullptr;
#endif
    }
    return nullptr;
}

int LoopbackCluster::bootstrapAll(std::chrono::milliseconds perNode)
{
    if (size() == 0)
        return 0;
    const QList<base::Endpoint> seed {m_nodes[0]->udp->localEndpoint()};
    int succeeded = 1; // node 0 is the network
    for (int i = 1; i < size(); ++i) {
        auto finished = std::make_shared<int>(-1);
        node(i).bootstrap(seed, [finished](dht::Result<int> r) { *finished = r.ok() && r.value() > 0 ? 1 : 0; });
        waitFor([finished] { return *finished >= 0; }, perNode);
        succeeded += *finished > 0 ? 1 : 0;
    }
    return succeeded;
}

double LoopbackCluster::settle(std::chrono::milliseconds quiet, std::chrono::milliseconds limit)
{
    QElapsedTimer clock;
    clock.start();
    auto sizes = [this] {
        QList<int> out;
        for (int i : live())
            out.append(node(i).routingTable().size());
        return out;
    };
    QList<int> last = sizes();
    qint64 quietSince = 0;
    while (clock.elapsed() < limit.count()) {
        waitFor([] { return false; }, std::chrono::milliseconds(50));
        const QList<int> now = sizes();
        if (now != last) {
            last = now;
            quietSince = clock.elapsed();
        } else if (clock.elapsed() - quietSince >= quiet.count()) {
            break;
        }
    }
    return double(clock.elapsed()) / 1000.0;
}

QList<int> LoopbackCluster::live() const
{
    QList<int> out;
    for (int i = 0; i < size(); ++i) {
        if (isUp(i))
            out.append(i);
    }
    return out;
}

void LoopbackCluster::crash(int index)
{
    Node &n = *m_nodes[size_t(index)];
    n.dht.reset();
    n.messages.reset();
    n.udp.reset(); // closes the socket
    n.store.reset();
}

bool LoopbackCluster::liveCopyExists(const QByteArray &key) const
{
    for (int i : live()) {
        auto held = m_nodes[size_t(i)]->store->getBlob(key, m_scheduler.unixTime());
        if (held.ok() && held.value())
            return true;
    }
    return false;
}

double LoopbackCluster::meanTableSize() const
{
    const QList<int> up = live();
    if (up.isEmpty())
        return 0;
    double sum = 0;
    for (int i : up)
        sum += m_nodes[size_t(i)]->dht->routingTable().size();
    return sum / double(up.size());
}

quint64 LoopbackCluster::rpcTimeouts() const
{
    quint64 sum = 0;
    for (int i : live())
        sum += m_nodes[size_t(i)]->dht->rpc().timeouts();
    return sum;
}

quint64 LoopbackCluster::handshakes() const
{
    quint64 sum = 0;
#ifdef CAIRN_BENCH_SECURE
    if (m_layer == MessageLayer::Secure) {
        for (int i : live())
            sum += static_cast<const net::SecureTransport *>(m_nodes[size_t(i)]->messages.get())
                       ->stats()
                       .handshakesCompleted;
    }
#endif
    return sum;
}

} // namespace cairn::bench
