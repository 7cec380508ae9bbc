// BlobStore on disk: exact accounting, restarts, a full disk, schema versions
// and secure delete.
#include "tests/unit/store/storefixture.h"

class TestBlobStoreFiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
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

    void aVersionOneStoreIsUpgradedInPlaceKeepingEveryItemAndItsUsage()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("store.db"));
        const QByteArray s = senderNamed("s"), blobValue = "an old blob", inbox = keyNamed("inbox");
        const QByteArray entry = "an old entry";
        const MutableRecord record = recordOf(7, "an old record", kNow + kDay);
        const qint64 overhead = StoreLimits().itemOverheadBytes;
        const qint64 blobSize = blobValue.size() + overhead, entrySize = entry.size() + overhead;
        const qint64 recordSize = record.value.size() + record.salt.size() + overhead;
        const qint64 total = blobSize + entrySize + recordSize;
        {
            RawDb raw(path);
            QVERIFY(raw.createVersion1());
            const auto hex = [](const QByteArray &b) { return QStringLiteral("X'%1'").arg(QLatin1String(b.toHex())); };
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO senders VALUES (%1, %2, 3)").arg(hex(s)).arg(total)));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO blobs VALUES (%1, %2, %3, %4, %5)")
                                 .arg(hex(hashOf(blobValue)), hex(s))
                                 .arg(blobSize)
                                 .arg(kNow + kDay)
                                 .arg(hex(blobValue))));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO inbox_entries (inbox_key, id, sender, size, expires_at,"
                                            " token_hash, data) VALUES (%1, %2, %3, %4, %5, %6, %7)")
                                 .arg(hex(inbox), hex(hashOf(entry)), hex(s))
                                 .arg(entrySize)
                                 .arg(kNow + kDay)
                                 .arg(hex(hashOf("token")), hex(entry))));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO records VALUES (%1, %2, %3, %4, %5, %6, %7, %8, %9)")
                                 .arg(hex(keyNamed("r")), hex(s))
                                 .arg(recordSize)
                                 .arg(kNow + kDay)
                                 .arg(hex(record.ownerKey), hex(record.salt))
                                 .arg(record.sequence)
                                 .arg(hex(record.value), hex(record.signature))));
            QVERIFY(raw.exec(
                QStringLiteral("UPDATE usage SET bytes = %1, blobs = 1, inbox_entries = 1, records = 1").arg(total)));
        }
        {
            auto store = openStore(path);
            QVERIFY(store);
            QCOMPARE(scalar(*store, QStringLiteral("SELECT version FROM schema_version")).toInt(), 2);
            QCOMPARE(scalar(*store, QStringLiteral("SELECT count(*) FROM schema_version")).toInt(), 1);
            const StoreUsage u = store->usage();
            QCOMPARE(u.bytesUsed, total);
            QCOMPARE(u.blobs, 1);
            QCOMPARE(u.inboxEntries, 1);
            QCOMPARE(u.records, 1);
            QCOMPARE(store->senderUsage(s).value(), total);
            QCOMPARE(store->getBlob(hashOf(blobValue), kNow).value(), std::optional<QByteArray>(blobValue));
            const QList<InboxEntry> entries = store->listInbox(inbox, kNow).value();
            QCOMPARE(entries.size(), 1);
            QCOMPARE(entries[0].data, entry);
            QCOMPARE(entries[0].deleteTokenHash, hashOf("token"));
            QCOMPARE(entries[0].copies, 0);
            QCOMPARE(store->getRecord(keyNamed("r"), kNow).value()->value, record.value);
            const QList<StoredKey> keys = store->keys(kNow, 10).value();
            QCOMPARE(keys.size(), 3);
            for (const StoredKey &k : keys)
                QCOMPARE(k.copies, 0); // the old items take the holder's default
            // The upgraded tables take the new column like fresh ones.
            CAIRN_VERIFY_OK(store->putBlob(hashOf(blobValue), blobValue, s, kNow + kDay, kNow, 4));
            CAIRN_VERIFY_OK(store->appendInbox(inbox, "new entry", hashOf("t2"), s, kNow + kDay, kNow, 6));
            CAIRN_VERIFY_OK(store->putBlob(keyNamed("new"), "new", s, kNow + kDay, kNow, 3));
            CAIRN_VERIFY_OK(store->deleteInbox(inbox, hashOf(entry), "token", kNow));
        }
        // Reopening an upgraded store changes nothing more.
        auto store = openStore(path);
        QVERIFY(store);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT version FROM schema_version")).toInt(), 2);
        QMap<QByteArray, int> copies;
        const QList<StoredKey> keys = store->keys(kNow, 10).value();
        QCOMPARE(keys.size(), 4);
        for (const StoredKey &k : keys)
            copies.insert(k.key, k.copies);
        QCOMPARE(copies.value(keyNamed("r"), -1), 0);
        QCOMPARE(copies.value(hashOf(blobValue)), 4);
        QCOMPARE(copies.value(inbox), 6);
        QCOMPARE(copies.value(keyNamed("new")), 3);
        QCOMPARE(store->usage().bytesUsed, total - entrySize + (9 + overhead) + (3 + overhead));
    }

    void aFailedUpgradeLeavesTheVersionOneStoreAsItWas()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("store.db"));
        {
            RawDb raw(path);
            QVERIFY(raw.createVersion1());
            // A column in the way makes the second step of the upgrade fail,
            // after the first one succeeded.
            QVERIFY(raw.exec(QStringLiteral("ALTER TABLE inbox_entries ADD COLUMN copies TEXT")));
        }
        const auto opened = BlobStore::open(path, {});
        QVERIFY(!opened.ok());
        QVERIFY2(opened.message().contains(QStringLiteral("upgrade")), qPrintable(opened.message()));
        RawDb raw(path);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT version FROM schema_version")).toInt(), 1);
        QCOMPARE(
            raw.scalar(QStringLiteral("SELECT count(*) FROM pragma_table_info('blobs') WHERE name = 'copies'")).toInt(),
            0);
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

QTEST_GUILESS_MAIN(TestBlobStoreFiles)
#include "test_blobstorefiles.moc"
