// Transfers against a DHT that misbehaves: a replica altered on every holder
// but one is skipped for the good copy; a chunk missing everywhere, or a
// stream that does not match its hash, fails with a clear error and leaves
// nothing that passes for the finished file.
#include "tests/sim/lib/seed.h"
#include "transferfixture.h"

#include <QSignalSpy>

#include <csignal>
#include <sys/resource.h>

using namespace cairn;
using namespace cairn::transfer;
using namespace cairn::transfer::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 kSize = 300'000; // 5 chunks

} // namespace

class TestFaults : public QObject {
    Q_OBJECT
private:
    quint64 m_seed = 0;

private Q_SLOTS:
    void initTestCase()
    {
        m_seed = sim::seedFromEnv(51);
        qInfo().noquote() << sim::replayHint(m_seed);
    }

    void anAlteredReplicaIsSkippedForAGoodCopy()
    {
        Fixture fx(m_seed);
        const QByteArray data = base::SeededRng(11).bytes(kSize);
        QVERIFY(writeFile(fx.path("send/a.bin"), data));
        fx.startManager();
        const Manifest m = fx.uploadAll({fx.path("send/a.bin")});
        const StreamRef &ref = m.files[0].stream;
        const QList<QByteArray> keys = fx.chunkKeys(ref);
        QCOMPARE(keys.size(), 5);
        // Chunk 2 and the index blob: every holder but one gets bad bytes
        // (same length, so only the hash check can tell).
        int altered = 0;
        for (const QByteArray &key : {keys[2], ref.index[0]}) {
            const QList<int> holders = fx.holders(key);
            QVERIFY2(holders.size() >= 2, "the test needs a key stored on two nodes at least");
            const QByteArray good
                = *fx.cluster->storeOf(holders[0])->getBlob(key, fx.cluster->world().unixTime()).value();
            for (int i = 1; i < holders.size(); ++i) {
                QByteArray bad = good;
                bad[i % bad.size()] = char(bad[i % bad.size()] ^ 0x40);
                QVERIFY(fx.tamper(holders[i], key, bad));
                ++altered;
            }
        }
        qInfo("%d replicas altered", altered);
        auto id = fx.manager->download(m, fx.path("receive"), u"altered"_s);
        CAIRN_VERIFY_OK(id);
        const TransferInfo info = fx.runToEnd(id.value());
        QCOMPARE(info.state, TransferState::Done);
        QCOMPARE(readFile(fx.path("receive/a.bin")), data);
    }

