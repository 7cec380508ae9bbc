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
    putAttempt(value, expiresAt, copies, std::move(alive), std::move(done), 1);
}

void BlobCalls::get(const QByteArray &key, int copies, std::weak_ptr<void> alive, Done done)
{
    getAttempt(key, copies, std::move(alive), std::move(done), 1);
}

void BlobCalls::putAttempt(
    const QByteArray &value, qint64 expiresAt, int copies, std::weak_ptr<void> alive, Done done, int attempt)
{
    const qint64 ttl = expiresAt - m_scheduler.unixTime();
    if (ttl <= 0) {
        m_scheduler.callAfter(base::Duration(0), [alive, done] {
            if (!alive.expired())
                done(base::fail(dht::DhtError::InvalidValue, QStringLiteral("its time to live ran out")));
        });
        return;
    }
    m_dht.putBlob(
        value, ttl,
        [this, value, expiresAt, copies, alive, done, attempt](dht::Result<QByteArray> r) {
            // `this` belongs to the owner `alive` tracks: test it before use.
            if (alive.expired())
                return;
            m_scheduler.callAfter(base::Duration(0), [=, this] {
                if (alive.expired())
                    return;
                if (r.ok() || attempt >= m_policy.attempts) {
                    done(r);
                    return;
                }
                m_scheduler.callAfter(delayAfter(attempt), [=, this] {
                    if (!alive.expired())
                        putAttempt(value, expiresAt, copies, alive, done, attempt + 1);
                });
            });
        },
        {}, copies);
}

void BlobCalls::getAttempt(const QByteArray &key, int copies, std::weak_ptr<void> alive, Done done, int attempt)
{
    m_dht.getBlob(
        key,
        [this, key, copies, alive, done, attempt](dht::Result<QByteArray> r) {
            if (alive.expired())
                return;
            m_scheduler.callAfter(base::Duration(0), [=, this] {
                if (alive.expired())
                    return;
                if (r.ok() || attempt >= m_policy.attempts) {
                    done(r);
                    return;
                }
                m_scheduler.callAfter(delayAfter(attempt), [=, this] {
                    if (!alive.expired())
                        getAttempt(key, copies, alive, done, attempt + 1);
                });
            });
        },
        {}, copies, true);
}

} // namespace cairn::transfer
