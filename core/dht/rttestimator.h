#pragma once

#include "core/base/scheduler.h"

namespace cairn::dht {

/// Round-trip time estimate of one peer (Jacobson/Karels, RFC 6298):
/// smoothed RTT and mean deviation, from which the retransmit timeout
/// (srtt + 4 rttvar) and a shorter "slow" threshold (srtt + 2 rttvar)
/// follow. A lookup stops waiting for a peer past the slow threshold and
/// asks another, long before the retransmit timeout, so a dead node costs
/// a lookup about one RTT instead of a fixed timeout. The slow threshold
/// has a much lower floor than the retransmit timeout: passing it only
/// asks one more node (a spurious retransmit would cost the peer's work
/// and Karn's rule would drop the sample), so on a fast network a dead
/// node costs a few milliseconds rather than the retransmit floor.
class RttEstimator {
public:
    static constexpr base::Duration kMinTimeout {50'000};
    static constexpr base::Duration kMinSlow {5'000};
    static constexpr base::Duration kMaxTimeout {5'000'000};
    static constexpr base::Duration kInitialTimeout {1'000'000};

    bool hasSample() const { return m_samples > 0; }
    int samples() const { return m_samples; }
    void addSample(base::Duration rtt);

    base::Duration smoothed() const { return m_srtt; }
    base::Duration deviation() const { return m_rttvar; }
    /// When to retransmit: srtt + 4 rttvar, clamped; kInitialTimeout before any sample.
    base::Duration retransmitTimeout() const;
    /// When to count a request as slow: srtt + 2 rttvar, clamped to
    /// [kMinSlow, kMaxTimeout]; kInitialTimeout before any sample.
    base::Duration slowThreshold() const;

private:
    base::Duration m_srtt {0};
    base::Duration m_rttvar {0};
    int m_samples = 0;
};

} // namespace cairn::dht
