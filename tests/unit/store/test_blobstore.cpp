// BlobStore: opening, blobs, expiry, limits, inboxes, records and the keys
// repair pages through.
#include "tests/unit/store/storefixture.h"

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
        for (int bad : {-1, BlobStore::kMaxCopies + 1}) {
            cases.append({"putBlob copies", [=, &store] { return code(store->putBlob(key, "v", s, e, kNow, bad)); }});
            cases.append(
                {"appendInbox copies", [=, &store] { return code(store->appendInbox(key, "d", t, s, e, kNow, bad)); }});
        }
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

    // Replication factor (copies)

    void aBlobKeepsItsCopiesAndStoringItAgainKeepsTheLarger()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray value = "a blob with its own replication factor";
        const QByteArray key = hashOf(value), s = senderNamed("s");
        const auto copies = [&] { return store->keys(kNow, 10).value().value(0).copies; };
        CAIRN_VERIFY_OK(store->putBlob(key, value, s, kNow + 100, kNow, 3));
        QCOMPARE(copies(), 3);
        // 0 (the holder's default) never overrides a writer's choice.
        CAIRN_VERIFY_OK(store->putBlob(key, value, s, kNow + 100, kNow));
        QCOMPARE(copies(), 3);
        CAIRN_VERIFY_OK(store->putBlob(key, value, s, kNow + 100, kNow, 5));
        QCOMPARE(copies(), 5);
        CAIRN_VERIFY_OK(store->putBlob(key, value, s, kNow + 100, kNow, 4));
        QCOMPARE(copies(), 5);
        QCOMPARE(store->usage().blobs, 1);
        // An expired blob is replaced, copies included.
        CAIRN_VERIFY_OK(store->putBlob(key, value, s, kNow + 300, kNow + 200, 2));
        QCOMPARE(store->keys(kNow + 200, 10).value().value(0).copies, 2);
        // Without a choice, the default.
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("plain"), "p", s, kNow + 100, kNow));
        CAIRN_VERIFY_OK(store->putBlob(keyNamed("max"), "m", s, kNow + 100, kNow, BlobStore::kMaxCopies));
        const QList<StoredKey> keys = store->keys(kNow, 10).value();
        QCOMPARE(keys.size(), 3);
        for (const StoredKey &k : keys) {
            if (k.key == keyNamed("plain"))
                QCOMPARE(k.copies, 0);
            if (k.key == keyNamed("max"))
                QCOMPARE(k.copies, BlobStore::kMaxCopies);
        }
    }

    void anInboxKeyReportsTheLargestCopiesAmongItsLiveEntries()
    {
        auto store = openStore();
        QVERIFY(store);
        const QByteArray inbox = keyNamed("inbox"), s = senderNamed("s");
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "two", hashOf("t"), s, kNow + 500, kNow, 2));
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "six", hashOf("t"), s, kNow + 100, kNow, 6));
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "default", hashOf("t"), s, kNow + 500, kNow));
        const QList<InboxEntry> entries = store->listInbox(inbox, kNow).value();
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries[0].copies, 2);
        QCOMPARE(entries[1].copies, 6);
        QCOMPARE(entries[2].copies, 0);
        QCOMPARE(store->keys(kNow, 10).value().value(0).copies, 6);
        // Appending an entry again keeps the larger copies.
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "two", hashOf("t"), s, kNow + 500, kNow, 1));
        QCOMPARE(store->listInbox(inbox, kNow).value().first().copies, 2);
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "two", hashOf("t"), s, kNow + 500, kNow, 4));
        QCOMPARE(store->listInbox(inbox, kNow).value().first().copies, 4);
        // Once the six-copy entry expires, the key's largest is four.
        QCOMPARE(store->keys(kNow + 100, 10).value().value(0).copies, 4);
        // A deleted entry no longer counts either.
        CAIRN_VERIFY_OK(store->appendInbox(inbox, "nine", hashOf("nine"), s, kNow + 500, kNow, 9));
        QCOMPARE(store->keys(kNow, 10).value().value(0).copies, 9);
        CAIRN_VERIFY_OK(store->deleteInbox(inbox, hashOf("nine"), "nine", kNow));
        QCOMPARE(store->keys(kNow, 10).value().value(0).copies, 6);
    }

    void aRecordKeyHasTheDefaultCopies()
    {
        auto store = openStore();
        QVERIFY(store);
        CAIRN_VERIFY_OK(store->putRecord(keyNamed("r"), recordOf(1, "v", kNow + 100), senderNamed("s"), kNow));
        const QList<StoredKey> keys = store->keys(kNow, 10).value();
        QCOMPARE(keys.size(), 1);
        QCOMPARE(keys[0].kind, KeyKind::Record);
        QCOMPARE(keys[0].copies, 0);
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
                CAIRN_VERIFY_OK(store->putBlob(key, "v", s, kNow + 100 + i, kNow, i % 5));
                expected.insert(key, KeyKind::Blob);
                break;
            case 1:
                CAIRN_VERIFY_OK(store->appendInbox(key, "a", hashOf("t"), s, kNow + 100, kNow, i % 5));
                CAIRN_VERIFY_OK(store->appendInbox(key, "b", hashOf("t"), s, kNow + 100 + i, kNow, 1));
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
            // An inbox key reports its longest-lived entry and its largest copies.
            QCOMPARE(all[i].expiresAt, kNow + 100 + n);
            switch (all[i].kind) {
            case KeyKind::Blob:
                QCOMPARE(all[i].copies, n % 5);
                break;
            case KeyKind::Inbox:
                QCOMPARE(all[i].copies, qMax(1, n % 5));
                break;
            default:
                QCOMPARE(all[i].copies, 0);
                break;
            }
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
};

QTEST_GUILESS_MAIN(TestBlobStore)
#include "test_blobstore.moc"
