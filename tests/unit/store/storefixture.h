#pragma once

// Helpers shared by the BlobStore tests.
#include "core/base/rng.h"
#include "core/crypto/keys.h"
#include "core/store/blobstore.h"
#include "tests/unit/resultchecks.h"

#include <QFile>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <optional>

using namespace cairn;
using namespace cairn::store;

namespace {

constexpr qint64 kNow = 1'700'000'000;
constexpr qint64 kDay = 24 * 3600;

inline QByteArray hashOf(const QByteArray &data)
{
    return crypto::blake2b(data, 32);
}

inline QByteArray keyNamed(const char *name)
{
    return hashOf(QByteArray(name));
}

inline QByteArray senderNamed(const char *name)
{
    return crypto::blake2b(QByteArray(name), 20);
}

inline MutableRecord recordOf(quint64 sequence, const QByteArray &value, qint64 expiresAt)
{
    return MutableRecord {
        QByteArray(32, 'o'), QByteArrayLiteral("salt"), sequence, value, QByteArray(64, 's'), expiresAt};
}

inline std::unique_ptr<BlobStore> openStore(
    const QString &path = QStringLiteral(":memory:"), const StoreLimits &limits = {})
{
    auto opened = BlobStore::open(path, limits);
    if (!opened.ok()) {
        qWarning() << errorName(opened.code()) << opened.message();
        return nullptr;
    }
    return std::move(opened).value();
}

/// A connection of the test's own to a store file, closed and removed on
/// destruction (so it never outlives the file or keeps it locked).
class RawDb {
public:
    explicit RawDb(const QString &path) : m_name(QStringLiteral("test-raw-%1").arg(quintptr(this), 0, 16))
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_db.setDatabaseName(path);
        m_db.open();
    }
    ~RawDb()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    bool exec(const QString &statement)
    {
        QSqlQuery q(m_db);
        return q.exec(statement);
    }
    QVariant scalar(const QString &statement)
    {
        QSqlQuery q(m_db);
        if (!q.exec(statement) || !q.next())
            return QVariant();
        return q.value(0);
    }
    /// The schema as store version 1 wrote it (before per-item copies),
    /// word for word, to test the upgrade.
    bool createVersion1()
    {
        static const char *const kVersion1[] = {
            "CREATE TABLE schema_version (version INTEGER NOT NULL)",
            "CREATE TABLE usage (id INTEGER PRIMARY KEY CHECK (id = 1), bytes INTEGER NOT NULL,"
            " blobs INTEGER NOT NULL, inbox_entries INTEGER NOT NULL, records INTEGER NOT NULL)",
            "CREATE TABLE senders (sender BLOB PRIMARY KEY, bytes INTEGER NOT NULL, items INTEGER NOT NULL)",
            "CREATE TABLE blobs (key BLOB PRIMARY KEY, sender BLOB NOT NULL REFERENCES senders (sender),"
            " size INTEGER NOT NULL, expires_at INTEGER NOT NULL, value BLOB NOT NULL)",
            "CREATE INDEX blobs_expiry ON blobs (expires_at)",
            "CREATE INDEX blobs_sender ON blobs (sender)",
            "CREATE TABLE inbox_entries (seq INTEGER PRIMARY KEY, inbox_key BLOB NOT NULL, id BLOB NOT NULL,"
            " sender BLOB NOT NULL REFERENCES senders (sender), size INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
            " token_hash BLOB NOT NULL, data BLOB NOT NULL, UNIQUE (inbox_key, id))",
            "CREATE INDEX inbox_entries_expiry ON inbox_entries (expires_at)",
            "CREATE INDEX inbox_entries_sender ON inbox_entries (sender)",
            "CREATE TABLE records (key BLOB PRIMARY KEY, sender BLOB NOT NULL REFERENCES senders (sender),"
            " size INTEGER NOT NULL, expires_at INTEGER NOT NULL, owner_key BLOB NOT NULL, salt BLOB NOT NULL,"
            " sequence INTEGER NOT NULL, value BLOB NOT NULL, signature BLOB NOT NULL)",
            "CREATE INDEX records_expiry ON records (expires_at)",
            "CREATE INDEX records_sender ON records (sender)",
            "INSERT INTO usage (id, bytes, blobs, inbox_entries, records) VALUES (1, 0, 0, 0, 0)",
            "INSERT INTO schema_version (version) VALUES (1)",
        };
        for (const char *statement : kVersion1) {
            if (!exec(QString::fromLatin1(statement)))
                return false;
        }
        return true;
    }

private:
    QString m_name;
    QSqlDatabase m_db;
};

/// Runs one statement on a store's own connection and returns the first
/// column of its first row.
inline QVariant scalar(const BlobStore &store, const QString &statement)
{
    QSqlQuery q(QSqlDatabase::database(store.connectionName(), false));
    if (!q.exec(statement) || !q.next())
        return QVariant();
    return q.value(0);
}

inline QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    return f.readAll();
}

} // namespace
