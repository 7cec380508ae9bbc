// BlobStore: opening, transactions and accounting, the key listing for
// repair, and garbage collection. The items themselves: blobstoreitems.cpp.
#include "core/store/blobstore.h"

#include "core/base/log.h"
#include "core/store/schema.h"

#include <limits>

namespace cairn::store {

using detail::needSize;
using sql::blob;

namespace {

const QLatin1String kMemory(":memory:");

/// A row of the key listing: key, kind, expiry, copies.
StoredKey storedKey(const QSqlQuery &q)
{
    return StoredKey {
        q.value(0).toByteArray(), KeyKind(q.value(1).toInt()), q.value(2).toLongLong(), q.value(3).toInt()};
}

bool isFault(StoreError code)
{
    return code == StoreError::Io || code == StoreError::DiskFull || code == StoreError::Corrupt;
}

} // namespace

BlobStore::BlobStore(const StoreLimits &limits) : m_limits(limits)
{ }

BlobStore::~BlobStore()
{
    // removeDatabase warns and leaks the connection while a handle to it
    // lives, so drop ours first.
    m_checkpointer.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

Result<std::unique_ptr<BlobStore>> BlobStore::open(const QString &path, const StoreLimits &limits)
{
    if (path.isEmpty())
        return base::fail(StoreError::InvalidArgument, QStringLiteral("no path given for the store"));
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return base::fail(
            StoreError::Io, QStringLiteral("the Qt SQLite driver (QSQLITE) is missing: install libqt6sql6-sqlite"));
    std::unique_ptr<BlobStore> store(new BlobStore(limits));
    // Unique among live stores without any global counter: no two live
    // objects share an address, and the destructor removes the connection
    // before the address can be reused.
    store->m_connection = QStringLiteral("cairn.store.%1").arg(quintptr(store.get()), 0, 16);
    if (auto r = store->load(path); !r.ok())
        return r.error();
    return store;
}

Result<void> BlobStore::load(const QString &path)
{
    const bool inMemory = path == kMemory;
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(path);
    if (!m_db.open())
        return base::fail(StoreError::Io,
            QStringLiteral("cannot open the store at %1: %2").arg(path, m_db.lastError().databaseText()));
    if (auto r = sql::configureConnection(m_db); !r.ok())
        return r;
    if (auto r = sql::prepareSchema(m_db, path, inMemory, kSchemaVersion); !r.ok())
        return r;
    if (!inMemory) {
        QString failed;
        m_checkpointer = base::WalCheckpointer::attach(path, m_connection, kCheckpointEvery, &failed);
        if (!failed.isEmpty())
            return base::fail(StoreError::Io, QStringLiteral("cannot set up the store at %1: %2").arg(path, failed));
    }
    const QString what = QStringLiteral("read the store's usage");
    auto q = sql::run(
        m_db, QStringLiteral("SELECT bytes, blobs, inbox_entries, records FROM usage WHERE id = 1"), {}, what);
    if (!q.ok())
        return q.error();
    if (!q->next())
        return base::fail(StoreError::Corrupt, QStringLiteral("the store at %1 has no usage record").arg(path));
    m_bytes = q->value(0).toLongLong();
    m_blobs = q->value(1).toLongLong();
    m_inboxEntries = q->value(2).toLongLong();
    m_records = q->value(3).toLongLong();
    qCDebug(lcStore) << "opened" << path << m_bytes << "bytes," << m_blobs << "blobs," << m_inboxEntries
                     << "inbox entries," << m_records << "records";
    return {};
}

void BlobStore::setLimits(const StoreLimits &limits)
{
    m_limits = limits;
}

StoreUsage BlobStore::usage() const
{
    return StoreUsage {m_bytes, m_limits.totalQuota, m_blobs, m_inboxEntries, m_records};
}

Result<void> BlobStore::inTransaction(const QString &what, const std::function<Result<void>(Delta &)> &body)
{
    if (!m_db.transaction())
        return sql::failure(m_db.lastError(), what);
    Delta delta;
    Result<void> result = body(delta);
    if (result.ok() && !delta.isEmpty())
        result = applyDelta(delta, what);
    if (result.ok() && !m_db.commit())
        result = sql::failure(m_db.lastError(), what);
    if (!result.ok()) {
        // SQLite may have rolled back already (it does on some SQLITE_FULL
        // and I/O errors); a second rollback only fails harmlessly.
        m_db.rollback();
        if (isFault(result.code()))
            qCWarning(lcStore) << result.message();
        return result;
    }
    if (m_checkpointer)
        m_checkpointer->committed();
    m_bytes += delta.bytes;
    m_blobs += delta.blobs;
    m_inboxEntries += delta.inboxEntries;
    m_records += delta.records;
    return {};
}

Result<void> BlobStore::applyDelta(const Delta &delta, const QString &what)
{
    return sql::exec(m_db,
        QStringLiteral("UPDATE usage SET bytes = bytes + ?, blobs = blobs + ?, inbox_entries = inbox_entries + ?,"
                       " records = records + ? WHERE id = 1"),
        {delta.bytes, delta.blobs, delta.inboxEntries, delta.records}, what);
}

Result<qint64> BlobStore::validExpiry(qint64 expiresAt, qint64 now) const
{
    if (expiresAt <= now)
        return base::fail(StoreError::InvalidArgument,
            QStringLiteral("the expiry (%1) is not after now (%2)").arg(expiresAt).arg(now));
    const qint64 ttl = m_limits.maxTtlSeconds;
    if (ttl <= 0)
        return base::fail(StoreError::InvalidArgument, QStringLiteral("the store's maximum TTL is not positive"));
    const qint64 latest
        = now > std::numeric_limits<qint64>::max() - ttl ? std::numeric_limits<qint64>::max() : now + ttl;
    return qMin(expiresAt, latest);
}

Result<qint64> BlobStore::chargedTo(const QByteArray &sender, const QString &what)
{
    auto q = sql::run(m_db, QStringLiteral("SELECT bytes FROM senders WHERE sender = ?"), {blob(sender)}, what);
    if (!q.ok())
        return q.error();
    return q->next() ? q->value(0).toLongLong() : qint64(0);
}

Result<qint64> BlobStore::senderUsage(const QByteArray &sender)
{
    if (auto r = needSize(sender, kSenderBytes, "a sender NodeId"); !r.ok())
        return r.error();
    return chargedTo(sender, QStringLiteral("read a sender's usage"));
}

Result<void> BlobStore::makeRoom(qint64 charge, const QByteArray &sender, qint64 now)
{
    // Expired items keep their charge until collected. Collecting inside
    // the write's transaction would be undone whenever the write is still
    // refused, and redone by every refused request; collecting here first
    // commits on its own, and costs one index probe when nothing expired.
    auto senderBytes = chargedTo(sender, QStringLiteral("check the quota"));
    if (!senderBytes.ok())
        return senderBytes.error();
    const bool overTotal = m_bytes + charge > m_limits.totalQuota;
    const bool overSender = senderBytes.value() + charge > m_limits.perSenderQuota;
    if (!overTotal && !overSender)
        return {};
    auto collected = collectGarbage(now);
    if (!collected.ok())
        return collected.error();
    return {};
}

Result<void> BlobStore::checkQuota(qint64 charge, const QByteArray &sender, const Delta &delta)
{
    const qint64 used = m_bytes + delta.bytes;
    if (used + charge > m_limits.totalQuota)
        return base::fail(StoreError::QuotaFull,
            QStringLiteral("this node's donated storage is full: %1 of %2 bytes used, %3 more needed")
                .arg(used)
                .arg(m_limits.totalQuota)
                .arg(charge));
    auto senderBytes = chargedTo(sender, QStringLiteral("check the quota"));
    if (!senderBytes.ok())
        return senderBytes.error();
    if (senderBytes.value() + charge > m_limits.perSenderQuota)
        return base::fail(StoreError::SenderQuotaFull,
            QStringLiteral("sender %1 has used its share of this node's storage: %2 of %3 bytes, %4 more needed")
                .arg(QString::fromLatin1(sender.toHex()))
                .arg(senderBytes.value())
                .arg(m_limits.perSenderQuota)
                .arg(charge));
    return {};
}

Result<void> BlobStore::charge(const QByteArray &sender, qint64 bytes, const QString &what)
{
    return sql::exec(m_db,
        QStringLiteral("INSERT INTO senders (sender, bytes, items) VALUES (?, ?, 1) ON CONFLICT (sender)"
                       " DO UPDATE SET bytes = bytes + excluded.bytes, items = items + 1"),
        {blob(sender), bytes}, what);
}

Result<void> BlobStore::uncharge(const QByteArray &sender, qint64 bytes, qint64 items, const QString &what)
{
    // Called after the item's row is gone, so the sender row can go too.
    if (auto r
        = sql::exec(m_db, QStringLiteral("UPDATE senders SET bytes = bytes - ?, items = items - ? WHERE sender = ?"),
            {bytes, items, blob(sender)}, what);
        !r.ok())
        return r;
    return sql::exec(m_db, QStringLiteral("DELETE FROM senders WHERE sender = ? AND items <= 0"), {blob(sender)}, what);
}

Result<QList<StoredKey>> BlobStore::keys(qint64 now, int limit, const QByteArray &after)
{
    if (limit <= 0)
        return base::fail(StoreError::InvalidArgument, QStringLiteral("a page holds at least one key"));
    if (!after.isEmpty()) {
        if (auto r = needSize(after, kKeyBytes, "the key to page after"); !r.ok())
            return r.error();
    }
    // One compound SELECT ordered by (key, kind): SQLite merges the three
    // arms, each read through its key index, rather than sorting their union.
    const auto select = [](const char *comparison) {
        return QStringLiteral("SELECT key, 1, expires_at, copies FROM blobs WHERE key %1 ? AND expires_at > ?"
                              " UNION ALL SELECT inbox_key, 2, max(expires_at), max(copies) FROM inbox_entries"
                              " WHERE inbox_key %1 ? AND expires_at > ? GROUP BY inbox_key"
                              " UNION ALL SELECT key, 3, expires_at, 0 FROM records WHERE key %1 ? AND expires_at > ?"
                              " ORDER BY 1, 2")
            .arg(QLatin1String(comparison));
    };
    const QString what = QStringLiteral("list the stored keys");
    const QVariant from = blob(after);
    QList<StoredKey> page;
    {
        auto q
            = sql::run(m_db, select(">") + QStringLiteral(" LIMIT ?"), {from, now, from, now, from, now, limit}, what);
        if (!q.ok())
            return q.error();
        while (q->next())
            page.append(storedKey(q.value()));
    }
    if (page.size() == limit) {
        // The page may have cut between the kinds of its last key; the next
        // page starts after that key, so finish it here.
        const StoredKey last = page.last();
        const QVariant lastKey = blob(last.key);
        auto q = sql::run(m_db, select("="), {lastKey, now, lastKey, now, lastKey, now}, what);
        if (!q.ok())
            return q.error();
        while (q->next()) {
            const StoredKey k = storedKey(q.value());
            if (quint8(k.kind) > quint8(last.kind))
                page.append(k);
        }
    }
    return page;
}

Result<int> BlobStore::collectGarbage(qint64 now)
{
    struct Table {
        const char *name;
        qint64 Delta::*count;
    };
    static constexpr Table kTables[]
        = {{"blobs", &Delta::blobs}, {"inbox_entries", &Delta::inboxEntries}, {"records", &Delta::records}};
    const QString what = QStringLiteral("collect expired items");
    int removed = 0;
    auto result = inTransaction(what, [&](Delta &delta) -> Result<void> {
        removed = 0;
        for (const Table &table : kTables) {
            const QString name = QLatin1String(table.name);
            struct Freed {
                QByteArray sender;
                qint64 bytes;
                qint64 items;
            };
            QList<Freed> freed;
            {
                auto q = sql::run(m_db,
                    QStringLiteral("SELECT sender, sum(size), count(*) FROM %1 WHERE expires_at <= ? GROUP BY sender")
                        .arg(name),
                    {now}, what);
                if (!q.ok())
                    return q.error();
                while (q->next())
                    freed.append(Freed {q->value(0).toByteArray(), q->value(1).toLongLong(), q->value(2).toLongLong()});
            }
            if (freed.isEmpty())
                continue;
            if (auto r = sql::exec(m_db, QStringLiteral("DELETE FROM %1 WHERE expires_at <= ?").arg(name), {now}, what);
                !r.ok())
                return r;
            for (const Freed &f : freed) {
                if (auto r = sql::exec(m_db,
                        QStringLiteral("UPDATE senders SET bytes = bytes - ?, items = items - ? WHERE sender = ?"),
                        {f.bytes, f.items, blob(f.sender)}, what);
                    !r.ok())
                    return r;
                delta.bytes -= f.bytes;
                delta.*table.count -= f.items;
                removed += int(f.items);
            }
        }
        if (removed > 0)
            return sql::exec(m_db, QStringLiteral("DELETE FROM senders WHERE items <= 0"), {}, what);
        return {};
    });
    if (!result.ok())
        return result.error();
    if (removed > 0)
        qCDebug(lcStore) << "collected" << removed << "expired items";
    return removed;
}

} // namespace cairn::store
