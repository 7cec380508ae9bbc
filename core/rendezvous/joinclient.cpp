#include "core/base/log.h"
#include "core/identity/names.h"
#include "core/identity/verify.h"
#include "core/rendezvous/client.h"
#include "core/rendezvous/clientsupport.h"

namespace cairn::rendezvous {

JoinClient::JoinClient(ControlChannel &channel, base::Scheduler &scheduler, identity::Invite invite, QString username,
    const crypto::DeviceKey &deviceKey)
    : m_channel(channel),
      m_scheduler(scheduler),
      m_invite(std::move(invite)),
      m_username(std::move(username)),
      m_deviceKey(deviceKey.clone()),
      m_retrier(scheduler, m_invite.rendezvous())
{
    ControlChannel::Listener listener;
    listener.control = [this](const net::PeerInfo &from, const QByteArray &message) { handleControl(from, message); };
    listener.sessionUp = [this](const net::PeerInfo &peer) { handleSessionUp(peer); };
    m_listener = m_channel.addListener(std::move(listener));
}

JoinClient::~JoinClient()
{
    cancel();
    m_channel.removeListener(m_listener);
}

void JoinClient::start(Progress progress, Done done)
{
    cancel();
    m_progress = std::move(progress);
    m_done = std::move(done);
    m_running = true;
    m_reportedPending = false;
    m_retriedProof = false;
    if (auto r = identity::names::validateUsername(m_username); !r.ok())
        return failLater(RendezvousError::InvalidArgument, QStringLiteral("username: %1").arg(r.message()));
    if (m_invite.isNull() || m_invite.isExpired(m_scheduler.unixTime()))
        return failLater(RendezvousError::InviteExpired, QStringLiteral("the invite has expired"));
    m_channel.setTrustAnchor(m_invite.caKey(), m_invite.groupId());
    m_retrier.start([this](const base::Endpoint &to) { send(to); },
        [this] {
            finish(base::fail(RendezvousError::Unreachable,
                QStringLiteral("no answer from the rendezvous (%1)").arg(m_retrier.target().toString())));
        });
}

void JoinClient::cancel()
{
    m_running = false;
    m_retrier.stop();
    if (m_deferred != 0)
        m_scheduler.cancel(m_deferred);
    m_deferred = 0;
    m_done = {};
    m_progress = {};
}

void JoinClient::failLater(RendezvousError code, const QString &message)
{
    m_deferred = m_scheduler.callAfter(base::Duration(0), [this, code, message] {
        m_deferred = 0;
        finish(base::fail(code, message));
    });
}

void JoinClient::send(const base::Endpoint &to)
{
    // The token goes only to the rendezvous itself, over a session whose
    // handshake hash the proof can be bound to; until there is one, a
    // Hello opens it and handleSessionUp() sends the request.
    const auto peer = m_channel.peer(to);
    if (!peer || !isRendezvousPeer(m_retrier, *peer)) {
        m_channel.sendControl(to, ControlMessage(Hello {}).encode());
        return;
    }
    m_binding = peer->handshakeHash;
    const JoinRequest request {m_invite.token(), m_username, m_deviceKey.publicKey(),
        joinProof(m_deviceKey, m_binding, m_invite.token(), m_username)};
    if (m_channel.sendControl(to, ControlMessage(request).encode()))
        ++m_requestsSent;
}

void JoinClient::handleSessionUp(const net::PeerInfo &peer)
{
    if (m_running && isRendezvousPeer(m_retrier, peer))
        send(peer.endpoint);
}

void JoinClient::handleControl(const net::PeerInfo &from, const QByteArray &message)
{
    if (!m_running || !isRendezvousPeer(m_retrier, from))
        return;
    auto decoded = ControlMessage::decode(message);
    if (!decoded.ok() || !decoded->is<JoinResponse>())
        return;
    m_retrier.answered(from.endpoint);
    onResponse(decoded->as<JoinResponse>());
}

void JoinClient::onResponse(const JoinResponse &response)
{
    const QString text = response.message;
    switch (response.status) {
    case ResponseStatus::Issued:
        if (auto r = check(response); !r.ok())
            return finish(r.error());
        return finish(response);
    case ResponseStatus::Pending:
        if (!m_reportedPending || text != m_lastPendingMessage) {
            m_reportedPending = true;
            m_lastPendingMessage = text;
            if (const Progress progress = m_progress)
                progress(response); // may cancel or destroy this
        }
        return;
    case ResponseStatus::Denied:
        return finish(base::fail(response.error, text.isEmpty() ? QStringLiteral("the join was denied") : text));
    case ResponseStatus::Error: {
        // The session may have been replaced between signing and checking
        // (a new handshake, a new hash): one fresh attempt.
        const auto peer = m_channel.peer(m_retrier.target());
        if (response.error == RendezvousError::BadProof && !m_retriedProof && peer
            && peer->handshakeHash != m_binding) {
            m_retriedProof = true;
            return m_retrier.sendNow();
        }
        return finish(base::fail(response.error, text.isEmpty() ? QStringLiteral("the join was refused") : text));
    }
    }
}

Result<void> JoinClient::check(const JoinResponse &response) const
{
    const auto bad = [](const QString &why) {
        return base::fail(RendezvousError::BadResponse, QStringLiteral("the rendezvous answered: %1").arg(why));
    };
    if (response.caKey != m_invite.caKey() || response.groupId != m_invite.groupId())
        return bad(QStringLiteral("a certificate for another group"));
    const identity::RevocationList *crl = response.crl.isNull() ? nullptr : &response.crl;
    const crypto::PublicKey ours = m_deviceKey.publicKey();
    if (auto r = identity::verifyCertificate(
            response.certificate, m_invite.caKey(), m_invite.groupId(), m_scheduler.unixTime(), crl, &ours);
        !r.ok())
        return bad(r.message());
    if (response.certificate.username() != m_username)
        return bad(QStringLiteral("a certificate for '%1'").arg(response.certificate.username()));
    return {};
}

void JoinClient::finish(Result<JoinResponse> result)
{
    if (!m_running)
        return;
    m_running = false;
    m_retrier.stop();
    const Done done = std::move(m_done);
    m_done = {};
    m_progress = {};
    if (!result.ok())
        qCDebug(lcRendezvous) << "join ended:" << errorName(result.code()) << result.message();
    if (done)
        done(std::move(result)); // may destroy this
}

} // namespace cairn::rendezvous
