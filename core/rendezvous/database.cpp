#include "core/rendezvous/database.h"

#include "core/base/log.h"
#include "core/store/schema.h"

namespace cairn::rendezvous::db {

namespace {

// Version 1 (docs/protocol.md, "Rendezvous database"). `authority` has one
// row: the group, the policy and its quota count, the next serial, the
// certificate lifetime and the current revocation list. `devices` holds one
// row per device key: its join request (status 0 pending, 1 issued,
// 2 denied, 3 revoked) and, once issued, its registration; `certificates`
// every certificate ever issued, `revoked` set once a revocation covers it.
const char *const kCreate[] = {
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "CREATE TABLE authority (id INTEGER PRIMARY KEY CHECK (id = 1), group_id BLOB NOT NULL,"
    " group_name TEXT NOT NULL, ca_key BLOB NOT NULL, policy TEXT NOT NULL, quota_used INTEGER NOT NULL,"
    " next_serial INTEGER NOT NULL, certificate_lifetime INTEGER NOT NULL, crl BLOB NOT NULL,"
    " created_at INTEGER NOT NULL)",
    "CREATE TABLE invites (token_hash BLOB PRIMARY KEY, uses INTEGER NOT NULL, uses_left INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL, created_at INTEGER NOT NULL)",
    "CREATE TABLE users (username TEXT PRIMARY KEY, created_at INTEGER NOT NULL, revoked INTEGER NOT NULL)",
    "CREATE TABLE devices (device_key BLOB PRIMARY KEY, username TEXT NOT NULL, status INTEGER NOT NULL,"
    " additional INTEGER NOT NULL, invite BLOB, requested_at INTEGER NOT NULL)",
    "CREATE INDEX devices_username ON devices (username, status)",
    "CREATE TABLE certificates (serial INTEGER PRIMARY KEY, device_key BLOB NOT NULL, username TEXT NOT NULL,"
    " issued_at INTEGER NOT NULL, not_after INTEGER NOT NULL, revoked INTEGER NOT NULL, wire BLOB NOT NULL)",
    "CREATE INDEX certificates_device ON certificates (device_key)",
    "CREATE INDEX certificates_username ON certificates (username)",
};

base::Error<RendezvousError> fromStore(const base::Error<store::StoreError> &error)
{
    const bool corrupt = error.code == store::StoreError::Corrupt;
    return base::fail(corrupt ? RendezvousError::Corrupt : RendezvousError::Storage, error.message);
}

} // namespace

QVariant blob(const QByteArray &bytes)
{
    return store::sql::blob(bytes);
}

base::Error<RendezvousError> failure(const QSqlError &error, const QString &what)
{
    return fromStore(store::sql::failure(error, what));
}

Result<QSqlQuery> run(
    const QSqlDatabase &db, const QString &statement, std::initializer_list<QVariant> binds, const QString &what)
{
    auto q = store::sql::run(db, statement, binds, what);
    if (!q.ok())
        return fromStore(q.error());
    return std::move(q).value();
}

Result<void> exec(
    const QSqlDatabase &db, const QString &statement, std::initializer_list<QVariant> binds, const QString &what)
{
    if (auto r = store::sql::exec(db, statement, binds, what); !r.ok())
        return fromStore(r.error());
    return {};
}

Result<QSqlDatabase> open(const QString &connection, const QString &path)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return base::fail(RendezvousError::Storage,
            QStringLiteral("the Qt SQLite driver (QSQLITE) is missing: install libqt6sql6-sqlite"));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
    db.setDatabaseName(path);
    if (!db.open())
        return base::fail(RendezvousError::Storage,
            QStringLiteral("cannot open the rendezvous database at %1: %2").arg(path, db.lastError().databaseText()));
    if (auto r = store::sql::configureConnection(db); !r.ok())
        return fromStore(r.error());
    return db;
}

Result<void> createSchema(const QSqlDatabase &db)
{
    const QString what = QStringLiteral("create the rendezvous tables");
    for (const char *statement : kCreate) {
        if (auto r = exec(db, QString::fromLatin1(statement), {}, what); !r.ok())
            return r;
    }
    return exec(db, QStringLiteral("INSERT INTO schema_version (version) VALUES (?)"), {kSchemaVersion}, what);
}

Result<void> checkSchema(const QSqlDatabase &db, const QString &path)
{
    const QString what = QStringLiteral("read the rendezvous database at %1").arg(path);
    auto tables = run(db,
        QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                       " ('schema_version', 'authority', 'invites', 'users', 'devices', 'certificates')"),
        {}, what);
    if (!tables.ok())
        return tables.error();
    if (!tables->next() || tables->value(0).toInt() != 6)
        return base::fail(RendezvousError::Corrupt,
            QStringLiteral("%1 is not a rendezvous database; refusing to touch it").arg(path));
    auto version = run(db, QStringLiteral("SELECT count(*), max(version) FROM schema_version"), {}, what);
    if (!version.ok())
        return version.error();
    const bool one = version->next() && version->value(0).toInt() == 1;
    const int found = one ? version->value(1).toInt() : 0;
    if (found < 1)
        return base::fail(RendezvousError::Corrupt, QStringLiteral("%1 has no valid schema version").arg(path));
    if (found > kSchemaVersion)
        return base::fail(RendezvousError::Corrupt,
            QStringLiteral("%1 was written by a newer Cairn (schema %2; this one reads up to %3); left untouched")
                .arg(path)
                .arg(found)
                .arg(kSchemaVersion));
    // Finished statements: one still open holds a read transaction, and a
    // file not in WAL mode yet (a restored backup) could not switch.
    tables->finish();
    version->finish();
    return setJournal(db, path);
}

Result<void> setJournal(const QSqlDatabase &db, const QString &path)
{
    const QString what = QStringLiteral("set up the rendezvous database at %1").arg(path);
    auto mode = run(db, QStringLiteral("PRAGMA journal_mode = WAL"), {}, what);
    if (!mode.ok())
        return mode.error();
    if (!mode->next() || mode->value(0).toString() != QLatin1String("wal"))
        qCWarning(lcRendezvous) << "the rendezvous database" << path << "is not in WAL mode";
    return exec(db, QStringLiteral("PRAGMA synchronous = FULL"), {}, what);
}

} // namespace cairn::rendezvous::db
