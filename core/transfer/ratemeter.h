#pragma once

#include "core/base/scheduler.h"

#include <deque>

namespace cairn::transfer {

/// Bytes per second over about the last few seconds, from samples of a
/// growing byte count taken at times from the Scheduler.
class RateMeter {
public:
    explicit RateMeter(base::Duration window = base::Duration(5'000'000)) : m_window(window) { }

    /// Records that `bytes` were done by `at`.
    void record(base::Instant at, qint64 bytes);
    /// Forgets everything (a paused transfer starts measuring afresh).
    void reset() { m_samples.clear(); }
    /// The rate over the window ending at `now`; 0 without enough samples.
    double rate(base::Instant now) const;
    /// Seconds left for `remaining` bytes at the current rate; -1 unknown.
    qint64 etaSeconds(base::Instant now, qint64 remaining) const;

private:
    struct Sample {
        base::Instant at;
        qint64 bytes;
    };
    base::Duration m_window;
    std::deque<Sample> m_samples;
};

} // namespace cairn::transfer
