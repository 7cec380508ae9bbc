#include "core/net/reassembler.h"

#include "core/base/log.h"

namespace cairn::net {

Reassembler::Reassembler(base::Scheduler &scheduler, const Limits &limits) : m_scheduler(scheduler), m_limits(limits)
{ }

Reassembler::~Reassembler()
{
    if (m_expiryTimer)
        m_scheduler.cancel(m_expiryTimer);
}

std::optional<Reassembler::Message> Reassembler::add(
    const base::Endpoint &from, quint32 id, quint8 tag, int index, int count, QByteArrayView payload)
{
    if (count < 1 || count > m_limits.maxFragments || index < 0 || index >= count || payload.isEmpty())
        return std::nullopt;
    // Every fragment but the last is full, so a sender cannot make us hold
    // more than count * fragmentPayload bytes for one message.
    const qsizetype size = payload.size();
    if ((index < count - 1 && size != m_limits.fragmentPayload) || size > m_limits.fragmentPayload)
        return std::nullopt;
    if (count == 1)
        return Message {tag, payload.toByteArray()};

    const Key key {from, id};
    auto it = m_partials.find(key);
    if (it == m_partials.end()) {
        if (m_partialsPerPeer.value(from) >= m_limits.maxPartialPerPeer)
            return std::nullopt;
        if (m_partialBytes + size > m_limits.maxPartialBytes)
            return std::nullopt;
        Partial partial;
        partial.fragments.resize(count);
        partial.tag = tag;
        partial.started = m_scheduler.now();
        it = m_partials.insert(key, std::move(partial));
        ++m_partialsPerPeer[from];
        armExpiry();
    }
    Partial &partial = *it;
    if (partial.fragments.size() != count || partial.tag != tag || !partial.fragments[index].isNull())
        return std::nullopt; // a duplicate, or a fragment contradicting its message
    if (m_partialBytes + size > m_limits.maxPartialBytes) {
        drop(key);
        return std::nullopt;
    }
    partial.fragments[index] = payload.toByteArray();
    partial.bytes += size;
    m_partialBytes += size;
    if (++partial.received < count)
        return std::nullopt;

    Message message {partial.tag, {}};
    message.bytes.reserve(partial.bytes);
    for (const QByteArray &fragment : std::as_const(partial.fragments))
        message.bytes.append(fragment);
    m_partialBytes -= partial.bytes;
    m_partials.erase(it);
    if (--m_partialsPerPeer[from] == 0)
        m_partialsPerPeer.remove(from);
    return message;
}

void Reassembler::dropPeer(const base::Endpoint &from)
{
    if (!m_partialsPerPeer.contains(from))
        return;
    QList<Key> keys;
    for (auto it = m_partials.cbegin(); it != m_partials.cend(); ++it) {
        if (it.key().from == from)
            keys.append(it.key());
    }
    for (const Key &key : std::as_const(keys))
        drop(key);
}

void Reassembler::drop(const Key &key)
{
    auto it = m_partials.find(key);
    if (it == m_partials.end())
        return;
    m_partialBytes -= it->bytes;
    m_partials.erase(it);
    if (--m_partialsPerPeer[key.from] == 0)
        m_partialsPerPeer.remove(key.from);
    ++m_dropped;
}

void Reassembler::armExpiry()
{
    if (m_expiryTimer || m_partials.isEmpty())
        return;
    m_expiryTimer = m_scheduler.callAfter(m_limits.timeout, [this] {
        m_expiryTimer = 0;
        expire();
        armExpiry();
    });
}

void Reassembler::expire()
{
    const base::Instant cutoff = m_scheduler.now() - m_limits.timeout;
    QList<Key> stale;
    for (auto it = m_partials.cbegin(); it != m_partials.cend(); ++it) {
        if (it->started <= cutoff)
            stale.append(it.key());
    }
    for (const Key &key : std::as_const(stale))
        drop(key);
    if (!stale.isEmpty())
        qCDebug(lcNet) << "dropped" << stale.size() << "unfinished messages";
}

} // namespace cairn::net
