#include "core/base/qt/walcheckpointer.h"

#include "core/base/log.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace cairn::base {

WalCheckpointer::WalCheckpointer(QString path, QString owner, int every, QObject *parent)
    : QObject(parent),
      m_path(std::move(path)),
      m_owner(std::move(owner)),
      m_connection(m_owner + QStringLiteral(".checkpoint")),
      m_every(qMax(1, every))
{
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &WalCheckpointer::finished);
}

WalCheckpointer::~WalCheckpointer()
{
    m_watcher.disconnect(this);
    m_watcher.waitForFinished();
    QSqlDatabase db = QSqlDatabase::database(m_owner, false);
    if (db.isOpen()) {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("PRAGMA synchronous = FULL")))
            qCWarning(lcBase) << "cannot make the last checkpoint of" << m_path << "safe:" << q.lastError().text();
    }
}

QString WalCheckpointer::configure(const QString &connection)
{
    QSqlDatabase db = QSqlDatabase::database(connection, false);
    QSqlQuery q(db);
    // Outside WAL mode (a file system without shared memory) the
    // connection keeps its own synchronous setting: OFF would not be safe.
    if (!q.exec(QStringLiteral("PRAGMA journal_mode")) || !q.next())
        return q.lastError().text();
    if (q.value(0).toString() != QLatin1String("wal"))
        return {};
    q.finish();
    // OFF: no commit waits for the disk; the worker's checkpoints sync.
    // (With the log synced before any of it is copied into the file, a
    // power cut loses at most commits not yet checkpointed, never the
    // file's consistency.)
    for (const char *pragma : {"PRAGMA synchronous = OFF", "PRAGMA wal_autocheckpoint = 0"}) {
        if (!q.exec(QString::fromLatin1(pragma)))
            return q.lastError().text();
    }
    return {};
}

void WalCheckpointer::committed()
{
    ++m_dirty;
    maybeStart();
}

void WalCheckpointer::whenDurable(std::function<void()> done)
{
    if (m_dirty == 0) {
        done();
        return;
    }
    m_waiting.append(std::move(done));
    maybeStart();
}

void WalCheckpointer::maybeStart()
{
    if (m_watcher.isRunning() || m_retryArmed)
        return;
    if (m_dirty >= m_every || (!m_waiting.isEmpty() && m_dirty > 0))
        start();
}

void WalCheckpointer::start()
{
    // Everything committed until now is in the log the worker will copy.
    m_inFlight = m_dirty;
    m_waitingOnRunning = std::move(m_waiting);
    m_waiting.clear();
    const QString path = m_path;
    const QString connection = m_connection;
    m_watcher.setFuture(QtConcurrent::run([path, connection] { return checkpoint(path, connection); }));
}

void WalCheckpointer::finished()
{
    const Outcome outcome = m_watcher.result();
    if (outcome.complete) {
        m_dirty -= m_inFlight;
        m_inFlight = 0;
        const auto done = std::move(m_waitingOnRunning);
        m_waitingOnRunning.clear();
        for (const auto &f : done)
            f();
        maybeStart();
        return;
    }
    if (!outcome.error.isEmpty())
        qCWarning(lcBase) << "cannot copy the write-ahead log into" << m_path << ":" << outcome.error;
    // Try again shortly, with those who waited first in line.
    m_inFlight = 0;
    m_waitingOnRunning.append(std::move(m_waiting));
    m_waiting = std::move(m_waitingOnRunning);
    m_waitingOnRunning.clear();
    m_retryArmed = true;
    QTimer::singleShot(kRetryMs, this, [this] {
        m_retryArmed = false;
        maybeStart();
    });
}

WalCheckpointer::Outcome WalCheckpointer::checkpoint(const QString &path, const QString &connection)
{
    Outcome outcome;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        if (!db.open()) {
            outcome.error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            // PASSIVE never waits for, nor blocks, the writer on the event
            // loop. Its row: busy, frames in the log, frames copied.
            if (!q.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)")) || !q.next())
                outcome.error = q.lastError().text();
            else
                outcome.complete = q.value(0).toInt() == 0 && q.value(1).toLongLong() == q.value(2).toLongLong();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return outcome;
}

} // namespace cairn::base
