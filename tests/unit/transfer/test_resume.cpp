// Transfers survive a crash: a new TransferManager on the same journal
// finishes an upload without sending any chunk the journal lists as stored,
// and a download from its checkpoint (the part file cut back to it); a source
// changed in between fails clearly. Progress, pause, resume and cancel.
#include "core/transfer/streamuploader.h"
#include "core/transfer/transferjob.h"
#include "tests/sim/lib/seed.h"
#include "transferfixture.h"

#include <QDirIterator>
#include <QSignalSpy>

using namespace cairn;
using namespace cairn::transfer;
using namespace cairn::transfer::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

// 6 MB: 92 chunks, so a batch of 32 is in the journal well before the end.
constexpr qint64 kBig = 6'000'000;

QStringList partFiles(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, {u"*.cairn-part"_s}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.append(it.next());
    return out;
}

} // namespace

class TestResume : public QObject {
    Q_OBJECT
private:
    quint64 m_seed = 0;

private Q_SLOTS:
    void initTestCase()
    {
        m_seed = sim::seedFromEnv(41);
        qInfo().noquote() << sim::replayHint(m_seed);
    }

    void anUploadResumesWithoutSendingStoredChunksAgain()
    {
        Fixture fx(m_seed);
        const QByteArray data = base::SeededRng(5).bytes(kBig);
        QVERIFY(writeFile(fx.path("send/big.bin"), data));
        fx.startManager();
        const QString id = fx.startUpload({fx.path("send/big.bin")});
        QVERIFY(fx.runUntilDone(id, 60 * kChunkPlainBytes));
        QCOMPARE(fx.manager->info(id)->state, TransferState::Running);
        fx.manager.reset(); // kill -9: nothing more is written
        const QSet<QByteArray> stored = fx.journaledChunks(id);
        qInfo("the journal lists %lld of %lld chunks as stored", qint64(stored.size()), chunkCount(kBig));
        // A batch is written at least every 32 chunks.
        QVERIFY(stored.size() >= 60 - TransferJob::kBatchChunks);
        QVERIFY(stored.size() < chunkCount(kBig));
        for (const QByteArray &key : stored)
            QVERIFY(fx.counting->puts.value(key) > 0);

        fx.counting->reset();
        std::unique_ptr<QSignalSpy> finished;
        TransferManager &tm = fx.startManager(
            [&](TransferManager &m) { finished = std::make_unique<QSignalSpy>(&m, &TransferManager::uploadFinished); });
        QCOMPARE(tm.info(id)->state, TransferState::Running);
        const TransferInfo info = fx.runToEnd(id);
        QCOMPARE(info.state, TransferState::Done);
        QCOMPARE(finished->count(), 1);
        int resent = 0;
        for (const QByteArray &key : stored)
            resent += fx.counting->puts.value(key);
        QCOMPARE(resent, 0);
        // What was sent after the restart: the rest of the chunks and the index.
        QVERIFY(fx.counting->puts.size() <= chunkCount(kBig) - stored.size() + StreamUploader::kWindow + 1);
        const QList<QByteArray> keys = fx.chunkKeys(info.manifest.files[0].stream);
        QCOMPARE(keys.size(), chunkCount(kBig));
        for (const QByteArray &key : keys)
            QVERIFY(stored.contains(key) != fx.counting->puts.contains(key));

        auto down = tm.download(info.manifest, fx.path("receive"), u"check"_s);
        CAIRN_VERIFY_OK(down);
        QCOMPARE(fx.runToEnd(down.value()).state, TransferState::Done);
        QCOMPARE(readFile(fx.path("receive/big.bin")), data);
    }

