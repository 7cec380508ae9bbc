#include "core/net/replaywindow.h"

namespace cairn::net {

bool ReplayWindow::wouldAccept(quint64 counter) const
{
    if (!m_any || counter > m_highest)
        return true;
    if (m_highest - counter >= kWindow)
        return false; // too old to tell: refuse rather than risk a replay
    return !isSet(counter);
}

bool ReplayWindow::accept(quint64 counter)
{
    if (!wouldAccept(counter))
        return false;
    if (!m_any || counter > m_highest) {
        // Clear the blocks the window slides over (all of them after a long
        // jump), then move the top.
        const quint64 from = m_any ? m_highest / 64 + 1 : 0;
        const quint64 to = counter / 64;
        if (!m_any || to - from + 1 >= kBlocks) {
            m_bits.fill(0);
        } else {
            for (quint64 block = from; block <= to; ++block)
                m_bits[block % kBlocks] = 0;
        }
        m_highest = counter;
        m_any = true;
    }
    m_bits[(counter / 64) % kBlocks] |= quint64(1) << (counter % 64);
    return true;
}

} // namespace cairn::net
