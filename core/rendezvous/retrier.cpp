#include "core/rendezvous/retrier.h"

namespace cairn::rendezvous {

Retrier::Retrier(base::Scheduler &scheduler, QList<base::Endpoint> endpoints)
    : m_scheduler(scheduler), m_endpoints(std::move(endpoints))
{ }

Retrier::~Retrier()
{
    stop();
}

void Retrier::start(Send send, std::function<void()> silent)
{
    stop();
    m_send = std::move(send);
    m_silent = std::move(silent);
    m_lastAnswer = m_scheduler.now();
    m_answeredSinceTick = false;
    if (m_endpoints.isEmpty()) {
        // Nowhere to ask: silent at once, but never from inside start().
        m_timer = m_scheduler.callAfter(base::Duration(0), [this] {
            m_timer = 0;
            const auto silent = m_silent;
            if (silent)
                silent();
        });
        return;
    }
    sendNow();
}

void Retrier::stop()
{
    if (m_timer != 0)
        m_scheduler.cancel(m_timer);
    m_timer = 0;
}

bool Retrier::answered(const base::Endpoint &from)
{
    const qsizetype index = m_endpoints.indexOf(from);
    if (index < 0)
        return false;
    m_target = index;
    m_lastAnswer = m_scheduler.now();
    m_answeredSinceTick = true;
    return true;
}

void Retrier::sendNow()
{
    arm();
    if (m_send && !m_endpoints.isEmpty())
        m_send(target());
}

void Retrier::arm()
{
    if (m_timer != 0)
        m_scheduler.cancel(m_timer);
    m_timer = m_scheduler.callAfter(kInterval, [this] {
        m_timer = 0;
        tick();
    });
}

void Retrier::tick()
{
    if (m_scheduler.now() - m_lastAnswer >= kSilenceLimit) {
        const auto silent = m_silent;
        if (silent)
            silent(); // may destroy this
        return;
    }
    if (!m_answeredSinceTick && m_endpoints.size() > 1)
        m_target = (m_target + 1) % m_endpoints.size();
    m_answeredSinceTick = false;
    sendNow();
}

} // namespace cairn::rendezvous
