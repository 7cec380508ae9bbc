// Per-item replication factor: an item written with `copies` = k lives on
// exactly k nodes, and repair keeps it at k (not at the nodes' own
// `replicas`), also after a holder leaves with its data.
#include "core/crypto/keys.h"
#include "tests/sim/dht/dhtcluster.h"
#include "tests/sim/lib/seed.h"

#include <QTest>

using namespace cairn;
using namespace cairn::sim;
using namespace std::chrono_literals;

namespace {

constexpr int kNodes = 30;
constexpr int kReplicas = 8;
constexpr int kCopies = 3;

template <typename T> QString why(const dht::Result<T> &r)
{
    return r.ok() ? QString() : r.message();
}

DhtClusterConfig clusterConfig(quint64 seed)
{
    DhtClusterConfig config;
    config.nodes = kNodes;
    config.seed = seed;
    config.dht.replicas = kReplicas;
    config.dht.repairInterval = 60s;
    config.dht.repairMinSpacing = 20s;
    config.dht.repairAfterChange = 10s;
    return config;
}

} // namespace

class TestSimDhtCopies : public QObject {
    Q_OBJECT
private:
    quint64 m_seed = 0;

    /// The copies a node's store keeps for `key` (-1 if it does not hold it).
    static int storedCopies(DhtCluster &cluster, int node, const QByteArray &key)
    {
        const auto keys = cluster.storeOf(node)->keys(cluster.world().unixTime(), 1000);
        if (!keys.ok())
            return -1;
        for (const store::StoredKey &k : keys.value()) {
            if (k.key == key)
                return k.copies;
        }
        return -1;
    }

    /// Leaves one holder (never node 0, everyone's bootstrap) and checks
    /// that repair restores exactly kCopies, and that it stays there.
    void loseAHolderAndRepair(DhtCluster &cluster, const QByteArray &key, store::KeyKind kind)
    {
        QList<int> before = cluster.holdersOf(key, kind);
        before.removeAll(0);
        QVERIFY(!before.isEmpty());
        const int gone = before.first();
        cluster.leave(gone);
        QCOMPARE(cluster.holdersOf(key, kind).size(), kCopies - 1);
        QVERIFY2(cluster.runUntil([&] { return cluster.holdersOf(key, kind).size() == kCopies; }, 5min),
            qPrintable(
                QStringLiteral("%1 holders five minutes after one left").arg(cluster.holdersOf(key, kind).size())));
        cluster.world().runFor(5min);
        const QList<int> after = cluster.holdersOf(key, kind);
        QCOMPARE(after.size(), kCopies);
        QVERIFY(!after.contains(gone));
        // The new holder keeps the writer's number too.
        for (int i : after)
            QCOMPARE(storedCopies(cluster, i, key), kCopies);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_seed = seedFromEnv(303);
        qInfo().noquote() << replayHint(m_seed);
    }

    void cleanup()
    {
        if (QTest::currentTestFailed())
            qInfo().noquote() << "FAILED with" << replayHint(m_seed);
    }

    void aBlobWithThreeCopiesStaysOnExactlyThreeNodesThroughRepairAndLoss()
    {
        DhtCluster cluster(clusterConfig(m_seed));
        QCOMPARE(cluster.bootstrapAll(), kNodes);
        const QByteArray value = cluster.world().rng().bytes(1500);
        const QByteArray plainValue = cluster.world().rng().bytes(1500);
        std::optional<dht::Result<QByteArray>> put, plain;
        dht::WriteReport report;
        cluster.node(5)->putBlob(
            value, 3600, [&](dht::Result<QByteArray> r) { put = r; }, [&](const dht::WriteReport &w) { report = w; },
            kCopies);
        // The control: without a choice, the nodes' own `replicas`.
        cluster.node(5)->putBlob(plainValue, 3600, [&](dht::Result<QByteArray> r) { plain = r; });
        QVERIFY(cluster.runUntil([&] { return put && plain; }, 60s));
        QVERIFY(put->ok() && plain->ok());
        const QByteArray key = put->value();
        QCOMPARE(report.attempted, kCopies);
        QCOMPARE(report.stored, kCopies);
        QCOMPARE(cluster.holdersOf(key, store::KeyKind::Blob).size(), kCopies);
        // (Eight targets among thirty nodes collide often enough that the
        // writer's lookups may leave one or two without a distinct holder.)
        const qsizetype plainHolders = cluster.holdersOf(plain->value(), store::KeyKind::Blob).size();
        QVERIFY2(plainHolders >= kReplicas - 2 && plainHolders <= kReplicas, qPrintable(QString::number(plainHolders)));
        for (int i : cluster.holdersOf(key, store::KeyKind::Blob))
            QCOMPARE(storedCopies(cluster, i, key), kCopies);

        // Several repair passes later: still three, and the control eight.
        const quint64 repairsBefore = [&] {
            quint64 n = 0;
            for (int i : cluster.liveNodes())
                n += cluster.node(i)->repairsStored();
            return n;
        }();
        cluster.world().runFor(5min);
        QCOMPARE(cluster.holdersOf(key, store::KeyKind::Blob).size(), kCopies);
        const qsizetype plainRepaired = cluster.holdersOf(plain->value(), store::KeyKind::Blob).size();
        QVERIFY2(
            plainRepaired >= plainHolders && plainRepaired <= kReplicas, qPrintable(QString::number(plainRepaired)));
        quint64 repairsAfter = 0;
        for (int i : cluster.liveNodes())
            repairsAfter += cluster.node(i)->repairsStored();
        QCOMPARE(repairsAfter, repairsBefore + quint64(plainRepaired - plainHolders));

        loseAHolderAndRepair(cluster, key, store::KeyKind::Blob);

        // A reader that holds no copy finds it asking for three copies.
        int reader = 1;
        while (cluster.holdersOf(key, store::KeyKind::Blob).contains(reader) || !cluster.isUp(reader))
            ++reader;
        std::optional<dht::Result<QByteArray>> got;
        cluster.node(reader)->getBlob(
            key, [&](dht::Result<QByteArray> r) { got = r; }, {}, kCopies);
        QVERIFY(cluster.runUntil([&] { return got.has_value(); }, 60s));
        QVERIFY2(got->ok(), qPrintable(why(*got)));
        QCOMPARE(got->value(), value);
    }

