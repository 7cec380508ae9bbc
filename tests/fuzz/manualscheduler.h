#pragma once

// A Scheduler whose clock the fuzz input moves, shared by the fuzz targets
// that drive protocol code with timers.
#include "core/base/scheduler.h"

#include <QtGlobal>

#include <map>

namespace cairn::fuzzing {

class ManualScheduler final : public base::Scheduler {
public:
    base::Instant now() const override { return m_now; }
    qint64 unixTime() const override { return 1'800'000'000 + m_now.count() / 1'000'000; }
    base::TimerId callAt(base::Instant when, std::function<void()> fn) override
    {
        m_timers.emplace(std::make_pair(when, ++m_next), std::move(fn));
        return m_next;
    }
    bool cancel(base::TimerId id) override
    {
        for (auto it = m_timers.begin(); it != m_timers.end(); ++it) {
            if (it->first.second == id) {
                m_timers.erase(it);
                return true;
            }
        }
        return false;
    }
    /// Moves the clock by `by`, running the timers due on the way, each at
    /// its own time.
    void advance(base::Duration by)
    {
        const base::Instant until = m_now + by;
        while (!m_timers.empty() && m_timers.begin()->first.first <= until) {
            m_now = qMax(m_now, m_timers.begin()->first.first);
            auto fn = std::move(m_timers.begin()->second);
            m_timers.erase(m_timers.begin());
            fn();
        }
        m_now = until;
    }

private:
    base::Instant m_now {0};
    base::TimerId m_next = 0;
    std::map<std::pair<base::Instant, base::TimerId>, std::function<void()>> m_timers;
};

} // namespace cairn::fuzzing
