#pragma once

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>

namespace cairn::base {

/// Keeps fsync off the event loop for an SQLite database in WAL mode. The
/// owner's connection runs with synchronous=NORMAL and wal_autocheckpoint=0
/// (see configure()), so a commit only appends to the log in the page cache;
/// this class copies the log into the database file on a worker thread (its
/// own connection, PRAGMA wal_checkpoint(PASSIVE), which syncs the log and
/// then the file) and says when what was committed before a point is on
/// disk. Under heavy disk writes by other programs one fsync on the event
/// loop took over 100 ms and froze the window.
class WalCheckpointer final : public QObject {
public:
    /// `path` is the database file; `connection` names the worker's
    /// connection (unique among live checkpointers). A checkpoint starts
    /// after every `every` commits, or at once when someone waits for one.
    WalCheckpointer(QString path, QString connection, int every, QObject *parent = nullptr);
    /// Waits for a running checkpoint. Callbacks still waiting are dropped:
    /// closing the owner's connection afterwards checkpoints what is left.
    ~WalCheckpointer() override;

    /// Sets the owner's connection up as described above. Returns an empty
    /// string, or what failed (the connection then stays as it was).
    static QString configure(const QString &connection);

    /// The owner committed a transaction.
    void committed();
    /// Calls `done` on this thread once everything committed so far is on
    /// disk: at once if it already is, else after the next full checkpoint.
    void whenDurable(std::function<void()> done);
    /// Commits not yet copied into the database file (for tests).
    int pendingCommits() const { return m_dirty; }

    /// After a partial checkpoint (a reader held an old snapshot), how long
    /// to wait before trying again.
    static constexpr int kRetryMs = 50;

private:
    struct Outcome {
        bool complete = false;
        QString error;
    };
    void maybeStart();
    void start();
    void finished();
    static Outcome checkpoint(const QString &path, const QString &connection);

    QString m_path;
    QString m_connection;
    int m_every;
    int m_dirty = 0;
    int m_inFlight = 0;
    bool m_retryArmed = false;
    QList<std::function<void()>> m_waiting;
    QList<std::function<void()>> m_waitingOnRunning;
    QFutureWatcher<Outcome> m_watcher;
};

} // namespace cairn::base
