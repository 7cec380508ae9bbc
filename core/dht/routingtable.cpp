#include "core/dht/routingtable.h"

#include <algorithm>

namespace cairn::dht {

RoutingTable::RoutingTable(const identity::NodeId &self, int k, int replacementSize)
    : m_self(self), m_k(k), m_replacementSize(replacementSize)
{ }

RoutingTable::SeenResult RoutingTable::seen(const Contact &contact, base::Instant now)
{
    SeenResult result;
    const int index = m_self.bucketIndex(contact.id);
    if (index < 0)
        return result;
    Bucket &bucket = m_buckets[index];
    bucket.everUsed = true;
    bucket.lastChanged = now;
    for (qsizetype i = 0; i < bucket.entries.size(); ++i) {
        if (bucket.entries[i].contact.id == contact.id) {
            Entry entry = bucket.entries.takeAt(i);
            // A node that moved (new address or port after a NAT rebinding) is
            // the same node: follow it.
            entry.contact.endpoint = contact.endpoint;
            entry.lastSeen = now;
            entry.failures = 0;
            bucket.entries.append(entry);
            return result;
        }
    }
    if (bucket.entries.size() < m_k) {
        bucket.entries.append(Entry {contact, now, 0, false});
        ++m_size;
        bucket.replacements.removeIf([&](const Contact &c) { return c.id == contact.id; });
        result.inserted = true;
        return result;
    }
    bucket.replacements.removeIf([&](const Contact &c) { return c.id == contact.id; });
    bucket.replacements.append(contact);
    if (bucket.replacements.size() > m_replacementSize)
        bucket.replacements.removeFirst();
    Entry &oldest = bucket.entries.front();
    if (!oldest.pinging) {
        oldest.pinging = true;
        result.pingToEvict = oldest.contact;
    }
    return result;
}

void RoutingTable::promoteReplacement(Bucket &bucket, base::Instant now)
{
    if (bucket.replacements.isEmpty() || bucket.entries.size() >= m_k)
        return;
    bucket.entries.append(Entry {bucket.replacements.takeLast(), now, 0, false});
    ++m_size;
}

bool RoutingTable::failed(const identity::NodeId &id)
{
    const int index = m_self.bucketIndex(id);
    if (index < 0)
        return false;
    Bucket &bucket = m_buckets[index];
    for (qsizetype i = 0; i < bucket.entries.size(); ++i) {
        Entry &entry = bucket.entries[i];
        if (entry.contact.id != id)
            continue;
        if (++entry.failures < kMaxFailures)
            return false;
        bucket.entries.removeAt(i);
        --m_size;
        promoteReplacement(bucket, bucket.lastChanged);
        return true;
    }
    bucket.replacements.removeIf([&](const Contact &c) { return c.id == id; });
    return false;
}

void RoutingTable::pingResult(const identity::NodeId &id, bool alive, base::Instant now)
{
    const int index = m_self.bucketIndex(id);
    if (index < 0)
        return;
    Bucket &bucket = m_buckets[index];
    for (qsizetype i = 0; i < bucket.entries.size(); ++i) {
        if (bucket.entries[i].contact.id != id)
            continue;
        if (alive) {
            Entry entry = bucket.entries.takeAt(i);
            entry.pinging = false;
            entry.failures = 0;
            entry.lastSeen = now;
            bucket.entries.append(entry);
        } else {
            bucket.entries.removeAt(i);
            --m_size;
            promoteReplacement(bucket, now);
        }
        return;
    }
}

void RoutingTable::remove(const identity::NodeId &id)
{
    const int index = m_self.bucketIndex(id);
    if (index < 0)
        return;
    Bucket &bucket = m_buckets[index];
    bucket.replacements.removeIf([&](const Contact &c) { return c.id == id; });
    const qsizetype removed = bucket.entries.removeIf([&](const Entry &e) { return e.contact.id == id; });
    if (removed > 0) {
        m_size -= int(removed);
        promoteReplacement(bucket, bucket.lastChanged);
    }
}

QList<Contact> RoutingTable::closest(const identity::NodeId &target, int count) const
{
    struct Candidate {
        identity::NodeId distance;
        const Contact *contact;
    };
    std::vector<Candidate> candidates;
    if (count <= 0)
        return {};
    auto take = [&](int bucket) {
        for (const Entry &entry : m_buckets[size_t(bucket)].entries)
            candidates.push_back(Candidate {entry.contact.id.distance(target), &entry.contact});
    };
    // Buckets come in groups whose distances to the target do not overlap
    // (t is the target's own bucket): bucket t is nearest, then every bucket
    // below t, then t+1, t+2, ... So only the groups that can hold the
    // answer are looked at and sorted, not the whole table.
    const int t = m_self.bucketIndex(target);
    if (t >= 0) {
        take(t);
        if (qsizetype(candidates.size()) < count) {
            for (int b = 0; b < t; ++b)
                take(b);
        }
    }
    for (int b = t + 1; b < kBuckets && qsizetype(candidates.size()) < count; ++b)
        take(b);

    const size_t n = std::min(candidates.size(), size_t(count));
    // Distance alone: a contact that missed one answer is usually alive
    // (a lost datagram), and hiding it would hide the closest node from
    // every lookup that asks us. kMaxFailures in a row remove it.
    auto order = [](const Candidate &a, const Candidate &b) { return a.distance < b.distance; };
    std::partial_sort(candidates.begin(), candidates.begin() + qsizetype(n), candidates.end(), order);
    QList<Contact> out;
    out.reserve(qsizetype(n));
    for (size_t i = 0; i < n; ++i)
        out.append(*candidates[i].contact);
    return out;
}

std::optional<Contact> RoutingTable::find(const identity::NodeId &id) const
{
    const int index = m_self.bucketIndex(id);
    if (index < 0)
        return std::nullopt;
    for (const Entry &entry : m_buckets[index].entries) {
        if (entry.contact.id == id)
            return entry.contact;
    }
    return std::nullopt;
}

QList<Contact> RoutingTable::all() const
{
    QList<Contact> out;
    out.reserve(m_size);
    for (const Bucket &bucket : m_buckets) {
        for (const Entry &entry : bucket.entries)
            out.append(entry.contact);
    }
    return out;
}

QList<int> RoutingTable::staleBuckets(base::Instant before) const
{
    QList<int> out;
    for (int i = 0; i < kBuckets; ++i) {
        if (m_buckets[i].everUsed && m_buckets[i].lastChanged < before)
            out.append(i);
    }
    return out;
}

} // namespace cairn::dht
