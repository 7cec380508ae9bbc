#pragma once

#include "core/base/endpoint.h"
#include "core/crypto/keys.h"
#include "core/identity/certificate.h"
#include "core/identity/revocationlist.h"
#include "core/net/securetransport.h"

#include <QByteArray>
#include <QList>

#include <functional>
#include <optional>

namespace cairn::rendezvous {

/// What the rendezvous protocol needs of the session layer: the control
/// channel, the established sessions, and the two places trust is set (the
/// revocation list to enforce, the trust anchor a joiner learns from its
/// invite). Several parts of one node share it (a rendezvous service and
/// revocation gossip; a member client and gossip), so it hands every
/// control message and session event to every listener, and each listener
/// ignores what is not its own. SecureControlChannel adapts
/// net::SecureTransport; tests drive the protocol through a fake.
class ControlChannel {
public:
    struct Listener {
        std::function<void(const net::PeerInfo &from, const QByteArray &message)> control;
        std::function<void(const net::PeerInfo &peer)> sessionUp;
        std::function<void(const net::PeerInfo &peer, net::CloseReason reason)> sessionDown;
    };
    using ListenerId = quint64;

    virtual ~ControlChannel() = default;

    /// Starts a session if there is none (queued until it is up). False if
    /// refused locally.
    virtual bool sendControl(const base::Endpoint &to, const QByteArray &message) = 0;
    /// Established sessions.
    virtual QList<net::PeerInfo> peers() const = 0;
    virtual std::optional<net::PeerInfo> peer(const base::Endpoint &endpoint) const = 0;
    /// Applies a newer, verified revocation list (older ones are ignored).
    virtual void setRevocationList(const identity::RevocationList &crl) = 0;
    virtual identity::RevocationList revocationList() const = 0;
    virtual void setTrustAnchor(const crypto::PublicKey &caKey, const QByteArray &groupId) = 0;
    virtual void setCertificate(const identity::Certificate &certificate) = 0;
    /// Our device key, certificate (null while joining) and trust anchor.
    virtual const net::SessionIdentity &identity() const = 0;
    /// Closes the session (after joining, so the next one presents the new certificate).
    virtual void close(const base::Endpoint &endpoint) = 0;

    ListenerId addListener(Listener listener);
    void removeListener(ListenerId id);

protected:
    // Each listener added before the call and still there when its turn
    // comes is called once; one may add or remove listeners (itself too).
    void dispatchControl(const net::PeerInfo &from, const QByteArray &message);
    void dispatchSessionUp(const net::PeerInfo &peer);
    void dispatchSessionDown(const net::PeerInfo &peer, net::CloseReason reason);

private:
    const Listener *find(ListenerId id) const;
    template <typename Handler, typename... Args> void dispatch(Handler Listener::*member, const Args &...args);

    QList<std::pair<ListenerId, Listener>> m_listeners;
    ListenerId m_nextId = 1;
};

/// The ControlChannel of a net::SecureTransport. It takes the transport's
/// control, session-up and session-down handlers (one per transport, so
/// make one of these per transport and give it to every part that needs it)
/// and clears them again when destroyed.
class SecureControlChannel final : public ControlChannel {
public:
    explicit SecureControlChannel(net::SecureTransport &transport);
    ~SecureControlChannel() override;
    SecureControlChannel(const SecureControlChannel &) = delete;
    SecureControlChannel &operator=(const SecureControlChannel &) = delete;

    bool sendControl(const base::Endpoint &to, const QByteArray &message) override;
    QList<net::PeerInfo> peers() const override;
    std::optional<net::PeerInfo> peer(const base::Endpoint &endpoint) const override;
    void setRevocationList(const identity::RevocationList &crl) override;
    identity::RevocationList revocationList() const override;
    void setTrustAnchor(const crypto::PublicKey &caKey, const QByteArray &groupId) override;
    void setCertificate(const identity::Certificate &certificate) override;
    const net::SessionIdentity &identity() const override;
    void close(const base::Endpoint &endpoint) override;

    net::SecureTransport &transport() { return m_transport; }

private:
    net::SecureTransport &m_transport;
};

} // namespace cairn::rendezvous
