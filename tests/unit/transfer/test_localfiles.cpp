// The local side of transfers: which files a dropped folder sends, names that
// never overwrite, paths that stay inside the destination, a full disk, the
// journal refusing files that are not its own, and the rate meter.
#include "core/transfer/flowwindow.h"
#include "core/transfer/journal.h"
#include "core/transfer/localfiles.h"
#include "core/transfer/ratemeter.h"
#include "testfiles.h"
#include "tests/unit/resultchecks.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <sys/stat.h>
#include <unistd.h>

using namespace cairn;
using namespace cairn::transfer;
using namespace cairn::transfer::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

/// Runs one SQL statement on the SQLite file at `path`, behind the journal's back.
bool execOn(const QString &path, const QString &statement)
{
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"test.exec"_s);
        db.setDatabaseName(path);
        ok = db.open() && QSqlQuery(db).exec(statement);
        db.close();
    }
    QSqlDatabase::removeDatabase(u"test.exec"_s);
    return ok;
}

} // namespace

class TestLocalFiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void numberedNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("numbered");
        QTest::newRow("extension") << u"a.txt"_s << u"a (2).txt"_s;
        QTest::newRow("two extensions") << u"archive.tar.gz"_s << u"archive (2).tar.gz"_s;
        QTest::newRow("folder") << u"photos"_s << u"photos (2)"_s;
        QTest::newRow("dot file") << u".bashrc"_s << u".bashrc (2)"_s;
        QTest::newRow("dot file with extension") << u".config.json"_s << u".config (2).json"_s;
    }
    void numberedNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, numbered);
        QCOMPARE(numberedName(name, 2), numbered);
    }

    void uniqueNamesNeverReplaceAnything()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        QVERIFY(writeFile(d + u"/a.txt"_s, "first"));
        QVERIFY(writeFile(d + u"/a (1).txt"_s, "second"));
        auto created = createUnique(d, u"a.txt"_s);
        CAIRN_VERIFY_OK(created);
        QCOMPARE(created.value(), d + u"/a (2).txt"_s);
        QVERIFY(writeFile(d + u"/incoming"_s, "new"));
        auto renamed = renameUnique(d + u"/incoming"_s, d, u"a.txt"_s);
        CAIRN_VERIFY_OK(renamed);
        QCOMPARE(renamed.value(), d + u"/a (3).txt"_s);
        QCOMPARE(readFile(d + u"/a.txt"_s), QByteArray("first"));
        QCOMPARE(readFile(d + u"/a (1).txt"_s), QByteArray("second"));
        QCOMPARE(readFile(d + u"/a (3).txt"_s), QByteArray("new"));
        QVERIFY(!QFileInfo::exists(d + u"/incoming"_s));
        auto folder = makeUniqueFolder(d, u"a.txt"_s);
        CAIRN_VERIFY_OK(folder);
        QCOMPARE(folder.value(), d + u"/a (4).txt"_s);
        QVERIFY(QFileInfo(folder.value()).isDir());
        CAIRN_VERIFY_ERROR(createUnique(d + u"/no/such/dir"_s, u"x"_s), TransferError::Io);
    }

    void pathsStayInsideTheDestination()
    {
        QTemporaryDir dir, outside;
        const QString d = dir.path();
        QVERIFY(QDir().mkpath(d + u"/sub"_s));
        QVERIFY(QFile::link(outside.path(), d + u"/out"_s));
        QVERIFY(staysInside(d, d + u"/a.txt"_s));
        QVERIFY(staysInside(d, d + u"/sub/new/deeper/a.txt"_s));
        QVERIFY(!staysInside(d, d + u"/../a.txt"_s));
        QVERIFY(!staysInside(d, d + u"/out/a.txt"_s));
        QVERIFY(!staysInside(d, d + u"/out/new/a.txt"_s));
        QVERIFY(!staysInside(d, d));
        QVERIFY(!staysInside(d + u"/missing"_s, d + u"/missing/a"_s));
    }

    void aFolderSendsItsRegularFilesOnly()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        QVERIFY(writeFile(d + u"/photos/2024/x.jpg"_s, "x"));
        QVERIFY(writeFile(d + u"/photos/.hidden"_s, "h"));
        QVERIFY(writeFile(d + u"/photos/empty"_s, ""));
        QVERIFY(QDir().mkpath(d + u"/photos/no-files"_s));
        QVERIFY(writeFile(d + u"/elsewhere/secret"_s, "s"));
        QVERIFY(QFile::link(d + u"/elsewhere/secret"_s, d + u"/photos/link"_s));
        QVERIFY(QFile::link(d + u"/elsewhere"_s, d + u"/photos/linked-folder"_s));
        QCOMPARE(::mkfifo(QFile::encodeName(d + u"/photos/fifo"_s).constData(), 0600), 0);
        auto files = scanSources({d + u"/photos"_s, d + u"/elsewhere/secret"_s});
        CAIRN_VERIFY_OK(files);
        QStringList rel;
        for (const SourceFile &f : files.value())
            rel.append(f.relPath);
        QCOMPARE(rel, QStringList({u"photos/.hidden"_s, u"photos/2024/x.jpg"_s, u"photos/empty"_s, u"secret"_s}));
        QCOMPARE(files->at(1).absPath, d + u"/photos/2024/x.jpg"_s);
        QCOMPARE(files->at(1).size, 1);
        QVERIFY(files->at(1).mtime > 0);

        auto missing = scanSources({d + u"/photos/nothing"_s});
        CAIRN_VERIFY_ERROR(missing, TransferError::NotFound);
        QVERIFY(missing.message().contains(d + u"/photos/nothing"_s));
        CAIRN_VERIFY_ERROR(scanSources({d + u"/photos/fifo"_s}), TransferError::InvalidArgument);
        QVERIFY(writeFile(d + u"/bad\\name"_s, "b"));
        CAIRN_VERIFY_ERROR(scanSources({d + u"/bad\\name"_s}), TransferError::InvalidPath);
        if (::geteuid() != 0) {
            QVERIFY(writeFile(d + u"/locked"_s, "l"));
            QVERIFY(QFile::setPermissions(d + u"/locked"_s, QFileDevice::WriteOwner));
            CAIRN_VERIFY_ERROR(scanSources({d + u"/locked"_s}), TransferError::Unreadable);
        } else {
            qInfo("running as root: every file is readable, so the unreadable case is not tried");
        }
    }

    void aSourceIsCheckedAgainstWhatWasRecorded()
    {
        QTemporaryDir dir;
        const QString path = dir.path() + u"/a.bin"_s;
        QVERIFY(writeFile(path, QByteArray(1000, 'a')));
        SourceFile recorded {path, u"a.bin"_s, 1000, modificationTime(path)};
        auto source = FileSource::open(recorded);
        CAIRN_VERIFY_OK(source);
        QCOMPARE(source.value()->read(990, 10).value(), QByteArray(10, 'a'));
        CAIRN_VERIFY_ERROR(source.value()->read(995, 10), TransferError::SourceChanged);
        recorded.mtime -= 1000;
        auto changed = FileSource::open(recorded);
        CAIRN_VERIFY_ERROR(changed, TransferError::SourceChanged);
        QVERIFY(changed.message().contains(path));
        QVERIFY(QFile::remove(path));
        CAIRN_VERIFY_ERROR(FileSource::open(recorded), TransferError::NotFound);
    }

    void aPartFileIsCutBackToItsCheckpoint()
    {
        QTemporaryDir dir;
        const QString path = dir.path() + u"/a.cairn-part"_s;
        QVERIFY(writeFile(path, "0123456789"));
        auto part = PartFile::open(path, 4);
        CAIRN_VERIFY_OK(part);
        CAIRN_VERIFY_OK(part.value()->write("abc"));
        CAIRN_VERIFY_OK(part.value()->sync());
        part.value()->close();
        QCOMPARE(readFile(path), QByteArray("0123abc"));
        CAIRN_VERIFY_ERROR(PartFile::open(path, 100), TransferError::Journal);
        CAIRN_VERIFY_ERROR(PartFile::open(dir.path() + u"/gone"_s, 5), TransferError::Journal);
    }

    void aPartFileSyncsOnAWorkerEvenIfClosedMeanwhile()
    {
        QTemporaryDir dir;
        const QString path = dir.path() + u"/b.cairn-part"_s;
        auto part = PartFile::open(path, 0);
        CAIRN_VERIFY_OK(part);
        CAIRN_VERIFY_OK(part.value()->write(QByteArray(1 << 20, 'z')));
        const auto sync = part.value()->syncInBackground();
        part.value().reset(); // the worker syncs its own duplicate of the descriptor
        QTRY_VERIFY(sync->done());
        QVERIFY2(sync->error().isEmpty(), qPrintable(sync->error()));
        QCOMPARE(QFileInfo(path).size(), qint64(1 << 20));
    }

    void aFullDiskIsReportedAsSuch()
    {
        QFile full(u"/dev/full"_s);
        QVERIFY2(full.open(QIODevice::WriteOnly | QIODevice::Unbuffered), "this test needs /dev/full");
        auto r = writeAll(full, QByteArray(65536, 'x'));
        CAIRN_VERIFY_ERROR(r, TransferError::DiskFull);
        QVERIFY2(
            r.message().contains(u"/dev/full"_s) && r.message().contains(u"disk is full"_s), qPrintable(r.message()));
    }

    void theJournalRefusesOtherFiles()
    {
        QTemporaryDir dir;
        const QString other = dir.path() + u"/other.db"_s;
        QVERIFY(execOn(other, u"CREATE TABLE notes (x INTEGER)"_s));
        Journal j;
        CAIRN_VERIFY_ERROR(j.open(other), TransferError::Journal);

        const QString path = dir.path() + u"/journal.db"_s;
        {
            Journal fresh;
            CAIRN_VERIFY_OK(fresh.open(path));
            QCOMPARE(QFileInfo(path).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                QFileDevice::Permissions());
        }
        QVERIFY(execOn(path, u"UPDATE schema_version SET version = 99"_s));
        Journal newer;
        auto r = newer.open(path);
        CAIRN_VERIFY_ERROR(r, TransferError::Journal);
        QVERIFY(r.message().contains(u"99"_s));
    }

    void theRateFollowsTheLastSeconds()
    {
        using base::Duration;
        RateMeter meter;
        QCOMPARE(meter.rate(base::Instant(0)), 0.0);
        QCOMPARE(meter.etaSeconds(base::Instant(0), 100), -1);
        for (int s = 0; s <= 10; ++s)
            meter.record(base::Instant(qint64(s) * 1'000'000), qint64(s) * 1000);
        QCOMPARE(meter.rate(base::Instant(10'000'000)), 1000.0);
        QCOMPARE(meter.etaSeconds(base::Instant(10'000'000), 5000), 5);
        // Faster for the last 5 s: the old pace no longer counts.
        for (int s = 11; s <= 15; ++s)
            meter.record(base::Instant(qint64(s) * 1'000'000), 10'000 + qint64(s - 10) * 5000);
        QCOMPARE(meter.rate(base::Instant(15'000'000)), 5000.0);
        // Stalled: nothing new for longer than the window.
        QCOMPARE(meter.rate(base::Instant(30'000'000)), 0.0);
        QCOMPARE(meter.etaSeconds(base::Instant(30'000'000), 5000), -1);
        QCOMPARE(meter.etaSeconds(base::Instant(30'000'000), 0), 0);
    }

    void theWindowGrowsUntilRequestsQueueThenHalves()
    {
        using base::Duration;
        using base::Instant;
        FlowWindow w(16, 2);
        QCOMPARE(w.size(), 2);
        qint64 t = 0;
        // Requests as fast as the fastest: one more per request (slow start).
        for (int i = 0; i < 20; ++i)
            w.completed(Duration(200'000), Instant(t += 10'000));
        QCOMPARE(w.size(), 16);
        // 300 ms more than the fastest is queueing: halve, once per round trip.
        w.completed(Duration(500'000), Instant(t += 10'000));
        QCOMPARE(w.size(), 8);
        w.completed(Duration(500'000), Instant(t += 10'000));
        QCOMPARE(w.size(), 8);
        w.completed(Duration(500'000), Instant(t += 300'000));
        QCOMPARE(w.size(), 4);
        // After a cut it grows by about one per window of requests.
        for (int i = 0; i < 4; ++i)
            w.completed(Duration(250'000), Instant(t += 10'000));
        QCOMPARE(w.size(), 4);
        for (int i = 0; i < 6; ++i)
            w.completed(Duration(250'000), Instant(t += 10'000));
        QCOMPARE(w.size(), 6);
        // Failures halve it too, never below one.
        for (int i = 0; i < 10; ++i)
            w.failed(Instant(t += 1'000'000));
        QCOMPARE(w.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestLocalFiles)
#include "test_localfiles.moc"
