#pragma once

#include "core/base/scheduler.h"

#include <QHash>
#include <QHostAddress>

#include <list>

namespace cairn::net {

/// A token bucket per source address: `ratePerSecond` tokens flow in, at
/// most `burst` are kept, each allowed event takes one. The table is
/// bounded: when a new source would exceed `maxSources`, the source seen
/// least recently is forgotten (a forgotten source starts again with a full
/// bucket, which is what it would have after a quiet spell anyway).
class RateLimiter {
public:
    static constexpr qsizetype kDefaultMaxSources = 4096;

    RateLimiter(double ratePerSecond, double burst, qsizetype maxSources = kDefaultMaxSources);

    /// Takes a token for `source` if it has one.
    bool allow(const QHostAddress &source, base::Instant now);
    qsizetype size() const { return m_buckets.size(); }

private:
    struct Bucket {
        double tokens = 0;
        base::Instant updated {0};
        std::list<QHostAddress>::iterator position; // in m_recent
    };

    double m_rate;
    double m_burst;
    qsizetype m_maxSources;
    QHash<QHostAddress, Bucket> m_buckets;
    std::list<QHostAddress> m_recent; // least recently seen first
};

} // namespace cairn::net
