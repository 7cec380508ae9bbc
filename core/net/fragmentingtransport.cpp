#include "core/net/fragmentingtransport.h"

#include "core/base/log.h"

#include <QtEndian>

namespace cairn::net {

FragmentingTransport::FragmentingTransport(base::Transport &transport, base::Scheduler &scheduler, base::Rng &rng)
    : m_transport(transport),
      m_scheduler(scheduler)
      // A random start keeps ids from two incarnations of a node from colliding
      // in a peer's reassembly buffer.
      ,
      m_nextMessageId(quint32(rng.next64()))
{
    m_transport.setReceiveHandler(
        [this](const base::Endpoint &from, const QByteArray &datagram) { onDatagram(from, datagram); });
}

FragmentingTransport::~FragmentingTransport()
{
    m_transport.setReceiveHandler({});
    if (m_expiryTimer)
        m_scheduler.cancel(m_expiryTimer);
}

bool FragmentingTransport::send(const base::Endpoint &to, const QByteArray &message)
{
    if (message.isEmpty() || message.size() > kMaxMessage)
        return false;
    const quint32 id = m_nextMessageId++;
    const int count = int((message.size() + kFragmentPayload - 1) / kFragmentPayload);
    bool ok = true;
    for (int i = 0; i < count; ++i) {
        const qsizetype offset = qsizetype(i) * kFragmentPayload;
        const qsizetype length = qMin(kFragmentPayload, message.size() - offset);
        QByteArray datagram(kHeaderSize + length, Qt::Uninitialized);
        auto *p = reinterpret_cast<uchar *>(datagram.data());
        p[0] = kVersion;
        qToBigEndian<quint32>(id, p + 1);
        qToBigEndian<quint16>(quint16(i), p + 5);
        qToBigEndian<quint16>(quint16(count), p + 7);
        memcpy(p + kHeaderSize, message.constData() + offset, size_t(length));
        ok = m_transport.send(to, datagram) && ok;
    }
    return ok;
}

void FragmentingTransport::onDatagram(const base::Endpoint &from, const QByteArray &datagram)
{
    if (datagram.size() <= kHeaderSize || datagram.size() > base::Transport::kMaxDatagram)
        return;
    const auto *p = reinterpret_cast<const uchar *>(datagram.constData());
    if (p[0] != kVersion)
        return;
    const quint32 id = qFromBigEndian<quint32>(p + 1);
    const int index = qFromBigEndian<quint16>(p + 5);
    const int count = qFromBigEndian<quint16>(p + 7);
    if (count < 1 || count > kMaxFragments || index >= count)
        return;
    // Every fragment but the last is full, so a sender cannot make us hold
    // more than count * kFragmentPayload bytes for one message.
    const qsizetype payload = datagram.size() - kHeaderSize;
    if ((index < count - 1 && payload != kFragmentPayload) || payload > kFragmentPayload)
        return;
    if (count == 1) {
        deliver(from, datagram.sliced(kHeaderSize));
        return;
    }

    const PartialKey key {from, id};
    auto it = m_partials.find(key);
    if (it == m_partials.end()) {
        if (m_partialsPerPeer.value(from) >= kMaxPartialPerPeer)
            return;
        if (m_partialBytes + payload > kMaxPartialBytes)
            return;
        Partial partial;
        partial.fragments.resize(count);
        partial.started = m_scheduler.now();
        it = m_partials.insert(key, std::move(partial));
        ++m_partialsPerPeer[from];
        armExpiry();
    }
    Partial &partial = *it;
    if (partial.fragments.size() != count || !partial.fragments[index].isNull())
        return; // a duplicate, or a fragment contradicting its message's count
    if (m_partialBytes + payload > kMaxPartialBytes) {
        dropPartial(key);
        return;
    }
    partial.fragments[index] = datagram.sliced(kHeaderSize);
    partial.bytes += payload;
    m_partialBytes += payload;
    if (++partial.received < count)
        return;

    QByteArray message;
    message.reserve(partial.bytes);
    for (const QByteArray &fragment : std::as_const(partial.fragments))
        message.append(fragment);
    m_partialBytes -= partial.bytes;
    m_partials.erase(it);
    if (--m_partialsPerPeer[from] == 0)
        m_partialsPerPeer.remove(from);
    deliver(from, message);
}

void FragmentingTransport::dropPartial(const PartialKey &key)
{
    auto it = m_partials.find(key);
    if (it == m_partials.end())
        return;
    m_partialBytes -= it->bytes;
    m_partials.erase(it);
    if (--m_partialsPerPeer[key.from] == 0)
        m_partialsPerPeer.remove(key.from);
    ++m_droppedPartial;
}

void FragmentingTransport::armExpiry()
{
    if (m_expiryTimer || m_partials.isEmpty())
        return;
    m_expiryTimer = m_scheduler.callAfter(kReassemblyTimeout, [this] {
        m_expiryTimer = 0;
        expire();
        armExpiry();
    });
}

void FragmentingTransport::expire()
{
    const base::Instant cutoff = m_scheduler.now() - kReassemblyTimeout;
    QList<PartialKey> stale;
    for (auto it = m_partials.cbegin(); it != m_partials.cend(); ++it) {
        if (it->started <= cutoff)
            stale.append(it.key());
    }
    for (const PartialKey &key : std::as_const(stale))
        dropPartial(key);
    if (!stale.isEmpty())
        qCDebug(lcNet) << "dropped" << stale.size() << "unfinished messages";
}

} // namespace cairn::net
