#include "core/net/securetransport.h"

#include "core/base/log.h"
#include "core/identity/verify.h"
#include "core/net/securetransportimpl.h"

namespace cairn::net {

// --- Impl: construction, dispatch, plumbing --------------------------------

SecureTransport::Impl::Impl(SecureTransport &owner, base::Transport &transport, base::Scheduler &scheduler,
    base::Rng &rng, SessionIdentity identity, SessionConfig config)
    : q(owner),
      m_transport(transport),
      m_scheduler(scheduler),
      m_rng(rng),
      m_identity(std::move(identity)),
      m_config(config),
      m_cookies(scheduler, rng),
      m_limiter(config.handshakesPerSecondPerSource, config.handshakeBurstPerSource),
      m_reassembler(scheduler,
          {sessionwire::kFragmentPayload, sessionwire::kMaxFragments, base::Duration(5'000'000), 16, 8 * 1024 * 1024}),
      // A random start keeps message ids of two incarnations apart.
      m_nextMessageId(quint32(rng.next64()))
{ }

SecureTransport::Impl::~Impl()
{
    for (auto &[endpoint, peer] : m_peers) {
        if (peer->timer)
            m_scheduler.cancel(peer->timer);
        if (peer->initiation && peer->initiation->timer)
            m_scheduler.cancel(peer->initiation->timer);
    }
    for (auto &[index, halfOpen] : m_halfOpen) {
        if (halfOpen->timer)
            m_scheduler.cancel(halfOpen->timer);
    }
}

void SecureTransport::Impl::onDatagram(const base::Endpoint &from, const QByteArray &datagram)
{
    ++m_stats.datagramsIn;
    m_stats.bytesIn += quint64(datagram.size());
    switch (sessionwire::typeOf(datagram).value_or(sessionwire::Type(0))) {
    case sessionwire::Type::Data:
        onData(from, datagram);
        break;
    case sessionwire::Type::Initiation:
        onInitiation(from, datagram);
        break;
    case sessionwire::Type::Response:
        onResponse(from, datagram);
        break;
    case sessionwire::Type::Finish:
        onFinish(from, datagram);
        break;
    case sessionwire::Type::CookieReply:
        onCookieReply(from, datagram);
        break;
    default:
        junk("unknown type");
        break;
    }
    runNotices();
}

bool SecureTransport::Impl::sendMessage(
    sessionwire::InnerKind channel, const base::Endpoint &to, const QByteArray &message)
{
    if (message.isEmpty() || message.size() > kMaxMessage || !to.isValid())
        return false;
    const bool messageChannel = channel == sessionwire::InnerKind::Message;
    // Without a certificate we are a joiner: the control channel only.
    if (messageChannel && m_identity.certificate.isNull())
        return false;
    Peer *peer = findPeer(to);
    if (peer && peer->current) {
        if (messageChannel && !peer->info.certified())
            return false;
        sendFragments(*peer, channel, message);
        runNotices();
        return true;
    }
    if (!peer && qsizetype(m_peers.size()) >= m_config.maxSessions)
        return false;
    peer = &peerFor(to);
    if (peer->queue.size() >= m_config.maxQueuedPerPeer) {
        removePeerIfEmpty(to);
        return false;
    }
    if (peer->queue.isEmpty())
        peer->queuedSince = m_scheduler.now();
    peer->queue.append({channel, message});
    // A handshake of the peer's own under way brings the session too; two at
    // once would race.
    if (!peer->initiation && !peer->halfOpen && !startInitiation(*peer, false)) {
        peer->queue.clear();
        removePeerIfEmpty(to);
        return false;
    }
    runNotices();
    return true;
}

void SecureTransport::Impl::applyRevocationList(const identity::RevocationList &crl)
{
    if (crl.isNull() || (!m_crl.isNull() && crl.version() <= m_crl.version()))
        return;
    // Every handshake checks certificates against it, so a list for another
    // CA or group would shut every peer out: refuse it instead.
    if (auto verified = identity::verifyRevocationList(crl, m_identity.caKey, m_identity.groupId); !verified) {
        qCWarning(lcNet) << "ignoring a revocation list that does not verify:" << verified.message();
        return;
    }
    m_crl = crl;
    QList<base::Endpoint> revoked;
    for (const auto &[endpoint, peer] : m_peers) {
        const bool sessionRevoked = peer->current && peer->info.certified() && crl.isRevoked(peer->info.certificate);
        const bool pendingRevoked = peer->initiation && peer->initiation->session
            && !peer->initiation->peer.certificate.isNull() && crl.isRevoked(peer->initiation->peer.certificate);
        if (sessionRevoked || pendingRevoked)
            revoked.append(endpoint);
    }
    for (const base::Endpoint &endpoint : std::as_const(revoked)) {
        if (Peer *peer = findPeer(endpoint)) {
            qCDebug(lcNet) << "closing the session with revoked peer" << endpoint.toString();
            if (peer->current)
                closePeer(*peer, CloseReason::Revoked, true);
            else
                failInitiation(*peer);
        }
    }
    runNotices();
}

void SecureTransport::Impl::presentNewCertificate()
{
    // A rekey carries the new certificate to every peer we hold a session
    // with (a joiner's peers learn that it has joined).
    for (const auto &[endpoint, peer] : m_peers) {
        if (peer->current && !peer->initiation && !peer->halfOpen)
            startInitiation(*peer, true);
    }
    runNotices();
}

void SecureTransport::Impl::closeEndpoint(const base::Endpoint &endpoint, CloseReason reason)
{
    if (Peer *peer = findPeer(endpoint))
        closePeer(*peer, reason, true);
    runNotices();
}

void SecureTransport::Impl::closeEverything()
{
    QList<base::Endpoint> endpoints;
    for (const auto &[endpoint, peer] : m_peers)
        endpoints.append(endpoint);
    for (const base::Endpoint &endpoint : std::as_const(endpoints)) {
        if (Peer *peer = findPeer(endpoint))
            closePeer(*peer, CloseReason::Shutdown, true);
    }
    runNotices();
}

Peer *SecureTransport::Impl::findPeer(const base::Endpoint &endpoint)
{
    auto it = m_peers.find(endpoint);
    return it == m_peers.end() ? nullptr : it->second.get();
}

const Peer *SecureTransport::Impl::findPeer(const base::Endpoint &endpoint) const
{
    auto it = m_peers.find(endpoint);
    return it == m_peers.end() ? nullptr : it->second.get();
}

Peer *SecureTransport::Impl::peerByIndex(const base::Endpoint &from, quint32 index, IndexEntry::Kind *kind)
{
    // An index is only good from the endpoint it was made for.
    const auto entry = m_indices.constFind(index);
    if (entry == m_indices.cend() || entry->endpoint != from)
        return nullptr;
    *kind = entry->kind;
    return findPeer(from);
}

Peer &SecureTransport::Impl::peerFor(const base::Endpoint &endpoint)
{
    auto &slot = m_peers[endpoint];
    if (!slot) {
        slot = std::make_unique<Peer>();
        slot->endpoint = endpoint;
    }
    return *slot;
}

void SecureTransport::Impl::removePeerIfEmpty(const base::Endpoint &endpoint)
{
    auto it = m_peers.find(endpoint);
    if (it == m_peers.end() || !it->second->isEmpty())
        return;
    if (it->second->timer)
        m_scheduler.cancel(it->second->timer);
    m_reassembler.dropPeer(endpoint);
    m_peers.erase(it);
}

int SecureTransport::Impl::sessionCount() const
{
    int count = 0;
    for (const auto &[endpoint, peer] : m_peers)
        count += peer->current ? 1 : 0;
    return count;
}

quint32 SecureTransport::Impl::newIndex(IndexEntry::Kind kind, const base::Endpoint &endpoint)
{
    quint32 index = 0;
    while (index == 0 || m_indices.contains(index))
        index = quint32(m_rng.next64());
    m_indices.insert(index, {kind, endpoint});
    return index;
}

void SecureTransport::Impl::transmit(const base::Endpoint &to, const QByteArray &datagram)
{
    ++m_stats.datagramsOut;
    m_stats.bytesOut += quint64(datagram.size());
    m_transport.send(to, datagram);
}

void SecureTransport::Impl::junk(const char *what)
{
    ++m_stats.junkRejected;
    qCDebug(lcNet) << "dropped a datagram:" << what;
}

void SecureTransport::Impl::runNotices()
{
    if (m_runningNotices)
        return; // the outer call carries on with what is queued, in order
    m_runningNotices = true;
    const std::weak_ptr<bool> alive = m_alive;
    while (!m_notices.isEmpty()) {
        const Notice notice = m_notices.takeFirst();
        switch (notice.kind) {
        case Notice::Kind::Up:
            if (auto handler = m_upHandler)
                handler(notice.peer);
            break;
        case Notice::Kind::Down:
            if (auto handler = m_downHandler)
                handler(notice.peer, notice.reason);
            break;
        case Notice::Kind::Message:
            q.deliver(notice.peer.endpoint, notice.message);
            break;
        case Notice::Kind::Control:
            if (auto handler = m_controlHandler)
                handler(notice.peer, notice.message);
            break;
        }
        if (alive.expired())
            return; // a handler destroyed us
    }
    m_runningNotices = false;
}

// --- SecureTransport --------------------------------------------------------

SecureTransport::SecureTransport(base::Transport &transport, base::Scheduler &scheduler, base::Rng &rng,
    SessionIdentity identity, SessionConfig config)
    : d(std::make_unique<Impl>(*this, transport, scheduler, rng, std::move(identity), config))
{
    transport.setReceiveHandler(
        [impl = d.get()](const base::Endpoint &from, const QByteArray &datagram) { impl->onDatagram(from, datagram); });
}

SecureTransport::~SecureTransport()
{
    d->m_transport.setReceiveHandler({});
}

base::Endpoint SecureTransport::localEndpoint() const
{
    return d->m_transport.localEndpoint();
}

bool SecureTransport::send(const base::Endpoint &to, const QByteArray &message)
{
    return d->sendMessage(sessionwire::InnerKind::Message, to, message);
}

bool SecureTransport::sendControl(const base::Endpoint &to, const QByteArray &message)
{
    return d->sendMessage(sessionwire::InnerKind::Control, to, message);
}

void SecureTransport::setControlHandler(ControlHandler handler)
{
    d->m_controlHandler = std::move(handler);
}

void SecureTransport::setSessionUpHandler(SessionHandler handler)
{
    d->m_upHandler = std::move(handler);
}

void SecureTransport::setSessionDownHandler(CloseHandler handler)
{
    d->m_downHandler = std::move(handler);
}

void SecureTransport::setCertificate(const identity::Certificate &certificate)
{
    if (certificate == d->m_identity.certificate)
        return;
    d->m_identity.certificate = certificate;
    d->presentNewCertificate();
}

const SessionIdentity &SecureTransport::identity() const
{
    return d->m_identity;
}

void SecureTransport::setTrustAnchor(const crypto::PublicKey &caKey, const QByteArray &groupId)
{
    d->m_identity.caKey = caKey;
    d->m_identity.groupId = groupId;
}

void SecureTransport::setRevocationList(const identity::RevocationList &crl)
{
    d->applyRevocationList(crl);
}

const identity::RevocationList &SecureTransport::revocationList() const
{
    return d->m_crl;
}

std::optional<PeerInfo> SecureTransport::peer(const base::Endpoint &endpoint) const
{
    const Peer *peer = d->findPeer(endpoint);
    if (!peer || !peer->current)
        return std::nullopt;
    return peer->info;
}

QList<PeerInfo> SecureTransport::peers() const
{
    QList<PeerInfo> out;
    for (const auto &[endpoint, peer] : d->m_peers) {
        if (peer->current)
            out.append(peer->info);
    }
    return out;
}

int SecureTransport::sessionCount() const
{
    return d->sessionCount();
}

void SecureTransport::close(const base::Endpoint &endpoint)
{
    d->closeEndpoint(endpoint, CloseReason::Closed);
}

void SecureTransport::closeAll()
{
    d->closeEverything();
}

const SessionStats &SecureTransport::stats() const
{
    return d->m_stats;
}

const SessionConfig &SecureTransport::config() const
{
    return d->m_config;
}

} // namespace cairn::net
