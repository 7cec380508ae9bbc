#include "core/net/ratelimiter.h"

namespace cairn::net {

RateLimiter::RateLimiter(double ratePerSecond, double burst, qsizetype maxSources)
    : m_rate(qMax(ratePerSecond, 0.0)), m_burst(qMax(burst, 1.0)), m_maxSources(qMax<qsizetype>(maxSources, 1))
{ }

bool RateLimiter::allow(const QHostAddress &source, base::Instant now)
{
    auto it = m_buckets.find(source);
    if (it == m_buckets.end()) {
        if (m_buckets.size() >= m_maxSources) {
            m_buckets.remove(m_recent.front());
            m_recent.pop_front();
        }
        m_recent.push_back(source);
        Bucket fresh;
        fresh.tokens = m_burst;
        fresh.updated = now;
        fresh.position = std::prev(m_recent.end());
        it = m_buckets.insert(source, fresh);
    } else {
        const double seconds = double((now - it->updated).count()) / 1e6;
        it->tokens = qMin(m_burst, it->tokens + qMax(seconds, 0.0) * m_rate);
        it->updated = now;
        m_recent.splice(m_recent.end(), m_recent, it->position);
    }
    if (it->tokens < 1.0)
        return false;
    it->tokens -= 1.0;
    return true;
}

} // namespace cairn::net
