// Transfers end to end on a simulated DHT of 12 nodes: a folder tree goes up
// and comes down byte for byte; name clashes never overwrite; in-memory
// streams; bad calls fail at once and say why.
#include "tests/sim/lib/seed.h"
#include "transferfixture.h"

#include <QDirIterator>
#include <QSignalSpy>

using namespace cairn;
using namespace cairn::transfer;
using namespace cairn::transfer::testing;
using namespace Qt::Literals::StringLiterals;

namespace { } // namespace

class TestRoundTrip : public QObject {
    Q_OBJECT
private:
    quint64 m_seed = 0;

private Q_SLOTS:
    void initTestCase()
    {
        m_seed = sim::seedFromEnv(31);
        qInfo().noquote() << sim::replayHint(m_seed);
    }

    void aFolderTreeGoesUpAndComesDownByteForByte()
    {
        Fixture fx(m_seed);
        base::SeededRng rng(1);
        const QByteArray big = rng.bytes(3'000'000), exact = rng.bytes(65536), small = rng.bytes(1000),
                         notes = rng.bytes(77);
        QVERIFY(writeFile(fx.path("send/photos/2024/big.bin"), big));
        QVERIFY(writeFile(fx.path("send/photos/empty.txt"), {}));
        QVERIFY(writeFile(fx.path("send/photos/exact.bin"), exact));
        QVERIFY(writeFile(fx.path("send/photos/2023/small.txt"), small));
        QVERIFY(writeFile(fx.path("send/notes.txt"), notes));
        // A symlink inside a dropped folder is skipped.
        QVERIFY(QFile::link(fx.path("send/notes.txt"), fx.path("send/photos/link.txt")));

        TransferManager &tm = fx.startManager();
        QSignalSpy uploaded(&tm, &TransferManager::uploadFinished);
        auto id = tm.upload({fx.path("send/photos"), fx.path("send/notes.txt")}, Fixture::kCopies, Fixture::kTtl,
            QStringLiteral("holiday"), QByteArray("tag-1"));
        CAIRN_VERIFY_OK(id);
        QCOMPARE(id->size(), 8);
        TransferInfo info = fx.runToEnd(id.value());
        QCOMPARE(info.state, TransferState::Done);
        QCOMPARE(info.fileCount, 5);
        QCOMPARE(info.bytesTotal, 3'000'000 + 65536 + 1000 + 77);
        QCOMPARE(info.bytesDone, info.bytesTotal);
        QCOMPARE(info.label, QStringLiteral("holiday"));
        QCOMPARE(info.tag, QByteArray("tag-1"));
        QCOMPARE(uploaded.count(), 1);
        const Manifest manifest = info.manifest;
        QVERIFY(uploaded.first().at(1).value<Manifest>() == manifest);
        QStringList paths;
        for (const FileEntry &f : manifest.files)
            paths.append(f.path);
        QCOMPARE(paths,
            QStringList({u"notes.txt"_s, u"photos/2023/small.txt"_s, u"photos/2024/big.bin"_s, u"photos/empty.txt"_s,
                u"photos/exact.bin"_s}));
        // Every chunk and index blob was stored, with the copies asked for.
        const qint64 chunks = chunkCount(3'000'000) + 1 + 1 + chunkCount(65536) + 1;
        QCOMPARE(chunkCount(65536), 2);
        QCOMPARE(fx.counting->puts.size(), chunks + 5);
        for (const FileEntry &f : manifest.files) {
            QCOMPARE(f.stream.copies, Fixture::kCopies);
            QCOMPARE(f.stream.expiresAt, info.createdAt + Fixture::kTtl);
            QVERIFY(fx.holders(f.stream.index.first()).size() >= Fixture::kCopies);
        }
        // The manifest survives its own encoding (it travels in a mail).
        auto decoded = Manifest::decode(manifest.encode());
        CAIRN_VERIFY_OK(decoded);

        QSignalSpy downloaded(&tm, &TransferManager::downloadFinished);
        auto down = tm.download(decoded.value(), fx.path("receive"), QStringLiteral("from alice"));
        CAIRN_VERIFY_OK(down);
        info = fx.runToEnd(down.value());
        QCOMPARE(info.state, TransferState::Done);
        QCOMPARE(info.bytesDone, info.bytesTotal);
        QCOMPARE(readFile(fx.path("receive/photos/2024/big.bin")), big);
        QCOMPARE(readFile(fx.path("receive/photos/exact.bin")), exact);
        QCOMPARE(readFile(fx.path("receive/photos/2023/small.txt")), small);
        QCOMPARE(readFile(fx.path("receive/notes.txt")), notes);
        QVERIFY(QFileInfo(fx.path("receive/photos/empty.txt")).isFile());
        QCOMPARE(QFileInfo(fx.path("receive/photos/empty.txt")).size(), 0);
        QVERIFY(!QFileInfo::exists(fx.path("receive/photos/link.txt")));
        QCOMPARE(downloaded.count(), 1);
        QStringList saved = downloaded.first().at(1).toStringList();
        QCOMPARE(saved.size(), 5);
        QCOMPARE(saved, info.savedPaths);
        QVERIFY(saved.contains(QFileInfo(fx.path("receive")).canonicalFilePath() + u"/photos/2024/big.bin"_s));
        QDirIterator it(fx.path("receive"), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            QVERIFY2(!it.next().endsWith(u".cairn-part"_s), qPrintable(it.filePath()));

        // A restart lists both transfers as they ended, the manifest included.
        fx.manager.reset();
        TransferManager &again = fx.startManager();
        QCOMPARE(again.transfers().size(), 2);
        QVERIFY(again.info(id.value())->manifest == manifest);
        QCOMPARE(again.info(down.value())->savedPaths, saved);
        QCOMPARE(again.info(down.value())->state, TransferState::Done);
        CAIRN_VERIFY_OK(again.remove(id.value()));
        QVERIFY(!again.info(id.value()));
    }

    void aNameClashNeverOverwrites()
    {
        Fixture fx(m_seed + 1);
        QVERIFY(writeFile(fx.path("send/x.txt"), "theirs"));
        QVERIFY(writeFile(fx.path("send/photos/a.txt"), "their photo"));
        QVERIFY(writeFile(fx.path("send/archive.tar.gz"), "their archive"));
        QVERIFY(writeFile(fx.path("receive/x.txt"), "mine"));
        QVERIFY(writeFile(fx.path("receive/photos/a.txt"), "my photo"));
        QVERIFY(writeFile(fx.path("receive/archive.tar.gz"), "my archive"));
        fx.startManager();
        const Manifest m
            = fx.uploadAll({fx.path("send/x.txt"), fx.path("send/photos"), fx.path("send/archive.tar.gz")});

        for (int round = 1; round <= 2; ++round) {
            auto id = fx.manager->download(m, fx.path("receive"), QStringLiteral("clash"));
            CAIRN_VERIFY_OK(id);
            const TransferInfo info = fx.runToEnd(id.value());
            QCOMPARE(info.state, TransferState::Done);
            const QString n = QStringLiteral(" (%1)").arg(round);
            QCOMPARE(readFile(fx.path(u"receive/x"_s + n + u".txt"_s)), QByteArray("theirs"));
            QCOMPARE(readFile(fx.path(u"receive/photos"_s + n + u"/a.txt"_s)), QByteArray("their photo"));
            QCOMPARE(readFile(fx.path(u"receive/archive"_s + n + u".tar.gz"_s)), QByteArray("their archive"));
        }
        QCOMPARE(readFile(fx.path("receive/x.txt")), QByteArray("mine"));
        QCOMPARE(readFile(fx.path("receive/photos/a.txt")), QByteArray("my photo"));
        QCOMPARE(readFile(fx.path("receive/archive.tar.gz")), QByteArray("my archive"));
        QCOMPARE(QDir(fx.path("receive/photos")).entryList(QDir::Files), QStringList {u"a.txt"_s});
    }

    void inMemoryStreamsRoundTrip()
    {
        Fixture fx(m_seed + 2);
        TransferManager &tm = fx.startManager();
        for (int size : {0, 1, 200'000}) {
            const QByteArray data = base::SeededRng(quint64(size)).bytes(size);
            std::optional<Result<StreamRef>> up;
            tm.uploadBytes(data, 2, 3600, [&](Result<StreamRef> r) { up = std::move(r); });
            QVERIFY(!up); // never inside the call
            fx.run([&] { return up.has_value(); });
            QVERIFY(up);
            CAIRN_VERIFY_OK(*up);
            const StreamRef ref = up->value();
            QCOMPARE(ref.size, qint64(size));
            QCOMPARE(ref.copies, 2);
            std::optional<Result<QByteArray>> down;
            tm.downloadBytes(ref, 1 << 20, [&](Result<QByteArray> r) { down = std::move(r); });
            fx.run([&] { return down.has_value(); });
            QVERIFY(down);
            CAIRN_VERIFY_OK(*down);
            QCOMPARE(down->value(), data);
            if (size > 1000) {
                std::optional<Result<QByteArray>> tooBig;
                tm.downloadBytes(ref, 1000, [&](Result<QByteArray> r) { tooBig = std::move(r); });
                fx.run([&] { return tooBig.has_value(); });
                CAIRN_VERIFY_ERROR(*tooBig, TransferError::TooLarge);
            }
        }
        std::optional<Result<StreamRef>> refused;
        tm.uploadBytes("x", 0, 3600, [&](Result<StreamRef> r) { refused = std::move(r); });
        fx.run([&] { return refused.has_value(); });
        CAIRN_VERIFY_ERROR(*refused, TransferError::InvalidArgument);
    }

    void badCallsFailAtOnceAndSayWhy()
    {
        Fixture fx(m_seed + 3);
        TransferManager &tm = fx.startManager();
        QVERIFY(writeFile(fx.path("send/a.txt"), "a"));
        const QString missing = fx.path("send/nope.txt");
        auto r = tm.upload({fx.path("send/a.txt"), missing}, 3, 3600, {});
        CAIRN_VERIFY_ERROR(r, TransferError::NotFound);
        QVERIFY2(r.message().contains(missing), qPrintable(r.message()));
        CAIRN_VERIFY_ERROR(tm.upload({fx.path("send/a.txt")}, 0, 3600, {}), TransferError::InvalidArgument);
        CAIRN_VERIFY_ERROR(tm.upload({fx.path("send/a.txt")}, 17, 3600, {}), TransferError::InvalidArgument);
        CAIRN_VERIFY_ERROR(tm.upload({fx.path("send/a.txt")}, 3, 0, {}), TransferError::InvalidArgument);
        QVERIFY(QDir().mkpath(fx.path("send/empty-folder")));
        CAIRN_VERIFY_ERROR(tm.upload({fx.path("send/empty-folder")}, 3, 3600, {}), TransferError::InvalidArgument);
        QVERIFY(writeFile(fx.path("send/other/a.txt"), "another a"));
        auto twice = tm.upload({fx.path("send/a.txt"), fx.path("send/other/a.txt")}, 3, 3600, {});
        CAIRN_VERIFY_ERROR(twice, TransferError::InvalidArgument);
        QVERIFY2(twice.message().contains(u"'a.txt'"_s), qPrintable(twice.message()));
        CAIRN_VERIFY_ERROR(tm.download(Manifest(), fx.path("receive"), {}), TransferError::InvalidArgument);
        CAIRN_VERIFY_ERROR(tm.pause(QStringLiteral("00000000")), TransferError::NotFound);
        QVERIFY(tm.transfers().isEmpty());

        const Manifest m = fx.uploadAll({fx.path("send/a.txt")});
        CAIRN_VERIFY_ERROR(tm.download(m, fx.path("send/a.txt"), {}), TransferError::InvalidArgument);
        CAIRN_VERIFY_ERROR(tm.download(m, fx.path("no-such-folder"), {}), TransferError::InvalidArgument);
        Manifest evil = m;
        evil.files[0].path = QStringLiteral("../escape.txt");
        CAIRN_VERIFY_ERROR(tm.download(evil, fx.path("receive"), {}), TransferError::InvalidPath);
        QVERIFY(!QFileInfo::exists(fx.path("escape.txt")));
        // A folder of the destination that is a symlink out of it is refused.
        QVERIFY(QDir().mkpath(fx.path("outside")));
        QVERIFY(QFile::link(fx.path("outside"), fx.path("receive/link")));
        Manifest via = m;
        via.files[0].path = QStringLiteral("link/a.txt");
        auto id = tm.download(via, fx.path("receive"), {});
        CAIRN_VERIFY_OK(id); // "link" is taken, so the drop's folder is "link (1)"
        QCOMPARE(fx.runToEnd(id.value()).state, TransferState::Done);
        QCOMPARE(readFile(fx.path("receive/link (1)/a.txt")), QByteArray("a"));
        QVERIFY(QDir(fx.path("outside")).isEmpty());
    }

    void anUploadOverASlowUplinkCompletes()
    {
        // 2 MB/s up: sixteen chunks to three replicas at once would queue
        // 1.5 s of data ahead of every other DHT message; with a fixed
        // window of 16 this failed 8 times in 10.
        const qint64 kUplink = 2'000'000;
        Fixture fx(m_seed + 4, kUplink, true);
        const QByteArray data = base::SeededRng(4).bytes(2'000'000);
        QVERIFY(writeFile(fx.path("send/slow.bin"), data));
        TransferManager &tm = fx.startManager();
        const base::Instant start = fx.scheduler().now();
        const TransferInfo up = fx.runToEnd(fx.startUpload({fx.path("send/slow.bin")}));
        QVERIFY2(up.state == TransferState::Done, qPrintable(up.error));
        const double seconds = double((fx.scheduler().now() - start).count()) / 1e6;
        qInfo("2 MB to 3 copies over %lld bytes/s in %.1f s (virtual)", kUplink, seconds);
        QVERIFY(seconds >= 3.0 * double(data.size()) / double(kUplink)); // the uplink was the limit
        // Lookups slowed by the full uplink may have put some copies on
        // nodes other than the closest; repair moves them where readers look.
        fx.run([] { return false; }, 20 * 60);
        auto id = tm.download(up.manifest, fx.path("receive"), u"slow"_s);
        CAIRN_VERIFY_OK(id);
        const TransferInfo down = fx.runToEnd(id.value());
        QVERIFY2(down.state == TransferState::Done, qPrintable(down.error));
        QCOMPARE(readFile(fx.path("receive/slow.bin")), data);
    }
};

QTEST_GUILESS_MAIN(TestRoundTrip)
#include "test_roundtrip.moc"
