#pragma once

#include "core/base/scheduler.h"
#include "core/dht/contact.h"

#include <QList>

#include <array>
#include <optional>

namespace cairn::dht {

/// Kademlia's k-buckets under the XOR metric: bucket i holds contacts whose
/// distance from us has its highest set bit at position i, least recently
/// seen first. A full bucket does not drop a live contact for a new one:
/// the new one waits in the bucket's replacement cache while the DHT pings
/// the least recently seen entry (ping-before-evict), and only a failed
/// ping (or repeated RPC failures) makes room. Long-lived nodes stay, which
/// is what keeps the table useful under churn.
class RoutingTable {
public:
    static constexpr int kBuckets = identity::NodeId::kBits;
    /// RPC failures in a row after which a contact is considered gone.
    static constexpr int kMaxFailures = 2;

    struct Entry {
        Contact contact;
        base::Instant lastSeen {0};
        int failures = 0;
        bool pinging = false; // a ping-before-evict is under way
    };

    /// What seen() asks of the caller.
    struct SeenResult {
        bool inserted = false; // a new contact entered a bucket
        std::optional<Contact> pingToEvict; // ping this one; report with pingResult()
    };

    explicit RoutingTable(const identity::NodeId &self, int k = 20, int replacementSize = 8);

    const identity::NodeId &self() const { return m_self; }
    int k() const { return m_k; }

    /// A message came from `contact`: move it to the tail, or insert it, or
    /// park it in the replacement cache and ask for a ping of the oldest.
    SeenResult seen(const Contact &contact, base::Instant now);
    /// An RPC to `id` failed; after kMaxFailures in a row the contact is
    /// dropped and the freshest replacement takes its place. Returns true
    /// if it was dropped.
    bool failed(const identity::NodeId &id);
    /// The answer to a ping-before-evict: alive keeps the old entry (and
    /// the newcomer stays a replacement); dead evicts it for the replacement.
    void pingResult(const identity::NodeId &id, bool alive, base::Instant now);
    /// Forgets a contact (e.g. it was revoked or changed address).
    void remove(const identity::NodeId &id);

    /// Up to `count` contacts closest to `target`, nearest first.
    QList<Contact> closest(const identity::NodeId &target, int count) const;
    std::optional<Contact> find(const identity::NodeId &id) const;
    bool contains(const identity::NodeId &id) const { return find(id).has_value(); }
    int size() const { return m_size; }
    QList<Contact> all() const;

    /// Buckets that have held something and saw no traffic since `before`:
    /// the DHT refreshes them with a lookup of a random id in their range.
    QList<int> staleBuckets(base::Instant before) const;
    int bucketSize(int bucket) const { return int(m_buckets[bucket].entries.size()); }

private:
    struct Bucket {
        QList<Entry> entries; // least recently seen first
        QList<Contact> replacements; // most recent last
        base::Instant lastChanged {0};
        bool everUsed = false;
    };

    void promoteReplacement(Bucket &bucket, base::Instant now);

    identity::NodeId m_self;
    int m_k;
    int m_replacementSize;
    int m_size = 0;
    std::array<Bucket, kBuckets> m_buckets;
};

} // namespace cairn::dht
