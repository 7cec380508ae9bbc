// DhtNode's repair: keeping every replica of what we store present.
#include "core/crypto/keys.h"
#include "core/dht/dhtnode.h"
#include "core/store/blobstore.h"

#include <QSet>

namespace cairn::dht {

void DhtNode::scheduleRepair(base::Duration delay)
{
    const base::Instant earliest = m_lastRepair + m_config.repairMinSpacing;
    const base::Instant due = std::max(m_scheduler.now() + delay, m_lastRepair.count() ? earliest : base::Instant(0));
    if (m_repairTimer && m_repairDue <= due)
        return;
    if (m_repairTimer)
        m_scheduler.cancel(m_repairTimer);
    m_repairDue = due;
    m_repairTimer = m_scheduler.callAt(due, [this] {
        m_repairTimer = 0;
        reap();
        repairNow();
        const auto jitter = base::Duration(qint64(m_rng.uniform(quint64(m_config.repairInterval.count() / 4 + 1))));
        scheduleRepair(m_config.repairInterval - m_config.repairInterval / 8 + jitter);
    });
}

void DhtNode::repairNow()
{
    if (!m_store)
        return;
    const qint64 now = m_scheduler.unixTime();
    m_lastRepair = m_scheduler.now();
    QSet<QByteArray> current;
    QByteArray after;
    // A new pass replaces what is left of the last one.
    m_repairQueue.clear();
    m_repairNext = 0;
    for (;;) {
        auto page = m_store->keys(now, 512, after);
        if (!page.ok() || page->isEmpty())
            break;
        for (const store::StoredKey &k : page.value()) {
            current.insert(k.key);
            m_repairQueue.append(RepairItem {k.key, int(k.kind), k.expiresAt, k.copies});
        }
        after = page->last().key;
    }
    // Forget where copies of keys we no longer hold live.
    m_repairMemo.removeIf([&](const auto &it) { return !current.contains(it.key().first(32)); });
    if (m_repairBatchTimer) {
        m_scheduler.cancel(m_repairBatchTimer);
        m_repairBatchTimer = 0;
    }
    repairNextBatch();
}

void DhtNode::repairNextBatch()
{
    m_repairBatchTimer = 0;
    const qsizetype end = qMin(m_repairQueue.size(), m_repairNext + qMax(1, m_config.repairBatch));
    while (m_repairNext < end)
        repairKey(m_repairQueue[m_repairNext++]);
    if (m_repairNext < m_repairQueue.size()) {
        m_repairBatchTimer = m_scheduler.callAfter(m_config.repairBatchSpacing, [this] { repairNextBatch(); });
        return;
    }
    m_repairQueue.clear();
    m_repairNext = 0;
}

void DhtNode::repairKey(const RepairItem &item)
{
    // Each item is kept at the number of copies its writer chose, not at
    // ours: the same targets its writer and readers use.
    const QList<identity::NodeId> targets
        = placementTargets(item.key, copiesOrDefault(item.copies), m_config.placement);
    const bool closest = m_config.placement == Placement::Closest;
    QList<int> check;
    int firstHeld = -1;
    if (closest) {
        check.append(0);
    } else {
        // Copy i is ours when no node we know is closer to its target. The
        // holder of copy i looks after copy i+1: a ring, so k holders share
        // the work instead of each checking every copy. A key we hold
        // without being any copy's holder (a closer node joined, or we were
        // handed it) looks after the copy whose target is nearest to us,
        // which hands it over to the node that should have it. We also
        // watch a copy whose holder we would succeed: should it be gone, we
        // are the closest to two targets and one copy must move on, which
        // our table (still listing the gone holder) would not tell us.
        QList<int> held;
        QList<int> watched;
        int nearest = 0;
        for (int i = 0; i < targets.size(); ++i) {
            const QList<Contact> two = m_table.closest(targets[i], 2);
            if (closerThanAll(targets[i], two.mid(0, 1)))
                held.append(i);
            else if (closerThanAll(targets[i], two.mid(1)))
                watched.append(i);
            if (m_id.distance(targets[i]) < m_id.distance(targets[nearest]))
                nearest = i;
        }
        if (held.isEmpty())
            check.append(nearest);
        for (int i : std::as_const(held)) {
            const int next = (i + 1) % int(targets.size());
            if (!held.contains(next) && !check.contains(next))
                check.append(next);
        }
        for (int i : std::as_const(watched)) {
            if (!held.isEmpty() && !check.contains(i))
                check.append(i);
        }
        // Closest to several targets, we keep the first of those copies;
        // each later one belongs to the next closest node, as its writer
        // placed it, so that k copies stay on k distinct nodes.
        firstHeld = held.value(0, -1);
        check.append(held.mid(1));
    }
    for (int i : std::as_const(check))
        repairCopy(item, targets[i], i, firstHeld);
}

void DhtNode::repairCopy(const RepairItem &item, const identity::NodeId &target, int index, int firstHeld)
{
    const bool closest = m_config.placement == Placement::Closest;
    const int k = copiesOrDefault(item.copies);
    const QByteArray memoKey = item.key + char(index);
    std::weak_ptr<bool> alive = m_alive;
    auto lookUp = [=, this] {
        findNode(
            target, closest ? k : m_config.replicaLookupWidth,
            [=, this](const QList<Contact> &found, const LookupStats &) {
                if (alive.expired())
                    return;
                if (!closest) {
                    // The lookup reports nodes other than us, nearest first.
                    // If we are the closest, our copy is the one, unless we
                    // keep an earlier copy (our table may not know yet that
                    // the node which held this one is gone): then it goes
                    // to the next closest.
                    const Contact holder = found.value(0);
                    const bool keepEarlier = firstHeld >= 0 && firstHeld < index;
                    if (found.isEmpty())
                        return;
                    if (!keepEarlier && closerThanAll(target, {holder})) {
                        // Ours now, and earlier than the first copy we
                        // thought we kept: that one goes to its next closest.
                        if (firstHeld > index)
                            repairCopy(item, replicaTarget(item.key, firstHeld), firstHeld, index);
                        return;
                    }
                    m_repairMemo.insert(memoKey, RepairMemo {holder, m_scheduler.now()});
                    ensureHeld(holder, item, index, {});
                    return;
                }
                // The k closest to the key, ourselves among them where we
                // belong (our own copy is one of the k).
                QList<Contact> holders = found;
                qsizetype at = 0;
                while (at < holders.size() && !closerThanAll(target, {holders[at]}))
                    ++at;
                holders.insert(at, Contact {m_id, {}});
                for (int i = 0; i < qMin<qsizetype>(k, holders.size()); ++i) {
                    if (holders[i].id != m_id)
                        ensureHeld(holders[i], item, i, {});
                }
            },
            true);
    };
    // Between full checks (a lookup, which also finds a node that newly
    // became responsible), asking the holder we found last time is enough:
    // one RPC instead of a lookup. Only if it is gone do we look again.
    auto memo = m_repairMemo.constFind(memoKey);
    if (closest || memo == m_repairMemo.cend() || m_scheduler.now() - memo->checkedAt >= m_config.repairFullCheck) {
        lookUp();
        return;
    }
    ensureHeld(memo->holder, item, index, [=, this](bool answered) {
        if (alive.expired() || answered)
            return;
        m_repairMemo.remove(memoKey);
        lookUp();
    });
}

void DhtNode::ensureHeld(
    const Contact &holder, const RepairItem &item, int index, std::function<void(bool answered)> answered)
{
    const QByteArray key = item.key;
    const qint64 ttl = item.expiresAt - m_scheduler.unixTime();
    if (ttl <= 0)
        return;
    // The copies travel along, so the new holder keeps the item at the
    // writer's number too (0 stays 0: every holder's default).
    const int copies = qMin(item.copies, kMaxCopies);
    auto report = [answered](const Result<Message> &r) {
        if (answered)
            answered(r.ok() && r->kind == Kind::Response);
    };
    std::weak_ptr<bool> alive = m_alive;
    auto counted = [this, alive](Result<Message> r) {
        if (!alive.expired() && r.ok() && r->kind == Kind::Response)
            ++m_repairsStored;
    };
    Message probe;
    probe.key = key;
    probe.target = holder.id;
    probe.hasTarget = true;
    switch (store::KeyKind(item.kind)) {
    case store::KeyKind::Blob:
        probe.op = Op::GetBlob;
        probe.probe = true;
        m_rpc.call(holder, probe, [=, this](Result<Message> r) {
            report(r);
            if (alive.expired() || !r.ok() || r->kind != Kind::Response || r->found)
                return;
            auto value = m_store->getBlob(key, m_scheduler.unixTime());
            if (!value.ok() || !value.value())
                return;
            Message put;
            put.op = Op::PutBlob;
            put.key = key;
            put.value = *value.value();
            put.ttl = ttl;
            put.copies = copies;
            m_rpc.call(holder, put, counted);
        });
        break;
    case store::KeyKind::Inbox:
        probe.op = Op::List;
        m_rpc.call(holder, probe, [=, this](Result<Message> r) {
            report(r);
            if (alive.expired() || !r.ok() || r->kind != Kind::Response)
                return;
            QSet<QByteArray> theirs;
            for (const InboxItem &entry : r->entries)
                theirs.insert(crypto::blake2b(entry.data, 32));
            const qint64 now = m_scheduler.unixTime();
            auto mine = m_store->listInbox(key, now);
            if (!mine.ok())
                return;
            for (const store::InboxEntry &e : mine.value()) {
                // The key is placed at its largest entry's copies; an entry
                // with fewer belongs only at the first of those holders.
                if (theirs.contains(e.id) || r->more || index >= copiesOrDefault(e.copies))
                    continue;
                Message append;
                append.op = Op::Append;
                append.key = key;
                append.value = e.data;
                append.tokenHash = e.deleteTokenHash;
                append.ttl = e.expiresAt - now;
                append.copies = qMin(e.copies, kMaxCopies);
                if (append.ttl > 0)
                    m_rpc.call(holder, append, counted);
            }
        });
        break;
    case store::KeyKind::Record:
        probe.op = Op::GetRecord;
        m_rpc.call(holder, probe, [=, this](Result<Message> r) {
            report(r);
            if (alive.expired() || !r.ok() || r->kind != Kind::Response)
                return;
            auto mine = m_store->getRecord(key, m_scheduler.unixTime());
            if (!mine.ok() || !mine.value())
                return;
            const store::MutableRecord &rec = *mine.value();
            if (r->found && r->record.sequence >= rec.sequence)
                return;
            Message put;
            put.op = Op::PutRecord;
            put.key = key;
            put.record = RecordData {rec.ownerKey, rec.salt, rec.sequence, rec.value, rec.signature};
            put.ttl = ttl;
            m_rpc.call(holder, put, counted);
        });
        break;
    }
}

} // namespace cairn::dht
