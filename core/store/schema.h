#pragma once

// Internal to core/store: the SQL schema, connection set-up, the small
// helpers every statement goes through, and argument checks.

#include "core/store/error.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <initializer_list>

namespace cairn::store::sql {

/// A QByteArray as an SQL BLOB. Qt binds a null QByteArray as SQL NULL,
/// which the NOT NULL columns would refuse; an empty value is a valid blob.
QVariant blob(const QByteArray &bytes);

/// Maps a failed statement onto StoreError: SQLITE_FULL is DiskFull,
/// SQLITE_CORRUPT and SQLITE_NOTADB are Corrupt, anything else Io.
/// `what` completes "cannot ...".
base::Error<StoreError> failure(const QSqlError &error, const QString &what);

/// Prepares `statement`, binds `binds` to its `?` in order and runs it.
Result<QSqlQuery> run(
    const QSqlDatabase &db, const QString &statement, std::initializer_list<QVariant> binds, const QString &what);
/// The same for statements whose rows do not matter.
Result<void> exec(
    const QSqlDatabase &db, const QString &statement, std::initializer_list<QVariant> binds, const QString &what);

/// Connection settings that must hold before anything is read: foreign
/// keys and secure_delete, both per connection in SQLite.
Result<void> configureConnection(const QSqlDatabase &db);
/// Creates the schema in an empty database, or checks that an existing one
/// is a Cairn store of a schema version this code reads, before switching
/// a file to WAL (a refused file is left untouched).
Result<void> prepareSchema(const QSqlDatabase &db, const QString &path, bool inMemory, int version);

} // namespace cairn::store::sql

namespace cairn::store::detail {

/// InvalidArgument unless `bytes` is exactly `size` long; `what` names it
/// ("a blob key").
Result<void> needSize(const QByteArray &bytes, int size, const char *what);
/// TooLarge if `bytes` is longer than `limit`.
Result<void> needAtMost(const QByteArray &bytes, qint64 limit, const char *what);
/// InvalidArgument unless 0 <= copies <= limit.
Result<void> needCopies(int copies, int limit);
/// The first failed check, or success.
Result<void> firstFailure(std::initializer_list<Result<void>> checks);

} // namespace cairn::store::detail
