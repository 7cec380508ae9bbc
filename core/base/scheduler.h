#pragma once

#include <QtGlobal>

#include <chrono>
#include <functional>

namespace cairn::base {

using Duration = std::chrono::microseconds;
/// Monotonic time since the scheduler's own epoch.
using Instant = std::chrono::microseconds;
using TimerId = quint64;

/// Time and timers for protocol code. Production uses QtScheduler; the
/// simulator provides a virtual clock. Protocol code never reads a clock or
/// arms a timer any other way, so a simulated hour runs in seconds.
class Scheduler {
public:
    virtual ~Scheduler() = default;

    virtual Instant now() const = 0;
    /// Seconds since the Unix epoch (certificate validity, TTLs on disk).
    virtual qint64 unixTime() const = 0;
    /// Runs fn once at `when` (or as soon as possible if it has passed).
    virtual TimerId callAt(Instant when, std::function<void()> fn) = 0;
    /// Returns true if the timer was pending and is now cancelled.
    virtual bool cancel(TimerId id) = 0;

    TimerId callAfter(Duration delay, std::function<void()> fn) { return callAt(now() + delay, std::move(fn)); }
};

} // namespace cairn::base
