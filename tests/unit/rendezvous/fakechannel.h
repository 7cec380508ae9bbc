#pragma once

// A ControlChannel without sessions: the test says which peers are up,
// hands messages in, and reads what was sent.
#include "core/rendezvous/controlchannel.h"
#include "core/rendezvous/messages.h"

#include <QList>

namespace cairn::rendezvous::testing {

class FakeChannel final : public ControlChannel {
public:
    struct Sent {
        base::Endpoint to;
        ControlMessage message;
    };

    explicit FakeChannel(net::SessionIdentity identity) : m_identity(std::move(identity)) { }

    bool sendControl(const base::Endpoint &to, const QByteArray &message) override
    {
        auto decoded = ControlMessage::decode(message);
        if (!decoded.ok())
            qFatal("FakeChannel: sent an undecodable message: %s", qPrintable(decoded.message()));
        sent.append(Sent {to, decoded.value()});
        return true;
    }
    QList<net::PeerInfo> peers() const override { return m_peers; }
    std::optional<net::PeerInfo> peer(const base::Endpoint &endpoint) const override
    {
        for (const net::PeerInfo &p : m_peers) {
            if (p.endpoint == endpoint)
                return p;
        }
        return std::nullopt;
    }
    void setRevocationList(const identity::RevocationList &crl) override
    {
        if (crl.supersedes(m_crl))
            m_crl = crl;
        ++revocationListsApplied;
    }
    identity::RevocationList revocationList() const override { return m_crl; }
    void setTrustAnchor(const crypto::PublicKey &caKey, const QByteArray &groupId) override
    {
        m_identity.caKey = caKey;
        m_identity.groupId = groupId;
    }
    void setCertificate(const identity::Certificate &certificate) override { m_identity.certificate = certificate; }
    const net::SessionIdentity &identity() const override { return m_identity; }
    void close(const base::Endpoint &endpoint) override { down(endpoint); }

    /// A session comes up (listeners hear of it).
    void up(const net::PeerInfo &peer)
    {
        m_peers.append(peer);
        dispatchSessionUp(peer);
    }
    void down(const base::Endpoint &endpoint)
    {
        for (qsizetype i = 0; i < m_peers.size(); ++i) {
            if (m_peers[i].endpoint == endpoint) {
                const net::PeerInfo peer = m_peers.takeAt(i);
                dispatchSessionDown(peer, net::CloseReason::Closed);
                return;
            }
        }
    }
    void receive(const net::PeerInfo &from, const ControlMessage &message) { dispatchControl(from, message.encode()); }
    void receiveRaw(const net::PeerInfo &from, const QByteArray &bytes) { dispatchControl(from, bytes); }

    /// What was sent to `to`, of type T, oldest first.
    template <typename T> QList<T> sentTo(const base::Endpoint &to) const
    {
        QList<T> out;
        for (const Sent &s : sent) {
            if (s.to == to && s.message.is<T>())
                out.append(s.message.as<T>());
        }
        return out;
    }

    QList<Sent> sent;
    int revocationListsApplied = 0;

private:
    net::SessionIdentity m_identity;
    QList<net::PeerInfo> m_peers;
    identity::RevocationList m_crl;
};

/// A peer of a fake channel: an endpoint, a device key and its certificate (or none).
inline net::PeerInfo peerInfo(quint16 port, const crypto::PublicKey &deviceKey,
    const identity::Certificate &certificate = {}, const QByteArray &handshakeHash = QByteArray(32, 'h'))
{
    net::PeerInfo p;
    p.endpoint = base::Endpoint {QHostAddress(QStringLiteral("10.0.0.1")), port};
    p.deviceKey = deviceKey;
    p.certificate = certificate;
    p.nodeId = identity::NodeId::fromDeviceKey(deviceKey);
    p.handshakeHash = handshakeHash;
    return p;
}

} // namespace cairn::rendezvous::testing
