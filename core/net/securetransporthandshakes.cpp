// SecureTransport: handshakes (initiation, response, finish), cookies under
// load, per-source rate limits, simultaneous opens, installing sessions.
#include "core/base/log.h"
#include "core/net/securetransportimpl.h"

namespace cairn::net {

TrustPolicy SecureTransport::Impl::policy() const
{
    TrustPolicy policy;
    policy.identity = &m_identity;
    policy.crl = &m_crl;
    policy.nowUnix = m_scheduler.unixTime();
    policy.acceptUncertified = m_config.acceptUncertified;
    return policy;
}

void SecureTransport::Impl::onInitiation(const base::Endpoint &from, const QByteArray &datagram)
{
    auto initiation = sessionwire::decodeInitiation(datagram);
    if (!initiation) {
        junk("malformed initiation");
        return;
    }
    // Under load, only sources that can receive at their address get any
    // further: the cookie reply costs one hash and no state.
    const bool underLoad = m_config.alwaysRequireCookie || qsizetype(m_halfOpen.size()) > m_config.cookieThreshold;
    if (underLoad && !m_cookies.check(from, initiation->cookie)) {
        transmit(from, sessionwire::encode(sessionwire::CookieReply {initiation->senderIndex, m_cookies.make(from)}));
        ++m_stats.cookiesSent;
        return;
    }
    if (!m_limiter.allow(from.address, m_scheduler.now())) {
        ++m_stats.rateLimited;
        return;
    }

    Peer *peer = findPeer(from);
    if (peer && peer->halfOpen) {
        const auto pending = m_halfOpen.find(peer->halfOpen);
        if (pending != m_halfOpen.end() && pending->second->handshake.isSameInitiation(initiation.value())) {
            transmit(from, pending->second->handshake.datagram()); // our response was lost
            return;
        }
    }
    bool yield = false;
    if (peer && peer->initiation) {
        const Handshake &ours = peer->initiation->handshake;
        // Our finish is out: the peer has (or will have) that session, so a
        // second one would only race it.
        if (ours.isComplete())
            return;
        // Simultaneous open: both sides compare the same two ephemeral keys,
        // and the initiation with the lower one wins on both.
        const QByteArray theirs = initiation->noise.first(sessionwire::kKeyBytes);
        if (ours.initiatorEphemeral() <= theirs)
            return;
        yield = true;
    }
    const bool known = peer && peer->current;
    if ((!known && sessionCount() >= m_config.maxSessions)
        || (!(peer && peer->halfOpen) && qsizetype(m_halfOpen.size()) >= kMaxHalfOpen)) {
        ++m_stats.rateLimited;
        return;
    }

    const quint32 index = newIndex(IndexEntry::Kind::HalfOpen, from);
    auto handshake = Handshake::respond(m_identity, initiation.value(), m_rng, index);
    if (!handshake) {
        m_indices.remove(index);
        if (handshake.code() == NetError::TooLarge || handshake.code() == NetError::Internal)
            qCWarning(lcNet) << "cannot answer a handshake:" << handshake.message();
        else
            junk("initiation refused by Noise");
        return;
    }
    if (yield)
        dropInitiation(*peer); // what waits for the peer goes out on its session
    if (peer && peer->halfOpen) {
        dropHalfOpen(peer->halfOpen, false); // the peer started over
        // We hold our own handshake back while the peer's runs. Should its
        // attempts keep starting over (or be someone's forgeries), what
        // waits for it must not wait forever.
        if (!peer->queue.isEmpty() && m_scheduler.now() - peer->queuedSince >= m_config.handshakeTimeout)
            failInitiation(*peer);
    }
    auto pending = std::make_unique<HalfOpen>(std::move(handshake).value());
    pending->endpoint = from;
    pending->timer = m_scheduler.callAfter(m_config.handshakeTimeout, [this, index] { onHalfOpenTimer(index); });
    transmit(from, pending->handshake.datagram());
    m_halfOpen.emplace(index, std::move(pending));
    peerFor(from).halfOpen = index;
}

void SecureTransport::Impl::onResponse(const base::Endpoint &from, const QByteArray &datagram)
{
    auto response = sessionwire::decodeResponse(datagram);
    if (!response) {
        junk("malformed response");
        return;
    }
    IndexEntry::Kind kind = IndexEntry::Kind::Initiation;
    if (peerByIndex(from, response->receiverIndex, &kind) && kind == IndexEntry::Kind::Session)
        return; // a retransmitted response that crossed the responder's confirmation
    Peer *peer = initiationPeer(from, response->receiverIndex);
    if (!peer) {
        junk("response for no handshake of ours");
        return;
    }
    Initiation &ours = *peer->initiation;
    if (ours.handshake.isComplete())
        return; // a retransmitted response; our finish is resent on the timer
    auto auth = ours.handshake.readResponse(response.value(), policy());
    if (!auth) {
        rejectHandshake(peer, auth.error(), ours.handshake.remoteStatic());
        if ((peer = findPeer(from)) && peer->initiation)
            failInitiation(*peer, auth.error());
        return;
    }
    ours.peer = std::move(auth).value();
    ours.session = ours.handshake.makeSession(m_scheduler.now());
    transmit(from, ours.handshake.datagram());
}

void SecureTransport::Impl::onFinish(const base::Endpoint &from, const QByteArray &datagram)
{
    auto finish = sessionwire::decodeFinish(datagram);
    if (!finish) {
        junk("malformed finish");
        return;
    }
    IndexEntry::Kind kind = IndexEntry::Kind::Session;
    Peer *peer = peerByIndex(from, finish->receiverIndex, &kind);
    if (!peer) {
        junk("finish for no handshake");
        return;
    }
    if (kind == IndexEntry::Kind::Session) {
        // The initiator did not see our confirmation: send it again.
        bool unconfirmed = false;
        Session *session = sessionFor(*peer, finish->receiverIndex, &unconfirmed);
        if (session && session == peer->current.get() && session->isFinishDigest(crypto::blake2b(finish->noise)))
            sendInner(*peer, *session, sessionwire::Inner {});
        else
            junk("finish for an established session");
        return;
    }
    const auto found = m_halfOpen.find(finish->receiverIndex);
    if (kind != IndexEntry::Kind::HalfOpen || peer->halfOpen != finish->receiverIndex || found == m_halfOpen.end()) {
        junk("finish for no handshake");
        return;
    }
    HalfOpen &pending = *found->second;
    auto auth = pending.handshake.readFinish(finish.value(), policy());
    if (!auth) {
        const auto remote = pending.handshake.remoteStatic();
        dropHalfOpen(peer->halfOpen, true);
        rejectHandshake(findPeer(from), auth.error(), remote);
        removePeerIfEmpty(from);
        return;
    }
    auto session = pending.handshake.makeSession(m_scheduler.now());
    session->setFinishDigest(crypto::blake2b(finish->noise));
    dropHalfOpen(peer->halfOpen, false, true);
    installSession(*peer, std::move(session), auth.value());
}

void SecureTransport::Impl::onCookieReply(const base::Endpoint &from, const QByteArray &datagram)
{
    auto reply = sessionwire::decodeCookieReply(datagram);
    if (!reply) {
        junk("malformed cookie reply");
        return;
    }
    Peer *peer = initiationPeer(from, reply->receiverIndex);
    if (!peer || peer->initiation->handshake.isComplete()) {
        junk("cookie reply for no handshake of ours");
        return;
    }
    Handshake &ours = peer->initiation->handshake;
    if (ours.cookie() == reply->cookie)
        return; // the timer resends with it
    ours.setCookie(reply->cookie);
    transmit(from, ours.datagram());
}

Peer *SecureTransport::Impl::initiationPeer(const base::Endpoint &from, quint32 index)
{
    IndexEntry::Kind kind = IndexEntry::Kind::Session;
    Peer *peer = peerByIndex(from, index, &kind);
    if (!peer || kind != IndexEntry::Kind::Initiation || !peer->initiation
        || peer->initiation->handshake.localIndex() != index)
        return nullptr;
    return peer;
}

bool SecureTransport::Impl::startInitiation(Peer &peer, bool rekey)
{
    if (peer.initiation)
        return true;
    peer.lastRekeyAttempt = m_scheduler.now();
    const quint32 index = newIndex(IndexEntry::Kind::Initiation, peer.endpoint);
    auto handshake = Handshake::initiate(m_identity, m_rng, index, rekey);
    if (!handshake) {
        m_indices.remove(index);
        qCWarning(lcNet) << "cannot start a handshake:" << handshake.message();
        return false;
    }
    peer.initiation = std::make_unique<Initiation>(std::move(handshake).value());
    peer.initiation->started = m_scheduler.now();
    transmit(peer.endpoint, peer.initiation->handshake.datagram());
    peer.initiation->timer = m_scheduler.callAfter(qMin(m_config.handshakeRetry, m_config.handshakeTimeout),
        [this, endpoint = peer.endpoint] { onInitiationTimer(endpoint); });
    return true;
}

void SecureTransport::Impl::onInitiationTimer(const base::Endpoint &endpoint)
{
    Peer *peer = findPeer(endpoint);
    if (!peer || !peer->initiation)
        return;
    Initiation &ours = *peer->initiation;
    ours.timer = 0;
    const base::Instant deadline = ours.started + m_config.handshakeTimeout;
    const base::Instant now = m_scheduler.now();
    if (now >= deadline) {
        qCDebug(lcNet) << "handshake with" << endpoint.toString() << "timed out";
        failInitiation(*peer);
        runNotices();
        return;
    }
    transmit(endpoint, ours.handshake.datagram()); // the initiation, or our finish
    ours.timer = m_scheduler.callAt(
        qMin(now + m_config.handshakeRetry, deadline), [this, endpoint] { onInitiationTimer(endpoint); });
}

void SecureTransport::Impl::failInitiation(Peer &peer, const std::optional<base::Error<NetError>> &error)
{
    if (error)
        qCDebug(lcNet) << "handshake with" << peer.endpoint.toString() << "failed:" << error->message;
    dropInitiation(peer);
    if (peer.current) {
        armPeerTimer(peer); // a rekey failed: the session carries on, a new try comes later
        return;
    }
    // A first contact failed (unless the peer's own handshake is still under
    // way and may bring the session): what waited for it is dropped.
    if (peer.halfOpen)
        return;
    const base::Endpoint endpoint = peer.endpoint;
    peer.queue.clear();
    removePeerIfEmpty(endpoint);
    PeerInfo info;
    info.endpoint = endpoint;
    notify({Notice::Kind::Down, info, CloseReason::HandshakeFailed, {}});
}

void SecureTransport::Impl::dropInitiation(Peer &peer, bool keepIndex)
{
    if (!peer.initiation)
        return;
    if (peer.initiation->timer)
        m_scheduler.cancel(peer.initiation->timer);
    if (!keepIndex)
        m_indices.remove(peer.initiation->handshake.localIndex());
    peer.initiation.reset();
}

void SecureTransport::Impl::onHalfOpenTimer(quint32 index)
{
    auto it = m_halfOpen.find(index);
    if (it == m_halfOpen.end())
        return;
    it->second->timer = 0;
    const base::Endpoint endpoint = it->second->endpoint;
    dropHalfOpen(index, true);
    removePeerIfEmpty(endpoint);
    runNotices();
}

void SecureTransport::Impl::dropHalfOpen(quint32 index, bool retry, bool keepIndex)
{
    auto it = m_halfOpen.find(index);
    if (it == m_halfOpen.end())
        return;
    const base::Endpoint endpoint = it->second->endpoint;
    if (it->second->timer)
        m_scheduler.cancel(it->second->timer);
    m_halfOpen.erase(it);
    if (!keepIndex)
        m_indices.remove(index);
    Peer *peer = findPeer(endpoint);
    if (!peer || peer->halfOpen != index)
        return;
    peer->halfOpen = 0;
    // We held our own messages back for the peer's handshake; it is gone.
    if (retry && !peer->queue.isEmpty() && !peer->current && !peer->initiation && !startInitiation(*peer, false))
        failInitiation(*peer);
}

void SecureTransport::Impl::rejectHandshake(
    Peer *peer, const base::Error<NetError> &error, const std::optional<crypto::PublicKey> &remote)
{
    ++m_stats.handshakesRejected;
    qCDebug(lcNet) << "handshake refused:" << errorName(error.code) << error.message;
    if (!peer || !peer->current || !remote)
        return;
    const bool checksFailed = error.code == NetError::BadCertificate || error.code == NetError::Uncertified;
    auto sessionKey = crypto::ed25519ToX25519(peer->info.deviceKey);
    if (checksFailed && sessionKey && sessionKey.value() == *remote)
        closePeer(*peer, CloseReason::HandshakeFailed, true);
}

void SecureTransport::Impl::installSession(Peer &peer, std::unique_ptr<Session> session, const AuthenticatedPeer &auth)
{
    const base::Instant now = m_scheduler.now();
    const bool initiatedByUs = session->initiator();
    std::optional<PeerInfo> replaced;
    bool rekey = false;
    if (peer.current) {
        // Our own new handshake with the same device is a rekey; so is the
        // peer's when it says so. Anything else means the peer restarted (or
        // another device took the address): the old session is useless.
        if (peer.info.deviceKey == auth.deviceKey && (initiatedByUs || auth.rekey)) {
            rekey = true;
            dropSession(peer.previous);
            peer.previous = std::move(peer.current);
            peer.previousUntil = now + m_config.handshakeTimeout;
            ++m_stats.rekeys;
        } else {
            replaced = peer.info;
            dropSession(peer.current);
            dropSession(peer.previous);
            m_reassembler.dropPeer(peer.endpoint);
        }
    }
    m_indices.insert(session->localIndex(), {IndexEntry::Kind::Session, peer.endpoint});
    peer.current = std::move(session);
    peer.info.endpoint = peer.endpoint;
    peer.info.deviceKey = auth.deviceKey;
    peer.info.certificate = auth.certificate;
    peer.info.nodeId = identity::NodeId::fromDeviceKey(auth.deviceKey);
    peer.info.handshakeHash = peer.current->handshakeHash();
    peer.info.initiatedByUs = initiatedByUs;
    if (!rekey)
        peer.lastAppActivity = now;
    ++m_stats.handshakesCompleted;
    qCDebug(lcNet) << (rekey ? "rekeyed the session with" : "session up with") << peer.endpoint.toString()
                   << (initiatedByUs ? "(we initiated)" : "(they initiated)");
    dropInitiation(peer);
    // The initiator sends under the new keys only once it sees that we have
    // them: our first datagram tells it.
    if (!flushQueue(peer) && !initiatedByUs)
        sendInner(peer, *peer.current, sessionwire::Inner {});
    armPeerTimer(peer);
    if (replaced)
        notify({Notice::Kind::Down, *replaced, CloseReason::Replaced, {}});
    if (!rekey)
        notify({Notice::Kind::Up, peer.info, CloseReason::Closed, {}});
}

} // namespace cairn::net