    void aDownloadResumesFromItsCheckpoint()
    {
        Fixture fx(m_seed + 1);
        const QByteArray data = base::SeededRng(6).bytes(kBig);
        QVERIFY(writeFile(fx.path("send/folder/big.bin"), data));
        fx.startManager();
        const Manifest manifest = fx.uploadAll({fx.path("send/folder")});
        const QList<QByteArray> keys = fx.chunkKeys(manifest.files[0].stream);
        QCOMPARE(keys.size(), chunkCount(kBig));

        auto id = fx.manager->download(manifest, fx.path("receive"), u"resume"_s);
        CAIRN_VERIFY_OK(id);
        QVERIFY(fx.runUntilDone(id.value(), 50 * kChunkPlainBytes));
        // A batch's checkpoint is written once its part file is synced on a
        // worker: real time the simulated clock does not wait for.
        QVERIFY(fx.run([&] { return fx.journaledCheckpoint(id.value(), 0).first >= TransferJob::kBatchChunks; }, 60));
        fx.manager.reset(); // kill -9
        const QString part = fx.path("receive/folder/big.bin.cairn-part");
        QVERIFY(QFileInfo::exists(part));
        const auto [nextChunk, bytesDone] = fx.journaledCheckpoint(id.value(), 0);
        const qint64 partSize = QFileInfo(part).size();
        qInfo("checkpoint at chunk %lld (%lld bytes); the part file has %lld bytes", nextChunk, bytesDone, partSize);
        QVERIFY(nextChunk >= 50 - TransferJob::kBatchChunks); // a batch at least every 32 chunks
        QCOMPARE(bytesDone, nextChunk * kChunkPlainBytes);
        QVERIFY(partSize >= bytesDone); // usually more: written on after the last checkpoint
        QCOMPARE(QByteArray(readFile(part).left(bytesDone)), data.left(bytesDone));
        // Whatever follows the checkpoint (here also a torn write) is cut off.
        QFile torn(part);
        QVERIFY(torn.open(QIODevice::Append));
        QCOMPARE(torn.write(QByteArray(1000, '\xaa')), 1000);
        torn.close();

        fx.counting->reset();
        TransferManager &tm = fx.startManager();
        const TransferInfo info = fx.runToEnd(id.value());
        QCOMPARE(info.state, TransferState::Done);
        QCOMPARE(readFile(fx.path("receive/folder/big.bin")), data);
        QVERIFY(!QFileInfo::exists(part));
        // Nothing before the checkpoint was fetched again.
        for (qint64 i = 0; i < nextChunk; ++i)
            QCOMPARE(fx.counting->gets.value(keys[i]), 0);
        for (qint64 i = nextChunk; i < keys.size(); ++i)
            QVERIFY(fx.counting->gets.value(keys[i]) > 0);
        QCOMPARE(tm.info(id.value())->savedPaths.size(), 1);
    }

    void aSourceChangedBeforeTheResumeFailsNamingIt()
    {
        Fixture fx(m_seed + 2);
        const QString source = fx.path("send/big.bin");
        QVERIFY(writeFile(source, base::SeededRng(7).bytes(kBig)));
        fx.startManager();
        const QString id = fx.startUpload({source});
        QVERIFY(fx.runUntilDone(id, 20 * kChunkPlainBytes));
        fx.manager.reset();
        QFile f(source);
        QVERIFY(f.open(QIODevice::Append));
        QCOMPARE(f.write("more"), 4);
        f.close();

        std::unique_ptr<QSignalSpy> failed;
        TransferManager &tm = fx.startManager(
            [&](TransferManager &m) { failed = std::make_unique<QSignalSpy>(&m, &TransferManager::failed); });
        fx.run([&] { return tm.info(id)->state != TransferState::Running; }, 10);
        const TransferInfo info = *tm.info(id);
        QCOMPARE(info.state, TransferState::Failed);
        QVERIFY2(info.error.contains(source) && info.error.contains(u"changed"_s), qPrintable(info.error));
        QCOMPARE(failed->count(), 1);
        QCOMPARE(failed->first().at(1).toString(), info.error);
        // A retry fails the same way; it does not quietly send the new content.
        CAIRN_VERIFY_OK(tm.resume(id));
        fx.run([&] { return tm.info(id)->state != TransferState::Running; }, 10);
        QCOMPARE(tm.info(id)->state, TransferState::Failed);
        QCOMPARE(failed->count(), 2);
    }

