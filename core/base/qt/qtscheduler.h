#pragma once

#include "core/base/scheduler.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

class QTimer;

namespace cairn::base {

/// Scheduler on Qt's event loop: a monotonic QElapsedTimer and one
/// single-shot precise QTimer per pending call.
class QtScheduler final : public QObject, public Scheduler {
public:
    explicit QtScheduler(QObject *parent = nullptr);
    ~QtScheduler() override;

    Instant now() const override;
    qint64 unixTime() const override;
    TimerId callAt(Instant when, std::function<void()> fn) override;
    bool cancel(TimerId id) override;
    qsizetype pendingCount() const { return m_timers.size(); }

private:
    QElapsedTimer m_clock;
    QHash<TimerId, QTimer *> m_timers;
    TimerId m_nextId = 1;
};

} // namespace cairn::base
