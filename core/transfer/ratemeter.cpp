#include "core/transfer/ratemeter.h"

#include <cmath>

namespace cairn::transfer {

void RateMeter::record(base::Instant at, qint64 bytes)
{
    if (!m_samples.empty() && m_samples.back().at == at) {
        m_samples.back().bytes = bytes;
    } else {
        m_samples.push_back({at, bytes});
    }
    // Keep one sample older than the window as its starting point.
    while (m_samples.size() > 2 && m_samples[1].at <= at - m_window)
        m_samples.pop_front();
}

double RateMeter::rate(base::Instant now) const
{
    if (m_samples.empty())
        return 0;
    // The window starts at the last sample at or before now - window (or the
    // first one we have); a transfer that stalled falls to 0.
    const Sample &last = m_samples.back();
    const Sample *first = &m_samples.front();
    for (const Sample &s : m_samples) {
        if (s.at <= now - m_window)
            first = &s;
    }
    const double seconds = double((now - first->at).count()) / 1e6;
    if (seconds <= 0 || first == &last)
        return 0;
    return double(last.bytes - first->bytes) / seconds;
}

qint64 RateMeter::etaSeconds(base::Instant now, qint64 remaining) const
{
    if (remaining <= 0)
        return 0;
    const double r = rate(now);
    if (r <= 0)
        return -1;
    return qint64(std::ceil(double(remaining) / r));
}

} // namespace cairn::transfer
