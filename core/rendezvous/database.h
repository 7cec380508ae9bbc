#pragma once

// Internal to core/rendezvous: the authority's SQL schema, connection
// set-up, and the statement helpers (core/store's, with their errors
// mapped onto RendezvousError).

#include "core/rendezvous/error.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <initializer_list>

namespace cairn::rendezvous::db {

constexpr int kSchemaVersion = 1;

/// A QByteArray as an SQL BLOB (never NULL).
QVariant blob(const QByteArray &bytes);
/// A failed statement: Corrupt for a damaged file or one that is not
/// SQLite, Storage otherwise. `what` completes "cannot ...".
base::Error<RendezvousError> failure(const QSqlError &error, const QString &what);
Result<QSqlQuery> run(
    const QSqlDatabase &db, const QString &statement, std::initializer_list<QVariant> binds, const QString &what);
Result<void> exec(
    const QSqlDatabase &db, const QString &statement, std::initializer_list<QVariant> binds, const QString &what);

/// Opens `path` under the connection name `connection` with foreign keys
/// and secure_delete on.
Result<QSqlDatabase> open(const QString &connection, const QString &path);
/// Creates the tables in an empty database (the caller's transaction makes it all or nothing).
Result<void> createSchema(const QSqlDatabase &db);
/// Refuses a file that is not a rendezvous database of a version this code
/// reads, then switches it to WAL with synchronous=FULL.
Result<void> checkSchema(const QSqlDatabase &db, const QString &path);
/// WAL, and synchronous=FULL: a serial number handed out must survive a
/// power cut, or a later certificate could repeat it.
Result<void> setJournal(const QSqlDatabase &db, const QString &path);

} // namespace cairn::rendezvous::db
