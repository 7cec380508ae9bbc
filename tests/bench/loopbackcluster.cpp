#include "tests/bench/loopbackcluster.h"

#include "core/net/fragmentingtransport.h"
#ifdef CAIRN_BENCH_SECURE
#include "core/net/securetransport.h"
#endif

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QTimer>

#include <type_traits>

namespace cairn::bench {

QString describe(MessageLayer layer)
{
    return layer == MessageLayer::Secure ? QStringLiteral("secure (net::SecureTransport, Noise XX + certificates)")
                                         : QStringLiteral("plain (net::FragmentingTransport, no encryption)");
}

QString describe(Threading threading)
{
    return threading == Threading::PerNode ? QStringLiteral("a thread per node (QThread with its own event loop)")
                                           : QStringLiteral("one thread (all nodes on the main event loop)");
}

namespace {

/// Runs `fn` in the thread `context` lives in and returns its result,
/// blocking the caller until then; at once when there is no context
/// (single-thread mode).
template <typename F> auto runIn(QObject *context, F fn) -> std::invoke_result_t<F>
{
    using R = std::invoke_result_t<F>;
    if (!context)
        return fn();
    if constexpr (std::is_void_v<R>) {
        QMetaObject::invokeMethod(context, fn, Qt::BlockingQueuedConnection);
    } else {
        R out {};
        QMetaObject::invokeMethod(
            context, [&out, &fn] { out = fn(); }, Qt::BlockingQueuedConnection);
        return out;
    }
}

} // namespace

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

LoopbackCluster::LoopbackCluster(MessageLayer layer, Threading threading, const dht::DhtConfig &config,
    const QString &storeDir, const store::StoreLimits &limits)
    : m_layer(layer),
      m_threading(threading),
      m_config(config),
      m_limits(limits),
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

int LoopbackCluster::threadCount() const
{
    if (m_threading == Threading::Single)
        return 1;
    return int(std::count_if(m_nodes.begin(), m_nodes.end(), [](const auto &n) { return n->thread != nullptr; }));
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
    if (m_threading == Threading::PerNode) {
        node->thread = std::make_unique<QThread>();
        node->thread->setObjectName(QStringLiteral("node-%1").arg(index));
        node->context = std::make_unique<QObject>();
        node->context->moveToThread(node->thread.get());
        node->thread->start();
    }
    Node &n = *node;
    m_nodes.push_back(std::move(node)); // so that crash() cleans up after a failure
    const QString error = runIn(n.context.get(), [this, &n, index] { return buildNode(n, index); });
    if (!error.isEmpty())
        return error;
    n.up = true;
    if (index == 0)
        m_seed = runIn(n.context.get(), [&n] { return n.udp->localEndpoint(); });
    return {};
}

QString LoopbackCluster::buildNode(Node &node, int index)
{
    if (m_threading == Threading::PerNode) {
        node.ownScheduler = std::make_unique<base::QtScheduler>();
        node.ownRng = std::make_unique<base::SodiumRng>();
        node.scheduler = node.ownScheduler.get();
        node.rng = node.ownRng.get();
    } else {
        node.scheduler = &m_scheduler;
        node.rng = &m_rng;
    }
    auto opened
        = store::BlobStore::open(QDir(m_storeDir).filePath(QStringLiteral("node-%1.sqlite").arg(index)), m_limits);
    if (!opened.ok())
        return QStringLiteral("store of node %1: %2").arg(index).arg(opened.message());
    node.store = std::move(opened).value();
    node.udp = std::make_unique<base::UdpTransport>();
    if (auto bound = node.udp->bind(base::Endpoint {QHostAddress::LocalHost, 0}); !bound.ok())
        return bound.message();
    node.messages = makeMessageLayer(node);
    if (!node.messages)
        return QStringLiteral("the %1 message layer is not in this build").arg(describe(m_layer));
    node.dht = std::make_unique<dht::DhtNode>(identity::NodeId::fromDeviceKey(node.device.publicKey()), *node.messages,
        *node.scheduler, *node.rng, node.store.get(), m_config);
#ifdef CAIRN_BENCH_SECURE
    if (m_layer == MessageLayer::Secure) {
        // As a node runs over sessions: a peer speaks only for the NodeId
        // its certificate binds.
        auto *secure = static_cast<net::SecureTransport *>(node.messages.get());
        node.dht->rpc().setSenderCheck([secure](const base::Endpoint &from, const identity::NodeId &sender) {
            const std::optional<net::PeerInfo> peer = secure->peer(from);
            return peer && peer->nodeId == sender;
        });
    }
#endif
    return {};
}

std::unique_ptr<net::MessageTransport> LoopbackCluster::makeMessageLayer(Node &node)
{
    switch (m_layer) {
    case MessageLayer::Plain:
        return std::make_unique<net::FragmentingTransport>(*node.udp, *node.scheduler, *node.rng);
    case MessageLayer::Secure:
#ifdef CAIRN_BENCH_SECURE
    {
        // Every node shares 127.0.0.1, so the per-source handshake limit
        // would treat the whole cluster as one flooding peer.
        net::SessionConfig config;
        config.handshakesPerSecondPerSource = 1e6;
        config.handshakeBurstPerSource = 1e6;
        return std::make_unique<net::SecureTransport>(*node.udp, *node.scheduler, *node.rng,
            net::SessionIdentity {node.device.clone(), node.certificate, m_ca.publicKey(), m_groupId}, config);
    }
#else
        return nullptr;
#endif
    }
    return nullptr;
}

void LoopbackCluster::post(int index, std::function<void(dht::DhtNode &)> work)
{
    Node *n = m_nodes[size_t(index)].get();
    if (!n->context) {
        work(*n->dht);
        return;
    }
    QMetaObject::invokeMethod(
        n->context.get(), [n, work = std::move(work)] { work(*n->dht); }, Qt::QueuedConnection);
}

void LoopbackCluster::toDriver(std::function<void()> fn) const
{
    if (m_threading == Threading::Single)
        fn();
    else
        QMetaObject::invokeMethod(QCoreApplication::instance(), std::move(fn), Qt::QueuedConnection);
}

int LoopbackCluster::bootstrapAll(std::chrono::milliseconds perNode)
{
    if (size() == 0)
        return 0;
    const QList<base::Endpoint> seed {m_seed};
    int succeeded = 1; // node 0 is the network
    for (int i = 1; i < size(); ++i) {
        auto finished = std::make_shared<int>(-1);
        post(i, [this, seed, finished](dht::DhtNode &node) {
            node.bootstrap(seed, [this, finished](dht::Result<int> r) {
                const int outcome = r.ok() && r.value() > 0 ? 1 : 0;
                toDriver([finished, outcome] { *finished = outcome; });
            });
        });
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
        for (int i : live()) {
            Node &n = *m_nodes[size_t(i)];
            out.append(runIn(n.context.get(), [&n] { return int(n.dht->routingTable().size()); }));
        }
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
    n.up = false;
    // In the node's own thread, as a killed process's objects would go.
    runIn(n.context.get(), [&n] {
        n.dht.reset();
        n.messages.reset();
        n.udp.reset(); // closes the socket
        n.store.reset();
        n.ownScheduler.reset();
        n.ownRng.reset();
        n.scheduler = nullptr;
        n.rng = nullptr;
    });
    if (n.thread) {
        n.thread->quit();
        n.thread->wait();
        n.context.reset(); // its thread has finished
        n.thread.reset();
    }
}

template <typename F> double LoopbackCluster::sumOverLive(F f) const
{
    double sum = 0;
    for (int i : live()) {
        const Node &n = *m_nodes[size_t(i)];
        sum += runIn(n.context.get(), [&n, &f] { return double(f(n)); });
    }
    return sum;
}

bool LoopbackCluster::liveCopyExists(const QByteArray &key) const
{
    return sumOverLive([&key](const Node &n) {
        auto held = n.store->getBlob(key, n.scheduler->unixTime());
        return held.ok() && held.value() ? 1 : 0;
    }) > 0;
}

double LoopbackCluster::meanTableSize() const
{
    const QList<int> up = live();
    if (up.isEmpty())
        return 0;
    return sumOverLive([](const Node &n) { return n.dht->routingTable().size(); }) / double(up.size());
}

quint64 LoopbackCluster::rpcTimeouts() const
{
    return quint64(sumOverLive([](const Node &n) { return n.dht->rpc().timeouts(); }));
}

quint64 LoopbackCluster::handshakes() const
{
#ifdef CAIRN_BENCH_SECURE
    if (m_layer == MessageLayer::Secure)
        return quint64(sumOverLive([](const Node &n) {
            return static_cast<const net::SecureTransport *>(n.messages.get())->stats().handshakesCompleted;
        }));
#endif
    return 0;
}

qsizetype LoopbackCluster::pendingTimers() const
{
    if (m_threading == Threading::Single)
        return m_scheduler.pendingCount();
    return qsizetype(sumOverLive([](const Node &n) { return n.scheduler->pendingCount(); }));
}

} // namespace cairn::bench
