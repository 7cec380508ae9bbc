#pragma once

#include "core/dht/census.h"
#include "core/dht/lookup.h"
#include "core/dht/placement.h"
#include "core/dht/routingtable.h"
#include "core/dht/rpc.h"

#include <QHash>

#include <list>
#include <memory>

namespace cairn::store {
class BlobStore;
}

namespace cairn::dht {

/// Settings of one DHT node.
struct DhtConfig {
    int bucketSize = 20; // Kademlia's k for the routing table
    int replicas = 8; // copies of every stored value
    int alpha = 3;
    /// Copies a read looks up at once before hedging with more (after the
    /// slow threshold, or at once when one comes back empty). One: each
    /// lookup already keeps alpha requests in flight, and starting four
    /// copies at once cost four lookups (and their session handshakes) for
    /// what the first answer settles: on 64 loopback nodes the median get
    /// went 0.87-1.0 ms -> 0.36-0.41 ms, and with half of the nodes dead the
    /// p95 1 ms -> 7 ms (cairn-bench-loopback --read-parallelism N).
    int readParallelism = 1;
    Placement placement = Placement::Replica;
    /// Nodes that must answer before a replica-placement lookup trusts that
    /// it found the closest one.
    int replicaLookupWidth = 3;
    qint64 defaultTtl = 7 * 24 * 3600;
    base::Duration refreshInterval {15LL * 60 * 1'000'000};
    /// 0 disables periodic repair (a node that only reads, or a test of
    /// what happens without it).
    base::Duration repairInterval {10LL * 60 * 1'000'000};
    /// After the routing table gains nodes, repair runs this much later
    /// (batched), so a newly responsible node receives its replicas.
    base::Duration repairAfterChange {30'000'000};
    /// Passes never run closer together than this, however busy the churn.
    base::Duration repairMinSpacing {60'000'000};
    /// How often repair looks a copy's holder up again rather than asking
    /// the one it found last time (which also finds newly responsible nodes).
    base::Duration repairFullCheck {5LL * 60 * 1'000'000};
    /// A pass checks this many keys, then waits repairBatchSpacing: a node
    /// holding a 1 GiB drop (16,000 chunks) would otherwise start tens of
    /// thousands of lookups at once and stop answering anyone.
    int repairBatch = 16;
    base::Duration repairBatchSpacing {100'000};
    CensusConfig census;
    Rpc::Config rpc;
};

/// Outcome of a write: how many of the intended copies were stored.
struct WriteReport {
    int stored = 0;
    int attempted = 0;
    QString firstError;
};

using WriteReportHandler = std::function<void(const WriteReport &)>;

/// What applying a write to a node's store came to: ok, or the error its
/// requester is told.
struct WriteOutcome {
    bool ok = true;
    RemoteError code = RemoteError::Internal;
    QString text;
};

/// One Kademlia node: routing table, RPC, the server side of every
/// operation (backed by a BlobStore when this node donates storage) and the
/// client side (lookups, replicated writes and reads), plus bucket refresh
/// and replica repair. Sans-I/O: messages through the MessageTransport,
/// time through the Scheduler, randomness from the Rng.
class DhtNode {
public:
    template <typename T> using Callback = std::function<void(Result<T>)>;

    /// `store` may be null: the node then routes but stores nothing.
    DhtNode(const identity::NodeId &id, net::MessageTransport &transport, base::Scheduler &scheduler, base::Rng &rng,
        store::BlobStore *store, const DhtConfig &config = {});
    ~DhtNode();
    DhtNode(const DhtNode &) = delete;
    DhtNode &operator=(const DhtNode &) = delete;

    const identity::NodeId &id() const { return m_id; }
    const DhtConfig &config() const { return m_config; }
    RoutingTable &routingTable() { return m_table; }
    const RoutingTable &routingTable() const { return m_table; }
    Rpc &rpc() { return m_rpc; }
    store::BlobStore *store() const { return m_store; }

