#include "core/net/fragmentingtransport.h"

#include <QtEndian>

namespace cairn::net {

FragmentingTransport::FragmentingTransport(base::Transport &transport, base::Scheduler &scheduler, base::Rng &rng)
    : m_transport(transport),
      // A random start keeps ids from two incarnations of a node from colliding
      // in a peer's reassembly buffer.
      m_nextMessageId(quint32(rng.next64())),
      m_reassembler(
          scheduler, {kFragmentPayload, kMaxFragments, kReassemblyTimeout, kMaxPartialPerPeer, kMaxPartialBytes})
{
    m_transport.setReceiveHandler(
        [this](const base::Endpoint &from, const QByteArray &datagram) { onDatagram(from, datagram); });
}

FragmentingTransport::~FragmentingTransport()
{
    m_transport.setReceiveHandler({});
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
    if (auto message = m_reassembler.add(from, id, 0, index, count, QByteArrayView(datagram).sliced(kHeaderSize)))
        deliver(from, message->bytes);
}

} // namespace cairn::net
