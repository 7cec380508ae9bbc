#pragma once

#include "core/dht/dhtnode.h"

#include <functional>
#include <memory>

namespace cairn::transfer {

/// How often a chunk read or write is tried, and the first wait between
/// tries (doubled each time).
struct RetryPolicy {
    int attempts = 5;
    base::Duration firstDelay {1'000'000};
};

/// putBlob/getBlob with retries and backoff for the transfer engines. The
/// answer always comes on a later scheduler turn, never inside the call
/// (a local hit would otherwise recurse through a whole file), and never
/// once `alive` has expired (its owner is gone).
class BlobCalls {
public:
    using Done = std::function<void(dht::Result<QByteArray>)>;

    BlobCalls(dht::DhtNode &dht, base::Scheduler &scheduler, const RetryPolicy &policy = {});

    /// Stores `value` until `expiresAt` (unix seconds); done with its key.
    void put(const QByteArray &value, qint64 expiresAt, int copies, std::weak_ptr<void> alive, Done done);
    /// Fetches the blob under `key` (its hash is checked by the DHT).
    void get(const QByteArray &key, int copies, std::weak_ptr<void> alive, Done done);

    base::Scheduler &scheduler() { return m_scheduler; }
    void setPolicy(const RetryPolicy &policy) { m_policy = policy; }

private:
    /// One DHT request, given where its answer goes.
    using Call = std::function<void(Done)>;
    /// Runs `call`, and again after a growing delay while it fails (but not
    /// for an invalid value, which no retry mends), up to the policy's
    /// attempts. Answers arrive on a later turn of the event loop.
    void withRetries(Call call, std::weak_ptr<void> alive, Done done, int attempt);
    base::Duration delayAfter(int attempt) const;

    dht::DhtNode &m_dht;
    base::Scheduler &m_scheduler;
    RetryPolicy m_policy;
};

} // namespace cairn::transfer
