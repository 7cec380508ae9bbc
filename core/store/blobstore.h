#pragma once

#include "core/base/qt/walcheckpointer.h"
#include "core/identity/nodeid.h"
#include "core/store/error.h"

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace cairn::store {

/// What a donor gives and what one requester may take of it. Changing the
/// limits never deletes what is stored: a lowered quota only refuses new
/// writes until expiry brings usage under it.
struct StoreLimits {
    qint64 totalQuota = 1 << 30; // bytes of values the donor gives ("donate storage")
    qint64 perSenderQuota = 64 << 20; // bytes one sender NodeId may occupy
    int perInboxEntries = 1000; // entries one inbox key may hold
    qint64 maxValueBytes = 64 * 1024; // blobs and records
    qint64 maxInboxEntryBytes = 2 * 1024; // inbox entries
    qint64 maxTtlSeconds = 30 * 24 * 3600;
    /// Charged per stored item on top of its payload, against both quotas:
    /// roughly what the row and its index entries cost on disk. Without it,
    /// a sender could store millions of one-byte entries and fill the disk
    /// many times past the quota with row overhead. Applies to items stored
    /// from the time it is set; 0 makes usage the plain sum of payloads.
    qint64 itemOverheadBytes = 256;
};

/// One entry of an inbox key. `id` is BLAKE2b-256(data); `copies` is the
/// replication factor its writer chose (0: the holder's default).
struct InboxEntry {
    QByteArray id;
    QByteArray data;
    QByteArray deleteTokenHash;
    qint64 expiresAt;
    int copies = 0;
};

/// A signed mutable record as stored. The store checks field sizes only;
/// the DHT verifies the signature and that the key is H(owner || salt).
struct MutableRecord {
    QByteArray ownerKey;
    QByteArray salt;
    quint64 sequence;
    QByteArray value;
    QByteArray signature;
    qint64 expiresAt;
};

enum class KeyKind : quint8 { Blob = 1, Inbox = 2, Record = 3 };

/// A key the store holds, for repair. `copies` is the replication factor
/// its writer chose (0: the holder's default; always 0 for a record). For
/// an inbox key, expiresAt is that of its longest-lived entry and copies
/// the largest among its live entries.
struct StoredKey {
    QByteArray key;
    KeyKind kind;
    qint64 expiresAt;
    int copies = 0;
};

/// What the store holds. bytesUsed is the sum of the charged sizes of all
/// stored items (expired ones too, until garbage collection): payload (a
/// blob's value, an inbox entry's data, a record's value and salt) plus
/// StoreLimits::itemOverheadBytes each.
struct StoreUsage {
    qint64 bytesUsed;
    qint64 quota;
    qint64 blobs;
    qint64 inboxEntries;
    qint64 records;
};

/// The SQLite store behind donated storage: immutable blobs, append-only
/// inbox entries and signed mutable records that peers ask this node to
/// keep, each with a TTL, under a total quota, a per-sender quota, a
/// per-inbox cap and size limits, so nobody can fill the donor's disk.
///
/// Every write is one transaction: a refused or failed write (quota, full
/// disk, I/O error) rolls back and leaves what is stored intact. Deleted
/// and expired data is overwritten on disk (secure_delete). Sans-I/O as far
/// as time goes: callers pass `now` (unix seconds) and the store never reads
/// a clock. Use an instance from one thread only (Qt Sql connections are
/// per thread).
class BlobStore {
public:
    static constexpr int kSchemaVersion = 2;
    static constexpr int kKeyBytes = 32; // keys, inbox entry ids, token hashes
    static constexpr int kSenderBytes = identity::NodeId::kBytes;
    static constexpr int kOwnerKeyBytes = 32;
    static constexpr int kSignatureBytes = 64;
    static constexpr int kMaxSaltBytes = 64;
    static constexpr int kMaxTokenBytes = 64;
    /// The largest replication factor the store keeps for an item (the DHT
    /// caps it lower); more is InvalidArgument, and so is a negative one.
    static constexpr int kMaxCopies = 255;

    /// Opens or creates the database at `path` (":memory:" for a private
    /// in-memory store). Each instance has its own connection, so thousands
    /// may share a process. Refuses a file written with a newer schema
    /// (UnsupportedSchema) or one that is not a Cairn store (Corrupt).
    static Result<std::unique_ptr<BlobStore>> open(const QString &path, const StoreLimits &limits);
    ~BlobStore();
    BlobStore(const BlobStore &) = delete;
    BlobStore &operator=(const BlobStore &) = delete;

    void setLimits(const StoreLimits &limits);
    const StoreLimits &limits() const { return m_limits; }

    // Keys are 32 bytes, `sender` is the storing peer's 20-byte NodeId. An
    // item is live while now < expiresAt; expiresAt is clamped to
    // now + maxTtlSeconds, and expiresAt <= now is InvalidArgument.
    // `copies` is the item's replication factor as its writer chose it (0:
    // the holder's default), kept for repair; storing a live item again
    // keeps the larger of the two, so an explicit choice wins over 0 and a
    // later writer can raise it but never lower it.

    /// Does not check key == H(value): the DHT does. Storing a live key
    /// again keeps the first value and sender and extends the expiry to the
    /// later of the two, without charging twice.
    Result<void> putBlob(const QByteArray &key, const QByteArray &value, const QByteArray &sender, qint64 expiresAt,
        qint64 now, int copies = 0);
    /// nullopt if absent or expired.
    Result<std::optional<QByteArray>> getBlob(const QByteArray &key, qint64 now);
    Result<bool> hasKey(const QByteArray &key, KeyKind kind, qint64 now);

    /// Idempotent by id = H(data): appending a live entry again extends its
    /// expiry and keeps its first delete token hash, so a replayed entry
    /// cannot change who may delete it.
    Result<void> appendInbox(const QByteArray &inboxKey, const QByteArray &data, const QByteArray &deleteTokenHash,
        const QByteArray &sender, qint64 expiresAt, qint64 now, int copies = 0);
    /// Live entries, oldest first.
    Result<QList<InboxEntry>> listInbox(const QByteArray &inboxKey, qint64 now);
    /// BadToken unless H(deleteToken) equals the stored hash (compared in
    /// constant time); NotFound if no live entry has that id. A refused
    /// delete removes nothing.
    Result<void> deleteInbox(
        const QByteArray &inboxKey, const QByteArray &entryId, const QByteArray &deleteToken, qint64 now);

    /// StaleRecord if a live record has a higher sequence, or the same one
    /// with another value; the same sequence and value is accepted and
    /// extends the expiry. A newer record replaces the old one and its charge.
    Result<void> putRecord(const QByteArray &key, const MutableRecord &record, const QByteArray &sender, qint64 now);
    Result<std::optional<MutableRecord>> getRecord(const QByteArray &key, qint64 now);

    /// Live keys after `after` (empty: from the start) in key order, about
    /// `limit` of them: a page is extended by the other kinds of its last
    /// key, so a key stored as two kinds never straddles two pages and the
    /// next page starts after the last key returned.
    Result<QList<StoredKey>> keys(qint64 now, int limit, const QByteArray &after = {});
    /// Deletes every expired item in one transaction; returns how many.
    Result<int> collectGarbage(qint64 now);

    /// Cached: kept in step with the database inside every write.
    StoreUsage usage() const;
    /// Bytes charged to one sender (0 for an unknown sender).
    Result<qint64> senderUsage(const QByteArray &sender);
    /// This instance's Qt Sql connection name, for diagnostics and tests
    /// (which use it to cap the file size and provoke a genuine full disk).
    const QString &connectionName() const { return m_connection; }

private:
    /// What one transaction changes in the cached usage: written to the
    /// database inside the transaction, to the members after the commit.
    struct Delta {
        qint64 bytes = 0;
        qint64 blobs = 0;
        qint64 inboxEntries = 0;
        qint64 records = 0;
        bool isEmpty() const { return bytes == 0 && blobs == 0 && inboxEntries == 0 && records == 0; }
    };

    explicit BlobStore(const StoreLimits &limits);
    Result<void> load(const QString &path);
    /// Runs `body` in a transaction and commits, or rolls back on any failure.
    Result<void> inTransaction(const QString &what, const std::function<Result<void>(Delta &)> &body);
    Result<qint64> validExpiry(qint64 expiresAt, qint64 now) const;
    Result<qint64> chargedTo(const QByteArray &sender, const QString &what);
    Result<void> makeRoom(qint64 charge, const QByteArray &sender, qint64 now);
    Result<void> checkQuota(qint64 charge, const QByteArray &sender, const Delta &delta);
    Result<void> charge(const QByteArray &sender, qint64 bytes, const QString &what);
    Result<void> uncharge(const QByteArray &sender, qint64 bytes, qint64 items, const QString &what);
    Result<void> applyDelta(const Delta &delta, const QString &what);

    /// Checkpoints (and their fsyncs) run on a worker thread every this
    /// many commits, never inside a put on the event loop.
    static constexpr int kCheckpointEvery = 64;

    StoreLimits m_limits;
    QString m_connection;
    QSqlDatabase m_db;
    std::unique_ptr<base::WalCheckpointer> m_checkpointer;
    qint64 m_bytes = 0;
    qint64 m_blobs = 0;
    qint64 m_inboxEntries = 0;
    qint64 m_records = 0;
};

} // namespace cairn::store
