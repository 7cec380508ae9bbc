// Churn with repair: for one virtual hour, 10% of the nodes leave for good
// every virtual minute (their stored data with them) and as many fresh,
// empty nodes join. Repair keeps every replica present; no blob is lost.
#include "core/crypto/keys.h"
#include "core/dht/placement.h"
#include "tests/sim/dht/dhtcluster.h"
#include "tests/sim/lib/seed.h"

#include <QTest>

using namespace cairn;
using namespace cairn::sim;
using namespace std::chrono_literals;

class TestSimDhtChurn : public QObject {
    Q_OBJECT
private:
    quint64 m_seed = 0;

private Q_SLOTS:
    void initTestCase()
    {
        m_seed = seedFromEnv(77);
        qInfo().noquote() << replayHint(m_seed);
    }

    void cleanup()
    {
        if (QTest::currentTestFailed())
            qInfo().noquote() << "FAILED with" << replayHint(m_seed);
    }

    void withRepairAnHourOfTenPercentChurnPerMinuteLosesNoBlob()
    {
        constexpr int kNodes = 200, kBlobs = 150;
        DhtClusterConfig config;
        config.nodes = kNodes;
        config.seed = m_seed;
        config.dht.replicas = 8;
        config.dht.repairInterval = 60s;
        config.dht.repairMinSpacing = 20s;
        config.dht.repairAfterChange = 10s;
        config.dht.refreshInterval = 5min;
        DhtCluster cluster(config);
        QCOMPARE(cluster.bootstrapAll(), kNodes);

        QHash<QByteArray, QByteArray> blobs;
        int pending = 0;
        for (int i = 0; i < kBlobs; ++i) {
            const QByteArray value = cluster.world().rng().bytes(512 + int(cluster.world().rng().uniform(2048)));
            ++pending;
            cluster.node(cluster.randomLive())->putBlob(value, 24 * 3600, [&, value](dht::Result<QByteArray> r) {
                --pending;
                if (r.ok())
                    blobs.insert(r.value(), value);
            });
        }
        QVERIFY(cluster.runUntil([&] { return pending == 0; }, 10min));
        QCOMPARE(blobs.size(), kBlobs);

        int left = 0;
        for (int minute = 0; minute < 60; ++minute) {
            const QList<int> live = cluster.liveNodes();
            const int churn = live.size() / 10;
            for (int i = 0; i < churn; ++i) {
                // Spread over the minute, not all at once.
                const auto at = base::Duration(qint64(cluster.world().rng().uniform(60'000'000)));
                cluster.world().callAfter(at, [&cluster, &left] {
                    const int victim = cluster.randomLive();
                    if (victim > 0) { // node 0 stays: it is everyone's bootstrap
                        cluster.leave(victim);
                        ++left;
                    }
                    cluster.join();
                });
            }
            cluster.world().runFor(1min);
        }
        cluster.world().runFor(2min);
        quint64 repairs = 0;
        for (int i : cluster.liveNodes())
            repairs += cluster.node(i)->repairsStored();
        qInfo("%d nodes left for good and as many joined in 60 virtual minutes; %lld live now; repairs stored "
              "%llu copies; %llu events",
            left, qint64(cluster.liveNodes().size()), repairs, cluster.world().eventsProcessed());
        QVERIFY(left >= 60 * kNodes / 10 - 60);

        int read = 0, finished = 0;
        for (auto it = blobs.cbegin(); it != blobs.cend(); ++it) {
            const QByteArray expected = it.value();
            cluster.node(cluster.randomLive())->getBlob(it.key(), [&, expected](dht::Result<QByteArray> r) {
                ++finished;
                read += r.ok() && r.value() == expected ? 1 : 0;
            });
        }
        QVERIFY(cluster.runUntil([&] { return finished == kBlobs; }, 10min));
        qInfo("%d of %d blobs read back after the hour", read, kBlobs);
        QCOMPARE(read, kBlobs);
    }

    void aNodeThatBecomesResponsibleForACopyReceivesIt()
    {
        DhtClusterConfig config;
        config.nodes = 300;
        config.seed = m_seed + 1;
        config.dht.repairInterval = 60s;
        config.dht.repairAfterChange = 10s;
        config.dht.repairMinSpacing = 20s;
        DhtCluster cluster(config);
        QCOMPARE(cluster.bootstrapAll(), 300);
        const QByteArray value = cluster.world().rng().bytes(1000);
        std::optional<QByteArray> key;
        cluster.node(cluster.randomLive())->putBlob(value, 3600, [&](dht::Result<QByteArray> r) {
            key = r.ok() ? r.value() : QByteArray();
        });
        QVERIFY(cluster.runUntil([&] { return key.has_value(); }, 60s));
        QVERIFY(!key->isEmpty());

        // A node joins whose id is next to copy 3's target: it is now the
        // closest node to it, and holds nothing yet.
        identity::NodeId::Bytes id = dht::replicaTarget(*key, 3).bytes();
        id[identity::NodeId::kBytes - 1] ^= 1;
        const int newcomer = cluster.join(identity::NodeId(id));
        QCOMPARE(cluster.closestLive(dht::replicaTarget(*key, 3)), newcomer);
        auto has = [&] {
            auto blob = cluster.storeOf(newcomer)->getBlob(*key, cluster.world().unixTime());
            return blob.ok() && blob.value() && *blob.value() == value;
        };
        QVERIFY(!has());
        cluster.world().runFor(3min); // a repair pass or two
        QVERIFY(has());
    }
};

QTEST_GUILESS_MAIN(TestSimDhtChurn)
#include "test_sim_dht_churn.moc"
