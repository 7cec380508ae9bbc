#include "core/transfer/blobcalls.h"

namespace cairn::transfer {

BlobCalls::BlobCalls(dht::DhtNode &dht, base::Scheduler &scheduler, const RetryPolicy &policy)
    : m_dht(dht), m_scheduler(scheduler), m_policy(policy)
{ }

base::Duration BlobCalls::delayAfter(int attempt) const
{
    return m_policy.firstDelay * (qint64(1) << qBound(0, attempt - 1, 16));
}

void BlobCalls::put(const QByteArray &value, qint64 expiresAt, int copies, std::weak_ptr<void> alive, Done done)
{
    // The time to live is what is left of it at each attempt.
    auto call = [this, value, expiresAt, copies](Done answer) {
        const qint64 ttl = expiresAt - m_scheduler.unixTime();
        if (ttl <= 0)
            return answer(base::fail(dht::DhtError::InvalidValue, QStringLiteral("its time to live ran out")));
        m_dht.putBlob(value, ttl, std::move(answer), {}, copies);
    };
    withRetries(std::move(call), std::move(alive), std::move(done), 1);
}

void BlobCalls::get(const QByteArray &key, int copies, std::weak_ptr<void> alive, Done done)
{
    auto call = [this, key, copies](Done answer) { m_dht.getBlob(key, std::move(answer), {}, copies, true); };
    withRetries(std::move(call), std::move(alive), std::move(done), 1);
}

void BlobCalls::withRetries(Call call, std::weak_ptr<void> alive, Done done, int attempt)
{
    call([this, call, alive, done, attempt](dht::Result<QByteArray> r) {
        // `this` belongs to the owner `alive` tracks: test it before use.
        if (alive.expired())
            return;
        m_scheduler.callAfter(base::Duration(0), [=, this] {
            if (alive.expired())
                return;
            if (r.ok() || r.code() == dht::DhtError::InvalidValue || attempt >= m_policy.attempts) {
                done(r);
                return;
            }
            m_scheduler.callAfter(delayAfter(attempt), [=, this] {
                if (!alive.expired())
                    withRetries(call, alive, done, attempt + 1);
            });
        });
    });
}

} // namespace cairn::transfer
