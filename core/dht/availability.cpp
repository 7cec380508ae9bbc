#include "core/dht/availability.h"

#include <QtGlobal>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cairn::dht {

double AvailabilityEstimator::decay(base::Instant from, base::Instant to) const
{
    if (to <= from || m_config.halfLife.count() <= 0)
        return 1.0;
    return std::exp2(-double((to - from).count()) / double(m_config.halfLife.count()));
}

void AvailabilityEstimator::record(bool answered, base::Instant at)
{
    // A sample from before the last one (never, with a monotonic clock)
    // counts as of the last one.
    const double keep = decay(m_at, at);
    m_answered *= keep;
    m_silent *= keep;
    m_at = std::max(m_at, at);
    (answered ? m_answered : m_silent) += 1.0;
    if (m_samples < std::numeric_limits<int>::max())
        ++m_samples;
}

AvailabilityEstimate AvailabilityEstimator::estimate(base::Instant now) const
{
    const double keep = decay(m_at, now);
    const double answered = m_config.priorAnswered + m_answered * keep;
    const double silent = m_config.priorSilent + m_silent * keep;
    const double total = answered + silent;
    return AvailabilityEstimate {total > 0 ? answered / total : 0.0, m_samples};
}

int replicasFor(double targetSuccess, double availability, int minCopies, int maxCopies)
{
    const int lo = std::max(1, minCopies);
    const int hi = std::max(lo, maxCopies);
    if (std::isnan(targetSuccess) || std::isnan(availability))
        return hi;
    if (targetSuccess <= 0 || availability >= 1)
        return lo;
    if (targetSuccess >= 1 || availability <= 0)
        return hi;
    // log1p keeps precision when p_t or p is close to 1 or 0. The small
    // allowance keeps an exact integer ratio from rounding up to the next k.
    const double ratio = std::log1p(-std::sqrt(targetSuccess)) / std::log1p(-availability);
    if (!(ratio < double(hi)))
        return hi;
    const int k = int(std::ceil(ratio - 1e-9));
    return std::clamp(k, lo, hi);
}

} // namespace cairn::dht
