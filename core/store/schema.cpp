#include "core/store/schema.h"

#include "core/base/log.h"

namespace cairn::store::sql {

namespace {

// SQLite's primary result codes (sqlite3.h). Qt reports the code as text;
// extended codes keep the primary one in the low byte.
constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteFull = 13;
constexpr int kSqliteNotADb = 26;

// Version 1. Small columns come before the value so that reading a size or
// an expiry never touches a value's overflow pages. `size` is the charged
// size (payload + per-item overhead at the time of storing), so usage stays
// exact when the overhead setting changes. Every item names its sender in
// `senders`, whose per-sender totals the per-sender quota reads; the foreign
// keys make a bookkeeping slip fail loudly instead of drifting.
const char *const kCreate[] = {
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "CREATE TABLE usage (id INTEGER PRIMARY KEY CHECK (id = 1), bytes INTEGER NOT NULL, blobs INTEGER NOT NULL,"
    " inbox_entries INTEGER NOT NULL, records INTEGER NOT NULL)",
    "CREATE TABLE senders (sender BLOB PRIMARY KEY, bytes INTEGER NOT NULL, items INTEGER NOT NULL)",
    "CREATE TABLE blobs (key BLOB PRIMARY KEY, sender BLOB NOT NULL REFERENCES senders (sender),"
    " size INTEGER NOT NULL, expires_at INTEGER NOT NULL, value BLOB NOT NULL)",
    "CREATE INDEX blobs_expiry ON blobs (expires_at)",
    "CREATE INDEX blobs_sender ON blobs (sender)",
    // seq orders entries oldest first: a new rowid is always above every live one.
    "CREATE TABLE inbox_entries (seq INTEGER PRIMARY KEY, inbox_key BLOB NOT NULL, id BLOB NOT NULL,"
    " sender BLOB NOT NULL REFERENCES senders (sender), size INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
    " token_hash BLOB NOT NULL, data BLOB NOT NULL, UNIQUE (inbox_key, id))",
    "CREATE INDEX inbox_entries_expiry ON inbox_entries (expires_at)",
    "CREATE INDEX inbox_entries_sender ON inbox_entries (sender)",
    // sequence holds the quint64's bits as SQLite's signed 64-bit integer;
    // the store compares sequences in C++, never in SQL.
    "CREATE TABLE records (key BLOB PRIMARY KEY, sender BLOB NOT NULL REFERENCES senders (sender),"
    " size INTEGER NOT NULL, expires_at INTEGER NOT NULL, owner_key BLOB NOT NULL, salt BLOB NOT NULL,"
    " sequence INTEGER NOT NULL, value BLOB NOT NULL, signature BLOB NOT NULL)",
    "CREATE INDEX records_expiry ON records (expires_at)",
    "CREATE INDEX records_sender ON records (sender)",
    "INSERT INTO usage (id, bytes, blobs, inbox_entries, records) VALUES (1, 0, 0, 0, 0)",
};

Result<qint64> single(const QSqlDatabase &db, const QString &statement, const QString &what)
{
    auto q = run(db, statement, {}, what);
    if (!q.ok())
        return q.error();
    if (!q->next())
        return base::fail(StoreError::Corrupt, QStringLiteral("cannot %1: no answer").arg(what));
    return q->value(0).toLongLong();
}

Result<void> createSchema(const QSqlDatabase &db, int version)
{
    const QString what = QStringLiteral("create the store's tables");
    QSqlDatabase conn = db;
    if (!conn.transaction())
        return failure(conn.lastError(), what);
    Result<void> result;
    for (const char *statement : kCreate) {
        result = exec(db, QString::fromLatin1(statement), {}, what);
        if (!result.ok())
            break;
    }
    if (result.ok())
        result = exec(db, QStringLiteral("INSERT INTO schema_version (version) VALUES (?)"), {version}, what);
    if (result.ok() && !conn.commit())
        result = failure(conn.lastError(), what);
    if (!result.ok())
        conn.rollback();
    return result;
}

} // namespace

QVariant blob(const QByteArray &bytes)
{
    return bytes.isNull() ? QVariant(QByteArray("", 0)) : QVariant(bytes);
}

base::Error<StoreError> failure(const QSqlError &error, const QString &what)
{
    const int code = error.nativeErrorCode().toInt() & 0xff;
    const QString detail = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    switch (code) {
    case kSqliteFull:
        return base::fail(StoreError::DiskFull,
            QStringLiteral("cannot %1: the disk is full (%2); nothing was changed").arg(what, detail));
    case kSqliteCorrupt:
    case kSqliteNotADb:
        return base::fail(
            StoreError::Corrupt, QStringLiteral("cannot %1: the database is damaged (%2)").arg(what, detail));
    default:
        return base::fail(StoreError::Io, QStringLiteral("cannot %1: %2").arg(what, detail));
    }
}

Result<QSqlQuery> run(
    const QSqlDatabase &db, const QString &statement, std::initializer_list<QVariant> binds, const QString &what)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(statement))
        return failure(q.lastError(), what);
    for (const QVariant &value : binds)
        q.addBindValue(value);
    if (!q.exec())
        return failure(q.lastError(), what);
    return q;
}