    /// Pings the known endpoints, then looks up our own id and refreshes
    /// the buckets beyond it. Done with the number of nodes in the table,
    /// or Unreachable if no bootstrap node answered.
    void bootstrap(const QList<base::Endpoint> &endpoints, Callback<int> done);
    /// `storageOnly`: report (and count towards resultCount) only nodes
    /// that store, as writes and repair need.
    void findNode(const identity::NodeId &target, int resultCount,
        std::function<void(const QList<Contact> &, const LookupStats &)> done, bool storageOnly = false);

    // `copies` is the replication factor of one item (0: the configured
    // `replicas`), capped at kMaxCopies. A writer's choice travels with the
    // item, so storage nodes repair it to that many copies; a reader passes
    // the same number (or more) to find every copy.
    static constexpr int kMaxCopies = 16;

    /// Stores `value` under BLAKE2b-256(value); done with the key.
    void putBlob(const QByteArray &value, qint64 ttlSeconds, Callback<QByteArray> done,
        std::function<void(const WriteReport &)> report = {}, int copies = 0);
    /// The first copy whose hash matches `key`. `hops` (optional) learns
    /// how many rounds the winning lookup took (0: found locally).
    /// `probeFirst`, for large blobs such as file chunks: the lookups only
    /// ask who holds it, and the bytes come from one holder, instead of
    /// from every holder a lookup meets on its way (about 3.5 copies per
    /// read at k = 3); costs one more round trip.
    void getBlob(const QByteArray &key, Callback<QByteArray> done, std::function<void(int hops)> hops = {},
        int copies = 0, bool probeFirst = false);
    void append(const QByteArray &inboxKey, const QByteArray &data, const QByteArray &tokenHash, qint64 ttlSeconds,
        Callback<WriteReport> done, int copies = 0);
    /// The union of the entries of every reachable replica, by entry id.
    void list(const QByteArray &inboxKey, Callback<QList<InboxItem>> done, int copies = 0);
    /// Deletes at every replica; done with how many replicas removed it.
    void remove(const QByteArray &inboxKey, const QByteArray &entryId, const QByteArray &token, Callback<int> done,
        int copies = 0);
    void putRecord(const RecordData &record, qint64 ttlSeconds, Callback<WriteReport> done);
    /// The valid record with the highest sequence among the replicas.
    void getRecord(const QByteArray &key, Callback<RecordData> done);

    /// Starts a repair pass now (also runs on its own, see DhtConfig); it
    /// goes through the stored keys in batches (repairBatch).
    void repairNow();
    quint64 repairsStored() const { return m_repairsStored; }

    /// Pings every routing-table contact and every storage node seen in
    /// the last day that has left the table (see CensusTaker), at most a
    /// few at a time; `done` gets the count of storage nodes, their free
    /// space plus ours, and the availability estimate the round updated.
    /// A call while a round is under way shares it.
    void census(std::function<void(const Census &)> done);
    /// The availability p of storage nodes as the census rounds so far
    /// observed it (0.9 before any), for replicasFor().
    AvailabilityEstimate availability() const { return m_census.availability(); }
    const CensusTaker &censusTaker() const { return m_census; }
    /// Bytes our store can still take, or -1 if we store nothing.
    qint64 freeBytes() const;

private:
    /// One getBlob() in progress (see launchRead).
    struct BlobRead {
        QByteArray key;
        QList<identity::NodeId> targets;
        QList<std::weak_ptr<Lookup>> lookups; // reaped once finished
        int next = 0;
        int pending = 0;
        bool delivered = false;
        Callback<QByteArray> done;
        std::function<void(int)> hops;
        // probeFirst: holders found and not tried yet, and whether one is
        // being fetched from.
        bool probe = false;
        QList<QPair<Contact, int>> holders; // with the hops it took
        QSet<identity::NodeId> tried;
        bool fetching = false;
    };
    void launchRead(const std::shared_ptr<BlobRead> &read);
    /// probeFirst: fetches the blob from the next holder found.
    void fetchFromHolder(const std::shared_ptr<BlobRead> &read);
    void deliverRead(const std::shared_ptr<BlobRead> &read, const QByteArray &value, int hops);
    void failReadIfExhausted(const std::shared_ptr<BlobRead> &read);
    /// A read lookup (GET_BLOB, LIST or GET_RECORD) for `key` towards one
    /// copy's `target`.
    std::shared_ptr<ValueLookup> startRead(Op op, const QByteArray &key, const identity::NodeId &target,
        ValueLookup::Accept accept, ValueLookup::Done done, bool probe = false);

