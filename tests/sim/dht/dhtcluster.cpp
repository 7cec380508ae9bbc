#include "tests/sim/dht/dhtcluster.h"

namespace cairn::sim {

DhtCluster::DhtCluster(const DhtClusterConfig &config) : m_config(config), m_world(config.seed)
{
    m_world.links().setDefaults(config.link);
    for (int i = 0; i < config.nodes; ++i)
        addMember();
}

DhtCluster::~DhtCluster()
{
    for (auto &m : m_nodes) {
        m->dht.reset();
        m->transport.reset();
    }
}

int DhtCluster::addMember(std::optional<identity::NodeId> id)
{
    auto member = std::make_unique<Member>();
    member->simId = m_world.addNode();
    SimNode &n = m_world.node(member->simId);
    member->id = id ? *id : *identity::NodeId::fromBytes(n.rng().bytes(identity::NodeId::kBytes));
    if (m_config.storage && !m_config.withoutStorage.contains(int(m_nodes.size()))) {
        auto opened = store::BlobStore::open(QStringLiteral(":memory:"), m_config.limits);
        Q_ASSERT_X(opened.ok(), "DhtCluster", qPrintable(opened.message()));
        member->store = std::move(opened).value();
    }
    Member *raw = member.get();
    m_world.setCrashHook(member->simId, [raw](SimNode &) {
        raw->dht.reset();
        raw->transport.reset();
    });
    m_world.setRestartHook(member->simId, [this, raw](SimNode &) { start(*raw); });
    start(*raw);
    m_nodes.push_back(std::move(member));
    return int(m_nodes.size()) - 1;
}

void DhtCluster::start(Member &member)
{
    SimNode &n = m_world.node(member.simId);
    member.transport = std::make_unique<net::FragmentingTransport>(n.transport(), n.scheduler(), n.rng());
    member.dht = std::make_unique<dht::DhtNode>(
        member.id, *member.transport, n.scheduler(), n.rng(), member.store.get(), m_config.dht);
}

base::Endpoint DhtCluster::endpointOf(int index) const
{
    return m_world.node(m_nodes[size_t(index)]->simId).endpoint();
}

bool DhtCluster::isUp(int index) const
{
    const Member &m = *m_nodes[size_t(index)];
    return !m.gone && m_world.isUp(m.simId);
}

QList<int> DhtCluster::liveNodes() const
{
    QList<int> out;
    for (int i = 0; i < size(); ++i) {
        if (isUp(i))
            out.append(i);
    }
    return out;
}

int DhtCluster::randomLive()
{
    // Draw until a live one comes up; scan only when nearly all are down.
    for (int attempt = 0; attempt < 64 && size() > 0; ++attempt) {
        const int i = int(m_world.rng().uniform(quint64(size())));
        if (isUp(i))
            return i;
    }
    const QList<int> live = liveNodes();
    return live.isEmpty() ? -1 : live[qsizetype(m_world.rng().uniform(quint64(live.size())))];
}

QList<int> DhtCluster::holdersOf(const QByteArray &key, store::KeyKind kind)
{
    QList<int> out;
    for (int i : liveNodes()) {
        store::BlobStore *s = storeOf(i);
        auto has = s ? s->hasKey(key, kind, m_world.unixTime()) : store::Result<bool>(false);
        if (has.ok() && has.value())
            out.append(i);
    }
    return out;
}

int DhtCluster::closestLive(const identity::NodeId &target, int except) const
{
    int best = -1;
    identity::NodeId bestDistance;
    for (int i = 0; i < size(); ++i) {
        if (!isUp(i) || i == except)
            continue;
        const identity::NodeId d = m_nodes[size_t(i)]->id.distance(target);
        if (best < 0 || d < bestDistance) {
            best = i;
            bestDistance = d;
        }
    }
    return best;
}

void DhtCluster::bootstrap(int index, std::function<void(bool)> done)
{
    // Node 0 (everyone's bootstrap, like a rendezvous) and two random live
    // nodes that joined before this one.
    QList<base::Endpoint> seeds;
    for (int attempt = 0; attempt < 16 && seeds.size() < 3; ++attempt) {
        const int other = attempt == 0 ? 0 : int(m_world.rng().uniform(quint64(qMax(index, 1))));
        if (other != index && isUp(other) && !seeds.contains(endpointOf(other)))
            seeds.append(endpointOf(other));
    }
    node(index)->bootstrap(seeds, [done](dht::Result<int> r) { done(r.ok() && r.value() > 0); });
}

int DhtCluster::bootstrapAll()
{
    int succeeded = 1; // node 0 is the network
    int finished = 1;
    for (int i = 1; i < size(); ++i) {
        // Staggered: a few joins per virtual second, as a network grows.
        m_world.callAfter(base::Duration(qint64(i) * 20'000), [this, i, &succeeded, &finished] {
            if (!isUp(i)) {
                ++finished;
                return;
            }
            bootstrap(i, [&succeeded, &finished](bool ok) {
                succeeded += ok ? 1 : 0;
                ++finished;
            });
        });
    }
    runUntil([&] { return finished == size(); }, base::Duration(qint64(size()) * 20'000 + 600'000'000));
    // Let the last joins' lookups and their refreshes settle.
    m_world.runFor(base::Duration(5'000'000));
    return succeeded;
}

int DhtCluster::join(std::optional<identity::NodeId> id)
{
    const int index = addMember(id);
    bootstrap(index, [](bool) {});
    return index;
}

void DhtCluster::crash(int index)
{
    m_world.crash(m_nodes[size_t(index)]->simId);
}

void DhtCluster::restart(int index)
{
    Member &m = *m_nodes[size_t(index)];
    if (m.gone)
        return;
    m_world.restart(m.simId);
    bootstrap(index, [](bool) {});
}

void DhtCluster::leave(int index)
{
    Member &m = *m_nodes[size_t(index)];
    m_world.crash(m.simId);
    m.gone = true;
    m.store.reset();
}

bool DhtCluster::runUntil(const std::function<bool()> &done, base::Duration limit)
{
    const base::Instant deadline = m_world.now() + limit;
    while (!done()) {
        if (m_world.now() > deadline || !m_world.step())
            return done();
    }
    return true;
}

} // namespace cairn::sim
