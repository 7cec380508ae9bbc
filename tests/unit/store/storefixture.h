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
