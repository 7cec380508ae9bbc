#include "core/mail/mailboxdb.h"

#include "core/base/log.h"

#include <QSqlError>

namespace cairn::mail::detail {

namespace {

// SQLite's primary result codes (sqlite3.h); Qt reports the native code as
// text, and extended codes keep the primary one in the low byte.
constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteFull = 13;
constexpr int kSqliteNotADb = 26;

// Version 1. Recipients are a JSON array of usernames. The folded_* columns
// hold the case-folded sender and subject that search compares with.
// Text columns may be NULL (Qt binds an empty QString so); NULL reads back
// as an empty string.
const char *const kCreate[] = {
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "CREATE TABLE mails (id BLOB PRIMARY KEY, id_hex TEXT NOT NULL UNIQUE, folder INTEGER NOT NULL,"
    " kind INTEGER NOT NULL, sender TEXT, recipients TEXT, subject TEXT, body TEXT, sent_at INTEGER NOT NULL,"
    " received_at INTEGER NOT NULL, read INTEGER NOT NULL, send_state INTEGER NOT NULL, send_error TEXT,"
    " ttl INTEGER NOT NULL, manifest BLOB NOT NULL, folded_sender TEXT, folded_subject TEXT)",
    "CREATE INDEX mails_by_folder ON mails (folder, sent_at)",
    "CREATE TABLE attachments (mail_id BLOB NOT NULL REFERENCES mails (id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL, name TEXT, size INTEGER NOT NULL, local_path TEXT, state INTEGER NOT NULL,"
    " transfer_id TEXT, PRIMARY KEY (mail_id, idx))",
};

} // namespace

QVariant blob(const QByteArray &bytes)
{
    return bytes.isNull() ? QVariant(QByteArray("", 0)) : QVariant(bytes);
}

MailboxDb::~MailboxDb()
{
    if (m_connection.isEmpty())
        return;
    // removeDatabase warns and leaks while a handle to the connection lives.
    m_checkpointer.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

void MailboxDb::whenDurable(std::function<void()> done)
{
    if (m_checkpointer)
        m_checkpointer->whenDurable(std::move(done));
    else
        done(); // not in WAL mode: every commit was synced (synchronous=FULL)
}

Result<void> MailboxDb::open(const QString &path, const void *owner)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return base::fail(
            MailError::Io, QStringLiteral("the Qt SQLite driver (QSQLITE) is missing: install libqt6sql6-sqlite"));
    m_path = path;
    // Unique among live mailboxes without a global counter: no two live
    // objects share an address, and the destructor frees the name.
    m_connection = QStringLiteral("cairn.mail.%1").arg(quintptr(owner), 0, 16);
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(path);
    const QString what = QStringLiteral("open the mailbox at %1").arg(path);
    if (!m_db.open())
        return base::fail(MailError::Io, QStringLiteral("cannot %1: %2").arg(what, m_db.lastError().databaseText()));
    if (auto r = configure(what); !r.ok())
        return r;
    return prepareSchema(what);
}

base::Error<MailError> MailboxDb::failure(const QSqlError &error, const QString &what) const
{
    const QString detail = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    switch (error.nativeErrorCode().toInt() & 0xff) {
    case kSqliteFull:
        return base::fail(MailError::DiskFull,
            QStringLiteral("cannot %1: the disk is full (%2); nothing was changed").arg(what, detail));
    case kSqliteCorrupt:
    case kSqliteNotADb:
        return base::fail(
            MailError::Corrupt, QStringLiteral("cannot %1: the mailbox is damaged (%2)").arg(what, detail));
    default:
        return base::fail(MailError::Io, QStringLiteral("cannot %1: %2").arg(what, detail));
    }
}

Result<QSqlQuery> MailboxDb::run(const QString &statement, std::initializer_list<QVariant> binds, const QString &what)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(statement))
        return failure(q.lastError(), what);
    for (const QVariant &value : binds)
        q.addBindValue(value);
    if (!q.exec())
        return failure(q.lastError(), what);
    if (!m_inTransaction && !q.isSelect() && m_checkpointer)
        m_checkpointer->committed(); // a statement outside a transaction commits itself
    return q;
}

Result<void> MailboxDb::changeOne(
    const QString &statement, std::initializer_list<QVariant> binds, const QString &what, const QString &notFound)
{
    auto q = run(statement, binds, what);
    if (!q.ok())
        return q.error();
    if (q->numRowsAffected() != 1)
        return base::fail(MailError::NotFound, notFound);
    return {};
}

Result<void> MailboxDb::inTransaction(const QString &what, const std::function<Result<void>()> &body)
{
    if (!m_db.transaction())
        return failure(m_db.lastError(), what);
    m_inTransaction = true;
    Result<void> result = body();
    m_inTransaction = false;
    if (result.ok() && !m_db.commit())
        result = failure(m_db.lastError(), what);
    if (result.ok() && m_checkpointer)
        m_checkpointer->committed();
    if (!result.ok()) {
        // SQLite may have rolled back already (on some I/O and full-disk
        // errors); a second rollback fails harmlessly.
        m_db.rollback();
        if (result.code() == MailError::Io || result.code() == MailError::DiskFull
            || result.code() == MailError::Corrupt)
            qCWarning(lcMail) << result.message();
    }
    return result;
}

