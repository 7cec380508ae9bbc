#pragma once

#include "core/base/scheduler.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <map>
#include <memory>

namespace cairn::base {

/// Scheduler on Qt's event loop: a monotonic QElapsedTimer, the pending
/// calls in a time-ordered map of its own and one precise QTimer armed for
/// the earliest. (A QTimer per call made Qt walk its timer list for every
/// new call, and a node with a session per peer keeps thousands pending.)
/// Calls due together run in the order they were scheduled; a call made
/// from inside a callback runs at the earliest in the next pass of the
/// event loop, so zero-delay calls never starve I/O.
class QtScheduler final : public QObject, public Scheduler {
public:
    explicit QtScheduler(QObject *parent = nullptr);
    ~QtScheduler() override;

    Instant now() const override;
    qint64 unixTime() const override;
    TimerId callAt(Instant when, std::function<void()> fn) override;
    bool cancel(TimerId id) override;
    qsizetype pendingCount() const { return qsizetype(m_calls.size()); }

    /// How long one wake-up runs due calls before it yields to the event loop.
    static constexpr Duration kSlice {4000};

private:
    struct Key {
        Instant when;
        TimerId id;
        bool operator<(const Key &o) const { return when != o.when ? when < o.when : id < o.id; }
    };

    void arm();
    void runDue();

    QElapsedTimer m_clock;
    QTimer m_timer;
    std::map<Key, std::function<void()>> m_calls;
    QHash<TimerId, Instant> m_when;
    TimerId m_nextId = 1;
    /// The deadline m_timer is armed for, if it is active.
    Instant m_armedFor {0};
    /// Guards the pass over due calls against a callback destroying us.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace cairn::base
