// DhtNode's client side for inboxes (LIST, DELETE) and mutable records.
#include "core/crypto/keys.h"
#include "core/dht/dhtnode.h"
#include "core/dht/record.h"
#include "core/store/blobstore.h"

#include <QHash>

namespace cairn::dht {

namespace {

/// Collects answers from the lookups towards every replica of one key.
template <typename T> struct Gather {
    int pending = 0;
    T value {};
    std::function<void()> finish;
    void done()
    {
        if (--pending == 0)
            finish();
    }
};

} // namespace

void DhtNode::list(const QByteArray &inboxKey, Callback<QList<InboxItem>> done, int copies)
{
    if (inboxKey.size() != 32) {
        done(base::fail(DhtError::InvalidValue, QStringLiteral("an inbox key is 32 bytes")));
        return;
    }
    using Merged = QHash<QByteArray, InboxItem>; // by entry id
    auto gather = std::make_shared<Gather<Merged>>();
    const qint64 now = m_scheduler.unixTime();
    if (m_store) {
        auto local = m_store->listInbox(inboxKey, now);
        if (local.ok()) {
            for (const store::InboxEntry &e : local.value())
                gather->value.insert(e.id, InboxItem {e.data, e.deleteTokenHash, e.expiresAt - now});
        }
    }
    gather->finish = [gather, done] {
        QList<InboxItem> items = gather->value.values();
        std::sort(items.begin(), items.end(), [](const InboxItem &a, const InboxItem &b) { return a.data < b.data; });
        done(items);
    };
    const QList<identity::NodeId> targets = placementTargets(inboxKey, copiesOrDefault(copies), m_config.placement);
    gather->pending = int(targets.size());
    std::weak_ptr<bool> alive = m_alive;

    // A replica with more entries than fit one answer is asked again from
    // the offset it reached.
    auto merge = std::make_shared<std::function<void(const Contact &, const Message &)>>();
    *merge = [this, alive, gather, inboxKey, merge](const Contact &from, const Message &response) {
        for (const InboxItem &item : response.entries)
            gather->value.insert(crypto::blake2b(item.data, 32), item);
        if (!response.more || alive.expired())
            return;
        Message next;
        next.op = Op::List;
        next.key = inboxKey;
        next.target = response.sender;
        next.hasTarget = true;
        next.offset = response.offset + response.entries.size();
        ++gather->pending;
        m_rpc.call(from, next, [gather, merge, from](Result<Message> r) {
            if (r.ok() && r->kind == Kind::Response && r->found)
                (*merge)(from, r.value());
            gather->done();
        });
    };
    for (const identity::NodeId &target : targets) {
        startRead(
            Op::List, inboxKey, target,
            [merge](const Contact &from, const Message &response, int) {
                (*merge)(from, response);
                return false; // every replica's entries count
            },
            [gather](const QList<Contact> &, const LookupStats &) { gather->done(); });
    }
}

void DhtNode::remove(
    const QByteArray &inboxKey, const QByteArray &entryId, const QByteArray &token, Callback<int> done, int copies)
{
    if (inboxKey.size() != 32 || entryId.size() != 32 || token.isEmpty() || token.size() > Message::kMaxToken) {
        done(base::fail(
            DhtError::InvalidValue, QStringLiteral("a delete needs a 32-byte inbox key and entry id and a token")));
        return;
    }
    Message request;
    request.op = Op::Delete;
    request.key = inboxKey;
    request.entryId = entryId;
    request.token = token;
    // A replica without the entry (NotFound) simply does not count.
    writeReplicas(
        inboxKey, request, [done](const WriteReport &w) { done(w.stored); }, copies);
}

void DhtNode::putRecord(const RecordData &data, qint64 ttlSeconds, Callback<WriteReport> done)
{
    const QByteArray key = record::keyOf(data.owner, data.salt);
    if (!record::isValid(data, key)) {
        done(base::fail(DhtError::InvalidValue, QStringLiteral("the record's signature does not verify")));
        return;
    }
    Message request;
    request.op = Op::PutRecord;
    request.key = key;
    request.record = data;
    request.ttl = ttlOrDefault(ttlSeconds);
    writeReplicas(key, request, failUnlessStored(std::move(done), "the record"));
}

void DhtNode::getRecord(const QByteArray &key, Callback<RecordData> done)
{
    if (key.size() != 32) {
        done(base::fail(DhtError::InvalidValue, QStringLiteral("a record key is 32 bytes")));
        return;
    }
    auto gather = std::make_shared<Gather<std::optional<RecordData>>>();
    auto consider = [gather, key](const RecordData &candidate) {
        if (record::isValid(candidate, key) && (!gather->value || candidate.sequence > gather->value->sequence))
            gather->value = candidate;
    };
    if (m_store) {
        auto local = m_store->getRecord(key, m_scheduler.unixTime());
        if (local.ok() && local.value()) {
            const store::MutableRecord &r = *local.value();
            consider(RecordData {r.ownerKey, r.salt, r.sequence, r.value, r.signature});
        }
    }
    gather->finish = [gather, done] {
        if (gather->value)
            done(*gather->value);
        else
            done(base::fail(DhtError::NotFound, QStringLiteral("no replica holds a valid record under this key")));
    };
    const QList<identity::NodeId> targets = placementTargets(key, m_config.replicas, m_config.placement);
    gather->pending = int(targets.size());
    for (const identity::NodeId &target : targets) {
        startRead(
            Op::GetRecord, key, target,
            [consider](const Contact &, const Message &response, int) {
                consider(response.record);
                return false; // the highest sequence among all replicas wins
            },
            [gather](const QList<Contact> &, const LookupStats &) { gather->done(); });
    }
}

} // namespace cairn::dht