    void progressRisesAndHasAnEta()
    {
        Fixture fx(m_seed + 3);
        QVERIFY(writeFile(fx.path("send/big.bin"), base::SeededRng(8).bytes(kBig)));
        TransferManager &tm = fx.startManager();
        struct Sample {
            qint64 bytes;
            qint64 eta;
            double rate;
        };
        QList<Sample> samples;
        QString id;
        connect(&tm, &TransferManager::changed, &tm, [&](const QString &which) {
            if (which != id)
                return;
            const TransferInfo info = *tm.info(id);
            if (info.state == TransferState::Running)
                samples.append({info.bytesDone, info.etaSeconds, info.rate});
        });
        id = fx.startUpload({fx.path("send/big.bin")});
        const TransferInfo done = fx.runToEnd(id);
        QCOMPARE(done.state, TransferState::Done);
        QCOMPARE(done.bytesDone, kBig);
        QCOMPARE(done.etaSeconds, 0);
        qInfo("%lld progress reports while running", qint64(samples.size()));
        QVERIFY(samples.size() >= 3);
        int withEta = 0;
        for (qsizetype i = 1; i < samples.size(); ++i) {
            QVERIFY(samples[i].bytes >= samples[i - 1].bytes);
            if (samples[i].eta >= 0 && samples[i].rate > 0)
                ++withEta;
        }
        QVERIFY(samples.last().bytes > samples.first().bytes);
        QVERIFY(withEta >= 2);
    }

    void pauseResumeAndCancel()
    {
        Fixture fx(m_seed + 4);
        const QByteArray data = base::SeededRng(9).bytes(kBig);
        QVERIFY(writeFile(fx.path("send/folder/big.bin"), data));
        TransferManager &tm = fx.startManager();
        const Manifest manifest = fx.uploadAll({fx.path("send/folder")});

        auto id = tm.download(manifest, fx.path("receive"), u"pause"_s);
        CAIRN_VERIFY_OK(id);
        QVERIFY(fx.runUntilDone(id.value(), 20 * kChunkPlainBytes));
        CAIRN_VERIFY_OK(tm.pause(id.value()));
        CAIRN_VERIFY_ERROR(tm.pause(id.value()), TransferError::InvalidState);
        const qint64 paused = tm.info(id.value())->bytesDone;
        fx.run([] { return false; }, 10);
        QCOMPARE(tm.info(id.value())->state, TransferState::Paused);
        QCOMPARE(tm.info(id.value())->bytesDone, paused);
        CAIRN_VERIFY_OK(tm.resume(id.value()));
        QCOMPARE(fx.runToEnd(id.value()).state, TransferState::Done);
        QCOMPARE(readFile(fx.path("receive/folder/big.bin")), data);
        CAIRN_VERIFY_ERROR(tm.cancel(id.value()), TransferError::InvalidState);

        auto other = tm.download(manifest, fx.path("receive"), u"cancel"_s);
        CAIRN_VERIFY_OK(other);
        QVERIFY(fx.runUntilDone(other.value(), 20 * kChunkPlainBytes));
        QCOMPARE(partFiles(fx.path("receive")).size(), 1);
        QVERIFY(QFileInfo(fx.path("receive/folder (1)")).isDir());
        CAIRN_VERIFY_OK(tm.cancel(other.value()));
        QCOMPARE(tm.info(other.value())->state, TransferState::Cancelled);
        QVERIFY(partFiles(fx.path("receive")).isEmpty());
        QVERIFY(!QFileInfo::exists(fx.path("receive/folder (1)")));
        QCOMPARE(readFile(fx.path("receive/folder/big.bin")), data);
        fx.run([] { return false; }, 10); // late answers change nothing
        QCOMPARE(tm.info(other.value())->state, TransferState::Cancelled);
        QVERIFY(partFiles(fx.path("receive")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestResume)
#include "test_resume.moc"
