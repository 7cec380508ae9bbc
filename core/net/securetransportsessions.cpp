// SecureTransport: the data path (sealing, opening, fragments, channels),
// keepalives, idle timeouts, rekeying and closing.
#include "core/base/log.h"
#include "core/net/securetransportimpl.h"

namespace cairn::net {

using sessionwire::Inner;
using sessionwire::InnerKind;

void SecureTransport::Impl::onData(const base::Endpoint &from, const QByteArray &datagram)
{
    auto data = sessionwire::decodeData(datagram);
    if (!data) {
        junk("malformed data");
        return;
    }
    IndexEntry::Kind kind = IndexEntry::Kind::Session;
    Peer *peer = peerByIndex(from, data->receiverIndex, &kind);
    bool unconfirmed = false;
    Session *session = peer ? sessionFor(*peer, data->receiverIndex, &unconfirmed) : nullptr;
    if (!session) {
        junk("data for an unknown index");
        return;
    }
    auto plaintext = session->open(data.value(), m_scheduler.now());
    if (!plaintext) {
        if (plaintext.code() == NetError::Replay) {
            ++m_stats.replaysRejected;
            qCDebug(lcNet) << "dropped a replayed datagram from" << from.toString();
        } else {
            junk("data did not authenticate");
        }
        return;
    }
    if (unconfirmed) {
        // The responder has the new keys: switch to them.
        std::unique_ptr<Session> confirmed = std::move(peer->initiation->session);
        const AuthenticatedPeer auth = peer->initiation->peer;
        dropInitiation(*peer, true);
        installSession(*peer, std::move(confirmed), auth);
        session = peer->current.get();
    }
    auto inner = sessionwire::decodeInner(plaintext.value());
    if (!inner) {
        junk("authentic datagram with a malformed plaintext");
        return;
    }
    handleInner(*peer, *session, std::move(inner).value());
}

Session *SecureTransport::Impl::sessionFor(Peer &peer, quint32 index, bool *unconfirmed)
{
    *unconfirmed = false;
    if (peer.current && peer.current->localIndex() == index)
        return peer.current.get();
    if (peer.previous && peer.previous->localIndex() == index)
        return peer.previous.get();
    if (peer.initiation && peer.initiation->session && peer.initiation->session->localIndex() == index) {
        *unconfirmed = true;
        return peer.initiation->session.get();
    }
    return nullptr;
}

void SecureTransport::Impl::handleInner(Peer &peer, const Session &session, Inner inner)
{
    switch (inner.kind) {
    case InnerKind::Keepalive:
        return;
    case InnerKind::Close:
        qCDebug(lcNet) << "peer" << peer.endpoint.toString() << "closed the session";
        closePeer(peer, CloseReason::PeerClosed, false);
        return;
    case InnerKind::Message:
    case InnerKind::Control:
        break;
    }
    peer.lastAppActivity = m_scheduler.now();
    auto message = m_reassembler.add(
        peer.endpoint, inner.messageId, quint8(inner.kind), inner.index, inner.count, inner.fragment);
    if (!message)
        return;
    if (inner.kind == InnerKind::Message) {
        if (!peer.info.certified()) {
            qCDebug(lcNet) << "dropped a message-channel message from uncertified" << peer.endpoint.toString();
            return;
        }
        notify({Notice::Kind::Message, peer.info, CloseReason::Closed, std::move(message->bytes)});
        return;
    }
    // The channel binding is the handshake of the keys that carried the
    // message, even if a rekey has replaced them since.
    PeerInfo from = peer.info;
    from.handshakeHash = session.handshakeHash();
    from.initiatedByUs = session.initiator();
    notify({Notice::Kind::Control, from, CloseReason::Closed, std::move(message->bytes)});
}

bool SecureTransport::Impl::sendInner(Peer &peer, Session &session, const Inner &inner)
{
    auto datagram = session.seal(sessionwire::encode(inner), m_scheduler.now());
    if (!datagram) {
        qCWarning(lcNet) << "cannot seal a datagram:" << datagram.message();
        return false;
    }
    transmit(peer.endpoint, datagram.value());
    return true;
}

void SecureTransport::Impl::sendFragments(Peer &peer, InnerKind channel, const QByteArray &message)
{
    Inner inner;
    inner.kind = channel;
    inner.messageId = m_nextMessageId++;
    inner.count = quint16((message.size() + sessionwire::kFragmentPayload - 1) / sessionwire::kFragmentPayload);
    for (int i = 0; i < inner.count; ++i) {
        inner.index = quint16(i);
        inner.fragment = message.mid(qsizetype(i) * sessionwire::kFragmentPayload, sessionwire::kFragmentPayload);
        sendInner(peer, *peer.current, inner);
    }
    peer.lastAppActivity = peer.lastAppSent = m_scheduler.now();
    maybeRekey(peer);
}

bool SecureTransport::Impl::flushQueue(Peer &peer)
{
    const QList<Queued> queue = std::exchange(peer.queue, {});
    bool sent = false;
    for (const Queued &queued : queue) {
        if (queued.channel == InnerKind::Message && !peer.info.certified())
            continue; // the peer turned out to be a joiner
        sendFragments(peer, queued.channel, queued.message);
        sent = true;
    }
    return sent;
}

base::Duration SecureTransport::Impl::keepaliveInterval() const
{
    return qMin(kKeepaliveInterval, base::Duration(m_config.idleTimeout / 3));
}

bool SecureTransport::Impl::rekeyPossible(const Peer &peer) const
{
    // One handshake at a time, and not before the keys the last rekey
    // replaced have stopped receiving.
    return peer.current && !peer.initiation && !peer.halfOpen && !peer.previous;
}

base::Instant SecureTransport::Impl::rekeyDue(const Peer &peer) const
{
    // The initiator of the current keys replaces them by age; the responder
    // only if the initiator has not done so a handshake timeout later (two
    // sides racing to rekey would just resolve as a simultaneous open).
    const Session &session = *peer.current;
    base::Instant due = session.established() + m_config.rekeyAfter;
    if (!session.initiator())
        due += m_config.handshakeTimeout;
    return qMax(due, peer.lastRekeyAttempt + m_config.handshakeTimeout);
}

void SecureTransport::Impl::maybeRekey(Peer &peer)
{
    if (!rekeyPossible(peer))
        return;
    const base::Instant now = m_scheduler.now();
    if (now - peer.lastRekeyAttempt < m_config.handshakeTimeout)
        return;
    const Session &session = *peer.current;
    // A peer that stopped answering while we send may have lost the session
    // (restarted): a new handshake finds out.
    const bool stale = peer.lastAppSent > session.lastReceived()
        && now - session.lastReceived() >= keepaliveInterval() + m_config.handshakeTimeout;
    if (session.sentCount() >= m_config.rekeyAfterMessages || now >= rekeyDue(peer) || stale)
        startInitiation(peer, true);
}

base::Instant SecureTransport::Impl::nextDue(const Peer &peer) const
{
    base::Instant due = base::Instant::max();
    if (peer.previous)
        due = qMin(due, peer.previousUntil);
    if (const Session *session = peer.current.get()) {
        due = qMin(due, session->lastReceived() + m_config.idleTimeout);
        due = qMin(due, peer.lastAppActivity + m_config.idleTimeout);
        due = qMin(due, session->lastSent() + keepaliveInterval());
        if (rekeyPossible(peer))
            due = qMin(due, rekeyDue(peer));
    }
    return due;
}

void SecureTransport::Impl::armPeerTimer(Peer &peer)
{
    const base::Instant due = nextDue(peer);
    if (peer.timer && peer.timerAt <= due)
        return; // it fires first and looks again
    if (peer.timer)
        m_scheduler.cancel(peer.timer);
    peer.timer = 0;
    if (due == base::Instant::max())
        return;
    peer.timerAt = due;
    peer.timer = m_scheduler.callAt(due, [this, endpoint = peer.endpoint] { onPeerTimer(endpoint); });
}

void SecureTransport::Impl::onPeerTimer(const base::Endpoint &endpoint)
{
    Peer *peer = findPeer(endpoint);
    if (!peer)
        return;
    peer->timer = 0;
    const base::Instant now = m_scheduler.now();
    if (peer->previous && now >= peer->previousUntil)
        dropSession(peer->previous);
    if (Session *session = peer->current.get()) {
        if (now - session->lastReceived() >= m_config.idleTimeout
            || now - peer->lastAppActivity >= m_config.idleTimeout) {
            qCDebug(lcNet) << "session with" << endpoint.toString() << "timed out";
            closePeer(*peer, CloseReason::Timeout, false);
            runNotices();
            return;
        }
        if (now - session->lastSent() >= keepaliveInterval())
            sendInner(*peer, *session, Inner {});
        maybeRekey(*peer);
    }
    armPeerTimer(*peer);
    removePeerIfEmpty(endpoint);
    runNotices();
}

void SecureTransport::Impl::dropSession(std::unique_ptr<Session> &session)
{
    if (!session)
        return;
    m_indices.remove(session->localIndex());
    session.reset();
}

void SecureTransport::Impl::closePeer(Peer &peer, CloseReason reason, bool tellPeer)
{
    const base::Endpoint endpoint = peer.endpoint;
    const bool wasUp = peer.current != nullptr;
    const PeerInfo info = peer.info;
    if (tellPeer && peer.current) {
        Inner close;
        close.kind = InnerKind::Close;
        close.closeReason = quint8(reason);
        sendInner(peer, *peer.current, close);
    }
    dropSession(peer.current);
    dropSession(peer.previous);
    dropInitiation(peer);
    if (peer.halfOpen)
        dropHalfOpen(peer.halfOpen, false);
    peer.queue.clear();
    removePeerIfEmpty(endpoint);
    if (wasUp)
        notify({Notice::Kind::Down, info, reason, {}});
}

} // namespace cairn::net