    void aChunkMissingEverywhereFailsClearly()
    {
        Fixture fx(m_seed + 1);
        QVERIFY(writeFile(fx.path("send/a.bin"), base::SeededRng(12).bytes(kSize)));
        fx.startManager();
        const Manifest m = fx.uploadAll({fx.path("send/a.bin")});
        const QList<QByteArray> keys = fx.chunkKeys(m.files[0].stream);
        const QList<int> holders = fx.holders(keys[3]);
        QVERIFY(!holders.isEmpty());
        for (int i : holders)
            QVERIFY(fx.tamper(i, keys[3], {}));
        QVERIFY(fx.holders(keys[3]).isEmpty());

        QSignalSpy failed(fx.manager.get(), &TransferManager::failed);
        auto id = fx.manager->download(m, fx.path("receive"), u"missing"_s);
        CAIRN_VERIFY_OK(id);
        const TransferInfo info = fx.runToEnd(id.value());
        QCOMPARE(info.state, TransferState::Failed);
        QVERIFY2(info.error.contains(u"chunk 3 of 'a.bin' is not in the network"_s), qPrintable(info.error));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().at(1).toString(), info.error);
        QVERIFY(!QFileInfo::exists(fx.path("receive/a.bin")));
        // The chunks before it are kept for a later resume, and nothing more.
        QCOMPARE(QFileInfo(fx.path("receive/a.bin.cairn-part")).size(), 3 * kChunkPlainBytes);
        CAIRN_VERIFY_OK(fx.manager->cancel(id.value()));
        QVERIFY(!QFileInfo::exists(fx.path("receive/a.bin.cairn-part")));
    }

    void aStreamThatDoesNotMatchItsHashIsNotKept()
    {
        Fixture fx(m_seed + 2);
        QVERIFY(writeFile(fx.path("send/a.bin"), base::SeededRng(13).bytes(kSize)));
        fx.startManager();
        Manifest m = fx.uploadAll({fx.path("send/a.bin")});
        m.files[0].stream.plainHash[0] = char(m.files[0].stream.plainHash[0] ^ 1);
        auto id = fx.manager->download(m, fx.path("receive"), u"corrupt"_s);
        CAIRN_VERIFY_OK(id);
        const TransferInfo info = fx.runToEnd(id.value());
        QCOMPARE(info.state, TransferState::Failed);
        QVERIFY2(info.error.contains(u"does not match its hash"_s), qPrintable(info.error));
        QVERIFY(!QFileInfo::exists(fx.path("receive/a.bin")));
        QVERIFY(!QFileInfo::exists(fx.path("receive/a.bin.cairn-part")));

        // Another key: the first chunk fails authentication.
        Manifest wrongKey = fx.uploadAll({fx.path("send/a.bin")});
        wrongKey.files[0].stream.key.data()[0] ^= 1;
        auto id2 = fx.manager->download(wrongKey, fx.path("receive"), u"wrong key"_s);
        CAIRN_VERIFY_OK(id2);
        const TransferInfo info2 = fx.runToEnd(id2.value());
        QCOMPARE(info2.state, TransferState::Failed);
        QVERIFY2(info2.error.contains(u"chunk 0 of 'a.bin' failed authentication"_s), qPrintable(info2.error));
        QVERIFY(QDir(fx.path("receive")).isEmpty());
    }

    void anUploadWithNoStorageReachableFailsAndResumesLater()
    {
        Fixture fx(m_seed + 3);
        const QByteArray data = base::SeededRng(14).bytes(kSize);
        QVERIFY(writeFile(fx.path("send/a.bin"), data));
        TransferManager &tm = fx.startManager();
        tm.setRetryPolicy(RetryPolicy {3, base::Duration(500'000)});
        // Cut the client off from every storage node.
        QList<sim::NodeId> others;
        for (int i = 0; i < fx.cluster->size(); ++i)
            others.append(fx.cluster->world().nodeAt(fx.cluster->endpointOf(i)));
        fx.cluster->world().partition({{fx.clientId}, others});
        auto id = tm.upload({fx.path("send/a.bin")}, Fixture::kCopies, Fixture::kTtl, u"offline"_s);
        CAIRN_VERIFY_OK(id);
        TransferInfo info = fx.runToEnd(id.value());
        QCOMPARE(info.state, TransferState::Failed);
        QVERIFY2(info.error.contains(u"could not store chunk"_s) && info.error.contains(fx.path("send/a.bin")),
            qPrintable(info.error));
        fx.cluster->world().heal();
        // Its routing table emptied while cut off; the node bootstraps again
        // (the engine's job), then the transfer resumes.
        bool joined = false;
        fx.client->bootstrap({fx.cluster->endpointOf(0)}, [&](dht::Result<int> r) { joined = r.ok(); });
        QVERIFY(fx.run([&] { return joined; }, 60));
        CAIRN_VERIFY_OK(tm.resume(id.value()));
        info = fx.runToEnd(id.value());
        QVERIFY2(info.state == TransferState::Done, qPrintable(info.error));
        auto down = tm.download(info.manifest, fx.path("receive"), u"check"_s);
        CAIRN_VERIFY_OK(down);
        QCOMPARE(fx.runToEnd(down.value()).state, TransferState::Done);
        QCOMPARE(readFile(fx.path("receive/a.bin")), data);
    }

    void aFailedWriteFailsTheDownloadAndItResumesLater()
    {
        // A file-size limit makes write() fail the way a full disk does,
        // with the system's message, in the middle of a file.
        Fixture fx(m_seed + 4);
        const QByteArray data = base::SeededRng(15).bytes(3'000'000);
        QVERIFY(writeFile(fx.path("send/big.bin"), data));
        TransferManager &tm = fx.startManager();
        const Manifest m = fx.uploadAll({fx.path("send/big.bin")});
        rlimit saved {};
        QCOMPARE(::getrlimit(RLIMIT_FSIZE, &saved), 0);
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit small = saved;
        small.rlim_cur = 1'000'000;
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &small), 0);
        auto id = tm.download(m, fx.path("receive"), u"limited"_s);
        CAIRN_VERIFY_OK(id);
        TransferInfo info = fx.runToEnd(id.value());
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &saved), 0);
        QCOMPARE(info.state, TransferState::Failed);
        QVERIFY2(info.error.contains(u"cannot write"_s) && info.error.contains(u"big.bin.cairn-part"_s),
            qPrintable(info.error));
        QVERIFY(!QFileInfo::exists(fx.path("receive/big.bin")));
        QVERIFY(QFileInfo(fx.path("receive/big.bin.cairn-part")).size() <= 1'000'000);
        CAIRN_VERIFY_OK(tm.resume(id.value()));
        info = fx.runToEnd(id.value());
        QVERIFY2(info.state == TransferState::Done, qPrintable(info.error));
        QCOMPARE(readFile(fx.path("receive/big.bin")), data);
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "test_faults.moc"