Result<void> exec(
    const QSqlDatabase &db, const QString &statement, std::initializer_list<QVariant> binds, const QString &what)
{
    auto q = run(db, statement, binds, what);
    if (!q.ok())
        return q.error();
    return {};
}

Result<void> configureConnection(const QSqlDatabase &db)
{
    const QString what = QStringLiteral("set up the store's connection");
    if (auto r = exec(db, QStringLiteral("PRAGMA foreign_keys = ON"), {}, what); !r.ok())
        return r;
    auto foreignKeys = single(db, QStringLiteral("PRAGMA foreign_keys"), what);
    if (!foreignKeys.ok())
        return foreignKeys.error();
    // Deleted and expired data is overwritten, not left in free pages.
    auto secureDelete = single(db, QStringLiteral("PRAGMA secure_delete = ON"), what);
    if (!secureDelete.ok())
        return secureDelete.error();
    if (foreignKeys.value() != 1 || secureDelete.value() != 1)
        return base::fail(
            StoreError::Io, QStringLiteral("cannot %1: this SQLite has no foreign keys or secure_delete").arg(what));
    return {};
}

Result<void> prepareSchema(const QSqlDatabase &db, const QString &path, bool inMemory, int version)
{
    const QString what = QStringLiteral("read the store at %1").arg(path);
    // The first statement that reads the file: a file that is not SQLite
    // fails here as Corrupt.
    auto hasVersionTable = single(db,
        QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"), what);
    if (!hasVersionTable.ok())
        return hasVersionTable.error();
    bool fresh = false;
    if (hasVersionTable.value() == 0) {
        auto objects = single(db, QStringLiteral("SELECT count(*) FROM sqlite_master"), what);
        if (!objects.ok())
            return objects.error();
        if (objects.value() != 0)
            return base::fail(StoreError::Corrupt,
                QStringLiteral("%1 is an SQLite database but not a Cairn store; refusing to touch it").arg(path));
        fresh = true;
    } else {
        auto q = run(db, QStringLiteral("SELECT version FROM schema_version"), {}, what);
        if (!q.ok())
            return q.error();
        QList<qint64> versions;
        while (q->next())
            versions.append(q->value(0).toLongLong());
        if (versions.size() != 1 || versions.first() < 1)
            return base::fail(StoreError::Corrupt, QStringLiteral("%1 has no valid schema version").arg(path));
        if (versions.first() > version)
            return base::fail(StoreError::UnsupportedSchema,
                QStringLiteral("%1 was written by a newer Cairn (store schema %2; this one reads up to %3); "
                               "it is left untouched: update Cairn to use it")
                    .arg(path)
                    .arg(versions.first())
                    .arg(version));
        // Version 1 is the only one so far: nothing to migrate.
    }
    if (!inMemory) {
        // WAL: readers never block the writer and a crash mid-write leaves
        // the last committed state. synchronous=NORMAL stays consistent
        // after a power cut and may lose only the latest writes, which the
        // DHT's other replicas and repair cover; FULL would fsync every put.
        auto mode = run(db, QStringLiteral("PRAGMA journal_mode = WAL"), {}, what);
        if (!mode.ok())
            return mode.error();
        const QString journal = mode->next() ? mode->value(0).toString() : QString();
        if (journal != QLatin1String("wal"))
            qCWarning(lcStore) << "the store at" << path << "could not switch to WAL; journal mode:" << journal;
        if (auto r = exec(db, QStringLiteral("PRAGMA synchronous = NORMAL"), {}, what); !r.ok())
            return r;
    }
    if (fresh)
        return createSchema(db, version);
    return {};
}

} // namespace cairn::store::sql

namespace cairn::store::detail {

Result<void> needSize(const QByteArray &bytes, int size, const char *what)
{
    if (bytes.size() == size)
        return {};
    return base::fail(StoreError::InvalidArgument,
        QStringLiteral("%1 is %2 bytes, got %3").arg(QLatin1String(what)).arg(size).arg(bytes.size()));
}

Result<void> needAtMost(const QByteArray &bytes, qint64 limit, const char *what)
{
    if (bytes.size() <= limit)
        return {};
    return base::fail(StoreError::TooLarge,
        QStringLiteral("%1 is at most %2 bytes, got %3").arg(QLatin1String(what)).arg(limit).arg(bytes.size()));
}

Result<void> firstFailure(std::initializer_list<Result<void>> checks)
{
    for (const Result<void> &check : checks) {
        if (!check.ok())
            return check;
    }
    return {};
}

} // namespace cairn::store::detail
