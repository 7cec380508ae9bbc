#include "core/base/qt/qtscheduler.h"

#include <QDateTime>

namespace cairn::base {

QtScheduler::QtScheduler(QObject *parent) : QObject(parent), m_timer(this)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &QtScheduler::runDue);
}

QtScheduler::~QtScheduler() = default;

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
    m_calls.emplace(Key {when, id}, std::move(fn));
    m_when.insert(id, when);
    // Only a new earliest call needs the timer moved; a cancelled earliest
    // one just leaves a wake-up that finds nothing due.
    if (!m_timer.isActive() || when < m_armedFor)
        arm();
    return id;
}

bool QtScheduler::cancel(TimerId id)
{
    const auto it = m_when.constFind(id);
    if (it == m_when.cend())
        return false;
    m_calls.erase(Key {*it, id});
    m_when.erase(it);
    return true;
}

void QtScheduler::arm()
{
    if (m_calls.empty()) {
        m_timer.stop();
        return;
    }
    const Instant when = m_calls.begin()->first.when;
    // QTimer counts whole milliseconds: round up so a call never runs early.
    const auto delay = std::chrono::ceil<std::chrono::milliseconds>(std::max(when - now(), Duration(0)));
    m_armedFor = when;
    m_timer.start(delay);
}

void QtScheduler::runDue()
{
    // Calls scheduled from the callbacks below (ids from `last` on) wait
    // for the next pass even when already due.
    const TimerId last = m_nextId;
    const Instant due = now();
    std::weak_ptr<bool> alive = m_alive;
    for (auto it = m_calls.begin(); it != m_calls.end();) {
        if (it->first.when > due)
            break;
        // Many calls fall due at once under load (a transfer's requests,
        // their timeouts): run them for a slice at most, then let the event
        // loop paint and read sockets before the rest (the timer re-arms at 0).
        if (now() - due > kSlice)
            break;
        if (it->first.id >= last) {
            ++it;
            continue;
        }
        auto node = m_calls.extract(it);
        m_when.remove(node.key().id);
        node.mapped()();
        if (alive.expired())
            return;
        // The callback may have cancelled or added calls: start over from
        // the earliest (cancelled ones are gone, new ones are skipped).
        it = m_calls.begin();
    }
    arm();
}

} // namespace cairn::base
