#pragma once

#include "core/base/scheduler.h"

namespace cairn::transfer {

/// How many chunk requests a transfer keeps in flight. Sending 16 chunks
/// to several replicas each at once queues megabytes behind a slow uplink;
/// every other DHT message then waits behind them, times out, and the
/// routing table empties. So the window starts small, grows while requests
/// come back about as fast as the fastest one seen, and halves (once per
/// round trip) when they slow down by more than the queueing it tolerates,
/// or fail: additive increase, multiplicative decrease on delay, as in
/// TCP Vegas or LEDBAT.
class FlowWindow {
public:
    explicit FlowWindow(int max = 16, int initial = 2);

    int size() const { return int(m_window); }
    /// A request finished after `took`, at `now`.
    void completed(base::Duration took, base::Instant now);
    /// A request failed at `now`.
    void failed(base::Instant now);

    /// Queueing tolerated on top of the fastest request, at least.
    static constexpr base::Duration kMinQueueing {250000};

private:
    void cut(base::Instant now);

    double m_window;
    const int m_max;
    bool m_slowStart = true;
    base::Duration m_fastest {-1};
    base::Instant m_lastCut {-1'000'000'000'000LL};
};

} // namespace cairn::transfer
