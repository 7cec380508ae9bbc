// BlobStore: storing and reading blobs, inbox entries and records.
#include "core/crypto/keys.h"
#include "core/store/blobstore.h"
#include "core/store/schema.h"

#include <sodium.h>

namespace cairn::store {

using detail::firstFailure;
using detail::needAtMost;
using detail::needCopies;
using detail::needSize;
using sql::blob;

Result<void> BlobStore::putBlob(
    const QByteArray &key, const QByteArray &value, const QByteArray &sender, qint64 expiresAt, qint64 now, int copies)
{
    if (auto r
        = firstFailure({needSize(key, kKeyBytes, "a blob key"), needSize(sender, kSenderBytes, "a sender NodeId"),
            needAtMost(value, m_limits.maxValueBytes, "a blob"), needCopies(copies, kMaxCopies)});
        !r.ok())
        return r;
    auto expiry = validExpiry(expiresAt, now);
    if (!expiry.ok())
        return expiry.error();
    const qint64 size = value.size() + m_limits.itemOverheadBytes;
    if (auto r = makeRoom(size, sender, now); !r.ok())
        return r;
    const QString what = QStringLiteral("store a blob");
    return inTransaction(what, [&](Delta &delta) -> Result<void> {
        auto found = sql::run(
            m_db, QStringLiteral("SELECT expires_at, sender, size FROM blobs WHERE key = ?"), {blob(key)}, what);
        if (!found.ok())
            return found.error();
        if (found->next()) {
            if (found->value(0).toLongLong() > now) {
                // Content-addressed: the same key is the same value, so keep
                // the one copy and its charge, and only extend its life.
                return sql::exec(m_db,
                    QStringLiteral(
                        "UPDATE blobs SET expires_at = max(expires_at, ?), copies = max(copies, ?) WHERE key = ?"),
                    {expiry.value(), copies, blob(key)}, what);
            }
            // Expired, not yet collected: absent to readers, so replaced.
            const QByteArray oldSender = found->value(1).toByteArray();
            const qint64 oldSize = found->value(2).toLongLong();
            found->finish();
            if (auto r = sql::exec(m_db, QStringLiteral("DELETE FROM blobs WHERE key = ?"), {blob(key)}, what); !r.ok())
                return r;
            if (auto r = uncharge(oldSender, oldSize, 1, what); !r.ok())
                return r;
            delta.bytes -= oldSize;
            delta.blobs -= 1;
        }
        if (auto r = checkQuota(size, sender, delta); !r.ok())
            return r;
        if (auto r = charge(sender, size, what); !r.ok())
            return r;
        if (auto r = sql::exec(m_db,
                QStringLiteral(
                    "INSERT INTO blobs (key, sender, size, expires_at, copies, value) VALUES (?, ?, ?, ?, ?, ?)"),
                {blob(key), blob(sender), size, expiry.value(), copies, blob(value)}, what);
            !r.ok())
            return r;
        delta.bytes += size;
        delta.blobs += 1;
        return {};
    });
}

Result<std::optional<QByteArray>> BlobStore::getBlob(const QByteArray &key, qint64 now)
{
    if (auto r = needSize(key, kKeyBytes, "a blob key"); !r.ok())
        return r.error();
    auto q = sql::run(m_db, QStringLiteral("SELECT value FROM blobs WHERE key = ? AND expires_at > ?"),
        {blob(key), now}, QStringLiteral("read a blob"));
    if (!q.ok())
        return q.error();
    if (!q->next())
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(q->value(0).toByteArray());
}

Result<bool> BlobStore::hasKey(const QByteArray &key, KeyKind kind, qint64 now)
{
    if (auto r = needSize(key, kKeyBytes, "a key"); !r.ok())
        return r.error();
    QString statement;
    switch (kind) {
    case KeyKind::Blob:
        statement = QStringLiteral("SELECT 1 FROM blobs WHERE key = ? AND expires_at > ?");
        break;
    case KeyKind::Inbox:
        statement = QStringLiteral("SELECT 1 FROM inbox_entries WHERE inbox_key = ? AND expires_at > ? LIMIT 1");
        break;
    case KeyKind::Record:
        statement = QStringLiteral("SELECT 1 FROM records WHERE key = ? AND expires_at > ?");
        break;
    default:
        return base::fail(StoreError::InvalidArgument, QStringLiteral("unknown key kind %1").arg(int(kind)));
    }
    auto q = sql::run(m_db, statement, {blob(key), now}, QStringLiteral("look up a key"));
    if (!q.ok())
        return q.error();
    return q->next();
}

Result<void> BlobStore::appendInbox(const QByteArray &inboxKey, const QByteArray &data,
    const QByteArray &deleteTokenHash, const QByteArray &sender, qint64 expiresAt, qint64 now, int copies)
{
    if (auto r = firstFailure(
            {needSize(inboxKey, kKeyBytes, "an inbox key"), needSize(deleteTokenHash, kKeyBytes, "a delete token hash"),
                needSize(sender, kSenderBytes, "a sender NodeId"),
                needAtMost(data, m_limits.maxInboxEntryBytes, "an inbox entry"), needCopies(copies, kMaxCopies)});
        !r.ok())
        return r;
    auto expiry = validExpiry(expiresAt, now);
    if (!expiry.ok())
        return expiry.error();
    const QByteArray id = crypto::blake2b(data, kKeyBytes);
    const qint64 size = data.size() + m_limits.itemOverheadBytes;
    if (auto r = makeRoom(size, sender, now); !r.ok())
        return r;
    const QString what = QStringLiteral("append to an inbox");
    return inTransaction(what, [&](Delta &delta) -> Result<void> {
        auto found = sql::run(m_db,
            QStringLiteral("SELECT seq, expires_at, sender, size FROM inbox_entries WHERE inbox_key = ? AND id = ?"),
            {blob(inboxKey), blob(id)}, what);
        if (!found.ok())
            return found.error();
        if (found->next()) {
            const qint64 seq = found->value(0).toLongLong();
            if (found->value(1).toLongLong() > now) {
                // Idempotent: the first delete token hash stays, so replaying
                // an entry with another token cannot take over its deletion.
                return sql::exec(m_db,
                    QStringLiteral("UPDATE inbox_entries SET expires_at = max(expires_at, ?), copies = max(copies, ?)"
                                   " WHERE seq = ?"),
                    {expiry.value(), copies, seq}, what);
            }
            const QByteArray oldSender = found->value(2).toByteArray();
            const qint64 oldSize = found->value(3).toLongLong();
            found->finish();
            if (auto r = sql::exec(m_db, QStringLiteral("DELETE FROM inbox_entries WHERE seq = ?"), {seq}, what);
                !r.ok())
                return r;
            if (auto r = uncharge(oldSender, oldSize, 1, what); !r.ok())
                return r;
            delta.bytes -= oldSize;
            delta.inboxEntries -= 1;
        }
        auto count = sql::run(m_db,
            QStringLiteral("SELECT count(*) FROM inbox_entries WHERE inbox_key = ? AND expires_at > ?"),
            {blob(inboxKey), now}, what);
        if (!count.ok())
            return count.error();
        const qint64 live = count->next() ? count->value(0).toLongLong() : 0;
        if (live >= m_limits.perInboxEntries)
            return base::fail(StoreError::InboxFull,
                QStringLiteral("this inbox already holds its maximum of %1 entries").arg(m_limits.perInboxEntries));
        if (auto r = checkQuota(size, sender, delta); !r.ok())
            return r;
        if (auto r = charge(sender, size, what); !r.ok())
            return r;
        if (auto r = sql::exec(m_db,
                QStringLiteral("INSERT INTO inbox_entries (inbox_key, id, sender, size, expires_at, copies, token_hash,"
                               " data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                {blob(inboxKey), blob(id), blob(sender), size, expiry.value(), copies, blob(deleteTokenHash),
                    blob(data)},
                what);
            !r.ok())
            return r;
        delta.bytes += size;
        delta.inboxEntries += 1;
        return {};
    });
}

Result<QList<InboxEntry>> BlobStore::listInbox(const QByteArray &inboxKey, qint64 now)
{
    if (auto r = needSize(inboxKey, kKeyBytes, "an inbox key"); !r.ok())
        return r.error();
    auto q = sql::run(m_db,
        QStringLiteral("SELECT id, data, token_hash, expires_at, copies FROM inbox_entries"
                       " WHERE inbox_key = ? AND expires_at > ? ORDER BY seq"),
        {blob(inboxKey), now}, QStringLiteral("list an inbox"));
    if (!q.ok())
        return q.error();
    QList<InboxEntry> entries;
    while (q->next())
        entries.append(InboxEntry {q->value(0).toByteArray(), q->value(1).toByteArray(), q->value(2).toByteArray(),
            q->value(3).toLongLong(), q->value(4).toInt()});
    return entries;
}

Result<void> BlobStore::deleteInbox(
    const QByteArray &inboxKey, const QByteArray &entryId, const QByteArray &deleteToken, qint64 now)
{
    if (auto r = firstFailure(
            {needSize(inboxKey, kKeyBytes, "an inbox key"), needSize(entryId, kKeyBytes, "an inbox entry id")});
        !r.ok())
        return r;
    if (deleteToken.isEmpty() || deleteToken.size() > kMaxTokenBytes)
        return base::fail(StoreError::InvalidArgument,
            QStringLiteral("a delete token is 1 to %1 bytes, got %2").arg(kMaxTokenBytes).arg(deleteToken.size()));
    const QString what = QStringLiteral("delete an inbox entry");
    return inTransaction(what, [&](Delta &delta) -> Result<void> {
        auto found = sql::run(m_db,
            QStringLiteral("SELECT seq, sender, size, token_hash FROM inbox_entries"
                           " WHERE inbox_key = ? AND id = ? AND expires_at > ?"),
            {blob(inboxKey), blob(entryId), now}, what);
        if (!found.ok())
            return found.error();
        if (!found->next())
            return base::fail(StoreError::NotFound, QStringLiteral("no such entry in this inbox"));
        const qint64 seq = found->value(0).toLongLong();
        const QByteArray sender = found->value(1).toByteArray();
        const qint64 size = found->value(2).toLongLong();
        const QByteArray stored = found->value(3).toByteArray();
        found->finish();
        const QByteArray presented = crypto::blake2b(deleteToken, kKeyBytes);
        // Constant time, so the answer's timing tells nothing about how
        // much of a guessed token's hash was right.
        if (stored.size() != presented.size()
            || sodium_memcmp(stored.constData(), presented.constData(), size_t(presented.size())) != 0)
            return base::fail(StoreError::BadToken, QStringLiteral("the delete token does not match this entry"));
        if (auto r = sql::exec(m_db, QStringLiteral("DELETE FROM inbox_entries WHERE seq = ?"), {seq}, what); !r.ok())
            return r;
        if (auto r = uncharge(sender, size, 1, what); !r.ok())
            return r;
        delta.bytes -= size;
        delta.inboxEntries -= 1;
        return {};
    });
}

Result<void> BlobStore::putRecord(
    const QByteArray &key, const MutableRecord &record, const QByteArray &sender, qint64 now)
{
    if (auto r
        = firstFailure({needSize(key, kKeyBytes, "a record key"), needSize(sender, kSenderBytes, "a sender NodeId"),
            needSize(record.ownerKey, kOwnerKeyBytes, "a record's owner key"),
            needSize(record.signature, kSignatureBytes, "a record's signature"),
            needAtMost(record.value, m_limits.maxValueBytes, "a record's value")});
        !r.ok())
        return r;
    if (record.salt.size() > kMaxSaltBytes)
        return base::fail(StoreError::InvalidArgument,
            QStringLiteral("a record's salt is at most %1 bytes, got %2").arg(kMaxSaltBytes).arg(record.salt.size()));
    auto expiry = validExpiry(record.expiresAt, now);
    if (!expiry.ok())
        return expiry.error();
    const qint64 size = record.value.size() + record.salt.size() + m_limits.itemOverheadBytes;
    if (auto r = makeRoom(size, sender, now); !r.ok())
        return r;
    const QString what = QStringLiteral("store a record");
    return inTransaction(what, [&](Delta &delta) -> Result<void> {
        auto found = sql::run(m_db,
            QStringLiteral("SELECT expires_at, sender, size, sequence, value FROM records WHERE key = ?"), {blob(key)},
            what);
        if (!found.ok())
            return found.error();
        if (found->next()) {
            const bool live = found->value(0).toLongLong() > now;
            const quint64 sequence = quint64(found->value(3).toLongLong());
            if (live && sequence > record.sequence)
                return base::fail(StoreError::StaleRecord,
                    QStringLiteral("a newer record is stored (sequence %1, offered %2)")
                        .arg(sequence)
                        .arg(record.sequence));
            if (live && sequence == record.sequence) {
                if (found->value(4).toByteArray() != record.value)
                    return base::fail(StoreError::StaleRecord,
                        QStringLiteral("another value is stored under sequence %1").arg(sequence));
                // A republished record: keep it alive.
                return sql::exec(m_db,
                    QStringLiteral("UPDATE records SET expires_at = max(expires_at, ?) WHERE key = ?"),
                    {expiry.value(), blob(key)}, what);
            }
            // Newer, or the stored one expired: the old one and its charge go.
            const QByteArray oldSender = found->value(1).toByteArray();
            const qint64 oldSize = found->value(2).toLongLong();
            found->finish();
            if (auto r = sql::exec(m_db, QStringLiteral("DELETE FROM records WHERE key = ?"), {blob(key)}, what);
                !r.ok())
                return r;
            if (auto r = uncharge(oldSender, oldSize, 1, what); !r.ok())
                return r;
            delta.bytes -= oldSize;
            delta.records -= 1;
        }
        if (auto r = checkQuota(size, sender, delta); !r.ok())
            return r;
        if (auto r = charge(sender, size, what); !r.ok())
            return r;
        if (auto r = sql::exec(m_db,
                QStringLiteral("INSERT INTO records (key, sender, size, expires_at, owner_key, salt, sequence, value,"
                               " signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                {blob(key), blob(sender), size, expiry.value(), blob(record.ownerKey), blob(record.salt),
                    qint64(record.sequence), blob(record.value), blob(record.signature)},
                what);
            !r.ok())
            return r;
        delta.bytes += size;
        delta.records += 1;
        return {};
    });
}

Result<std::optional<MutableRecord>> BlobStore::getRecord(const QByteArray &key, qint64 now)
{
    if (auto r = needSize(key, kKeyBytes, "a record key"); !r.ok())
        return r.error();
    auto q = sql::run(m_db,
        QStringLiteral("SELECT owner_key, salt, sequence, value, signature, expires_at FROM records"
                       " WHERE key = ? AND expires_at > ?"),
        {blob(key), now}, QStringLiteral("read a record"));
    if (!q.ok())
        return q.error();
    if (!q->next())
        return std::optional<MutableRecord>();
    return std::optional<MutableRecord>(
        MutableRecord {q->value(0).toByteArray(), q->value(1).toByteArray(), quint64(q->value(2).toLongLong()),
            q->value(3).toByteArray(), q->value(4).toByteArray(), q->value(5).toLongLong()});
}

} // namespace cairn::store
