// The DHT in the simulator: real DhtNode, FragmentingTransport and SQLite
// BlobStore on every node, a network of 2,000 of them.
#include "core/crypto/keys.h"
#include "core/dht/record.h"
#include "tests/sim/dht/dhtcluster.h"
#include "tests/sim/lib/seed.h"

#include <QElapsedTimer>
#include <QTest>

#include <memory>

using namespace cairn;
using namespace cairn::sim;
using namespace std::chrono_literals;

namespace {

constexpr int kNodes = 2000;

QByteArray randomValue(base::Rng &rng, int size)
{
    return rng.bytes(size);
}

} // namespace

class TestSimDht : public QObject {
    Q_OBJECT
private:
    quint64 m_seed = 0;
    std::unique_ptr<DhtCluster> m_cluster;
    QList<QByteArray> m_keys;
    QElapsedTimer m_wall;

    /// Runs one callback-style operation per item, `batch` at a time.
    template <typename Start> int runBatched(int count, int batch, Start start)
    {
        int done = 0, started = 0, ok = 0;
        auto finish = [&](bool success) {
            ++done;
            ok += success ? 1 : 0;
        };
        while (done < count) {
            while (started < count && started - done < batch)
                start(started++, finish);
            const int target = qMin(count, done + 1);
            m_cluster->runUntil([&] { return done >= target; }, 600s);
            if (done < target)
                break;
        }
        return ok;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_seed = seedFromEnv(2026);
        qInfo().noquote() << replayHint(m_seed);
    }

    void init() { m_wall.start(); }

    void cleanup()
    {
        qInfo("%s: %.1f s wall", QTest::currentTestFunction(), double(m_wall.nsecsElapsed()) / 1e9);
        if (QTest::currentTestFailed())
            qInfo().noquote() << "FAILED with" << replayHint(m_seed);
    }

    void twoThousandNodesBootstrap()
    {
        DhtClusterConfig config;
        config.nodes = kNodes;
        config.seed = m_seed;
        config.dht.replicas = 8;
        config.dht.repairInterval = base::Duration(0); // the crash test below wants no repair
        m_cluster = std::make_unique<DhtCluster>(config);
        const int joined = m_cluster->bootstrapAll();
        qint64 tableSizes = 0;
        for (int i = 0; i < kNodes; ++i)
            tableSizes += m_cluster->node(i)->routingTable().size();
        qInfo("%d of %d nodes bootstrapped; mean routing table %.1f contacts; %llu events", joined, kNodes,
            double(tableSizes) / kNodes, m_cluster->world().eventsProcessed());
        QCOMPARE(joined, kNodes);
        QVERIFY(tableSizes / kNodes >= 40);
    }

    void aThousandRandomLookupsAllSucceed()
    {
        QVERIFY(m_cluster);
        int wrong = 0;
        QList<int> hops;
        const int ok = runBatched(1000, 50, [&](int, auto finish) {
            const int from = m_cluster->randomLive();
            const auto target = *identity::NodeId::fromBytes(m_cluster->world().rng().bytes(20));
            // A lookup reports the closest node other than the one asking.
            const int expected = m_cluster->closestLive(target, from);
            m_cluster->node(from)->findNode(
                target, 3, [&, expected, finish](const QList<dht::Contact> &found, const dht::LookupStats &stats) {
                    const bool right = !found.isEmpty() && found.first().id == m_cluster->idOf(expected);
                    wrong += right ? 0 : 1;
                    hops.append(stats.hops);
                    finish(right);
                });
        });
        std::sort(hops.begin(), hops.end());
        qInfo("lookups: %d of 1000 found the closest live node; median hops %d", ok, hops.value(hops.size() / 2));
        QCOMPARE(ok, 1000);
    }

