// Kept apart from controlchannel.cpp: only code that really runs over
// net::SecureTransport links against it.
#include "core/rendezvous/controlchannel.h"

namespace cairn::rendezvous {

SecureControlChannel::SecureControlChannel(net::SecureTransport &transport) : m_transport(transport)
{
    m_transport.setControlHandler(
        [this](const net::PeerInfo &from, const QByteArray &message) { dispatchControl(from, message); });
    m_transport.setSessionUpHandler([this](const net::PeerInfo &peer) { dispatchSessionUp(peer); });
    m_transport.setSessionDownHandler(
        [this](const net::PeerInfo &peer, net::CloseReason reason) { dispatchSessionDown(peer, reason); });
}

SecureControlChannel::~SecureControlChannel()
{
    m_transport.setControlHandler({});
    m_transport.setSessionUpHandler({});
    m_transport.setSessionDownHandler({});
}

bool SecureControlChannel::sendControl(const base::Endpoint &to, const QByteArray &message)
{
    return m_transport.sendControl(to, message);
}

QList<net::PeerInfo> SecureControlChannel::peers() const
{
    return m_transport.peers();
}

std::optional<net::PeerInfo> SecureControlChannel::peer(const base::Endpoint &endpoint) const
{
    return m_transport.peer(endpoint);
}

void SecureControlChannel::setRevocationList(const identity::RevocationList &crl)
{
    m_transport.setRevocationList(crl);
}

identity::RevocationList SecureControlChannel::revocationList() const
{
    return m_transport.revocationList();
}

void SecureControlChannel::setTrustAnchor(const crypto::PublicKey &caKey, const QByteArray &groupId)
{
    m_transport.setTrustAnchor(caKey, groupId);
}

void SecureControlChannel::setCertificate(const identity::Certificate &certificate)
{
    m_transport.setCertificate(certificate);
}

const net::SessionIdentity &SecureControlChannel::identity() const
{
    return m_transport.identity();
}

void SecureControlChannel::close(const base::Endpoint &endpoint)
{
    m_transport.close(endpoint);
}

} // namespace cairn::rendezvous
