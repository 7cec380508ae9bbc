#include "tests/sim/lib/world.h"

#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace cairn::sim {

namespace {

quint64 mix64(quint64 z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

constexpr quint64 kTraceStart = 0x6a09e667f3bcc908ULL;
constexpr quint32 kMaxNodes = (quint32(1) << 24) - 2; // 10.0.0.1 .. 10.255.255.254

} // namespace

World::World(quint64 seed)
    : m_seed(seed), m_rng(seed), m_links(m_rng.nextRaw()), m_traceHash(kTraceStart), m_worldScheduler(*this, kNoNode)
{ }

World::~World()
{
    // Callbacks may own objects whose destructors call back into the World
    // (cancel a timer): take them out first so the World is whole meanwhile.
    std::vector<std::function<void()>> callbacks;
    callbacks.reserve(m_slots.size());
    for (Slot &s : m_slots)
        if (s.fn)
            callbacks.push_back(std::move(s.fn));
    callbacks.clear();
}

NodeId World::addNode(const NodeOptions &options)
{
    if (m_nodes.size() >= kMaxNodes)
        return kNoNode;
    const NodeId id = NodeId(m_nodes.size());
    NodeOptions opts = options;
    if (opts.port == 0)
        opts.port = NodeOptions {}.port;
    const base::Endpoint endpoint {QHostAddress((quint32(10) << 24) | (id + 1)), opts.port};
    m_nodes.push_back(std::unique_ptr<SimNode>(new SimNode(*this, id, endpoint, m_rng.nextRaw(), opts)));
    return id;
}

NodeId World::nodeAt(const base::Endpoint &endpoint) const
{
    // Addresses are 10.0.0.0 + id + 1, so the id is arithmetic, not a lookup.
    bool ok = false;
    const quint32 v4 = endpoint.address.toIPv4Address(&ok);
    if (!ok || (v4 >> 24) != 10)
        return kNoNode;
    const quint32 id = (v4 & 0x00ffffffu) - 1;
    if (id >= m_nodes.size() || m_nodes[id]->endpoint().port != endpoint.port)
        return kNoNode;
    return NodeId(id);
}

void World::setBehindNat(NodeId id, bool behindNat, base::Duration mappingLifetime)
{
    SimNode &n = *m_nodes[id];
    n.m_options.behindNat = behindNat;
    n.m_options.natMappingLifetime = mappingLifetime;
    if (!behindNat)
        n.m_natMappings.clear();
}

void World::crash(NodeId id)
{
    SimNode &n = *m_nodes[id];
    if (!n.m_up)
        return;
    n.m_up = false;
    ++n.m_epoch; // datagrams already in flight to it now miss on arrival

    // Taken out before they are destroyed: a destructor may call cancel().
    std::vector<std::function<void()>> dropped;
    dropped.reserve(size_t(n.m_timerCount));
    for (quint32 i = n.m_timerHead; i != kNilSlot;) {
        Slot &s = m_slots[i];
        const quint32 next = s.next;
        dropped.push_back(std::move(s.fn));
        freeSlot(i);
        i = next;
    }
    m_stats.timersDropped += quint64(n.m_timerCount);
    n.m_timerHead = kNilSlot;
    n.m_timerCount = 0;

    if (m_dispatchNode == id)
        m_clearHandlerAfterDispatch = true;
    else
        n.m_transport.setReceiveHandler({});

    if (n.m_onCrash) {
        const SimNode::Hook hook = n.m_onCrash;
        hook(n);
    }
}

void World::restart(NodeId id)
{
    SimNode &n = *m_nodes[id];
    if (n.m_up)
        return;
    n.m_up = true;
    ++n.m_restarts;
    if (m_dispatchNode == id)
        m_clearHandlerAfterDispatch = false;
    if (n.m_onRestart) {
        const SimNode::Hook hook = n.m_onRestart;
        hook(n);
    }
}

quint32 World::allocSlot()
{
    if (!m_freeSlots.empty()) {
        const quint32 i = m_freeSlots.back();
        m_freeSlots.pop_back();
        return i;
    }
    m_slots.emplace_back();
    return quint32(m_slots.size() - 1);
}

void World::freeSlot(quint32 index)
{
    // The caller has moved fn/datagram out; bumping the generation makes
    // every queue entry and TimerId that still names this slot stale.
    Slot &s = m_slots[index];
    s.kind = EventKind::Free;
    s.prev = s.next = kNilSlot;
    if (++s.generation == 0)
        s.generation = 1;
    m_freeSlots.push_back(index);
}

void World::enqueue(qint64 time, quint32 slot)
{
    m_queue.push(QueueEntry {time, m_sequence++, slot, m_slots[slot].generation});
}

void World::linkTimer(SimNode &node, quint32 slot)
{
    Slot &s = m_slots[slot];
    s.prev = kNilSlot;
    s.next = node.m_timerHead;
    if (node.m_timerHead != kNilSlot)
        m_slots[node.m_timerHead].prev = slot;
    node.m_timerHead = slot;
    ++node.m_timerCount;
}

void World::unlinkTimer(SimNode &node, quint32 slot)
{
    Slot &s = m_slots[slot];
    if (s.prev != kNilSlot)
        m_slots[s.prev].next = s.next;
    else
        node.m_timerHead = s.next;
    if (s.next != kNilSlot)
        m_slots[s.next].prev = s.prev;
    --node.m_timerCount;
}

base::TimerId World::scheduleTimer(NodeId owner, base::Instant when, std::function<void()> fn)
{
    if (!fn)
        return 0;
    if (owner != kNoNode && (owner >= m_nodes.size() || !m_nodes[owner]->m_up))
        return 0; // a down node runs nothing, now or later
    const quint32 i = allocSlot();
    Slot &s = m_slots[i];
    s.kind = EventKind::Timer;
    s.fn = std::move(fn);
    s.target = owner;
    s.from = owner;
    if (owner != kNoNode) {
        s.epoch = m_nodes[owner]->m_epoch;
        linkTimer(*m_nodes[owner], i);
    }
    enqueue(std::max<qint64>(when.count(), m_now), i);
    return (base::TimerId(m_slots[i].generation) << 32) | i;
}

bool World::cancelTimer(NodeId owner, base::TimerId id)
{
    const quint32 i = quint32(id & 0xffffffffu);
    const quint32 generation = quint32(id >> 32);
    if (i >= m_slots.size())
        return false;
    Slot &s = m_slots[i];
    if (s.kind != EventKind::Timer || s.generation != generation || s.target != owner)
        return false;
    const std::function<void()> fn = std::move(s.fn); // destroyed after the slot is consistent
    if (owner != kNoNode)
        unlinkTimer(*m_nodes[owner], i);
    freeSlot(i);
    ++m_stats.timersCancelled;
    return true;
}

bool World::sendDatagram(NodeId from, const base::Endpoint &to, const QByteArray &datagram)
{
    SimNode &sender = *m_nodes[from];
    const NodeId target = nodeAt(to);
    // A node's endpoint is valid, so the (slower) validity check is only
    // needed for addresses outside the world.
    if (!sender.m_up || datagram.size() > base::Transport::kMaxDatagram || (target == kNoNode && !to.isValid())) {
        ++m_stats.datagramsRefused;
        return false;
    }
    ++m_stats.datagramsSent;
    if (sender.m_options.behindNat && target != kNoNode)
        sender.m_natMappings[target] = m_now;

    // The uplink is a FIFO: a datagram leaves when the ones before it have.
    qint64 departure = m_now;
    if (sender.m_options.uplinkBytesPerSecond > 0) {
        departure = std::max(m_now, sender.m_uplinkFreeAt)
            + qint64(datagram.size()) * 1'000'000 / sender.m_options.uplinkBytesPerSecond;
        sender.m_uplinkFreeAt = departure;
    }

    if (target == kNoNode) {
        ++m_stats.lostNoRoute;
        return true;
    }
    if (!m_links.connected(from, target)) {
        ++m_stats.lostPartition;
        return true;
    }
    const LinkParams &params = m_links.params(from, target);
    if (m_links.sampleLoss(params, m_rng)) {
        ++m_stats.lostRandom;
        return true;
    }
    const qint64 arrival = departure + m_links.sampleLatency(from, target, datagram.size(), params, m_rng).count();

    const quint32 i = allocSlot();
    Slot &s = m_slots[i];
    s.kind = EventKind::Delivery;
    s.datagram = datagram; // shared, not copied
    s.target = target;
    s.from = from;
    s.epoch = m_nodes[target]->m_epoch;
    enqueue(arrival, i);
    return true;
}

const World::QueueEntry *World::nextLive()
{
    while (!m_queue.empty()) {
        const QueueEntry &top = m_queue.top();
        const Slot &s = m_slots[top.slot];
        if (s.generation == top.generation && s.kind != EventKind::Free)
            return &top;
        m_queue.pop(); // cancelled, or dropped by a crash
    }
    return nullptr;
}

World::QueueEntry World::takeNext()
{
    const QueueEntry entry = m_queue.top();
    m_queue.pop();
#if defined(__GNUC__) || defined(__clang__)
    // The next event's payload is a likely cache miss; fetch it while this
    // event runs.
    if (!m_queue.empty())
        __builtin_prefetch(&m_slots[m_queue.top().slot]);
#endif
    return entry;
}

void World::dispatch(const QueueEntry &entry)
{
    m_now = entry.time;
    ++m_eventsProcessed;
    if (m_slots[entry.slot].kind == EventKind::Timer)
        fireTimer(entry.slot);
    else
        deliverDatagram(entry.slot);
}

void World::fireTimer(quint32 slot)
{
    Slot &s = m_slots[slot];
    const NodeId owner = s.target;
    const std::function<void()> fn = std::move(s.fn);
    if (owner != kNoNode)
        unlinkTimer(*m_nodes[owner], slot);
    freeSlot(slot);
    ++m_stats.timersFired;
    trace(TraceRecord::Kind::Timer, owner, owner, nullptr);
    fn();
}

bool World::natAllows(const SimNode &receiver, NodeId from) const
{
    const auto it = receiver.m_natMappings.find(from);
    if (it == receiver.m_natMappings.end())
        return false;
    const qint64 lifetime = receiver.m_options.natMappingLifetime.count();
    return lifetime <= 0 || m_now - it->second <= lifetime;
}

void World::deliverDatagram(quint32 slot)
{
    Slot &s = m_slots[slot];
    const NodeId to = s.target;
    const NodeId from = s.from;
    const quint32 epoch = s.epoch;
    const QByteArray datagram = std::move(s.datagram);
    freeSlot(slot);

    SimNode &receiver = *m_nodes[to];
    if (!receiver.m_up || receiver.m_epoch != epoch) {
        ++m_stats.lostDown;
        return;
    }
    if (!m_links.connected(from, to)) { // cut while in flight
        ++m_stats.lostPartition;
        return;
    }
    if (receiver.m_options.behindNat && !natAllows(receiver, from)) {
        ++m_stats.lostNat;
        return;
    }
    ++m_stats.datagramsDelivered;
    trace(TraceRecord::Kind::Delivery, from, to, &datagram);

    m_dispatchNode = to;
    receiver.m_transport.receive(m_nodes[from]->endpoint(), datagram);
    m_dispatchNode = kNoNode;
    if (m_clearHandlerAfterDispatch) {
        m_clearHandlerAfterDispatch = false;
        receiver.m_transport.setReceiveHandler({});
    }
}

quint64 World::hashBytes(const QByteArray &bytes)
{
    // Word-at-a-time FNV-style mixing, little-endian loads: the same value
    // on every platform, fast enough to run on every delivered datagram.
    const char *p = bytes.constData();
    qsizetype n = bytes.size();
    quint64 h = 0xcbf29ce484222325ULL ^ quint64(n);
    while (n >= 8) {
        h = (h ^ qFromLittleEndian<quint64>(p)) * 0x100000001b3ULL;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    quint64 tail = 0;
    for (qsizetype k = 0; k < n; ++k)
        tail |= quint64(quint8(p[k])) << (8 * k);
    h = (h ^ tail) * 0x100000001b3ULL;
    return mix64(h);
}

void World::trace(TraceRecord::Kind kind, NodeId from, NodeId to, const QByteArray *datagram)
{
    const qsizetype size = datagram ? datagram->size() : 0;
    const quint64 payloadHash = datagram ? hashBytes(*datagram) : 0;
    quint64 h = m_traceHash;
    h = mix64(h ^ quint64(kind));
    h = mix64(h ^ quint64(m_now));
    h = mix64(h ^ ((quint64(from) << 32) | to));
    h = mix64(h ^ quint64(size));
    h = mix64(h ^ payloadHash);
    m_traceHash = h;
    if (m_traceHandler)
        m_traceHandler(TraceRecord {kind, base::Instant(m_now), from, to, size, payloadHash});
}

bool World::step()
{
    if (m_running)
        return false;
    const QueueEntry *next = nextLive();
    if (!next)
        return false;
    const QueueEntry entry = takeNext();
    m_running = true;
    dispatch(entry);
    m_running = false;
    return true;
}

quint64 World::run()
{
    if (m_running)
        return 0; // called from inside an event: the outer loop carries on
    m_running = true;
    quint64 count = 0;
    while (nextLive()) {
        const QueueEntry entry = takeNext();
        dispatch(entry);
        ++count;
    }
    m_running = false;
    return count;
}

quint64 World::runUntil(base::Instant until)
{
    if (m_running)
        return 0;
    m_running = true;
    quint64 count = 0;
    const qint64 limit = until.count();
    while (const QueueEntry *next = nextLive()) {
        if (next->time > limit)
            break;
        const QueueEntry entry = takeNext();
        dispatch(entry);
        ++count;
    }
    m_now = std::max(m_now, limit);
    m_running = false;
    return count;
}

} // namespace cairn::sim