    void aThousandBlobsAreReadBackFromRandomNodes()
    {
        QVERIFY(m_cluster);
        QList<QByteArray> values;
        for (int i = 0; i < 1000; ++i)
            values.append(randomValue(m_cluster->world().rng(), 200 + int(m_cluster->world().rng().uniform(4000))));
        m_keys.clear();
        const int stored = runBatched(1000, 50, [&](int i, auto finish) {
            m_cluster->node(m_cluster->randomLive())->putBlob(values[i], 3600, [&, finish](dht::Result<QByteArray> r) {
                if (r.ok())
                    m_keys.append(r.value());
                finish(r.ok());
            });
        });
        QCOMPARE(stored, 1000);
        QHash<QByteArray, QByteArray> byKey;
        for (const QByteArray &v : std::as_const(values))
            byKey.insert(crypto::blake2b(v, 32), v);
        const int read = runBatched(1000, 50, [&](int i, auto finish) {
            const QByteArray key = m_keys[i];
            m_cluster->node(m_cluster->randomLive())->getBlob(key, [&, key, finish](dht::Result<QByteArray> r) {
                finish(r.ok() && r.value() == byKey.value(key));
            });
        });
        qInfo("blobs: %d stored, %d of 1000 read back byte-identical", stored, read);
        QCOMPARE(read, 1000);
    }

    void aRestartedNodeServesItsDataAgain()
    {
        QVERIFY(m_cluster && !m_keys.isEmpty());
        // A node that holds blobs goes down and comes back: its SQLite store
        // survived, and a direct GET to it is answered from there.
        int holder = -1;
        QByteArray key;
        for (int i = 0; i < kNodes && holder < 0; ++i) {
            for (const QByteArray &k : std::as_const(m_keys)) {
                auto has = m_cluster->storeOf(i)->getBlob(k, m_cluster->world().unixTime());
                if (has.ok() && has.value()) {
                    holder = i;
                    key = k;
                    break;
                }
            }
        }
        QVERIFY(holder >= 0);
        m_cluster->crash(holder);
        m_cluster->world().runFor(30s);
        m_cluster->restart(holder);
        m_cluster->world().runFor(30s);
        QVERIFY(m_cluster->isUp(holder));
        const int asker = holder == 0 ? 1 : 0;
        bool answered = false, found = false;
        dht::Message get;
        get.op = dht::Op::GetBlob;
        get.key = key;
        m_cluster->node(asker)->rpc().call(dht::Contact {m_cluster->idOf(holder), m_cluster->endpointOf(holder)}, get,
            [&](dht::Result<dht::Message> r) {
                answered = true;
                found = r.ok() && r->found && crypto::blake2b(r->value, 32) == key;
            });
        m_cluster->runUntil([&] { return answered; }, 30s);
        QVERIFY(found);
    }

    void inboxEntriesFromSeveralSendersAreAllListedAndAWrongTokenDeletesNothing()
    {
        QVERIFY(m_cluster);
        base::Rng &rng = m_cluster->world().rng();
        const QByteArray inbox = crypto::blake2b("group-id"
                                                 "bob",
            32);
        QList<QByteArray> tokens, datas;
        const int appended = runBatched(12, 12, [&](int i, auto finish) {
            tokens.append(rng.bytes(32));
            datas.append(QByteArray("sealed header from sender ") + QByteArray::number(i) + rng.bytes(300));
            m_cluster->node(m_cluster->randomLive())
                ->append(inbox, datas.last(), crypto::blake2b(tokens.last(), 32), 3600,
                    [finish](dht::Result<dht::WriteReport> r) { finish(r.ok() && r->stored >= 6); });
        });
        QCOMPARE(appended, 12);

        auto listFrom = [&](int node) {
            QList<dht::InboxItem> items;
            bool done = false;
            m_cluster->node(node)->list(inbox, [&](dht::Result<QList<dht::InboxItem>> r) {
                done = true;
                if (r.ok())
                    items = r.value();
            });
            m_cluster->runUntil([&] { return done; }, 60s);
            return items;
        };
        QList<dht::InboxItem> listed = listFrom(m_cluster->randomLive());
        QCOMPARE(listed.size(), 12);
        for (const QByteArray &d : std::as_const(datas))
            QVERIFY(std::any_of(listed.begin(), listed.end(), [&](const dht::InboxItem &it) { return it.data == d; }));

        auto removeWith = [&](const QByteArray &entry, const QByteArray &token) {
            int removed = -1;
            m_cluster->node(m_cluster->randomLive())
                ->remove(inbox, crypto::blake2b(entry, 32), token,
                    [&](dht::Result<int> r) { removed = r.ok() ? r.value() : 0; });
            m_cluster->runUntil([&] { return removed >= 0; }, 60s);
            return removed;
        };
        QCOMPARE(removeWith(datas[0], rng.bytes(32)), 0);
        QCOMPARE(listFrom(m_cluster->randomLive()).size(), 12);
        QVERIFY(removeWith(datas[0], tokens[0]) >= 6);
        listed = listFrom(m_cluster->randomLive());
        QCOMPARE(listed.size(), 11);
        QVERIFY(
            std::none_of(listed.begin(), listed.end(), [&](const dht::InboxItem &it) { return it.data == datas[0]; }));
    }

