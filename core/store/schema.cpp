#include "core/store/schema.h"

#include "core/base/log.h"

namespace cairn::store::sql {

namespace {

// SQLite's primary result codes (sqlite3.h). Qt reports the code as text;
// extended codes keep the primary one in the low byte.
constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteFull = 13;
constexpr int kSqliteNotADb = 26;

// Version 2. Small columns come before the value so that reading a size,
// an expiry or a replication factor never touches a value's overflow pages.
// `size` is the charged size (payload + per-item overhead at the time of
// storing), so usage stays exact when the overhead setting changes.
// `copies` is the replication factor the item's writer chose (0: the
// holder's default), which repair keeps. Every item names its sender in
// `senders`, whose per-sender totals the per-sender quota reads; the foreign
// keys make a bookkeeping slip fail loudly instead of drifting.
const char *const kCreate[] = {
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "CREATE TABLE usage (id INTEGER PRIMARY KEY CHECK (id = 1), bytes INTEGER NOT NULL, blobs INTEGER NOT NULL,"
    " inbox_entries INTEGER NOT NULL, records INTEGER NOT NULL)",
    "CREATE TABLE senders (sender BLOB PRIMARY KEY, bytes INTEGER NOT NULL, items INTEGER NOT NULL)",
    "CREATE TABLE blobs (key BLOB PRIMARY KEY, sender BLOB NOT NULL REFERENCES senders (sender),"
    " size INTEGER NOT NULL, expires_at INTEGER NOT NULL, copies INTEGER NOT NULL DEFAULT 0, value BLOB NOT NULL)",
    "CREATE INDEX blobs_expiry ON blobs (expires_at)",
    "CREATE INDEX blobs_sender ON blobs (sender)",
    // seq orders entries oldest first: a new rowid is always above every live one.
    "CREATE TABLE inbox_entries (seq INTEGER PRIMARY KEY, inbox_key BLOB NOT NULL, id BLOB NOT NULL,"
    " sender BLOB NOT NULL REFERENCES senders (sender), size INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
    " copies INTEGER NOT NULL DEFAULT 0, token_hash BLOB NOT NULL, data BLOB NOT NULL, UNIQUE (inbox_key, id))",
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

// Version 1 to 2: the per-item replication factor. ADD COLUMN rewrites no
// row (old rows read the default, 0: the holder's default), so a large
// store upgrades at once; the column lands after the value there, which
// only rows written after the upgrade pay for when repair lists keys.
const char *const kUpgradeFrom1[] = {
    "ALTER TABLE blobs ADD COLUMN copies INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE inbox_entries ADD COLUMN copies INTEGER NOT NULL DEFAULT 0",
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

/// Runs `statements` and then records `version`, all in one transaction:
/// an interrupted creation or upgrade leaves the file as it was.
template <size_t N>
Result<void> runAndSetVersion(const QSqlDatabase &db, const char *const (&statements)[N], const QString &versionSql,
    int version, const QString &what)
{
    QSqlDatabase conn = db;
    if (!conn.transaction())
        return failure(conn.lastError(), what);
    Result<void> result;
    for (const char *statement : statements) {
        result = exec(db, QString::fromLatin1(statement), {}, what);
        if (!result.ok())
            break;
    }
    if (result.ok())
        result = exec(db, versionSql, {version}, what);
    if (result.ok() && !conn.commit())
        result = failure(conn.lastError(), what);
    if (!result.ok())
        conn.rollback();
    return result;
}

Result<void> createSchema(const QSqlDatabase &db, int version)
{
    return runAndSetVersion(db, kCreate, QStringLiteral("INSERT INTO schema_version (version) VALUES (?)"), version,
        QStringLiteral("create the store's tables"));
}

Result<void> upgradeSchema(const QSqlDatabase &db, const QString &path, qint64 from, int version)
{
    // Each step takes one version to the next; there is only one so far,
    // and a new schema version must add its step here.
    if (from != 1 || version != 2)
        return base::fail(StoreError::UnsupportedSchema,
            QStringLiteral("%1 has store schema %2, which this Cairn cannot upgrade to %3")
                .arg(path)
                .arg(from)
                .arg(version));
    qCInfo(lcStore) << "upgrading the store at" << path << "from schema" << from << "to" << version;
    return runAndSetVersion(db, kUpgradeFrom1, QStringLiteral("UPDATE schema_version SET version = ?"), version,
        QStringLiteral("upgrade the store at %1 to schema %2").arg(path).arg(version));
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
    qint64 upgradeFrom = 0; // the older version to upgrade from, if any
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
        upgradeFrom = versions.first() < version ? versions.first() : 0;
    }
    if (!inMemory) {
        // WAL: readers never block the writer and a crash mid-write leaves
        // the last committed state. synchronous=NORMAL (what BlobStore's
        // WalCheckpointer leaves in place outside WAL mode) stays consistent
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
    if (upgradeFrom > 0)
        return upgradeSchema(db, path, upgradeFrom, version);
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

Result<void> needCopies(int copies, int limit)
{
    if (copies >= 0 && copies <= limit)
        return {};
    return base::fail(StoreError::InvalidArgument,
        QStringLiteral("a replication factor is 0 (the default) to %1, got %2").arg(limit).arg(copies));
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
