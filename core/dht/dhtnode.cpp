#include "core/dht/dhtnode.h"

#include "core/base/log.h"
#include "core/store/blobstore.h"

namespace cairn::dht {

DhtNode::DhtNode(const identity::NodeId &id, net::MessageTransport &transport, base::Scheduler &scheduler,
    base::Rng &rng, store::BlobStore *store, const DhtConfig &config)
    : m_id(id),
      m_scheduler(scheduler),
      m_rng(rng),
      m_store(store),
      m_config(config),
      m_table(id, config.bucketSize),
      m_rpc(transport, scheduler, rng, id, config.rpc),
      m_census(m_rpc, scheduler, config.census)
{
    m_rpc.setContactHandler([this](const Contact &c) { onContact(c); });
    m_rpc.setRequestHandler([this](const Contact &from, const Message &m) { onRequest(from, m); });
    m_rpc.setFailureHandler([this](const Contact &c) { m_table.failed(c.id); });
    scheduleRefresh();
    if (m_store && m_config.repairInterval.count() > 0)
        scheduleRepair(m_config.repairInterval / 2
            + base::Duration(qint64(m_rng.uniform(quint64(m_config.repairInterval.count())))));
}

DhtNode::~DhtNode()
{
    *m_alive = false;
    if (m_refreshTimer)
        m_scheduler.cancel(m_refreshTimer);
    if (m_repairTimer)
        m_scheduler.cancel(m_repairTimer);
    if (m_repairBatchTimer)
        m_scheduler.cancel(m_repairBatchTimer);
    // Lookups hold RPCs: they go before the Rpc does.
    m_lookups.clear();
    m_finished.clear();
}

void DhtNode::reap()
{
    m_finished.clear();
    if (m_lookups.empty())
        return;
    for (auto it = m_lookups.begin(); it != m_lookups.end();) {
        if ((*it)->isFinished())
            m_finished.splice(m_finished.end(), m_lookups, it++);
        else
            ++it;
    }
}

Lookup::Config DhtNode::lookupConfig(int resultCount, bool storageOnly) const
{
    Lookup::Config c;
    c.alpha = m_config.alpha;
    c.resultCount = resultCount;
    c.storageOnly = storageOnly;
    return c;
}

void DhtNode::onContact(const Contact &contact)
{
    // Finished lookups are destroyed here, at the top of a message's
    // handling, never from inside their own callbacks.
    reap();
    m_census.seen(contact);
    const RoutingTable::SeenResult seen = m_table.seen(contact, m_scheduler.now());
    if (seen.inserted && m_store && m_config.repairInterval.count() > 0)
        scheduleRepair(m_config.repairAfterChange);
    if (seen.pingToEvict) {
        const Contact old = *seen.pingToEvict;
        Message ping;
        ping.op = Op::Ping;
        std::weak_ptr<bool> alive = m_alive;
        m_rpc.call(old, ping, [this, alive, old](Result<Message> r) {
            if (alive.expired())
                return;
            m_table.pingResult(old.id, r.ok() && r->kind == Kind::Response, m_scheduler.now());
        });
    }
}

qint64 DhtNode::freeBytes() const
{
    if (!m_store)
        return -1;
    const store::StoreUsage usage = m_store->usage();
    return qMax<qint64>(0, usage.quota - usage.bytesUsed);
}

void DhtNode::census(std::function<void(const Census &)> done)
{
    m_census.run(m_table.all(), [this, done = std::move(done)](Census result) {
        // The taker belongs to this node: it calls back only while we live.
        result.freeBytes += qMax<qint64>(0, freeBytes());
        done(result);
    });
}

bool DhtNode::closerThanAll(const identity::NodeId &target, const QList<Contact> &others) const
{
    const identity::NodeId mine = m_id.distance(target);
    for (const Contact &c : others) {
        if (c.id.distance(target) < mine)
            return false;
    }
    return true;
}

void DhtNode::findNode(const identity::NodeId &target, int resultCount,
    std::function<void(const QList<Contact> &, const LookupStats &)> done, bool storageOnly)
{
    startLookup<FindNodeLookup>(
        target, m_table.closest(target, m_config.bucketSize), lookupConfig(resultCount, storageOnly), std::move(done));
}

void DhtNode::bootstrap(const QList<base::Endpoint> &endpoints, Callback<int> done)
{
    struct State {
        int pending = 0;
        int answered = 0;
        Callback<int> done;
    };
    auto state = std::make_shared<State>();
    state->done = std::move(done);
    state->pending = int(endpoints.size());
    std::weak_ptr<bool> alive = m_alive;
    auto afterPings = [this, alive, state] {
        if (alive.expired())
            return;
        if (state->answered == 0 && m_table.size() == 0) {
            state->done(base::fail(DhtError::Unreachable, QStringLiteral("no bootstrap node answered")));
            return;
        }
        // Our own id first: it fills the nearest buckets and tells the
        // nodes around us that we exist. Then one lookup per farther bucket.
        findNode(m_id, m_config.bucketSize, [this, alive, state](const QList<Contact> &, const LookupStats &) {
            if (alive.expired())
                return;
            refresh(true);
            state->done(m_table.size());
        });
    };
    if (endpoints.isEmpty()) {
        afterPings();
        return;
    }
    for (const base::Endpoint &endpoint : endpoints) {
        Message ping;
        ping.op = Op::Ping;
        m_rpc.call(Contact {identity::NodeId(), endpoint}, ping, [state, afterPings](Result<Message> r) {
            if (r.ok() && r->kind == Kind::Response)
                ++state->answered;
            if (--state->pending == 0)
                afterPings();
        });
    }
}

void DhtNode::scheduleRefresh()
{
    // Jittered so that a thousand nodes started together do not refresh
    // in lockstep.
    const auto jitter = base::Duration(qint64(m_rng.uniform(quint64(m_config.refreshInterval.count() / 4 + 1))));
    m_refreshTimer = m_scheduler.callAfter(m_config.refreshInterval + jitter, [this] {
        m_refreshTimer = 0;
        reap();
        refresh(false);
        // Expired values go now rather than when the quota runs out; the
        // store overwrites them (secure_delete).
        if (m_store)
            (void)m_store->collectGarbage(m_scheduler.unixTime());
        scheduleRefresh();
    });
}

void DhtNode::refresh(bool unfilled)
{
    // A random id in a bucket's range finds the nodes that belong there.
    // Periodically: the buckets without traffic for an interval. After
    // bootstrap: every bucket from the nearest non-empty one outwards that
    // is not full yet.
    QList<int> buckets;
    if (unfilled) {
        int nearest = 0;
        while (nearest < RoutingTable::kBuckets && m_table.bucketSize(nearest) == 0)
            ++nearest;
        for (int b = nearest; b < RoutingTable::kBuckets; ++b) {
            if (m_table.bucketSize(b) < m_config.bucketSize)
                buckets.append(b);
        }
    } else {
        buckets = m_table.staleBuckets(m_scheduler.now() - m_config.refreshInterval + base::Duration(1));
    }
    for (int bucket : std::as_const(buckets)) {
        identity::NodeId::Bytes bytes = m_id.bytes();
        const int bit = identity::NodeId::kBits - 1 - bucket; // from the top
        QByteArray random = m_rng.bytes(identity::NodeId::kBytes);
        for (int i = bit + 1; i < identity::NodeId::kBits; ++i) {
            const quint8 mask = quint8(0x80 >> (i % 8));
            bytes[size_t(i / 8)] = quint8((bytes[size_t(i / 8)] & ~mask) | (quint8(random[i / 8]) & mask));
        }
        bytes[size_t(bit / 8)] ^= quint8(0x80 >> (bit % 8));
        // A few answers are enough: each one that answers is a contact in
        // that bucket, and it learns about us in turn.
        findNode(identity::NodeId(bytes), m_config.alpha, {});
    }
}

} // namespace cairn::dht
