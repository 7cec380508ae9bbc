// Half of the members donate no storage (a laptop that only routes): every
// copy of a write still lands on a node that stores, and reads, inbox lists
// and deletes find those nodes, however many routing-only members sit
// nearer to a copy's position.
#include "core/crypto/keys.h"
#include "tests/sim/dht/dhtcluster.h"
#include "tests/sim/lib/seed.h"

#include <QTest>

using namespace cairn;
using namespace cairn::sim;
using namespace std::chrono_literals;

namespace {

constexpr int kNodes = 24;
constexpr int kCopies = 3;
constexpr int kItems = 30;

/// Even nodes donate storage, odd ones only route: twelve of each.
DhtClusterConfig halfStoring(quint64 seed)
{
    DhtClusterConfig config;
    config.nodes = kNodes;
    config.seed = seed;
    config.dht.repairInterval = 60s;
    config.dht.repairMinSpacing = 20s;
    config.dht.repairAfterChange = 10s;
    for (int i = 1; i < kNodes; i += 2)
        config.withoutStorage.insert(i);
    return config;
}

bool isRouter(int node)
{
    return node % 2 == 1;
}

} // namespace

class TestSimDhtRoutingOnly : public QObject {
    Q_OBJECT
private:
    quint64 m_seed = 0;

    /// A routing-only node other than `except`.
    static int router(DhtCluster &cluster, int except = -1)
    {
        for (int tries = 0; tries < 1000; ++tries) {
            const int n = cluster.randomLive();
            if (isRouter(n) && n != except)
                return n;
        }
        return 1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_seed = seedFromEnv(2611);
        qInfo().noquote() << replayHint(m_seed);
    }

    void cleanup()
    {
        if (QTest::currentTestFailed())
            qInfo().noquote() << "FAILED with" << replayHint(m_seed);
    }

    void everyCopyOfABlobLandsOnAStorageNodeAndIsReadBack()
    {
        DhtCluster cluster(halfStoring(m_seed));
        QCOMPARE(cluster.bootstrapAll(), kNodes);
        for (int item = 0; item < kItems; ++item) {
            const QByteArray value = "field notes " + QByteArray::number(item) + QByteArray(200, char('a' + item % 26));
            const int writer = router(cluster);
            std::optional<dht::WriteReport> report;
            std::optional<dht::Result<QByteArray>> put;
            cluster.node(writer)->putBlob(
                value, 3600, [&](dht::Result<QByteArray> r) { put = r; },
                [&](const dht::WriteReport &w) { report = w; }, kCopies);
            QVERIFY(cluster.runUntil([&] { return put.has_value(); }, 2min));
            QVERIFY2(put->ok(), qPrintable(put->ok() ? QString() : put->message()));
            // All k copies stored, none refused by a routing-only node.
            QCOMPARE(report->stored, kCopies);
            const QList<int> held = cluster.holdersOf(put->value(), store::KeyKind::Blob);
            QCOMPARE(held.size(), kCopies);
            for (int h : held)
                QVERIFY(!isRouter(h));

            std::optional<dht::Result<QByteArray>> got;
            cluster.node(router(cluster, writer))
                ->getBlob(
                    put->value(), [&](dht::Result<QByteArray> r) { got = r; }, {}, kCopies);
            QVERIFY(cluster.runUntil([&] { return got.has_value(); }, 2min));
            QVERIFY2(got->ok(), qPrintable(got->ok() ? QString() : got->message()));
            QCOMPARE(got->value(), value);
        }
    }

    void anInboxEntryIsListedAndItsDeleteReachesEveryCopy()
    {
        DhtCluster cluster(halfStoring(m_seed + 1));
        QCOMPARE(cluster.bootstrapAll(), kNodes);
        for (int item = 0; item < kItems / 3; ++item) {
            const QByteArray inboxKey = crypto::blake2b("inbox of bob " + QByteArray::number(item), 32);
            const QByteArray data = "sealed header " + QByteArray::number(item);
            const QByteArray token = crypto::blake2b("token " + QByteArray::number(item), 32);
            const int writer = router(cluster);
            std::optional<dht::Result<dht::WriteReport>> appended;
            cluster.node(writer)->append(
                inboxKey, data, crypto::blake2b(token, 32), 3600,
                [&](dht::Result<dht::WriteReport> r) { appended = r; }, kCopies);
            QVERIFY(cluster.runUntil([&] { return appended.has_value(); }, 2min));
            QVERIFY(appended->ok());
            QCOMPARE(appended->value().stored, kCopies);
            QCOMPARE(cluster.holdersOf(inboxKey, store::KeyKind::Inbox).size(), kCopies);

            const int reader = router(cluster, writer);
            std::optional<dht::Result<QList<dht::InboxItem>>> listed;
            cluster.node(reader)->list(
                inboxKey, [&](dht::Result<QList<dht::InboxItem>> r) { listed = r; }, kCopies);
            QVERIFY(cluster.runUntil([&] { return listed.has_value(); }, 2min));
            QVERIFY(listed->ok());
            QCOMPARE(listed->value().size(), 1);
            QCOMPARE(listed->value().first().data, data);

            std::optional<dht::Result<int>> removed;
            cluster.node(reader)->remove(
                inboxKey, crypto::blake2b(data, 32), token, [&](dht::Result<int> r) { removed = r; }, kCopies);
            QVERIFY(cluster.runUntil([&] { return removed.has_value(); }, 2min));
            QVERIFY(removed->ok());
            QCOMPARE(removed->value(), kCopies);
            QVERIFY(cluster.holdersOf(inboxKey, store::KeyKind::Inbox).isEmpty());
        }
    }

    void repairReplacesALostCopyOnAnotherStorageNode()
    {
        DhtCluster cluster(halfStoring(m_seed + 2));
        QCOMPARE(cluster.bootstrapAll(), kNodes);
        const QByteArray value(1000, 'r');
        std::optional<dht::Result<QByteArray>> put;
        cluster.node(router(cluster))
            ->putBlob(
                value, 3600, [&](dht::Result<QByteArray> r) { put = r; }, {}, kCopies);
        QVERIFY(cluster.runUntil([&] { return put.has_value(); }, 2min));
        QVERIFY(put->ok());
        QList<int> held = cluster.holdersOf(put->value(), store::KeyKind::Blob);
        held.removeAll(0); // everyone's bootstrap stays
        QVERIFY(!held.isEmpty());
        cluster.leave(held.first());
        QVERIFY2(cluster.runUntil(
                     [&] { return cluster.holdersOf(put->value(), store::KeyKind::Blob).size() == kCopies; }, 10min),
            "repair did not bring the blob back to k copies");
        for (int h : cluster.holdersOf(put->value(), store::KeyKind::Blob))
            QVERIFY(!isRouter(h));
    }
};

QTEST_GUILESS_MAIN(TestSimDhtRoutingOnly)
#include "test_sim_dht_routing_only.moc"