    void aSignedRecordReadsBackAtItsHighestSequenceAndForgeriesAreRefused()
    {
        QVERIFY(m_cluster);
        base::Rng &rng = m_cluster->world().rng();
        const crypto::DeviceKey owner = crypto::DeviceKey::generate(rng);
        auto put = [&](const dht::RecordData &r) {
            std::optional<bool> ok;
            m_cluster->node(m_cluster->randomLive())->putRecord(r, 3600, [&](dht::Result<dht::WriteReport> w) {
                ok = w.ok() && w->stored >= 6;
            });
            m_cluster->runUntil([&] { return ok.has_value(); }, 60s);
            return ok.value_or(false);
        };
        auto get = [&](const QByteArray &key) {
            std::optional<dht::Result<dht::RecordData>> got;
            m_cluster->node(m_cluster->randomLive())->getRecord(key, [&](dht::Result<dht::RecordData> r) { got = r; });
            m_cluster->runUntil([&] { return got.has_value(); }, 60s);
            return got.value_or(base::fail(dht::DhtError::Timeout, QString()));
        };
        const dht::RecordData v1 = dht::record::sign(owner, "presence", 1, "online at 10.0.0.1");
        const dht::RecordData v2 = dht::record::sign(owner, "presence", 2, "online at 10.0.0.2");
        const QByteArray key = dht::record::keyOf(v1.owner, v1.salt);
        QVERIFY(put(v1));
        QVERIFY(put(v2));
        QVERIFY(!put(v1)); // an older sequence is refused everywhere
        auto got = get(key);
        QVERIFY(got.ok());
        QCOMPARE(got->sequence, quint64(2));
        QCOMPARE(got->value, QByteArray("online at 10.0.0.2"));

        // Someone else's key cannot write under this owner's record key.
        const crypto::DeviceKey mallory = crypto::DeviceKey::generate(rng);
        dht::RecordData forged = dht::record::sign(mallory, "presence", 9, "online at 6.6.6.6");
        forged.owner = v1.owner;
        QVERIFY(!put(forged));
        got = get(key);
        QVERIFY(got.ok());
        QCOMPARE(got->sequence, quint64(2));
    }

    void halfTheNodesCrashAndAtLeast99PercentOfReadsStillSucceed()
    {
        QVERIFY(m_cluster && m_keys.size() == 1000);
        // Abruptly, all at once, and nobody has noticed yet: no repair ran.
        QList<int> live = m_cluster->liveNodes();
        for (int i = live.size() - 1; i > 0; --i)
            std::swap(live[i], live[qsizetype(m_cluster->world().rng().uniform(quint64(i + 1)))]);
        for (int i = 0; i < live.size() / 2; ++i)
            m_cluster->crash(live[i]);
        const int read = runBatched(1000, 50, [&](int i, auto finish) {
            const QByteArray key = m_keys[i];
            m_cluster->node(m_cluster->randomLive())->getBlob(key, [finish](dht::Result<QByteArray> r) {
                finish(r.ok());
            });
        });
        qInfo("after %lld of %d nodes crashed: %d of 1000 blobs read", qint64(live.size() / 2), kNodes, read);
        QVERIFY2(read >= 990, qPrintable(QString::number(read)));
    }

    void cleanupTestCase() { m_cluster.reset(); }
};

QTEST_GUILESS_MAIN(TestSimDht)
#include "test_sim_dht.moc"
