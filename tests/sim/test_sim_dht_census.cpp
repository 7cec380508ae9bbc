// The census: how many storage nodes a node reaches and how much they can
// still take, and the availability estimate its rounds feed.
#include "core/crypto/keys.h"
#include "tests/sim/dht/dhtcluster.h"
#include "tests/sim/lib/seed.h"

#include <QTest>

using namespace cairn;
using namespace cairn::sim;
using namespace std::chrono_literals;

namespace {

constexpr int kNodes = 20;
constexpr qint64 kQuota = 1 << 20;

/// Even nodes donate storage, odd ones only route: ten of each.
DhtClusterConfig halfStoring(quint64 seed)
{
    DhtClusterConfig config;
    config.nodes = kNodes;
    config.seed = seed;
    config.limits.totalQuota = kQuota;
    for (int i = 1; i < kNodes; i += 2)
        config.withoutStorage.insert(i);
    return config;
}

} // namespace

class TestSimDhtCensus : public QObject {
    Q_OBJECT
private:
    quint64 m_seed = 0;

    static std::optional<dht::Census> census(DhtCluster &cluster, int node)
    {
        std::optional<dht::Census> result;
        cluster.node(node)->census([&](const dht::Census &c) { result = c; });
        cluster.runUntil([&] { return result.has_value(); }, 2min);
        return result;
    }

    static std::optional<qint64> pingFree(DhtCluster &cluster, int from, int to)
    {
        dht::Message ping;
        ping.op = dht::Op::Ping;
        std::optional<qint64> free;
        cluster.node(from)->rpc().call(dht::Contact {cluster.idOf(to), cluster.endpointOf(to)}, ping,
            [&](dht::Result<dht::Message> r) { free = r.ok() && r->kind == dht::Kind::Response ? r->free : -2; });
        cluster.runUntil([&] { return free.has_value(); }, 30s);
        return free;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_seed = seedFromEnv(404);
        qInfo().noquote() << replayHint(m_seed);
    }

    void cleanup()
    {
        if (QTest::currentTestFailed())
            qInfo().noquote() << "FAILED with" << replayHint(m_seed);
    }

    void aPingAnswerCarriesFreeSpaceOnlyFromAStoringNode()
    {
        DhtCluster cluster(halfStoring(m_seed));
        QCOMPARE(cluster.bootstrapAll(), kNodes);
        QCOMPARE(pingFree(cluster, 1, 2), std::optional<qint64>(kQuota));
        QCOMPARE(pingFree(cluster, 1, 3), std::optional<qint64>(-1));
        // What a node stores comes off what it says is free.
        const qint64 now = cluster.world().unixTime();
        QVERIFY(cluster.storeOf(2)->putBlob(crypto::blake2b("x", 32), "x", QByteArray(20, 's'), now + 60, now).ok());
        const qint64 charged = 1 + cluster.storeOf(2)->limits().itemOverheadBytes;
        QCOMPARE(pingFree(cluster, 1, 2), std::optional<qint64>(kQuota - charged));
    }

    void aCensusCountsTheStorageNodesAndTheirFreeSpace()
    {
        DhtCluster cluster(halfStoring(m_seed + 1));
        QCOMPARE(cluster.bootstrapAll(), kNodes);
        for (int node : {0, 1})
            QCOMPARE(cluster.node(node)->routingTable().size(), kNodes - 1);

        // A routing-only node: ten storage nodes, none of them itself.
        auto fromRouter = census(cluster, 1);
        QVERIFY(fromRouter);
        QCOMPARE(fromRouter->asked, kNodes - 1);
        QCOMPARE(fromRouter->answered, kNodes - 1);
        QCOMPARE(fromRouter->storageNodes, 10);
        QCOMPARE(fromRouter->freeBytes, 10 * kQuota);
        QCOMPARE(fromRouter->availabilitySamples, 10);
        // A storage node: nine others, and its own free space.
        auto fromStorage = census(cluster, 0);
        QVERIFY(fromStorage);
        QCOMPARE(fromStorage->asked, kNodes - 1);
        QCOMPARE(fromStorage->storageNodes, 9);
        QCOMPARE(fromStorage->freeBytes, 10 * kQuota);
        QCOMPARE(fromStorage->availabilitySamples, 9);

        // What three nodes store comes off the free space counted.
        const qint64 now = cluster.world().unixTime();
        const QByteArray value = cluster.world().rng().bytes(4000);
        for (int node : {0, 4, 8})
            QVERIFY(cluster.storeOf(node)
                        ->putBlob(crypto::blake2b(value, 32), value, QByteArray(20, 's'), now + 600, now)
                        .ok());
        const qint64 charge = value.size() + cluster.storeOf(0)->limits().itemOverheadBytes;
        for (int node : {0, 1}) {
            auto after = census(cluster, node);
            QVERIFY(after);
            QCOMPARE(after->freeBytes, 10 * kQuota - 3 * charge);
        }
    }

