#pragma once

#include "core/base/result.h"
#include "core/base/transport.h"

#include <QObject>

#include <deque>

class QUdpSocket;

namespace cairn::base {

enum class NetError { BindFailed, InvalidAddress };

/// Transport on a real QUdpSocket.
class UdpTransport final : public QObject, public Transport {
public:
    static constexpr int kSocketBufferBytes = 4 * 1024 * 1024;
    /// How long one turn of the event loop hands received datagrams on
    /// before it lets other events (timers, painting) run.
    static constexpr qint64 kSliceNs = 4'000'000;
    /// Datagrams read but not yet handled; more are dropped.
    static constexpr qsizetype kMaxQueued = 8192;

    explicit UdpTransport(QObject *parent = nullptr);
    ~UdpTransport() override;

    /// Binds to `local` (port 0 picks a free port).
    Result<void, NetError> bind(const Endpoint &local);
    Endpoint localEndpoint() const override;
    bool send(const Endpoint &to, const QByteArray &datagram) override;

    quint64 bytesSent() const { return m_bytesSent; }
    quint64 bytesReceived() const { return m_bytesReceived; }

private:
    void readPending();
    void deliverSlice();

    struct Received {
        Endpoint from;
        QByteArray data;
    };

    QUdpSocket *m_socket;
    quint64 m_bytesSent = 0;
    quint64 m_bytesReceived = 0;
    std::deque<Received> m_inbox;
    bool m_sliceQueued = false;
};

} // namespace cairn::base
