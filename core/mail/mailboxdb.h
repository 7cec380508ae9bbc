#pragma once

// Internal to core/mail: the mailbox's SQLite connection, its schema and
// the one way every statement runs (prepared, bound, errors mapped onto
// MailError with a message that says what could not be done).

#include "core/base/qt/walcheckpointer.h"
#include "core/mail/error.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

#include <functional>
#include <initializer_list>
#include <memory>

namespace cairn::mail::detail {

class MailboxDb {
public:
    static constexpr int kSchemaVersion = 1;

    MailboxDb() = default;
    ~MailboxDb();
    MailboxDb(const MailboxDb &) = delete;
    MailboxDb &operator=(const MailboxDb &) = delete;

    /// Opens (creating if new) the database at `path` under a connection
    /// name unique to `owner`; refuses a file that is not a Cairn mailbox or
    /// that a newer Cairn wrote, leaving it untouched.
    Result<void> open(const QString &path, const void *owner);
    const QString &path() const { return m_path; }

    /// Prepares `statement`, binds `binds` to its `?` in order and runs it.
    /// `what` completes "cannot ...".
    Result<QSqlQuery> run(const QString &statement, std::initializer_list<QVariant> binds, const QString &what);
    /// The same, for a statement that must change exactly one row (NotFound
    /// otherwise, with `notFound` as the message).
    Result<void> changeOne(
        const QString &statement, std::initializer_list<QVariant> binds, const QString &what, const QString &notFound);
    /// Runs `body` in one transaction: committed if it succeeds, rolled back
    /// otherwise.
    Result<void> inTransaction(const QString &what, const std::function<Result<void>()> &body);
    /// Calls `done` once every commit so far is on disk (see WalCheckpointer).
    void whenDurable(std::function<void()> done);

private:
    base::Error<MailError> failure(const QSqlError &error, const QString &what) const;
    Result<qint64> single(const QString &statement, const QString &what);
    Result<void> configure(const QString &what);
    Result<void> prepareSchema(const QString &what);
    Result<void> createSchema(const QString &what);

    /// Checkpoint after every commit: mail is written rarely, and a user's
    /// change (read, moved, sent) is then on disk within milliseconds.
    static constexpr int kCheckpointEvery = 1;

    QSqlDatabase m_db;
    std::unique_ptr<base::WalCheckpointer> m_checkpointer;
    bool m_inTransaction = false;
    QString m_connection;
    QString m_path;
};

/// A QByteArray as an SQL BLOB that is never NULL (Qt binds a null
/// QByteArray as NULL).
QVariant blob(const QByteArray &bytes);

} // namespace cairn::mail::detail