    void concurrentCensusCallsShareOneRound()
    {
        DhtCluster cluster(halfStoring(m_seed + 2));
        QCOMPARE(cluster.bootstrapAll(), kNodes);
        const quint64 sentBefore = cluster.node(1)->rpc().requestsSent();
        QList<dht::Census> results;
        for (int i = 0; i < 3; ++i)
            cluster.node(1)->census([&](const dht::Census &c) { results.append(c); });
        QVERIFY(cluster.runUntil([&] { return results.size() == 3; }, 2min));
        for (const dht::Census &c : std::as_const(results)) {
            QCOMPARE(c.asked, results[0].asked);
            QCOMPARE(c.storageNodes, 10);
            QCOMPARE(c.availabilitySamples, 10); // one round: one sample per storage node
        }
        QCOMPARE(cluster.node(1)->availability().samples, 10);
        // One ping per contact (other traffic may add a few requests).
        const quint64 sent = cluster.node(1)->rpc().requestsSent() - sentBefore;
        QVERIFY2(sent >= quint64(results[0].asked) && sent < quint64(2 * results[0].asked),
            qPrintable(QStringLiteral("%1 requests for %2 contacts").arg(sent).arg(results[0].asked)));
        // After the round, a new call starts a new round.
        auto next = census(cluster, 1);
        QVERIFY(next);
        QCOMPARE(next->availabilitySamples, 20);
    }

    void crashedStorageNodesPullAvailabilityDownAndCountOncePerRound()
    {
        DhtCluster cluster(halfStoring(m_seed + 3));
        QCOMPARE(cluster.bootstrapAll(), kNodes);
        const int observer = 1; // routes only
        QCOMPARE(cluster.node(observer)->availability().p, 0.9);
        QCOMPARE(cluster.node(observer)->availability().samples, 0);
        for (int round = 0; round < 3; ++round) {
            QVERIFY(census(cluster, observer));
            cluster.world().runFor(1min);
        }
        const dht::AvailabilityEstimate healthy = cluster.node(observer)->availability();
        QCOMPARE(healthy.samples, 30);
        QVERIFY2(healthy.p > 0.95, qPrintable(QString::number(healthy.p)));

        // A third of the storage nodes crash.
        const QList<int> crashed {2, 6, 12};
        for (int i : crashed)
            cluster.crash(i);
        double previous = healthy.p;
        int samples = healthy.samples;
        for (int round = 0; round < 4; ++round) {
            // Lookups and reads between rounds ask the dead nodes again and
            // again; they do not add samples.
            int pending = 0;
            for (int i = 0; i < 20; ++i) {
                ++pending;
                cluster.node(observer)->getBlob(
                    crypto::blake2b(QByteArray::number(round * 100 + i), 32),
                    [&](dht::Result<QByteArray>) { --pending; }, {}, 8);
            }
            QVERIFY(cluster.runUntil([&] { return pending == 0; }, 2min));
            QCOMPARE(cluster.node(observer)->availability().samples, samples);

            const auto c = census(cluster, observer);
            QVERIFY(c);
            QCOMPARE(c->storageNodes, 7);
            QCOMPARE(c->answered, c->asked - 3);
            QCOMPARE(c->availabilitySamples, samples + 10);
            QVERIFY2(c->availability < previous,
                qPrintable(QStringLiteral("round %1: %2 after %3").arg(round).arg(c->availability).arg(previous)));
            previous = c->availability;
            samples = c->availabilitySamples;
            cluster.world().runFor(1min);
        }
        QVERIFY(previous < healthy.p);
    }

    void aCrashedStorageNodeLeftTheTableStillCountsAsDownForADay()
    {
        DhtCluster cluster(halfStoring(m_seed + 4));
        QCOMPARE(cluster.bootstrapAll(), kNodes);
        const int observer = 1, victim = 4;
        const identity::NodeId victimId = cluster.idOf(victim);
        QVERIFY(census(cluster, observer));
        QVERIFY(cluster.node(observer)->censusTaker().remembers(victimId));
        cluster.crash(victim);
        const base::Instant crashedAt = cluster.world().now();

        // Rounds (and the failed pings in them) push it out of the table.
        for (int round = 0; round < 5 && cluster.node(observer)->routingTable().contains(victimId); ++round) {
            QVERIFY(census(cluster, observer));
            cluster.world().runFor(1min);
        }
        QVERIFY(!cluster.node(observer)->routingTable().contains(victimId));

        // Still asked, still a sample, still down.
        auto c = census(cluster, observer);
        QVERIFY(c);
        const int table = cluster.node(observer)->routingTable().size();
        QCOMPARE(c->asked, table + 1);
        QCOMPARE(c->answered, table);
        QCOMPARE(c->storageNodes, 9);
        const int before = cluster.node(observer)->availability().samples;
        auto next = census(cluster, observer);
        QVERIFY(next);
        QCOMPARE(next->availabilitySamples, before + 10);

        // Twenty-three hours after it last answered: still remembered.
        cluster.world().runFor(crashedAt + 23h - cluster.world().now());
        c = census(cluster, observer);
        QVERIFY(c);
        QCOMPARE(c->asked, cluster.node(observer)->routingTable().size() + 1);
        QCOMPARE(c->availabilitySamples, next->availabilitySamples + 10);
        // A day after: forgotten, no longer asked nor sampled.
        cluster.world().runFor(2h);
        const int samplesBefore = c->availabilitySamples;
        c = census(cluster, observer);
        QVERIFY(c);
        QVERIFY(!cluster.node(observer)->censusTaker().remembers(victimId));
        QCOMPARE(c->asked, cluster.node(observer)->routingTable().size());
        QCOMPARE(c->answered, c->asked);
        QCOMPARE(c->availabilitySamples, samplesBefore + 9);
    }
};

QTEST_GUILESS_MAIN(TestSimDhtCensus)
#include "test_sim_dht_census.moc"
