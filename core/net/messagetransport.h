#pragma once

#include "core/base/endpoint.h"

#include <QByteArray>

#include <functional>

namespace cairn::net {

/// Whole messages (up to kMaxMessage bytes) to and from endpoints, best
/// effort like the datagrams beneath: a message arrives whole or not at all.
/// The DHT talks only to this interface; FragmentingTransport implements it
/// over a plain datagram Transport, and secure sessions will implement it
/// over encrypted datagrams, so the DHT runs unchanged on either.
class MessageTransport {
public:
    using ReceiveHandler = std::function<void(const base::Endpoint &from, const QByteArray &message)>;

    /// DHT values are at most 64 KiB; this leaves room for the RPC around one.
    static constexpr qsizetype kMaxMessage = 64 * 1024 + 1024;

    virtual ~MessageTransport() = default;
    virtual base::Endpoint localEndpoint() const = 0;
    /// False if refused locally (too large, transport closed).
    virtual bool send(const base::Endpoint &to, const QByteArray &message) = 0;

    void setReceiveHandler(ReceiveHandler handler) { m_handler = std::move(handler); }

protected:
    void deliver(const base::Endpoint &from, const QByteArray &message)
    {
        if (m_handler)
            m_handler(from, message);
    }

private:
    ReceiveHandler m_handler;
};

} // namespace cairn::net
