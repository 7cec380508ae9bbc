// BlobStore: donated storage in SQLite (quotas, TTL, inbox tokens, records,
// a full disk, restarts, schema versions, secure delete).
#include "core/base/rng.h"
#include "core/crypto/keys.h"
#include "core/store/blobstore.h"

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

#define CAIRN_VERIFY_OK(r)                                                                                             \
    do {                                                                                                               \
        const auto &r_ = (r);                                                                                          \
        QVERIFY2(r_.ok(), qPrintable(QStringLiteral("%1: %2").arg(errorName(r_.code()), r_.message())));               \
    } while (false)

#define CAIRN_VERIFY_ERROR(r, expected)                                                                                \
    do {                                                                                                               \
        const auto &r_ = (r);                                                                                          \
        QVERIFY2(!r_.ok(), "expected a failure, got success");                                                         \
        QVERIFY2(r_.code() == (expected),                                                                              \
            qPrintable(QStringLiteral("expected %1, got %2: %3")                                                       \
                           .arg(errorName(expected), errorName(r_.code()), r_.message())));                            \
        QVERIFY(!r_.message().isEmpty());                                                                              \
    } while (false)

namespace {

constexpr qint64 kNow = 1'700'000'000;
constexpr qint64 kDay = 24 * 3600;

QByteArray hashOf(const QByteArray &data)
{
    return crypto::blake2b(data, 32);
}

QByteArray keyNamed(const char *name)
{
    return hashOf(QByteArray(name));
}

QByteArray senderNamed(const char *name)
{
    return crypto::blake2b(QByteArray(name), 20);
}

MutableRecord recordOf(quint64 sequence, const QByteArray &value, qint64 expiresAt)
{
    return MutableRecord {
        QByteArray(32, 'o'), QByteArrayLiteral("salt"), sequence, value, QByteArray(64, 's'), expiresAt};
}

std::unique_ptr<BlobStore> openStore(const QString &path = QStringLiteral(":memory:"), const StoreLimits &limits = {})
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
QVariant scalar(const BlobStore &store, const QString &statement)
{
    QSqlQuery q(QSqlDatabase::database(store.connectionName(), false));
    if (!q.exec(statement) || !q.next())
        return QVariant();
    return q.value(0);
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    return f.readAll();
}

} // namespace

class TestBlobStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Opening

    void anInMemoryStoreStartsEmpty()
    {
        const StoreLimits limits;
        auto store = openStore(QStringLiteral(":memory:"), limits);
        QVERIFY(store);
        const StoreUsage u = store->usage();
        QCOMPARE(u.bytesUsed, 0);
        QCOMPARE(u.quota, limits.totalQuota);
        QCOMPARE(u.blobs, 0);
        QCOMPARE(u.inboxEntries, 0);
        QCOMPARE(u.records, 0);
        QCOMPARE(store->keys(kNow, 10).value().size(), 0);
    }

    void eachInstanceHasItsOwnConnectionAndRemovesIt()
    {
        auto a = openStore();
        auto b = openStore();
        QVERIFY(a && b);
        QVERIFY(a->connectionName() != b->connectionName());
        const QByteArray key = hashOf("only in a");
        CAIRN_VERIFY_OK(a->putBlob(key, "only in a", senderNamed("s"), kNow + kDay, kNow));
        QVERIFY(a->getBlob(key, kNow).value().has_value());
        QVERIFY(!b->getBlob(key, kNow).value().has_value());
        const QString name = a->connectionName();
        QVERIFY(QSqlDatabase::contains(name));
        a.reset();
        QVERIFY(!QSqlDatabase::contains(name));
    }

    void aFileStoreUsesWalSecureDeleteAndForeignKeys()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto store = openStore(dir.filePath(QStringLiteral("store.db")));
        QVERIFY(store);
        QCOMPARE(scalar(*store, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
        QCOMPARE(scalar(*store, QStringLiteral("PRAGMA secure_delete")).toInt(), 1);
        QCOMPARE(scalar(*store, QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
        QCOMPARE(
            scalar(*store, QStringLiteral("SELECT version FROM schema_version")).toInt(), BlobStore::kSchemaVersion);
    }

    void anEmptyPathIsRefused() { CAIRN_VERIFY_ERROR(BlobStore::open(QString(), {}), StoreError::InvalidArgument); }

    // Blobs and expiry

    void aBlobReadsBackUntilItExpires()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray value = "a chunk of an encrypted file";
        const QByteArray key = hashOf(value);
        QVERIFY(!store->getBlob(key, kNow).value().has_value());
        CAIRN_VERIFY_OK(store->putBlob(key, value, senderNamed("s"), kNow + 100, kNow));
        QCOMPARE(store->getBlob(key, kNow).value(), std::optional<QByteArray>(value));
        QCOMPARE(store->getBlob(key, kNow + 99).value(), std::optional<QByteArray>(value));
        QVERIFY(store->hasKey(key, KeyKind::Blob, kNow + 99).value());
        QVERIFY(!store->hasKey(key, KeyKind::Inbox, kNow).value());
        QVERIFY(!store->hasKey(key, KeyKind::Record, kNow).value());
        // Expired is absent, before and after collection.
        QVERIFY(!store->getBlob(key, kNow + 100).value().has_value());
        QVERIFY(!store->hasKey(key, KeyKind::Blob, kNow + 100).value());
        QCOMPARE(store->keys(kNow + 100, 10).value().size(), 0);
    }

    void anEmptyBlobIsStoredAndCharged()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray key = hashOf(QByteArray());
        CAIRN_VERIFY_OK(store->putBlob(key, QByteArray(), senderNamed("s"), kNow + 100, kNow));
        QCOMPARE(store->getBlob(key, kNow).value(), std::optional<QByteArray>(QByteArray()));
        QCOMPARE(store->usage().bytesUsed, store->limits().itemOverheadBytes);
    }

    void storingABlobAgainExtendsItsLifeWithoutChargingTwice()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray value(1000, 'v');
        const QByteArray key = hashOf(value);
        const QByteArray first = senderNamed("first"), second = senderNamed("second");
        CAIRN_VERIFY_OK(store->putBlob(key, value, first, kNow + 100, kNow));
        const StoreUsage before = store->usage();
        CAIRN_VERIFY_OK(store->putBlob(key, value, second, kNow + 500, kNow + 10));
        QCOMPARE(store->usage().bytesUsed, before.bytesUsed);
        QCOMPARE(store->usage().blobs, 1);
        QCOMPARE(store->keys(kNow, 10).value().first().expiresAt, kNow + 500);
        // A shorter TTL never shortens it.
        CAIRN_VERIFY_OK(store->putBlob(key, value, second, kNow + 200, kNow + 20));
        QCOMPARE(store->keys(kNow, 10).value().first().expiresAt, kNow + 500);
        // The charge stays with the sender who stored it.
        QCOMPARE(store->senderUsage(first).value(), before.bytesUsed);
        QCOMPARE(store->senderUsage(second).value(), 0);
    }

    void anExpiredBlobIsReplacedByTheNextPut()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray key = keyNamed("k");
        const QByteArray a = senderNamed("a"), b = senderNamed("b");
        CAIRN_VERIFY_OK(store->putBlob(key, QByteArray(100, 'x'), a, kNow + 10, kNow));
        CAIRN_VERIFY_OK(store->putBlob(key, QByteArray(300, 'y'), b, kNow + 100, kNow + 20));
        QCOMPARE(store->getBlob(key, kNow + 20).value(), std::optional<QByteArray>(QByteArray(300, 'y')));
        QCOMPARE(store->usage().blobs, 1);
        QCOMPARE(store->usage().bytesUsed, 300 + store->limits().itemOverheadBytes);
        QCOMPARE(store->senderUsage(a).value(), 0);
        QCOMPARE(store->senderUsage(b).value(), 300 + store->limits().itemOverheadBytes);
    }

    void expiryIsClampedToTheMaximumTtl()
    {
        StoreLimits limits;
        limits.maxTtlSeconds = 3600;
        auto store = openStore(QStringLiteral(":memory:"), limits);
        QVERIFY(store);
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("b"), "v", senderNamed("s"), kNow + 365 * kDay, kNow));
        CAIRN_VERIFY_OK(
            store->appendInbox(keyNamed("i"), "e", keyNamed("t"), senderNamed("s"), kNow + 365 * kDay, kNow));
        CAIRN_VERIFY_OK(store->putRecord(keyNamed("r"), recordOf(1, "v", kNow + 365 * kDay), senderNamed("s"), kNow));
        const QList<StoredKey> keys = store->keys(kNow, 10).value();
        QCOMPARE(keys.size(), 3);
        for (const StoredKey &k : keys)
            QCOMPARE(k.expiresAt, kNow + 3600);
        QCOMPARE(store->listInbox(keyNamed("i"), kNow).value().first().expiresAt, kNow + 3600);
        QCOMPARE(store->getRecord(keyNamed("r"), kNow).value()->expiresAt, kNow + 3600);
        QVERIFY(!store->getBlob(keyNamed("b"), kNow + 3600).value().has_value());
    }

    void anExpiryNotAfterNowIsInvalid()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray s = senderNamed("s");
        CAIRN_VERIFY_ERROR(store->putBlob(keyNamed("b"), "v", s, kNow, kNow), StoreError::InvalidArgument);
        CAIRN_VERIFY_ERROR(store->putBlob(keyNamed("b"), "v", s, kNow - 1, kNow), StoreError::InvalidArgument);
        CAIRN_VERIFY_ERROR(
            store->appendInbox(keyNamed("i"), "e", keyNamed("t"), s, kNow, kNow), StoreError::InvalidArgument);
        CAIRN_VERIFY_ERROR(
            store->putRecord(keyNamed("r"), recordOf(1, "v", kNow), s, kNow), StoreError::InvalidArgument);
        QCOMPARE(store->usage().bytesUsed, 0);
    }

    void garbageCollectionDeletesExpiredItemsAndFreesTheirCharge()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray s = senderNamed("s");
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("short"), QByteArray(100, 'a'), s, kNow + 10, kNow));
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("long"), QByteArray(200, 'b'), s, kNow + 1000, kNow));
        CAIRN_VERIFY_OK(store->appendInbox(keyNamed("i"), "e1", keyNamed("t"), s, kNow + 10, kNow));
        CAIRN_VERIFY_OK(store->appendInbox(keyNamed("i"), "e2", keyNamed("t"), s, kNow + 1000, kNow));
        CAIRN_VERIFY_OK(store->putRecord(keyNamed("r"), recordOf(1, "v", kNow + 10), s, kNow));
        const qint64 overhead = store->limits().itemOverheadBytes;
        QCOMPARE(store->usage().bytesUsed, 100 + 200 + 2 + 2 + 1 + 4 + 5 * overhead);

        QCOMPARE(store->collectGarbage(kNow + 9).value(), 0);
        // Expired items keep their charge until collected.
        QCOMPARE(store->usage().bytesUsed, 100 + 200 + 2 + 2 + 1 + 4 + 5 * overhead);
        QCOMPARE(store->collectGarbage(kNow + 10).value(), 3);
        const StoreUsage u = store->usage();
        QCOMPARE(u.bytesUsed, 200 + 2 + 2 * overhead);
        QCOMPARE(u.blobs, 1);
        QCOMPARE(u.inboxEntries, 1);
        QCOMPARE(u.records, 0);
        QCOMPARE(store->senderUsage(s).value(), u.bytesUsed);
        QCOMPARE(store->listInbox(keyNamed("i"), kNow + 10).value().size(), 1);
        QCOMPARE(store->collectGarbage(kNow + 10).value(), 0);
        QCOMPARE(store->collectGarbage(kNow + 1000).value(), 2);
        QCOMPARE(store->usage().bytesUsed, 0);
        QCOMPARE(store->senderUsage(s).value(), 0);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT count(*) FROM senders")).toInt(), 0);
    }

    // Limits

    void oversizedValuesAreTooLarge()
    {
        const StoreLimits limits;
        auto store = openStore(QStringLiteral(":memory:"), limits);
        QVERIFY(store);
        const QByteArray s = senderNamed("s");
        const QByteArray big(limits.maxValueBytes + 1, 'x');
        CAIRN_VERIFY_ERROR(store->putBlob(hashOf(big), big, s, kNow + 10, kNow), StoreError::TooLarge);
        CAIRN_VERIFY_ERROR(store->putRecord(keyNamed("r"), recordOf(1, big, kNow + 10), s, kNow), StoreError::TooLarge);
        const QByteArray entry(limits.maxInboxEntryBytes + 1, 'e');
        CAIRN_VERIFY_ERROR(
            store->appendInbox(keyNamed("i"), entry, keyNamed("t"), s, kNow + 10, kNow), StoreError::TooLarge);
        // Exactly at the limit is fine.
        const QByteArray max(limits.maxValueBytes, 'x');
        CAIRN_VERIFY_OK(store->putBlob(hashOf(max), max, s, kNow + 10, kNow));
        CAIRN_VERIFY_OK(store->appendInbox(
            keyNamed("i"), QByteArray(limits.maxInboxEntryBytes, 'e'), keyNamed("t"), s, kNow + 10, kNow));
        CAIRN_VERIFY_OK(store->putRecord(keyNamed("r"), recordOf(1, max, kNow + 10), s, kNow));
        QCOMPARE(store->usage().blobs, 1);
    }

    void badSizesAreInvalidArgumentsAndNeverAssert()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray key = keyNamed("k"), s = senderNamed("s"), t = keyNamed("t");
        const qint64 e = kNow + 10;
        struct Case {
            const char *name;
            std::function<std::optional<StoreError>()> call;
        };
        const auto code = [](const auto &r) { return r.ok() ? std::optional<StoreError>() : r.code(); };
        QList<Case> cases;
        for (const QByteArray &bad : {QByteArray(), QByteArray(31, 'k'), QByteArray(33, 'k'), QByteArray(20, 'k')}) {
            cases.append({"putBlob key", [=, &store] { return code(store->putBlob(bad, "v", s, e, kNow)); }});
            cases.append({"getBlob key", [=, &store] { return code(store->getBlob(bad, kNow)); }});
            cases.append({"hasKey key", [=, &store] { return code(store->hasKey(bad, KeyKind::Blob, kNow)); }});
            cases.append(
                {"appendInbox key", [=, &store] { return code(store->appendInbox(bad, "d", t, s, e, kNow)); }});
            cases.append({"appendInbox token hash",
                [=, &store] { return code(store->appendInbox(key, "d", bad, s, e, kNow)); }});
            cases.append({"listInbox key", [=, &store] { return code(store->listInbox(bad, kNow)); }});
            cases.append({"deleteInbox key", [=, &store] { return code(store->deleteInbox(bad, t, "tok", kNow)); }});
            cases.append({"deleteInbox id", [=, &store] { return code(store->deleteInbox(key, bad, "tok", kNow)); }});
            cases.append(
                {"putRecord key", [=, &store] { return code(store->putRecord(bad, recordOf(1, "v", e), s, kNow)); }});
            cases.append({"getRecord key", [=, &store] { return code(store->getRecord(bad, kNow)); }});
            cases.append({"keys after", [=, &store] {
                              return bad.isEmpty() ? std::optional(StoreError::InvalidArgument)
                                                   : code(store->keys(kNow, 10, bad));
                          }});
        }
        for (const QByteArray &bad : {QByteArray(), QByteArray(19, 's'), QByteArray(21, 's'), QByteArray(32, 's')}) {
            cases.append({"putBlob sender", [=, &store] { return code(store->putBlob(key, "v", bad, e, kNow)); }});
            cases.append(
                {"appendInbox sender", [=, &store] { return code(store->appendInbox(key, "d", t, bad, e, kNow)); }});
            cases.append({"putRecord sender",
                [=, &store] { return code(store->putRecord(key, recordOf(1, "v", e), bad, kNow)); }});
            cases.append({"senderUsage", [=, &store] { return code(store->senderUsage(bad)); }});
        }
        cases.append({"record owner key", [=, &store] {
                          MutableRecord r = recordOf(1, "v", e);
                          r.ownerKey.chop(1);
                          return code(store->putRecord(key, r, s, kNow));
                      }});
        cases.append({"record signature", [=, &store] {
                          MutableRecord r = recordOf(1, "v", e);
                          r.signature.append('x');
                          return code(store->putRecord(key, r, s, kNow));
                      }});
        cases.append({"record salt", [=, &store] {
                          MutableRecord r = recordOf(1, "v", e);
                          r.salt = QByteArray(BlobStore::kMaxSaltBytes + 1, 'x');
                          return code(store->putRecord(key, r, s, kNow));
                      }});
        cases.append({"empty token", [=, &store] { return code(store->deleteInbox(key, t, QByteArray(), kNow)); }});
        cases.append({"long token", [=, &store] {
                          return code(store->deleteInbox(key, t, QByteArray(BlobStore::kMaxTokenBytes + 1, 'x'), kNow));
                      }});
        cases.append({"unknown kind", [=, &store] { return code(store->hasKey(key, KeyKind(7), kNow)); }});
        cases.append({"zero page", [=, &store] { return code(store->keys(kNow, 0)); }});
        for (const Case &c : cases)
            QVERIFY2(c.call() == StoreError::InvalidArgument, c.name);
        QCOMPARE(store->usage().bytesUsed, 0);
        QCOMPARE(store->keys(kNow, 10).value().size(), 0);
    }

    void aFullQuotaIsAClearErrorAndKeepsWhatIsStored()
    {
        StoreLimits limits;
        limits.totalQuota = 10 * 1000;
        limits.itemOverheadBytes = 0;
        auto store = openStore(QStringLiteral(":memory:"), limits);
        QVERIFY(store);
        QList<QByteArray> values;
        for (int i = 0; i < 10; ++i) {
            values.append(QByteArray(1000, char('a' + i)));
            // Each from its own sender: the total quota is what refuses.
            CAIRN_VERIFY_OK(store->putBlob(
                hashOf(values.last()), values.last(), crypto::blake2b(QByteArray::number(i), 20), kNow + kDay, kNow));
        }
        QCOMPARE(store->usage().bytesUsed, 10 * 1000);
        const QByteArray one("x");
        const auto refused = store->putBlob(hashOf(one), one, senderNamed("late"), kNow + kDay, kNow);
        CAIRN_VERIFY_ERROR(refused, StoreError::QuotaFull);
        QVERIFY(refused.message().contains(QStringLiteral("full")));
        CAIRN_VERIFY_ERROR(store->appendInbox(keyNamed("i"), one, keyNamed("t"), senderNamed("late"), kNow + 1, kNow),
            StoreError::QuotaFull);
        CAIRN_VERIFY_ERROR(store->putRecord(keyNamed("r"), recordOf(1, one, kNow + 1), senderNamed("late"), kNow),
            StoreError::QuotaFull);
        QVERIFY(!store->getBlob(hashOf(one), kNow).value().has_value());
        QCOMPARE(store->usage().bytesUsed, 10 * 1000);
        for (const QByteArray &v : values)
            QCOMPARE(store->getBlob(hashOf(v), kNow).value(), std::optional<QByteArray>(v));
        // Storing what is already here needs no room.
        CAIRN_VERIFY_OK(store->putBlob(hashOf(values[0]), values[0], senderNamed("late"), kNow + 2 * kDay, kNow));
    }

    void aFullQuotaCollectsExpiredItemsBeforeRefusing()
    {
        StoreLimits limits;
        limits.totalQuota = 3000;
        limits.itemOverheadBytes = 0;
        auto store = openStore(QStringLiteral(":memory:"), limits);
        QVERIFY(store);
        const QByteArray s = senderNamed("s");
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("old"), QByteArray(2000, 'o'), s, kNow + 10, kNow));
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("kept"), QByteArray(1000, 'k'), s, kNow + 1000, kNow));
        CAIRN_VERIFY_ERROR(
            store->putBlob(keyNamed("new"), QByteArray(2000, 'n'), s, kNow + 1000, kNow + 5), StoreError::QuotaFull);
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("new"), QByteArray(2000, 'n'), s, kNow + 1000, kNow + 10));
        QCOMPARE(store->usage().bytesUsed, 3000);
        QCOMPARE(store->usage().blobs, 2);
        QVERIFY(store->getBlob(keyNamed("kept"), kNow + 10).value().has_value());
    }

    void thePerSenderQuotaRefusesOnlyThatSender()
    {
        StoreLimits limits;
        limits.perSenderQuota = 5000;
        limits.itemOverheadBytes = 100;
        auto store = openStore(QStringLiteral(":memory:"), limits);
        QVERIFY(store);
        const QByteArray greedy = senderNamed("greedy"), other = senderNamed("other");
        for (int i = 0; i < 4; ++i)
            CAIRN_VERIFY_OK(store->putBlob(
                keyNamed(QByteArray::number(i).constData()), QByteArray(1000, 'g'), greedy, kNow + kDay, kNow));
        QCOMPARE(store->senderUsage(greedy).value(), 4 * 1100);
        const auto refused = store->putBlob(keyNamed("more"), QByteArray(1000, 'g'), greedy, kNow + kDay, kNow);
        CAIRN_VERIFY_ERROR(refused, StoreError::SenderQuotaFull);
        QVERIFY(refused.message().contains(QString::fromLatin1(greedy.toHex())));
        CAIRN_VERIFY_ERROR(
            store->appendInbox(keyNamed("i"), QByteArray(1000, 'e'), keyNamed("t"), greedy, kNow + 1, kNow),
            StoreError::SenderQuotaFull);
        // What still fits, fits.
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("small"), QByteArray(500, 'g'), greedy, kNow + kDay, kNow));
        QCOMPARE(store->senderUsage(greedy).value(), 5000);
        // Everyone else is unaffected.
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("more"), QByteArray(1000, 'o'), other, kNow + kDay, kNow));
        QCOMPARE(store->senderUsage(other).value(), 1100);
        QCOMPARE(store->usage().bytesUsed, 6100);
    }

    void loweringTheLimitsKeepsStoredDataAndRefusesNewWrites()
    {
        StoreLimits limits;
        limits.itemOverheadBytes = 0;
        auto store = openStore(QStringLiteral(":memory:"), limits);
        QVERIFY(store);
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("a"), QByteArray(4000, 'a'), senderNamed("s"), kNow + kDay, kNow));
        limits.totalQuota = 1000;
        store->setLimits(limits);
        QCOMPARE(store->limits().totalQuota, 1000);
        QCOMPARE(store->usage().quota, 1000);
        QCOMPARE(store->getBlob(keyNamed("a"), kNow).value(), std::optional<QByteArray>(QByteArray(4000, 'a')));
        CAIRN_VERIFY_ERROR(store->putBlob(keyNamed("b"), QByteArray(10, 'b'), senderNamed("s"), kNow + kDay, kNow),
            StoreError::QuotaFull);
        limits.totalQuota = 5000;
        store->setLimits(limits);
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("b"), QByteArray(10, 'b'), senderNamed("s"), kNow + kDay, kNow));
    }

    void theItemOverheadIsChargedPerItemAndZeroMeansThePlainSum()
    {
        StoreLimits limits;
        limits.itemOverheadBytes = 0;
        auto store = openStore(QStringLiteral(":memory:"), limits);
        QVERIFY(store);
        const QByteArray s = senderNamed("s");
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("b"), QByteArray(123, 'b'), s, kNow + 10, kNow));
        CAIRN_VERIFY_OK(store->appendInbox(keyNamed("i"), QByteArray(45, 'e'), keyNamed("t"), s, kNow + 10, kNow));
        MutableRecord r = recordOf(1, QByteArray(67, 'r'), kNow + 10);
        r.salt = QByteArray(8, 's');
        CAIRN_VERIFY_OK(store->putRecord(keyNamed("r"), r, s, kNow));
        QCOMPARE(store->usage().bytesUsed, 123 + 45 + 67 + 8);
        // A changed overhead applies to what is stored next; what is stored
        // keeps the charge it was stored with, so usage stays exact.
        limits.itemOverheadBytes = 1000;
        store->setLimits(limits);
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("b2"), QByteArray(1, 'b'), s, kNow + 20, kNow));
        QCOMPARE(store->usage().bytesUsed, 123 + 45 + 67 + 8 + 1 + 1000);
        QCOMPARE(store->collectGarbage(kNow + 10).value(), 3);
        QCOMPARE(store->usage().bytesUsed, 1001);
    }

    // Inboxes

    void anInboxListsItsEntriesOldestFirst()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray inbox = keyNamed("alice's inbox");
        QList<QByteArray> data;
        for (int i = 0; i < 5; ++i) {
            // Insertion order, not data order.
            data.append(QByteArray::number(5 - i).repeated(10));
            CAIRN_VERIFY_OK(store->appendInbox(
                inbox, data.last(), hashOf("token" + data.last()), senderNamed("s"), kNow + 100 + i, kNow + i));
        }
        const QList<InboxEntry> entries = store->listInbox(inbox, kNow + 5).value();
        QCOMPARE(entries.size(), 5);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(entries[i].data, data[i]);
            QCOMPARE(entries[i].id, hashOf(data[i]));
            QCOMPARE(entries[i].deleteTokenHash, hashOf("token" + data[i]));
            QCOMPARE(entries[i].expiresAt, kNow + 100 + i);
        }
        QVERIFY(store->hasKey(inbox, KeyKind::Inbox, kNow).value());
        QCOMPARE(store->listInbox(keyNamed("someone else"), kNow).value().size(), 0);
        // Entries expire one by one.
        QCOMPARE(store->listInbox(inbox, kNow + 102).value().size(), 2);
    }

    void appendingAnEntryAgainIsIdempotentAndKeepsItsTokenHash()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray inbox = keyNamed("inbox"), data = "sealed header";
        CAIRN_VERIFY_OK(store->appendInbox(inbox, data, hashOf("right"), senderNamed("a"), kNow + 100, kNow));
        const StoreUsage before = store->usage();
        CAIRN_VERIFY_OK(store->appendInbox(inbox, data, hashOf("attacker"), senderNamed("b"), kNow + 500, kNow));
        QCOMPARE(store->usage().bytesUsed, before.bytesUsed);
        const QList<InboxEntry> entries = store->listInbox(inbox, kNow).value();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries[0].deleteTokenHash, hashOf("right"));
        QCOMPARE(entries[0].expiresAt, kNow + 500);
        CAIRN_VERIFY_ERROR(store->deleteInbox(inbox, hashOf(data), "attacker", kNow), StoreError::BadToken);
        CAIRN_VERIFY_OK(store->deleteInbox(inbox, hashOf(data), "right", kNow));
        // The same data in another inbox is another entry.
        CAIRN_VERIFY_OK(store->appendInbox(inbox, data, hashOf("right"), senderNamed("a"), kNow + 100, kNow));
        CAIRN_VERIFY_OK(
            store->appendInbox(keyNamed("other"), data, hashOf("right"), senderNamed("a"), kNow + 100, kNow));
        QCOMPARE(store->usage().inboxEntries, 2);
    }

    void theInboxCapRefusesTheEntryPastIt()
    {
        StoreLimits limits;
        limits.perInboxEntries = 3;
        auto store = openStore(QStringLiteral(":memory:"), limits);
        QVERIFY(store);
        const QByteArray inbox = keyNamed("inbox"), s = senderNamed("s");
        for (const char *d : {"one", "two", "three"})
            CAIRN_VERIFY_OK(store->appendInbox(inbox, d, hashOf(d), s, kNow + 100, kNow));
        const auto refused = store->appendInbox(inbox, "four", hashOf("four"), s, kNow + 100, kNow);
        CAIRN_VERIFY_ERROR(refused, StoreError::InboxFull);
        QCOMPARE(store->listInbox(inbox, kNow).value().size(), 3);
        // Re-appending a stored entry is not a new entry.
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "two", hashOf("two"), s, kNow + 100, kNow));
        // Other inboxes are unaffected; deleting makes room.
        CAIRN_VERIFY_OK(store->appendInbox(keyNamed("other"), "four", hashOf("four"), s, kNow + 100, kNow));
        CAIRN_VERIFY_OK(store->deleteInbox(inbox, hashOf("one"), "one", kNow));
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "four", hashOf("four"), s, kNow + 100, kNow));
        CAIRN_VERIFY_ERROR(
            store->appendInbox(inbox, "five", hashOf("five"), s, kNow + 100, kNow), StoreError::InboxFull);
        // Expired entries do not count against the cap.
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "five", hashOf("five"), s, kNow + 200, kNow + 100));
    }

    void deletingWithTheRightTokenRemovesTheEntryAndItsCharge()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray inbox = keyNamed("inbox"), s = senderNamed("s");
        const QByteArray token = QByteArray(32, 't');
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "keep", hashOf("other token"), s, kNow + 100, kNow));
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "drop", hashOf(token), s, kNow + 100, kNow));
        const qint64 before = store->usage().bytesUsed;
        CAIRN_VERIFY_OK(store->deleteInbox(inbox, hashOf("drop"), token, kNow));
        const QList<InboxEntry> entries = store->listInbox(inbox, kNow).value();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries[0].data, QByteArray("keep"));
        QCOMPARE(store->usage().bytesUsed, before - 4 - store->limits().itemOverheadBytes);
        QCOMPARE(store->usage().inboxEntries, 1);
        CAIRN_VERIFY_ERROR(store->deleteInbox(inbox, hashOf("drop"), token, kNow), StoreError::NotFound);
    }

    void deletingWithAWrongTokenRemovesNothing()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray inbox = keyNamed("inbox"), s = senderNamed("s");
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "mail", hashOf("token"), s, kNow + 100, kNow));
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "more", hashOf("token 2"), s, kNow + 100, kNow));
        const StoreUsage before = store->usage();
        for (const QByteArray &wrong : {QByteArray("tokem"), QByteArray("token 2"), hashOf("token"), QByteArray("t")})
            CAIRN_VERIFY_ERROR(store->deleteInbox(inbox, hashOf("mail"), wrong, kNow), StoreError::BadToken);
        // The right token for the wrong inbox finds nothing.
        CAIRN_VERIFY_ERROR(store->deleteInbox(keyNamed("other"), hashOf("mail"), "token", kNow), StoreError::NotFound);
        QCOMPARE(store->listInbox(inbox, kNow).value().size(), 2);
        QCOMPARE(store->usage().bytesUsed, before.bytesUsed);
        QCOMPARE(store->usage().inboxEntries, 2);
    }

    void deletingAnAbsentOrExpiredEntryIsNotFound()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray inbox = keyNamed("inbox");
        CAIRN_VERIFY_ERROR(store->deleteInbox(inbox, hashOf("never"), "token", kNow), StoreError::NotFound);
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "mail", hashOf("token"), senderNamed("s"), kNow + 10, kNow));
        CAIRN_VERIFY_ERROR(store->deleteInbox(inbox, hashOf("mail"), "token", kNow + 10), StoreError::NotFound);
    }

    // Records

    void aRecordReadsBackWithEveryField()
    {
        auto store = openStore();
        QVERIFY(store);
        // Above 2^63: sequences are unsigned throughout.
        const quint64 sequence = 0xfedcba9876543210ULL;
        MutableRecord record = recordOf(sequence, "profile v1", kNow + 100);
        record.salt = QByteArray();
        CAIRN_VERIFY_OK(store->putRecord(keyNamed("r"), record, senderNamed("s"), kNow));
        const auto back = store->getRecord(keyNamed("r"), kNow).value();
        QVERIFY(back.has_value());
        QCOMPARE(back->ownerKey, record.ownerKey);
        QCOMPARE(back->salt, QByteArray());
        QCOMPARE(back->sequence, sequence);
        QCOMPARE(back->value, record.value);
        QCOMPARE(back->signature, record.signature);
        QCOMPARE(back->expiresAt, kNow + 100);
        QVERIFY(!store->getRecord(keyNamed("r"), kNow + 100).value().has_value());
        QVERIFY(!store->getRecord(keyNamed("absent"), kNow).value().has_value());
        // Compared unsigned: 2^63 + 1 is newer than 2^63 - 1.
        CAIRN_VERIFY_OK(
            store->putRecord(keyNamed("u"), recordOf(0x7fffffffffffffffULL, "a", kNow + 9), senderNamed("s"), kNow));
        CAIRN_VERIFY_OK(
            store->putRecord(keyNamed("u"), recordOf(0x8000000000000001ULL, "b", kNow + 9), senderNamed("s"), kNow));
        CAIRN_VERIFY_ERROR(
            store->putRecord(keyNamed("u"), recordOf(0x7fffffffffffffffULL, "a", kNow + 9), senderNamed("s"), kNow),
            StoreError::StaleRecord);
    }

    void aHigherSequenceReplacesTheRecordAndItsCharge()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray key = keyNamed("r"), a = senderNamed("a"), b = senderNamed("b");
        const qint64 overhead = store->limits().itemOverheadBytes;
        CAIRN_VERIFY_OK(store->putRecord(key, recordOf(1, QByteArray(100, '1'), kNow + 100), a, kNow));
        QCOMPARE(store->usage().bytesUsed, 100 + 4 + overhead);
        CAIRN_VERIFY_OK(store->putRecord(key, recordOf(2, QByteArray(10, '2'), kNow + 50), b, kNow));
        const auto back = store->getRecord(key, kNow).value();
        QCOMPARE(back->sequence, quint64(2));
        QCOMPARE(back->value, QByteArray(10, '2'));
        QCOMPARE(back->expiresAt, kNow + 50);
        QCOMPARE(store->usage().records, 1);
        QCOMPARE(store->usage().bytesUsed, 10 + 4 + overhead);
        QCOMPARE(store->senderUsage(a).value(), 0);
        QCOMPARE(store->senderUsage(b).value(), 10 + 4 + overhead);
    }

    void anOlderOrConflictingRecordIsStale()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray key = keyNamed("r"), s = senderNamed("s");
        CAIRN_VERIFY_OK(store->putRecord(key, recordOf(5, "five", kNow + 100), s, kNow));
        const StoreUsage before = store->usage();
        CAIRN_VERIFY_ERROR(store->putRecord(key, recordOf(4, "four", kNow + 100), s, kNow), StoreError::StaleRecord);
        CAIRN_VERIFY_ERROR(store->putRecord(key, recordOf(0, "zero", kNow + 100), s, kNow), StoreError::StaleRecord);
        CAIRN_VERIFY_ERROR(store->putRecord(key, recordOf(5, "other", kNow + 100), s, kNow), StoreError::StaleRecord);
        QCOMPARE(store->getRecord(key, kNow).value()->value, QByteArray("five"));
        QCOMPARE(store->usage().bytesUsed, before.bytesUsed);
        // The same record again is accepted and keeps it alive longer.
        CAIRN_VERIFY_OK(store->putRecord(key, recordOf(5, "five", kNow + 300), senderNamed("other"), kNow + 50));
        QCOMPARE(store->getRecord(key, kNow).value()->expiresAt, kNow + 300);
        QCOMPARE(store->usage().bytesUsed, before.bytesUsed);
        QCOMPARE(store->senderUsage(s).value(), before.bytesUsed);
    }

    void anExpiredRecordIsReplacedByAnySequence()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray key = keyNamed("r"), s = senderNamed("s");
        CAIRN_VERIFY_OK(store->putRecord(key, recordOf(9, "nine", kNow + 10), s, kNow));
        CAIRN_VERIFY_OK(store->putRecord(key, recordOf(3, "three", kNow + 100), s, kNow + 10));
        QCOMPARE(store->getRecord(key, kNow + 10).value()->sequence, quint64(3));
        QCOMPARE(store->usage().records, 1);
        QCOMPARE(store->usage().bytesUsed, 5 + 4 + store->limits().itemOverheadBytes);
    }

    // Keys for repair

    void keysArePagedInKeyOrderWithTheirKindAndExpiry()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray s = senderNamed("s");
        QMap<QByteArray, KeyKind> expected;
        for (int i = 0; i < 40; ++i) {
            const QByteArray key = hashOf(QByteArray::number(i));
            switch (i % 3) {
            case 0:
                CAIRN_VERIFY_OK(store->putBlob(key, "v", s, kNow + 100 + i, kNow));
                expected.insert(key, KeyKind::Blob);
                break;
            case 1:
                CAIRN_VERIFY_OK(store->appendInbox(key, "a", hashOf("t"), s, kNow + 100, kNow));
                CAIRN_VERIFY_OK(store->appendInbox(key, "b", hashOf("t"), s, kNow + 100 + i, kNow));
                expected.insert(key, KeyKind::Inbox);
                break;
            default:
                CAIRN_VERIFY_OK(store->putRecord(key, recordOf(1, "v", kNow + 100 + i), s, kNow));
                expected.insert(key, KeyKind::Record);
                break;
            }
        }
        // An expired key is not listed.
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("expired"), "v", s, kNow + 1, kNow));
        QList<StoredKey> all;
        QByteArray after;
        for (int pages = 0; pages < 20; ++pages) {
            const QList<StoredKey> page = store->keys(kNow + 1, 7, after).value();
            if (page.isEmpty())
                break;
            QVERIFY(page.size() <= 7);
            all.append(page);
            after = page.last().key;
        }
        QCOMPARE(all.size(), 40);
        for (int i = 0; i < all.size(); ++i) {
            if (i > 0)
                QVERIFY(all[i - 1].key < all[i].key);
            QCOMPARE(all[i].kind, expected.value(all[i].key));
            const int n = [&] {
                for (int j = 0; j < 40; ++j)
                    if (hashOf(QByteArray::number(j)) == all[i].key)
                        return j;
                return -1;
            }();
            // An inbox key reports its longest-lived entry.
            QCOMPARE(all[i].expiresAt, kNow + 100 + n);
        }
    }

    void aKeyStoredAsSeveralKindsNeverStraddlesTwoPages()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray s = senderNamed("s");
        const QByteArray low(32, '\x01'), shared(32, '\x02'), high(32, '\x03');
        CAIRN_VERIFY_OK(store->putBlob(low, "v", s, kNow + 100, kNow));
        CAIRN_VERIFY_OK(store->putBlob(shared, "v", s, kNow + 100, kNow));
        CAIRN_VERIFY_OK(store->appendInbox(shared, "e", hashOf("t"), s, kNow + 100, kNow));
        CAIRN_VERIFY_OK(store->putRecord(shared, recordOf(1, "v", kNow + 100), s, kNow));
        CAIRN_VERIFY_OK(store->putBlob(high, "v", s, kNow + 100, kNow));
        const QList<StoredKey> first = store->keys(kNow, 2).value();
        QCOMPARE(first.size(), 4);
        QCOMPARE(first[0].key, low);
        for (int i = 1; i < 4; ++i) {
            QCOMPARE(first[i].key, shared);
            QCOMPARE(int(first[i].kind), i);
        }
        const QList<StoredKey> second = store->keys(kNow, 2, first.last().key).value();
        QCOMPARE(second.size(), 1);
        QCOMPARE(second[0].key, high);
        QVERIFY(store->keys(kNow, 2, high).value().isEmpty());
    }

    // Accounting

    void usageIsExactlyTheSumOfChargedSizesThroughRandomWork()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("store.db"));
        StoreLimits limits;
        limits.totalQuota = 48 * 1024;
        limits.perSenderQuota = 20 * 1024;
        limits.perInboxEntries = 6;
        limits.maxValueBytes = 4096;
        limits.maxInboxEntryBytes = 512;
        limits.itemOverheadBytes = 32;
        auto store = openStore(path, limits);
        QVERIFY(store);
        base::SeededRng rng(42);
        QMap<StoreError, int> refusals;
        qint64 now = kNow;
        const auto pick = [&](int n) { return int(rng.uniform(quint64(n))); };
        const auto sender = [&] { return crypto::blake2b(QByteArray::number(pick(4)), 20); };
        const auto note = [&](const auto &r) {
            if (!r.ok())
                refusals[r.code()] += 1;
            return r.ok() || (r.code() != StoreError::Io && r.code() != StoreError::Corrupt);
        };
        for (int step = 0; step < 1500; ++step) {
            const qint64 expiry = now + 1 + pick(200);
            bool fine = true;
            switch (pick(6)) {
            case 0: {
                const QByteArray key = hashOf(QByteArray::number(pick(40)));
                fine = note(store->putBlob(key, rng.bytes(pick(5000)), sender(), expiry, now));
                break;
            }
            case 1: {
                const QByteArray data = QByteArray::number(pick(12)).repeated(1 + 150 * pick(3));
                fine = note(
                    store->appendInbox(hashOf(QByteArray::number(pick(4))), data, hashOf(data), sender(), expiry, now));
                break;
            }
            case 2: {
                const QByteArray data = QByteArray::number(pick(12)).repeated(1 + 150 * pick(3));
                // Half the time the right token (the hash's preimage), half a wrong one.
                fine = note(store->deleteInbox(
                    hashOf(QByteArray::number(pick(4))), hashOf(data), pick(2) ? data : QByteArray("wrong"), now));
                break;
            }
            case 3: {
                MutableRecord r = recordOf(quint64(pick(6)), rng.bytes(pick(4200)), expiry);
                r.salt = rng.bytes(pick(65));
                fine = note(store->putRecord(hashOf("r" + QByteArray::number(pick(10))), r, sender(), now));
                break;
            }
            case 4:
                fine = note(store->collectGarbage(now));
                break;
            default:
                now += pick(15);
                break;
            }
            QVERIFY(fine);
        }
        // The run exercised every refusal.
        for (StoreError e : {StoreError::QuotaFull, StoreError::SenderQuotaFull, StoreError::InboxFull,
                 StoreError::TooLarge, StoreError::BadToken, StoreError::NotFound, StoreError::StaleRecord})
            QVERIFY2(refusals.value(e) > 0, qPrintable(errorName(e)));

        const auto checkExact = [&](BlobStore &s) {
            const qint64 overhead = limits.itemOverheadBytes;
            const QString sums = QStringLiteral(
                "SELECT (SELECT coalesce(sum(size), 0) FROM blobs) + (SELECT coalesce(sum(size), 0) FROM inbox_entries)"
                " + (SELECT coalesce(sum(size), 0) FROM records)");
            const StoreUsage u = s.usage();
            QCOMPARE(u.bytesUsed, scalar(s, sums).toLongLong());
            QCOMPARE(u.blobs, scalar(s, QStringLiteral("SELECT count(*) FROM blobs")).toLongLong());
            QCOMPARE(u.inboxEntries, scalar(s, QStringLiteral("SELECT count(*) FROM inbox_entries")).toLongLong());
            QCOMPARE(u.records, scalar(s, QStringLiteral("SELECT count(*) FROM records")).toLongLong());
            QVERIFY(u.bytesUsed <= limits.totalQuota);
            // Every charge is its payload plus the overhead.
            QCOMPARE(
                scalar(s, QStringLiteral("SELECT count(*) FROM blobs WHERE size != length(value) + %1").arg(overhead))
                    .toInt(),
                0);
            QCOMPARE(
                scalar(s,
                    QStringLiteral("SELECT count(*) FROM inbox_entries WHERE size != length(data) + %1").arg(overhead))
                    .toInt(),
                0);
            QCOMPARE(scalar(s,
                         QStringLiteral("SELECT count(*) FROM records WHERE size != length(value) + length(salt) + %1")
                             .arg(overhead))
                         .toInt(),
                0);
            // Per-sender totals match the items, and stay within their quota.
            for (int i = 0; i < 4; ++i) {
                const QByteArray id = crypto::blake2b(QByteArray::number(i), 20);
                const QString hex = QString::fromLatin1(id.toHex());
                const qint64 items = scalar(s,
                    QStringLiteral("SELECT (SELECT coalesce(sum(size), 0) FROM blobs WHERE sender = X'%1')"
                                   " + (SELECT coalesce(sum(size), 0) FROM inbox_entries WHERE sender = X'%1')"
                                   " + (SELECT coalesce(sum(size), 0) FROM records WHERE sender = X'%1')")
                        .arg(hex))
                                         .toLongLong();
                QCOMPARE(s.senderUsage(id).value(), items);
                QVERIFY(items <= limits.perSenderQuota);
            }
        };
        checkExact(*store);
        if (QTest::currentTestFailed())
            return;
        // The cached counters are re-read, not recomputed, at open: they
        // were kept in step inside every transaction.
        const StoreUsage before = store->usage();
        store.reset();
        store = openStore(path, limits);
        QVERIFY(store);
        QCOMPARE(store->usage().bytesUsed, before.bytesUsed);
        QCOMPARE(store->usage().blobs, before.blobs);
        QCOMPARE(store->usage().inboxEntries, before.inboxEntries);
        QCOMPARE(store->usage().records, before.records);
        QCOMPARE(store->collectGarbage(now + 1000).value(), int(before.blobs + before.inboxEntries + before.records));
        QCOMPARE(store->usage().bytesUsed, 0);
        checkExact(*store);
    }

    // Restart, full disk, schema, secure delete

    void aRestartedStoreKeepsAndServesItsData()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("store.db"));
        const QByteArray blobValue(30000, 'b');
        const QByteArray inbox = keyNamed("inbox"), s = senderNamed("s");
        StoreUsage before;
        {
            auto store = openStore(path);
            QVERIFY(store);
            CAIRN_VERIFY_OK(store->putBlob(hashOf(blobValue), blobValue, s, kNow + kDay, kNow));
            CAIRN_VERIFY_OK(store->appendInbox(inbox, "first", hashOf("t1"), s, kNow + kDay, kNow));
            CAIRN_VERIFY_OK(store->appendInbox(inbox, "second", hashOf("t2"), s, kNow + kDay, kNow));
            CAIRN_VERIFY_OK(store->putRecord(keyNamed("r"), recordOf(7, "seven", kNow + kDay), s, kNow));
            before = store->usage();
        }
        auto store = openStore(path);
        QVERIFY(store);
        QCOMPARE(store->getBlob(hashOf(blobValue), kNow + 1).value(), std::optional<QByteArray>(blobValue));
        const QList<InboxEntry> entries = store->listInbox(inbox, kNow + 1).value();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries[0].data, QByteArray("first"));
        QCOMPARE(entries[1].data, QByteArray("second"));
        QCOMPARE(store->getRecord(keyNamed("r"), kNow + 1).value()->sequence, quint64(7));
        QCOMPARE(store->usage().bytesUsed, before.bytesUsed);
        QCOMPARE(store->usage().blobs, 1);
        QCOMPARE(store->usage().inboxEntries, 2);
        QCOMPARE(store->usage().records, 1);
        QCOMPARE(store->senderUsage(s).value(), before.bytesUsed);
        // And it keeps working: tokens, sequences and order survive.
        CAIRN_VERIFY_OK(store->deleteInbox(inbox, hashOf("first"), "t1", kNow + 1));
        CAIRN_VERIFY_ERROR(
            store->putRecord(keyNamed("r"), recordOf(6, "six", kNow + kDay), s, kNow + 1), StoreError::StaleRecord);
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "third", hashOf("t3"), s, kNow + kDay, kNow + 1));
        const QList<InboxEntry> after = store->listInbox(inbox, kNow + 1).value();
        QCOMPARE(after.size(), 2);
        QCOMPARE(after[1].data, QByteArray("third"));
    }

    void aFullDiskIsAClearErrorThatDamagesNothing()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("store.db"));
        auto store = openStore(path);
        QVERIFY(store);
        const QByteArray s = senderNamed("s");
        QList<QByteArray> shortLived, longLived;
        for (int i = 0; i < 6; ++i) {
            shortLived.append(QByteArray(16 * 1024, char('a' + i)));
            CAIRN_VERIFY_OK(store->putBlob(hashOf(shortLived.last()), shortLived.last(), s, kNow + 10, kNow));
            longLived.append(QByteArray(16 * 1024, char('A' + i)));
            CAIRN_VERIFY_OK(store->putBlob(hashOf(longLived.last()), longLived.last(), s, kNow + kDay, kNow));
        }
        CAIRN_VERIFY_OK(store->putRecord(keyNamed("r"), recordOf(1, "one", kNow + kDay), s, kNow));

        // Stop the file from growing: SQLite then fails page allocation
        // with a genuine SQLITE_FULL, as on a full disk.
        const qint64 pages = scalar(*store, QStringLiteral("PRAGMA page_count")).toLongLong();
        QCOMPARE(scalar(*store, QStringLiteral("PRAGMA max_page_count = %1").arg(pages)).toLongLong(), pages);

        // Fill what room is left in existing pages with inbox entries until
        // the disk is full.
        const QByteArray inbox = keyNamed("inbox");
        // A full disk is worth a warning in the log, once per refused write.
        const QRegularExpression diskFull(QStringLiteral("the disk is full"));
        for (int i = 0; i < 3; ++i)
            QTest::ignoreMessage(QtWarningMsg, diskFull);
        QList<QByteArray> appended;
        Result<void> last;
        for (int i = 0; i < 500 && last.ok(); ++i) {
            const QByteArray data = QByteArray::number(i).rightJustified(2000, '.');
            last = store->appendInbox(inbox, data, hashOf(data), s, kNow + kDay, kNow);
            if (last.ok())
                appended.append(data);
        }
        CAIRN_VERIFY_ERROR(last, StoreError::DiskFull);
        QVERIFY2(last.message().contains(QStringLiteral("disk is full")), qPrintable(last.message()));
        const StoreUsage full = store->usage();
        const QByteArray big(16 * 1024, 'Z');
        CAIRN_VERIFY_ERROR(store->putBlob(hashOf(big), big, s, kNow + kDay, kNow), StoreError::DiskFull);
        CAIRN_VERIFY_ERROR(
            store->putRecord(keyNamed("r"), recordOf(2, big, kNow + kDay), s, kNow), StoreError::DiskFull);

        // Nothing stored was damaged, and the failed writes left no trace.
        const StoreUsage after = store->usage();
        QCOMPARE(after.bytesUsed, full.bytesUsed);
        QCOMPARE(after.blobs, 12);
        QCOMPARE(after.records, 1);
        QCOMPARE(after.inboxEntries, appended.size());
        QVERIFY(!store->getBlob(hashOf(big), kNow).value().has_value());
        QCOMPARE(store->getRecord(keyNamed("r"), kNow).value()->value, QByteArray("one"));
        for (const QByteArray &v : shortLived + longLived)
            QCOMPARE(store->getBlob(hashOf(v), kNow).value(), std::optional<QByteArray>(v));
        const QList<InboxEntry> entries = store->listInbox(inbox, kNow).value();
        QCOMPARE(entries.size(), appended.size());
        for (int i = 0; i < entries.size(); ++i)
            QCOMPARE(entries[i].data, appended[i]);
        QCOMPARE(scalar(*store, QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));
        QCOMPARE(scalar(*store, QStringLiteral("PRAGMA foreign_key_check")), QVariant());

        // Freeing space (expiry, then collection) lets writes succeed again,
        // still under the same cap on the file's size.
        QCOMPARE(store->collectGarbage(kNow + 10).value(), 6);
        CAIRN_VERIFY_OK(store->putBlob(hashOf(big), big, s, kNow + kDay, kNow + 10));
        CAIRN_VERIFY_OK(store->putRecord(keyNamed("r"), recordOf(2, "two", kNow + kDay), s, kNow + 10));
        QCOMPARE(scalar(*store, QStringLiteral("PRAGMA page_count")).toLongLong(), pages);
        QCOMPARE(store->getBlob(hashOf(big), kNow + 10).value(), std::optional<QByteArray>(big));

        // And all of it survives a restart.
        const StoreUsage end = store->usage();
        store.reset();
        store = openStore(path);
        QVERIFY(store);
        QCOMPARE(store->usage().bytesUsed, end.bytesUsed);
        QCOMPARE(store->listInbox(inbox, kNow + 10).value().size(), appended.size());
        for (const QByteArray &v : longLived)
            QCOMPARE(store->getBlob(hashOf(v), kNow + 10).value(), std::optional<QByteArray>(v));
    }

    void aStoreFromANewerSchemaIsRefusedAndLeftUntouched()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("store.db"));
        {
            auto store = openStore(path);
            QVERIFY(store);
            CAIRN_VERIFY_OK(store->putBlob(keyNamed("b"), "v", senderNamed("s"), kNow + kDay, kNow));
        }
        {
            RawDb raw(path);
            QVERIFY(
                raw.exec(QStringLiteral("UPDATE schema_version SET version = %1").arg(BlobStore::kSchemaVersion + 1)));
        }
        const QByteArray bytes = fileBytes(path);
        QVERIFY(!bytes.isEmpty());
        const auto opened = BlobStore::open(path, {});
        CAIRN_VERIFY_ERROR(opened, StoreError::UnsupportedSchema);
        QVERIFY2(opened.message().contains(QStringLiteral("newer")), qPrintable(opened.message()));
        QVERIFY(opened.message().contains(QString::number(BlobStore::kSchemaVersion + 1)));
        QCOMPARE(fileBytes(path), bytes);
    }

    void aFileThatIsNotADatabaseIsCorrupt()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("store.db"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray("this is not an SQLite database, just bytes ").repeated(100));
        }
        CAIRN_VERIFY_ERROR(BlobStore::open(path, {}), StoreError::Corrupt);
    }

    void anotherSqliteDatabaseIsRefusedUntouched()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("mailbox.db"));
        {
            RawDb raw(path);
            QVERIFY(raw.exec(QStringLiteral("CREATE TABLE mail (id INTEGER PRIMARY KEY, body BLOB)")));
        }
        const QByteArray bytes = fileBytes(path);
        const auto opened = BlobStore::open(path, {});
        CAIRN_VERIFY_ERROR(opened, StoreError::Corrupt);
        QVERIFY(opened.message().contains(QStringLiteral("not a Cairn store")));
        QCOMPARE(fileBytes(path), bytes);
    }

    void aMissingDirectoryIsAnIoError()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        CAIRN_VERIFY_ERROR(BlobStore::open(dir.filePath(QStringLiteral("no/such/dir/store.db")), {}), StoreError::Io);
    }

    void expiredDataIsOverwrittenOnDisk()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("store.db"));
        const QByteArray marker("CAIRN-SECRET-MARKER-");
        const QByteArray secret = marker.repeated(1000);
        {
            auto store = openStore(path);
            QVERIFY(store);
            CAIRN_VERIFY_OK(store->putBlob(hashOf(secret), secret, senderNamed("s"), kNow + 10, kNow));
            CAIRN_VERIFY_OK(
                store->appendInbox(keyNamed("i"), marker + "inbox", hashOf("t"), senderNamed("s"), kNow + 10, kNow));
            CAIRN_VERIFY_OK(store->putBlob(keyNamed("other"), "kept", senderNamed("s"), kNow + kDay, kNow));
        }
        // Closing checkpoints the WAL into the file: the secret is on disk.
        QVERIFY(fileBytes(path).contains(marker));
        {
            auto store = openStore(path);
            QVERIFY(store);
            QCOMPARE(store->collectGarbage(kNow + 10).value(), 2);
        }
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal"))
            || !fileBytes(path + QStringLiteral("-wal")).contains(marker));
        QVERIFY2(!fileBytes(path).contains(marker), "deleted data is still in the database file");
        auto store = openStore(path);
        QVERIFY(store);
        QCOMPARE(store->getBlob(keyNamed("other"), kNow + 10).value(), std::optional<QByteArray>(QByteArray("kept")));
    }
};

QTEST_GUILESS_MAIN(TestBlobStore)
#include "test_blobstore.moc"
