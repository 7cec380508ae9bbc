#include "core/rendezvous/service.h"

#include "core/base/log.h"

namespace cairn::rendezvous {

namespace {

JoinResponse refusal(ResponseStatus status, RendezvousError error, const QString &message)
{
    JoinResponse r;
    r.status = status;
    r.error = error;
    r.message = message.left(ControlMessage::kMaxMessageText);
    return r;
}

} // namespace

RendezvousService::RendezvousService(
    Authority &authority, ControlChannel &channel, base::Scheduler &scheduler, Bootstrap bootstrap)
    : m_authority(authority), m_channel(channel), m_scheduler(scheduler), m_bootstrap(std::move(bootstrap))
{
    ControlChannel::Listener listener;
    listener.control = [this](const net::PeerInfo &from, const QByteArray &message) { handleControl(from, message); };
    m_listener = m_channel.addListener(std::move(listener));
}

RendezvousService::~RendezvousService()
{
    m_channel.removeListener(m_listener);
}

void RendezvousService::handleControl(const net::PeerInfo &from, const QByteArray &message)
{
    auto decoded = ControlMessage::decode(message);
    if (!decoded.ok()) {
        qCDebug(lcRendezvous) << "dropping a control message from" << from.endpoint.toString() << ":"
                              << decoded.message();
        return;
    }
    if (decoded->is<JoinRequest>())
        onJoin(from, decoded->as<JoinRequest>());
    else if (decoded->is<RenewRequest>())
        onRenew(from);
    else if (decoded->is<DirectoryRequest>())
        onDirectory(from, decoded->as<DirectoryRequest>());
    // Everything else is not for the service (Hello opens a session; the
    // gossip handles revocation lists; responses are for clients).
}

void RendezvousService::onJoin(const net::PeerInfo &from, const JoinRequest &request)
{
    ++m_stats.joinRequests;
    if (from.deviceKey != request.deviceKey) {
        ++m_stats.refused;
        send(from.endpoint,
            refusal(ResponseStatus::Error, RendezvousError::BadProof,
                QStringLiteral("the request is for another device than this session's")));
        return;
    }
    const JoinDecision decision = m_authority.decide(request, from.handshakeHash, m_scheduler.unixTime());
    switch (decision.status) {
    case JoinDecision::Status::Issued:
        ++m_stats.issued;
        send(from.endpoint, issuedResponse(decision.certificate));
        if (decision.fresh && m_onJoined)
            m_onJoined(decision.certificate);
        return;
    case JoinDecision::Status::Pending:
        ++m_stats.pending;
        send(from.endpoint, refusal(ResponseStatus::Pending, RendezvousError::Denied, decision.message));
        if (decision.fresh && m_onPending)
            m_onPending(PendingRequest {
                request.username, request.deviceKey, m_scheduler.unixTime(), decision.additionalDevice});
        return;
    case JoinDecision::Status::Denied: {
        ++m_stats.refused;
        // The operator's no and a revocation are answers about the person;
        // everything else is about the request.
        const bool denied = decision.error == RendezvousError::Denied || decision.error == RendezvousError::Revoked;
        send(from.endpoint,
            refusal(denied ? ResponseStatus::Denied : ResponseStatus::Error, decision.error, decision.message));
        return;
    }
    }
}

JoinResponse RendezvousService::issuedResponse(const identity::Certificate &certificate) const
{
    JoinResponse r;
    r.status = ResponseStatus::Issued;
    r.certificate = certificate;
    r.groupName = m_authority.groupName();
    r.groupId = m_authority.groupId();
    r.caKey = m_authority.caKey();
    r.crl = m_authority.revocationList();
    if (m_bootstrap)
        r.bootstrap = m_bootstrap().mid(0, JoinResponse::kMaxBootstrap);
    // A list near its 64 KiB limit does not fit beside the rest; the new
    // member gets it from the gossip when its first session comes up.
    if (ControlMessage(r).encode().size() > ControlMessage::kMaxBytes)
        r.crl = {};
    return r;
}

void RendezvousService::onRenew(const net::PeerInfo &from)
{
    RenewResponse r;
    if (!from.certified()) {
        r.status = ResponseStatus::Error;
        r.error = RendezvousError::Denied;
        r.message = QStringLiteral("only members renew");
        return send(from.endpoint, r);
    }
    ++m_stats.renewals;
    auto renewed = m_authority.renew(from.certificate, m_scheduler.unixTime());
    if (renewed.ok()) {
        r.status = ResponseStatus::Issued;
        r.certificate = renewed.value();
    } else {
        r.status = renewed.code() == RendezvousError::Revoked ? ResponseStatus::Denied : ResponseStatus::Error;
        r.error = renewed.code();
        r.message = renewed.message().left(ControlMessage::kMaxMessageText);
    }
    send(from.endpoint, r);
}

void RendezvousService::onDirectory(const net::PeerInfo &from, const DirectoryRequest &request)
{
    if (!from.certified())
        return; // the directory is for members; a joiner learns nothing from it
    ++m_stats.directoryPages;
    const QList<identity::Certificate> all = m_authority.directory(m_scheduler.unixTime());
    DirectoryResponse page;
    page.offset = request.offset;
    qsizetype bytes = 0;
    for (qsizetype i = request.offset; i < all.size(); ++i) {
        const qsizetype size = all[i].encode().size() + 4;
        if (page.certificates.size() >= DirectoryResponse::kMaxCertificates
            || bytes + size > DirectoryResponse::kPageBudget) {
            page.more = true;
            break;
        }
        bytes += size;
        page.certificates.append(all[i]);
    }
    send(from.endpoint, page);
}

Result<QList<identity::Certificate>> RendezvousService::approve(const QString &username)
{
    auto certs = m_authority.approve(username, m_scheduler.unixTime());
    if (!certs.ok())
        return certs;
    for (const identity::Certificate &cert : certs.value()) {
        sendToDevice(cert.deviceKey(), issuedResponse(cert));
        if (m_onJoined)
            m_onJoined(cert);
    }
    return certs;
}

Result<void> RendezvousService::deny(const QString &username)
{
    QList<crypto::PublicKey> waiting;
    for (const PendingRequest &p : m_authority.pending()) {
        if (p.username == username)
            waiting.append(p.deviceKey);
    }
    auto denied = m_authority.deny(username);
    if (!denied.ok())
        return denied;
    const JoinResponse answer
        = refusal(ResponseStatus::Denied, RendezvousError::Denied, QStringLiteral("the operator denied this request"));
    for (const crypto::PublicKey &key : waiting)
        sendToDevice(key, answer);
    return {};
}

Result<identity::RevocationList> RendezvousService::revokeUser(const QString &username)
{
    const quint64 before = m_authority.revocationList().version();
    auto list = m_authority.revokeUser(username, m_scheduler.unixTime());
    if (list.ok() && list->version() > before)
        publish(list.value());
    return list;
}

Result<identity::RevocationList> RendezvousService::revokeSerial(quint64 serial)
{
    const quint64 before = m_authority.revocationList().version();
    auto list = m_authority.revokeSerial(serial, m_scheduler.unixTime());
    if (list.ok() && list->version() > before)
        publish(list.value());
    return list;
}

void RendezvousService::publish(const identity::RevocationList &crl)
{
    if (m_gossip) {
        m_gossip->adopt(crl);
    } else {
        m_channel.setRevocationList(crl);
        const QByteArray push = ControlMessage(CrlPush {crl}).encode();
        for (const net::PeerInfo &peer : m_channel.peers())
            m_channel.sendControl(peer.endpoint, push);
    }
    if (m_onList)
        m_onList(crl);
}

void RendezvousService::sendToDevice(const crypto::PublicKey &deviceKey, const ControlMessage &message)
{
    for (const net::PeerInfo &peer : m_channel.peers()) {
        if (peer.deviceKey == deviceKey)
            send(peer.endpoint, message);
    }
}

void RendezvousService::send(const base::Endpoint &to, const ControlMessage &message)
{
    if (!m_channel.sendControl(to, message.encode()))
        qCDebug(lcRendezvous) << "could not answer" << to.toString();
}

} // namespace cairn::rendezvous
