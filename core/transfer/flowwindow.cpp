#include "core/transfer/flowwindow.h"

namespace cairn::transfer {

FlowWindow::FlowWindow(int max, int initial) : m_window(qBound(1, initial, max)), m_max(qMax(1, max))
{ }

void FlowWindow::completed(base::Duration took, base::Instant now)
{
    if (m_fastest.count() < 0 || took < m_fastest)
        m_fastest = took;
    const base::Duration queueing = took - m_fastest;
    if (queueing > qMax(m_fastest, kMinQueueing)) {
        cut(now);
        return;
    }
    // Slow start doubles the window each round trip; afterwards it grows
    // by about one request per round trip.
    m_window = qMin(double(m_max), m_window + (m_slowStart ? 1.0 : 1.0 / m_window));
}

void FlowWindow::failed(base::Instant now)
{
    cut(now);
}

void FlowWindow::cut(base::Instant now)
{
    m_slowStart = false;
    // Requests in flight when the window was cut report the same queue:
    // one cut per round trip.
    if (now - m_lastCut < qMax(m_fastest, kMinQueueing))
        return;
    m_lastCut = now;
    m_window = qMax(1.0, m_window / 2);
}

} // namespace cairn::transfer
