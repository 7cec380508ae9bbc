// Same seed, same run, bit for bit: a busy scenario (pings with timeouts,
// loss, NAT, a partition, crashes and restarts) replays exactly.
#include "tests/sim/lib/seed.h"
#include "tests/sim/lib/world.h"

#include <QTest>
#include <QtEndian>

#include <memory>

using namespace cairn;
using namespace cairn::sim;
using namespace std::chrono_literals;

namespace {

// A toy protocol of the kind real parts will be: it sees only its node's
// scheduler, transport and rng. It pings a random peer now and then and
// gives up on a ping after a timeout, which it cancels when the pong comes.
class Pinger {
public:
    Pinger(SimNode &node, const QList<base::Endpoint> &peers, quint64 &pongs)
        : m_node(node), m_peers(peers), m_pongs(pongs)
    {
        m_node.transport().setReceiveHandler(
            [this](const base::Endpoint &from, const QByteArray &d) { onDatagram(from, d); });
        armNextPing();
    }
    ~Pinger()
    {
        m_node.scheduler().cancel(m_pingTimer);
        for (base::TimerId t : std::as_const(m_timeouts))
            m_node.scheduler().cancel(t);
    }
    Pinger(const Pinger &) = delete;
    Pinger &operator=(const Pinger &) = delete;

private:
    void armNextPing()
    {
        const base::Duration wait(200'000 + qint64(m_node.rng().uniform(1'000'000)));
        m_pingTimer = m_node.scheduler().callAfter(wait, [this] {
            ping();
            armNextPing();
        });
    }

    void ping()
    {
        const quint64 nonce = m_node.rng().next64();
        QByteArray d(9 + int(m_node.rng().uniform(64)), '\0');
        d[0] = 'P';
        qToLittleEndian<quint64>(nonce, d.data() + 1);
        const base::Endpoint &to = m_peers[qsizetype(m_node.rng().uniform(quint64(m_peers.size())))];
        m_node.transport().send(to, d);
        m_timeouts.insert(nonce, m_node.scheduler().callAfter(2s, [this, nonce] { m_timeouts.remove(nonce); }));
    }

    void onDatagram(const base::Endpoint &from, const QByteArray &d)
    {
        if (d.size() < 9)
            return;
        const quint64 nonce = qFromLittleEndian<quint64>(d.constData() + 1);
        if (d[0] == 'P') {
            QByteArray pong = d;
            pong[0] = 'O';
            m_node.transport().send(from, pong);
        } else if (d[0] == 'O') {
            const auto it = m_timeouts.find(nonce);
            if (it == m_timeouts.end())
                return; // late or unknown
            m_node.scheduler().cancel(it.value());
            m_timeouts.erase(it);
            ++m_pongs;
        }
    }

    SimNode &m_node;
    const QList<base::Endpoint> &m_peers;
    quint64 &m_pongs;
    base::TimerId m_pingTimer = 0;
    QHash<quint64, base::TimerId> m_timeouts;
};

struct Outcome {
    quint64 hash = 0;
    quint64 events = 0;
    quint64 pongs = 0;
    WorldStats stats;
};

Outcome runScenario(quint64 seed, int nodes = 500)
{
    World world(seed);
    LinkParams link = world.links().defaults();
    link.loss = 0.05;
    world.links().setDefaults(link);

    QList<base::Endpoint> peers;
    for (int i = 0; i < nodes; ++i) {
        NodeOptions opts;
        opts.behindNat = i % 5 == 4;
        opts.natMappingLifetime = 30s;
        opts.uplinkBytesPerSecond = i % 7 == 0 ? 50'000 : 0;
        peers << world.node(world.addNode(opts)).endpoint();
    }

    quint64 pongs = 0;
    std::vector<std::unique_ptr<Pinger>> protocol(static_cast<size_t>(nodes));
    for (NodeId id = 0; id < NodeId(nodes); ++id) {
        protocol[id] = std::make_unique<Pinger>(world.node(id), peers, pongs);
        world.setCrashHook(id, [&protocol](SimNode &n) { protocol[n.id()].reset(); });
        world.setRestartHook(id, [&](SimNode &n) { protocol[n.id()] = std::make_unique<Pinger>(n, peers, pongs); });
    }

    // The script: split the network, crash some nodes, heal, bring them back.
    QList<NodeId> left, right;
    for (NodeId id = 0; id < NodeId(nodes); ++id)
        (id < NodeId(nodes / 2) ? left : right) << id;
    QList<NodeId> victims;
    for (int i = 0; i < nodes / 20; ++i)
        victims << NodeId(world.rng().uniform(quint64(nodes)));
    world.callAt(base::Instant(10s), [&] { world.partition({left, right}); });
    world.callAt(base::Instant(15s), [&] {
        for (NodeId v : std::as_const(victims))
            world.crash(v);
    });
    world.callAt(base::Instant(20s), [&] { world.heal(); });
    world.callAt(base::Instant(25s), [&] {
        for (NodeId v : std::as_const(victims))
            world.restart(v);
    });
    world.runUntil(base::Instant(40s));

    Outcome out;
    out.hash = world.traceHash();
    out.events = world.eventsProcessed();
    out.pongs = pongs;
    out.stats = world.stats();
    protocol.clear(); // before the World: Pingers cancel their timers on destruction
    return out;
}

QString describe(const Outcome &o)
{
    return QStringLiteral("hash %1 events %2 delivered %3 pongs %4 lost(random %5 partition %6 nat %7 down %8) "
                          "timers fired %9 dropped %10")
        .arg(QString::number(o.hash, 16).rightJustified(16, QLatin1Char('0')))
        .arg(o.events)
        .arg(o.stats.datagramsDelivered)
        .arg(o.pongs)
        .arg(o.stats.lostRandom)
        .arg(o.stats.lostPartition)
        .arg(o.stats.lostNat)
        .arg(o.stats.lostDown)
        .arg(o.stats.timersFired)
        .arg(o.stats.timersDropped);
}

} // namespace

class TestSimDeterminism : public QObject {
    Q_OBJECT
private:
    quint64 m_seed = 0;

private Q_SLOTS:
    void initTestCase()
    {
        m_seed = seedFromEnv(0xC0FFEE);
        qInfo().noquote() << replayHint(m_seed);
    }

