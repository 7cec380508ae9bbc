#pragma once

#include "core/base/endpoint.h"

#include <QByteArray>

#include <functional>

namespace cairn::base {

/// Datagrams in and out. Protocol code sends through it and is handed what
/// arrives; it never opens a socket itself. Production: UdpTransport. Tests:
/// the simulator's per-node transports.
class Transport {
public:
    using ReceiveHandler = std::function<void(const Endpoint &from, const QByteArray &datagram)>;

    /// Largest datagram any transport accepts (fragmentation lives above this).
    static constexpr qsizetype kMaxDatagram = 1400;

    virtual ~Transport() = default;
    virtual Endpoint localEndpoint() const = 0;
    /// Best effort, like UDP: returns false if the datagram was refused
    /// locally (too large, socket closed); loss on the way is silent.
    virtual bool send(const Endpoint &to, const QByteArray &datagram) = 0;

    void setReceiveHandler(ReceiveHandler handler) { m_handler = std::move(handler); }

protected:
    void deliver(const Endpoint &from, const QByteArray &datagram)
    {
        if (m_handler)
            m_handler(from, datagram);
    }

private:
    ReceiveHandler m_handler;
};

} // namespace cairn::base
