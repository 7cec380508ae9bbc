#include "tests/sim/lib/eventqueue.h"

namespace cairn::sim {

void EventQueue::push(const Entry &entry)
{
    // Move parents down into the hole instead of swapping: one write per level.
    size_t i = m_heap.size();
    m_heap.emplace_back();
    while (i > 0) {
        const size_t parent = (i - 1) / 4;
        if (!before(entry, m_heap[parent]))
            break;
        m_heap[i] = m_heap[parent];
        i = parent;
    }
    m_heap[i] = entry;
}

void EventQueue::pop()
{
    const size_t n = m_heap.size() - 1; // size once the last entry has moved
    const Entry last = m_heap[n];
    size_t i = 0;
    for (;;) {
        const size_t first = 4 * i + 1;
        if (first >= n)
            break;
        const size_t end = first + 4 < n ? first + 4 : n;
        size_t best = first;
        for (size_t c = first + 1; c < end; ++c)
            if (before(m_heap[c], m_heap[best]))
                best = c;
        if (!before(m_heap[best], last))
            break;
        m_heap[i] = m_heap[best];
        i = best;
    }
    m_heap[i] = last;
    m_heap.pop_back();
}

} // namespace cairn::sim
