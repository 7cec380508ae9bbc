#pragma once

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>

namespace cairn::base {

/// Keeps fsync off the event loop for an SQLite database in WAL mode. The
/// owner's connection runs with synchronous=OFF and wal_autocheckpoint=0
/// (see configure()), so a commit only appends to the log in the page cache
/// (NORMAL still synced the log's header on the event loop whenever the log
/// was reused after a checkpoint); this class copies the log into the
/// database file on a worker thread (its own connection with SQLite's
/// default synchronous=FULL, PRAGMA wal_checkpoint(PASSIVE): the log is
/// synced before any page of it reaches the file, the file after) and says
/// when what was committed before a point is on disk. The owner's
/// connection never checkpoints while this object lives; destroying it
/// sets that connection back to FULL, so the checkpoint SQLite makes when
/// the connection closes is synced too. Under heavy disk writes by other
/// programs one fsync on the event loop took over 100 ms.
class WalCheckpointer final : public QObject {
public:
    /// `path` is the database file, `owner` the name of the connection
    /// that writes it (configured with configure()). A checkpoint starts
    /// after every `every` commits, or at once when someone waits for one.
    WalCheckpointer(QString path, QString owner, int every, QObject *parent = nullptr);
    /// Waits for a running checkpoint. Callbacks still waiting are dropped:
    /// closing the owner's connection afterwards checkpoints what is left.
    ~WalCheckpointer() override;

    /// Sets the owner's connection up as described above, if it is in WAL
    /// mode (else it is left alone). Returns an empty string, or what
    /// failed.
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
    QString m_owner;
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
