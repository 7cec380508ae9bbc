// The WAL checkpointer keeps fsync off the event loop: commits only append
// to the log, a worker copies the log into the database file, and
// whenDurable() answers once what was committed is in that file.
#include "core/base/qt/walcheckpointer.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace cairn::base;

namespace {
/// Opens `path` under `name` in WAL mode.
QSqlDatabase openWal(const QString &name, const QString &path)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(path);
    if (db.open()) {
        QSqlQuery q(db);
        q.exec(QStringLiteral("PRAGMA journal_mode = WAL"));
    }
    return db;
}

bool exec(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    return q.exec(sql);
}

/// How many rows the database *file* alone holds: a copy of it without its
/// -wal file, opened read-only, sees only what was checkpointed.
int rowsInFileAlone(const QString &path, const QString &scratch)
{
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(scratch + QLatin1String(suffix));
    if (!QFile::copy(path, scratch))
        return -1;
    int rows = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("copy"));
        db.setDatabaseName(scratch);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT count(*) FROM t")) && q.next())
                rows = q.value(0).toInt();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("copy"));
    return rows;
}
} // namespace

class TestWalCheckpointer : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void commitsStayInTheLogUntilACheckpointCopiesThem()
    {
        const QString path = m_dir.filePath(QStringLiteral("a.db"));
        {
            QSqlDatabase db = openWal(QStringLiteral("a"), path);
            QVERIFY(db.isOpen());
            QString error;
            const auto checkpointer = WalCheckpointer::attach(path, QStringLiteral("a"), 4, &error);
            QVERIFY2(checkpointer, qPrintable(error));
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA synchronous")) && q.next());
            QCOMPARE(q.value(0).toInt(), 0); // OFF: commits never wait for the disk
            q.finish();
            QVERIFY(exec(db, QStringLiteral("CREATE TABLE t (x INTEGER)")));
            checkpointer->committed();
            for (int i = 0; i < 2; ++i) {
                QVERIFY(exec(db, QStringLiteral("INSERT INTO t VALUES (%1)").arg(i)));
                checkpointer->committed();
            }
            QCOMPARE(checkpointer->pendingCommits(), quint64(3));
            // Fewer than `every` commits: nothing is copied on its own.
            QTest::qWait(50);
            QCOMPARE(rowsInFileAlone(path, m_dir.filePath(QStringLiteral("copy.db"))), -1); // no table yet

            bool durable = false;
            checkpointer->whenDurable([&] { durable = true; });
            QVERIFY(!durable); // not inline: the worker has to sync first
            QTRY_VERIFY(durable);
            QCOMPARE(checkpointer->pendingCommits(), quint64(0));
            QCOMPARE(rowsInFileAlone(path, m_dir.filePath(QStringLiteral("copy.db"))), 2);

            // Nothing new since: answered at once.
            bool again = false;
            checkpointer->whenDurable([&] { again = true; });
            QVERIFY(again);

            // `every` commits start a checkpoint without anyone waiting.
            for (int i = 2; i < 6; ++i) {
                QVERIFY(exec(db, QStringLiteral("INSERT INTO t VALUES (%1)").arg(i)));
                checkpointer->committed();
            }
            QTRY_COMPARE(checkpointer->pendingCommits(), quint64(0));
            QCOMPARE(rowsInFileAlone(path, m_dir.filePath(QStringLiteral("copy.db"))), 6);
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("a"));
    }

    void aReaderOnAnOldSnapshotDelaysDurabilityUntilItIsDone()
    {
        const QString path = m_dir.filePath(QStringLiteral("b.db"));
        {
            QSqlDatabase db = openWal(QStringLiteral("b"), path);
            QVERIFY(db.isOpen());
            QString error;
            const auto checkpointer = WalCheckpointer::attach(path, QStringLiteral("b"), 100, &error);
            QVERIFY2(checkpointer, qPrintable(error));
            QVERIFY(exec(db, QStringLiteral("CREATE TABLE t (x INTEGER)")));
            checkpointer->committed();
            bool first = false;
            checkpointer->whenDurable([&] { first = true; });
            QTRY_VERIFY(first);

            // A reader pins the current snapshot; later commits cannot be
            // copied past it, so they are not durable yet.
            QSqlDatabase reader = openWal(QStringLiteral("b.reader"), path);
            QVERIFY(reader.transaction());
            QSqlQuery pin(reader);
            QVERIFY(pin.exec(QStringLiteral("SELECT count(*) FROM t")) && pin.next());
            QVERIFY(exec(db, QStringLiteral("INSERT INTO t VALUES (1)")));
            checkpointer->committed();
            bool durable = false;
            checkpointer->whenDurable([&] { durable = true; });
            QTest::qWait(5 * WalCheckpointer::kRetryMs);
            QVERIFY(!durable);
            QCOMPARE(checkpointer->pendingCommits(), quint64(1));

            pin.finish();
            QVERIFY(reader.commit());
            QTRY_VERIFY(durable);
            QCOMPARE(rowsInFileAlone(path, m_dir.filePath(QStringLiteral("copy.db"))), 1);
            reader.close();
            reader = QSqlDatabase();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("b.reader"));
        QSqlDatabase::removeDatabase(QStringLiteral("b"));
    }
};

QTEST_GUILESS_MAIN(TestWalCheckpointer)
#include "test_walcheckpointer.moc"
