#include "core/base/qt/qtscheduler.h"

#include <QDateTime>
#include <QTimer>

namespace cairn::base {

QtScheduler::QtScheduler(QObject *parent) : QObject(parent)
{
    m_clock.start();
}

QtScheduler::~QtScheduler()
{
    qDeleteAll(m_timers);
}

Instant QtScheduler::now() const
{
    return std::chrono::duration_cast<Instant>(std::chrono::nanoseconds(m_clock.nsecsElapsed()));
}

qint64 QtScheduler::unixTime() const
{
    return QDateTime::currentSecsSinceEpoch();
}

TimerId QtScheduler::callAt(Instant when, std::function<void()> fn)
{
    const TimerId id = m_nextId++;
    const auto delay = std::chrono::ceil<std::chrono::milliseconds>(std::max(when - now(), Duration(0)));
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer);
    connect(timer, &QTimer::timeout, this, [this, id, fn = std::move(fn)]() {
        if (QTimer *t = m_timers.take(id))
            t->deleteLater();
        fn();
    });
    m_timers.insert(id, timer);
    timer->start(delay);
    return id;
}

bool QtScheduler::cancel(TimerId id)
{
    QTimer *timer = m_timers.take(id);
    if (!timer)
        return false;
    timer->stop();
    timer->deleteLater();
    return true;
}

} // namespace cairn::base
