#include "tests/sim/lib/simscheduler.h"

#include "tests/sim/lib/world.h"

namespace cairn::sim {

base::Instant SimScheduler::now() const
{
    return m_world.now();
}

qint64 SimScheduler::unixTime() const
{
    return m_world.unixTime();
}

base::TimerId SimScheduler::callAt(base::Instant when, std::function<void()> fn)
{
    return m_world.scheduleTimer(m_node, when, std::move(fn));
}

bool SimScheduler::cancel(base::TimerId id)
{
    return m_world.cancelTimer(m_node, id);
}

} // namespace cairn::sim
