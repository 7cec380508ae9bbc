#include "core/dht/rttestimator.h"

#include <algorithm>

namespace cairn::dht {

void RttEstimator::addSample(base::Duration rtt)
{
    rtt = std::max(rtt, base::Duration(1));
    if (m_samples == 0) {
        m_srtt = rtt;
        m_rttvar = rtt / 2;
    } else {
        const base::Duration error = rtt > m_srtt ? rtt - m_srtt : m_srtt - rtt;
        m_rttvar = (3 * m_rttvar + error) / 4;
        m_srtt = (7 * m_srtt + rtt) / 8;
    }
    ++m_samples;
}

base::Duration RttEstimator::retransmitTimeout() const
{
    if (m_samples == 0)
        return kInitialTimeout;
    return std::clamp(m_srtt + 4 * m_rttvar, kMinTimeout, kMaxTimeout);
}

base::Duration RttEstimator::slowThreshold() const
{
    if (m_samples == 0)
        return kInitialTimeout;
    return std::clamp(m_srtt + 2 * m_rttvar, kMinSlow, kMaxTimeout);
}

} // namespace cairn::dht
