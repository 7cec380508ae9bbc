#pragma once

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace cairn::base {

/// Keeps fsync off the event loop for an SQLite database in WAL mode. The
/// owner's connection runs with synchronous=OFF and wal_autocheckpoint=0
/// (set by attach()), so a commit only appends to the log in the page cache
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
    /// Sets up the open connection named `owner` to the database file
    /// `path` as described above and returns its checkpointer, which
    /// starts a checkpoint after every `every` commits, or at once when
    /// someone waits for one. Outside WAL mode (a file system without
    /// shared memory) the connection keeps its own synchronous setting and
    /// the result is null with `error` empty; on failure it is null with
    /// `error` saying what failed.
    static std::unique_ptr<WalCheckpointer> attach(
        const QString &path, const QString &owner, int every, QString *error);
    /// Waits for a running checkpoint. Callbacks still waiting are dropped:
    /// closing the owner's connection afterwards checkpoints what is left.
    ~WalCheckpointer() override;

    /// The owner committed a transaction.
    void committed();
    /// Calls `done` on this thread once everything committed so far is on
    /// disk: at once if it already is, else after the next full checkpoint.
    void whenDurable(std::function<void()> done);
    /// Commits not yet copied into the database file (for tests).
    quint64 pendingCommits() const { return m_committed - m_durable; }

    /// After a partial checkpoint (a reader held an old snapshot), how long
    /// to wait before trying again.
    static constexpr int kRetryMs = 50;

private:
    struct Outcome {
        bool complete = false;
        QString error;
    };
    struct Waiter {
        quint64 upTo; // durable once m_durable reaches it
        std::function<void()> done;
    };
    WalCheckpointer(QString path, QString owner, int every);
    void maybeStart();
    void finished();
    static Outcome checkpoint(const QString &path, const QString &connection);

    QString m_path;
    QString m_owner;
    QString m_connection;
    int m_every;
    /// Commits so far, commits known to be on disk, and the commits the
    /// running checkpoint covers.
    quint64 m_committed = 0;
    quint64 m_durable = 0;
    quint64 m_covering = 0;
    bool m_retryArmed = false;
    QList<Waiter> m_waiting;
    QFutureWatcher<Outcome> m_watcher;
};

} // namespace cairn::base
