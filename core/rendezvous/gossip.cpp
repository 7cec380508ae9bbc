#include "core/rendezvous/gossip.h"

#include "core/base/log.h"
#include "core/identity/verify.h"
#include "core/rendezvous/messages.h"

namespace cairn::rendezvous {

RevocationGossip::RevocationGossip(ControlChannel &channel, const crypto::PublicKey &caKey, const QByteArray &groupId,
    const identity::RevocationList &initial)
    : m_channel(channel), m_caKey(caKey), m_groupId(groupId)
{
    if (!initial.isNull() && identity::verifyRevocationList(initial, m_caKey, m_groupId).ok()) {
        m_current = initial;
        m_channel.setRevocationList(initial);
    }
    ControlChannel::Listener listener;
    listener.control = [this](const net::PeerInfo &from, const QByteArray &message) { handleControl(from, message); };
    listener.sessionUp = [this](const net::PeerInfo &peer) { handleSessionUp(peer); };
    m_listener = m_channel.addListener(std::move(listener));
}

RevocationGossip::~RevocationGossip()
{
    m_channel.removeListener(m_listener);
}

bool RevocationGossip::adopt(const identity::RevocationList &crl, const std::optional<base::Endpoint> &from)
{
    if (auto r = identity::verifyRevocationList(crl, m_caKey, m_groupId); !r.ok()) {
        qCDebug(lcRendezvous) << "ignoring a revocation list:" << r.message();
        return false;
    }
    if (!crl.supersedes(m_current))
        return false;
    m_current = crl;
    m_channel.setRevocationList(crl);
    qCDebug(lcRendezvous) << "revocation list version" << crl.version() << "adopted";
    // Every node forwards a new version once, so it floods the overlay; the
    // sessions it revokes are closed by now and get nothing.
    for (const net::PeerInfo &peer : m_channel.peers()) {
        if (!from || !(peer.endpoint == *from))
            push(peer.endpoint);
    }
    if (m_onNewList) {
        const NewListHandler handler = m_onNewList;
        handler(crl);
    }
    return true;
}

void RevocationGossip::handleControl(const net::PeerInfo &from, const QByteArray &message)
{
    auto decoded = ControlMessage::decode(message);
    if (!decoded.ok())
        return;
    if (decoded->is<CrlOffer>()) {
        const quint64 theirs = decoded->as<CrlOffer>().version;
        if (theirs < version())
            push(from.endpoint);
        else if (theirs > version())
            offer(from.endpoint); // our offer may have been lost: ask again by offering ours
    } else if (decoded->is<CrlPush>()) {
        const identity::RevocationList &crl = decoded->as<CrlPush>().crl;
        if (!adopt(crl, from.endpoint) && !m_current.isNull() && m_current.supersedes(crl))
            push(from.endpoint); // they pushed an older list than ours
    }
}

void RevocationGossip::handleSessionUp(const net::PeerInfo &peer)
{
    offer(peer.endpoint);
}

void RevocationGossip::offer(const base::Endpoint &to)
{
    m_channel.sendControl(to, ControlMessage(CrlOffer {version()}).encode());
}

void RevocationGossip::push(const base::Endpoint &to)
{
    if (m_current.isNull())
        return;
    if (m_channel.sendControl(to, ControlMessage(CrlPush {m_current}).encode()))
        ++m_pushesSent;
}

} // namespace cairn::rendezvous
