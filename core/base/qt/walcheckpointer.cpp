#include "core/base/qt/walcheckpointer.h"

#include "core/base/log.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace cairn::base {

std::unique_ptr<WalCheckpointer> WalCheckpointer::attach(
    const QString &path, const QString &owner, int every, QString *error)
{
    error->clear();
    QSqlQuery q(QSqlDatabase::database(owner, false));
    if (!q.exec(QStringLiteral("PRAGMA journal_mode")) || !q.next()) {
        *error = q.lastError().text();
        return nullptr;
    }
    // OFF would not be safe outside WAL mode.
    if (q.value(0).toString() != QLatin1String("wal"))
        return nullptr;
    q.finish();
    // OFF: no commit waits for the disk; the worker's checkpoints sync.
    // (With the log synced before any of it is copied into the file, a
    // power cut loses at most commits not yet checkpointed, never the
    // file's consistency.)
    for (const char *pragma : {"PRAGMA synchronous = OFF", "PRAGMA wal_autocheckpoint = 0"}) {
        if (!q.exec(QString::fromLatin1(pragma))) {
            *error = q.lastError().text();
            return nullptr;
        }
    }
    return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(path, owner, every));
}

WalCheckpointer::WalCheckpointer(QString path, QString owner, int every)
    : m_path(std::move(path)),
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

void WalCheckpointer::committed()
{
    ++m_committed;
    maybeStart();
}

void WalCheckpointer::whenDurable(std::function<void()> done)
{
    if (m_durable == m_committed) {
        done();
        return;
    }
    m_waiting.append({m_committed, std::move(done)});
    maybeStart();
}

void WalCheckpointer::maybeStart()
{
    if (m_watcher.isRunning() || m_retryArmed)
        return;
    const quint64 pending = m_committed - m_durable;
    if (pending >= quint64(m_every) || (pending > 0 && !m_waiting.isEmpty())) {
        // Everything committed until now is in the log the worker copies.
        m_covering = m_committed;
        m_watcher.setFuture(QtConcurrent::run(&WalCheckpointer::checkpoint, m_path, m_connection));
    }
}

void WalCheckpointer::finished()
{
    const Outcome outcome = m_watcher.result();
    if (outcome.complete) {
        m_durable = m_covering;
        QList<Waiter> ready;
        for (auto it = m_waiting.begin(); it != m_waiting.end();) {
            if (it->upTo <= m_durable) {
                ready.append(std::move(*it));
                it = m_waiting.erase(it);
            } else {
                ++it;
            }
        }
        for (const Waiter &w : ready)
            w.done();
        maybeStart();
        return;
    }
    if (!outcome.error.isEmpty())
        qCWarning(lcBase) << "cannot copy the write-ahead log into" << m_path << ":" << outcome.error;
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