    void anInboxEntryWithThreeCopiesStaysOnExactlyThreeNodesThroughRepairAndLoss()
    {
        DhtCluster cluster(clusterConfig(m_seed + 1));
        QCOMPARE(cluster.bootstrapAll(), kNodes);
        const QByteArray inbox = crypto::blake2b("bob's inbox", 32);
        const QByteArray entry = "a sealed header for bob";
        const QByteArray tokenHash = crypto::blake2b("bob's delete token", 32);
        std::optional<dht::Result<dht::WriteReport>> appended;
        cluster.node(7)->append(
            inbox, entry, tokenHash, 3600, [&](dht::Result<dht::WriteReport> r) { appended = r; }, kCopies);
        QVERIFY(cluster.runUntil([&] { return appended.has_value(); }, 60s));
        QVERIFY2(appended->ok(), qPrintable(why(*appended)));
        QCOMPARE(appended->value().stored, kCopies);
        QCOMPARE(cluster.holdersOf(inbox, store::KeyKind::Inbox).size(), kCopies);
        cluster.world().runFor(5min);
        QCOMPARE(cluster.holdersOf(inbox, store::KeyKind::Inbox).size(), kCopies);
        for (int i : cluster.holdersOf(inbox, store::KeyKind::Inbox))
            QCOMPARE(storedCopies(cluster, i, inbox), kCopies);

        loseAHolderAndRepair(cluster, inbox, store::KeyKind::Inbox);

        int reader = 1;
        while (cluster.holdersOf(inbox, store::KeyKind::Inbox).contains(reader) || !cluster.isUp(reader))
            ++reader;
        std::optional<dht::Result<QList<dht::InboxItem>>> listed;
        cluster.node(reader)->list(
            inbox, [&](dht::Result<QList<dht::InboxItem>> r) { listed = r; }, kCopies);
        QVERIFY(cluster.runUntil([&] { return listed.has_value(); }, 60s));
        QVERIFY2(listed->ok(), qPrintable(why(*listed)));
        QCOMPARE(listed->value().size(), 1);
        QCOMPARE(listed->value().first().data, entry);
        QCOMPARE(listed->value().first().tokenHash, tokenHash);
    }

    void anInboxEntryWithFewerCopiesThanItsKeyIsNotSpreadToTheKeysOtherHolders()
    {
        // Two entries under one key: one at three copies, one at five. The
        // key is placed at five; the three-copy entry stays on its three.
        DhtCluster cluster(clusterConfig(m_seed + 2));
        QCOMPARE(cluster.bootstrapAll(), kNodes);
        const QByteArray inbox = crypto::blake2b("carol's inbox", 32);
        const QByteArray tokenHash = crypto::blake2b("token", 32);
        int done = 0;
        auto count = [&](dht::Result<dht::WriteReport> r) { done += r.ok() ? 1 : 100; };
        cluster.node(3)->append(inbox, "three copies", tokenHash, 3600, count, 3);
        cluster.node(4)->append(inbox, "five copies", tokenHash, 3600, count, 5);
        QVERIFY(cluster.runUntil([&] { return done >= 2; }, 60s));
        QCOMPARE(done, 2);
        cluster.world().runFor(5min);
        auto holdersOf = [&](const QByteArray &data) {
            int n = 0;
            for (int i : cluster.liveNodes()) {
                const auto entries = cluster.storeOf(i)->listInbox(inbox, cluster.world().unixTime());
                for (const store::InboxEntry &e : entries.value())
                    n += e.data == data ? 1 : 0;
            }
            return n;
        };
        QCOMPARE(holdersOf("three copies"), 3);
        QCOMPARE(holdersOf("five copies"), 5);
        QCOMPARE(cluster.holdersOf(inbox, store::KeyKind::Inbox).size(), 5);
    }
};

QTEST_GUILESS_MAIN(TestSimDhtCopies)
#include "test_sim_dht_copies.moc"