    void cleanup()
    {
        if (QTest::currentTestFailed())
            qInfo().noquote() << "FAILED with" << replayHint(m_seed);
    }

    void theSameSeedReplaysBitForBit()
    {
        const Outcome first = runScenario(m_seed);
        const Outcome second = runScenario(m_seed);
        qInfo().noquote() << "run 1:" << describe(first);
        qInfo().noquote() << "run 2:" << describe(second);
        QCOMPARE(second.hash, first.hash);
        QCOMPARE(second.events, first.events);
        QCOMPARE(second.pongs, first.pongs);
        QCOMPARE(second.stats.datagramsDelivered, first.stats.datagramsDelivered);
        // The scenario really exercised what it claims to.
        QVERIFY(first.pongs > 1000);
        QVERIFY(first.stats.lostRandom > 0);
        QVERIFY(first.stats.lostPartition > 0);
        QVERIFY(first.stats.lostNat > 0);
        QVERIFY(first.stats.lostDown > 0);
        QVERIFY(first.stats.timersDropped > 0);
        QVERIFY(first.stats.timersCancelled > 0);
    }

    void aDifferentSeedGivesADifferentRun()
    {
        const Outcome a = runScenario(m_seed, 100);
        const Outcome b = runScenario(m_seed + 1, 100);
        qInfo().noquote() << "seed" << m_seed << ":" << describe(a);
        qInfo().noquote() << "seed" << m_seed + 1 << ":" << describe(b);
        QVERIFY(a.hash != b.hash);
    }

    void theTraceHandlerSeesWhatTheHashCovers()
    {
        World world(m_seed);
        const NodeId a = world.addNode();
        const NodeId b = world.addNode();
        QList<TraceRecord> records;
        world.setTraceHandler([&](const TraceRecord &r) { records << r; });
        world.node(b).transport().setReceiveHandler([](const base::Endpoint &, const QByteArray &) {});
        world.node(a).scheduler().callAfter(
            1ms, [&] { world.node(a).transport().send(world.node(b).endpoint(), "abc"); });
        world.run();
        QCOMPARE(records.size(), 2);
        QCOMPARE(records[0].kind, TraceRecord::Kind::Timer);
        QCOMPARE(records[0].to, a);
        QCOMPARE(records[1].kind, TraceRecord::Kind::Delivery);
        QCOMPARE(records[1].from, a);
        QCOMPARE(records[1].to, b);
        QCOMPARE(records[1].size, qsizetype(3));
        QCOMPARE(records[1].payloadHash, World::hashBytes("abc"));
        QVERIFY(World::hashBytes("abc") != World::hashBytes("abd"));
    }

    void cairnSimSeedChoosesTheSeed()
    {
        const QByteArray saved = qgetenv("CAIRN_SIM_SEED");
        const bool wasSet = qEnvironmentVariableIsSet("CAIRN_SIM_SEED");
        qunsetenv("CAIRN_SIM_SEED");
        QCOMPARE(seedFromEnv(7), quint64(7));
        qputenv("CAIRN_SIM_SEED", "12345");
        QCOMPARE(seedFromEnv(7), quint64(12345));
        qputenv("CAIRN_SIM_SEED", "0xFF");
        QCOMPARE(seedFromEnv(7), quint64(255));
        qputenv("CAIRN_SIM_SEED", "18446744073709551615");
        QCOMPARE(seedFromEnv(7), ~quint64(0));
        qputenv("CAIRN_SIM_SEED", "not a seed");
        QCOMPARE(seedFromEnv(7), quint64(7));
        qputenv("CAIRN_SIM_SEED", "random");
        QVERIFY(seedFromEnv(7) != seedFromEnv(7));
        if (wasSet)
            qputenv("CAIRN_SIM_SEED", saved);
        else
            qunsetenv("CAIRN_SIM_SEED");
        QCOMPARE(replayHint(42), QStringLiteral("sim seed: 42 (replay with CAIRN_SIM_SEED=42)"));
    }
};

QTEST_GUILESS_MAIN(TestSimDeterminism)
#include "test_sim_determinism.moc"
