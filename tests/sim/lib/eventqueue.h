#pragma once

#include <QtGlobal>

#include <vector>

namespace cairn::sim {

/// The World's pending events as a 4-ary min-heap on (time, sequence).
/// Entries are small and carry only where the event's payload lives, so
/// moving them is cheap; four children per node halve the depth of a
/// binary heap, which matters when a million datagrams are in flight and
/// every level is a cache miss.
class EventQueue {
public:
    struct Entry {
        qint64 time;
        quint64 sequence; ///< unique: no two entries ever compare equal
        quint32 slot;
        quint32 generation;
    };

    bool empty() const { return m_heap.empty(); }
    qsizetype size() const { return qsizetype(m_heap.size()); }
    const Entry &top() const { return m_heap.front(); }
    void push(const Entry &entry);
    void pop();

private:
    static bool before(const Entry &a, const Entry &b)
    {
        return a.time != b.time ? a.time < b.time : a.sequence < b.sequence;
    }

    std::vector<Entry> m_heap;
};

} // namespace cairn::sim