Result<qint64> MailboxDb::single(const QString &statement, const QString &what)
{
    auto q = run(statement, {}, what);
    if (!q.ok())
        return q.error();
    if (!q->next())
        return base::fail(MailError::Corrupt, QStringLiteral("cannot %1: no answer to %2").arg(what, statement));
    return q->value(0).toLongLong();
}

Result<void> MailboxDb::configure(const QString &what)
{
    // Per connection in SQLite: foreign keys (attachments go with their
    // mail) and secure_delete (deleted mail is overwritten on disk, not
    // left in free pages).
    if (auto r = run(QStringLiteral("PRAGMA foreign_keys = ON"), {}, what); !r.ok())
        return r.error();
    auto foreignKeys = single(QStringLiteral("PRAGMA foreign_keys"), what);
    if (!foreignKeys.ok())
        return foreignKeys.error();
    auto secureDelete = single(QStringLiteral("PRAGMA secure_delete = ON"), what);
    if (!secureDelete.ok())
        return secureDelete.error();
    if (foreignKeys.value() != 1 || secureDelete.value() != 1)
        return base::fail(
            MailError::Io, QStringLiteral("cannot %1: this SQLite has no foreign keys or secure_delete").arg(what));
    return {};
}

Result<void> MailboxDb::prepareSchema(const QString &what)
{
    // The first read of the file: one that is not SQLite fails here (Corrupt).
    auto tables = single(
        QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"), what);
    if (!tables.ok())
        return tables.error();
    bool fresh = false;
    if (tables.value() == 0) {
        auto objects = single(QStringLiteral("SELECT count(*) FROM sqlite_master"), what);
        if (!objects.ok())
            return objects.error();
        if (objects.value() != 0)
            return base::fail(MailError::Corrupt,
                QStringLiteral("%1 is an SQLite database but not a Cairn mailbox; refusing to touch it").arg(m_path));
        fresh = true;
    } else {
        auto q = run(QStringLiteral("SELECT version FROM schema_version"), {}, what);
        if (!q.ok())
            return q.error();
        QList<qint64> versions;
        while (q->next())
            versions.append(q->value(0).toLongLong());
        if (versions.size() != 1 || versions.first() < 1)
            return base::fail(MailError::Corrupt, QStringLiteral("%1 has no valid schema version").arg(m_path));
        if (versions.first() > kSchemaVersion)
            return base::fail(MailError::UnsupportedSchema,
                QStringLiteral("%1 was written by a newer Cairn (mailbox schema %2; this one reads up to %3); it is "
                               "left untouched: update Cairn to use it")
                    .arg(m_path)
                    .arg(versions.first())
                    .arg(kSchemaVersion));
    }
    // WAL: a crash mid-write leaves the last committed state. Commits do
    // not fsync on the event loop (under heavy disk writes one fsync took
    // over 100 ms): a worker copies the log into the file and syncs it right
    // after each commit, and a received mail's remote copy is deleted only
    // once that is done (whenDurable), so it survives a power cut too.
    auto mode = run(QStringLiteral("PRAGMA journal_mode = WAL"), {}, what);
    if (!mode.ok())
        return mode.error();
    const QString journal = mode->next() ? mode->value(0).toString() : QString();
    mode->finish(); // a statement still open would keep the schema's transaction from committing
    if (journal != QLatin1String("wal"))
        qCWarning(lcMail) << "the mailbox at" << m_path << "could not switch to WAL; journal mode:" << journal;
    // FULL without WAL (every commit synced); in WAL mode the checkpointer
    // turns commit syncs off and syncs on its worker.
    if (auto r = run(QStringLiteral("PRAGMA synchronous = FULL"), {}, what); !r.ok())
        return r.error();
    QString failed;
    m_checkpointer = base::WalCheckpointer::attach(m_path, m_connection, kCheckpointEvery, &failed);
    if (!failed.isEmpty())
        return base::fail(MailError::Io, QStringLiteral("cannot %1: %2").arg(what, failed));
    return fresh ? createSchema(what) : Result<void>();
}

Result<void> MailboxDb::createSchema(const QString &what)
{
    return inTransaction(what, [this, &what]() -> Result<void> {
        for (const char *statement : kCreate) {
            if (auto r = run(QString::fromLatin1(statement), {}, what); !r.ok())
                return r.error();
        }
        if (auto r = run(QStringLiteral("INSERT INTO schema_version (version) VALUES (?)"), {kSchemaVersion}, what);
            !r.ok())
            return r.error();
        return {};
    });
}

} // namespace cairn::mail::detail