    void onContact(const Contact &contact);
    void onRequest(const Contact &from, const Message &request);
    /// Checks a write (PUT_BLOB, APPEND, DELETE, PUT_RECORD) and applies it
    /// to our store: a peer's request and the copy one of our own writes
    /// keeps here go through the same checks.
    WriteOutcome applyWrite(const Message &request, const identity::NodeId &sender);
    void scheduleRefresh();
    void refresh(bool unfilled);
    void scheduleRepair(base::Duration delay);
    /// A key repair looks after, as the store lists it: its kind, expiry
    /// and the replication factor its writer chose (0: ours).
    struct RepairItem {
        QByteArray key;
        int kind = 0;
        qint64 expiresAt = 0;
        int copies = 0;
    };
    void repairKey(const RepairItem &item);
    /// The next repairBatch keys of the current pass.
    void repairNextBatch();
    /// Checks copy `index` of the item, whose target is `target`.
    /// `firstHeld` is the first copy whose target we are closest to (-1:
    /// none): a later copy whose target we are closest to too belongs to
    /// the next closest node, as its writer placed it.
    void repairCopy(const RepairItem &item, const identity::NodeId &target, int index, int firstHeld);
    /// Makes sure `holder`, the holder of copy `index`, has our copy of the
    /// item, storing it (with its copies) if not; `answered` learns whether
    /// the holder answered at all.
    void ensureHeld(
        const Contact &holder, const RepairItem &item, int index, std::function<void(bool answered)> answered);

    /// Starts a lookup owned by this node; it is destroyed after it finishes.
    template <typename L, typename... Args> std::shared_ptr<L> startLookup(Args &&...args);
    void reap();
    Lookup::Config lookupConfig(int resultCount, bool storageOnly = false) const;
    /// Finds where each copy of `key` belongs and sends `request` to each
    /// holder (applying it to our own store when we are one); `done` gets
    /// the tally.
    void writeReplicas(
        const QByteArray &key, const Message &request, std::function<void(const WriteReport &)> done, int copies = 0);
    /// `copies` resolved: 0 means the configured number, at most kMaxCopies.
    int copiesOrDefault(int copies) const { return copies > 0 ? qMin(copies, kMaxCopies) : m_config.replicas; }
    qint64 ttlOrDefault(qint64 ttlSeconds) const { return ttlSeconds > 0 ? ttlSeconds : m_config.defaultTtl; }
    /// Reports the tally, or StoreFailed when no replica took `what`.
    static WriteReportHandler failUnlessStored(Callback<WriteReport> done, const char *what);
    bool closerThanAll(const identity::NodeId &target, const QList<Contact> &others) const;

    identity::NodeId m_id;
    base::Scheduler &m_scheduler;
    base::Rng &m_rng;
    store::BlobStore *m_store;
    DhtConfig m_config;
    RoutingTable m_table;
    Rpc m_rpc;
    CensusTaker m_census;
    std::list<std::shared_ptr<Lookup>> m_lookups;
    std::list<std::shared_ptr<Lookup>> m_finished;
    base::TimerId m_refreshTimer = 0;
    base::TimerId m_repairTimer = 0;
    base::TimerId m_repairBatchTimer = 0;
    QList<RepairItem> m_repairQueue; // the current pass, from m_repairNext on
    qsizetype m_repairNext = 0;
    base::Instant m_repairDue {0};
    base::Instant m_lastRepair {0};
    quint64 m_repairsStored = 0;
    /// Where each copy we look after (key || copy index) was found last.
    struct RepairMemo {
        Contact holder;
        base::Instant checkedAt {0};
    };
    QHash<QByteArray, RepairMemo> m_repairMemo;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

template <typename L, typename... Args> std::shared_ptr<L> DhtNode::startLookup(Args &&...args)
{
    auto lookup = std::make_shared<L>(m_rpc, std::forward<Args>(args)...);
    m_lookups.push_back(lookup);
    lookup->start();
    return lookup;
}

} // namespace cairn::dht
