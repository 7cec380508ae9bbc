#include "core/base/qt/udptransport.h"

#include "core/base/log.h"

#include <QElapsedTimer>
#include <QNetworkDatagram>
#include <QTimer>
#include <QUdpSocket>
#include <QVariant>

namespace cairn::base {

UdpTransport::UdpTransport(QObject *parent) : QObject(parent), m_socket(new QUdpSocket(this))
{
    connect(m_socket, &QUdpSocket::readyRead, this, &UdpTransport::readPending);
}

UdpTransport::~UdpTransport() = default;

Result<void, NetError> UdpTransport::bind(const Endpoint &local)
{
    if (local.address.isNull())
        return fail(NetError::InvalidAddress, QStringLiteral("no listen address given"));
    if (!m_socket->bind(local.address, local.port)) {
        return fail(NetError::BindFailed,
            QStringLiteral("cannot listen on %1: %2").arg(local.toString(), m_socket->errorString()));
    }
    // A 64 KiB message is ~50 datagrams, and a transfer keeps a few dozen
    // in flight: the kernel's default receive buffer (208 KiB on Debian)
    // drops bursts and every drop costs a retry timeout. The kernel caps
    // this at net.core.rmem_max.
    m_socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, QVariant(int(kSocketBufferBytes)));
    m_socket->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, QVariant(int(kSocketBufferBytes)));
    return {};
}

Endpoint UdpTransport::localEndpoint() const
{
    return Endpoint {m_socket->localAddress(), m_socket->localPort()};
}

bool UdpTransport::send(const Endpoint &to, const QByteArray &datagram)
{
    if (datagram.size() > kMaxDatagram || !to.isValid())
        return false;
    const qint64 n = m_socket->writeDatagram(datagram, to.address, to.port);
    if (n < 0) {
        qCDebug(lcNet) << "send to" << to.toString() << "failed:" << m_socket->errorString();
        return false;
    }
    m_bytesSent += quint64(n);
    return true;
}

void UdpTransport::readPending()
{
    // The socket is always drained (Qt's read notifier expects it), but
    // what arrived is handled in slices: each datagram may set off work (a
    // finished request starts the next chunk's upload), and a full socket
    // buffer handled in one go held the event loop for tens of milliseconds.
    while (m_socket->hasPendingDatagrams()) {
        const QNetworkDatagram d = m_socket->receiveDatagram(kMaxDatagram + 1);
        if (!d.isValid())
            break;
        const QByteArray data = d.data();
        m_bytesReceived += quint64(data.size());
        if (data.size() > kMaxDatagram)
            continue; // larger than any peer may send: drop
        if (m_inbox.size() >= kMaxQueued)
            continue; // as a full socket buffer would
        m_inbox.push_back({Endpoint {d.senderAddress(), quint16(d.senderPort())}, data});
    }
    deliverSlice();
}

void UdpTransport::deliverSlice()
{
    m_sliceQueued = false;
    QElapsedTimer slice;
    slice.start();
    while (!m_inbox.empty()) {
        if (slice.nsecsElapsed() > kSliceNs) {
            if (!m_sliceQueued) {
                m_sliceQueued = true;
                QTimer::singleShot(0, this, &UdpTransport::deliverSlice);
            }
            return;
        }
        Received next = std::move(m_inbox.front());
        m_inbox.pop_front();
        deliver(next.from, next.data);
    }
}

} // namespace cairn::base
