#pragma once

#include "core/base/endpoint.h"
#include "core/base/scheduler.h"
#include "core/rendezvous/authority.h"
#include "core/rendezvous/controlchannel.h"
#include "core/rendezvous/gossip.h"
#include "core/rendezvous/messages.h"

#include <QList>

#include <functional>

namespace cairn::rendezvous {

/// The rendezvous on the operator's node: answers join, renewal and
/// directory requests on the control channel from the Authority, pushes a
/// certificate to a joiner the moment the operator approves it (if its
/// session is still up), and publishes revocations to every session.
///
/// A JoinRequest must come from the device it asks for (the session's peer
/// key) and its proof must be bound to that session's handshake hash.
/// Renewal and the directory are for certified peers only; a renewal is
/// for the certificate the peer presented in its handshake.
class RendezvousService {
public:
    using Bootstrap = std::function<QList<base::Endpoint>()>;
    using PendingHandler = std::function<void(const PendingRequest &request)>;
    using JoinedHandler = std::function<void(const identity::Certificate &certificate)>;
    using ListHandler = std::function<void(const identity::RevocationList &crl)>;

    /// `bootstrap` names the nodes a new member may join the overlay through.
    RendezvousService(Authority &authority, ControlChannel &channel, base::Scheduler &scheduler, Bootstrap bootstrap);
    ~RendezvousService();
    RendezvousService(const RendezvousService &) = delete;
    RendezvousService &operator=(const RendezvousService &) = delete;

    /// With gossip set (the node runs one; it should), a new revocation
    /// list goes out through it; otherwise the service applies and pushes
    /// it itself.
    void setGossip(RevocationGossip *gossip) { m_gossip = gossip; }
    /// A new request is waiting for the operator.
    void setPendingHandler(PendingHandler handler) { m_onPending = std::move(handler); }
    /// A certificate was issued to a joiner (at once or after approval).
    void setJoinedHandler(JoinedHandler handler) { m_onJoined = std::move(handler); }
    /// A new revocation list was issued (after the gossip, if any, has it).
    void setRevocationListHandler(ListHandler handler) { m_onList = std::move(handler); }

    /// Authority::approve, then the certificates go to joiners still connected.
    Result<QList<identity::Certificate>> approve(const QString &username);
    /// Authority::deny, then the answer goes to joiners still connected.
    Result<void> deny(const QString &username);
    /// Authority::revokeUser / revokeSerial, then the new list is applied to
    /// the sessions and pushed to every one.
    Result<identity::RevocationList> revokeUser(const QString &username);
    Result<identity::RevocationList> revokeSerial(quint64 serial);

    /// The channel listener's entry point; public so tests can drive the
    /// service without sessions.
    void handleControl(const net::PeerInfo &from, const QByteArray &message);

    struct Stats {
        quint64 joinRequests = 0;
        quint64 issued = 0;
        quint64 pending = 0;
        quint64 refused = 0;
        quint64 renewals = 0;
        quint64 directoryPages = 0;
    };
    const Stats &stats() const { return m_stats; }

private:
    void onJoin(const net::PeerInfo &from, const JoinRequest &request);
    void onRenew(const net::PeerInfo &from);
    void onDirectory(const net::PeerInfo &from, const DirectoryRequest &request);
    JoinResponse issuedResponse(const identity::Certificate &certificate) const;
    /// Sends to the session of the device with this key, if one is up.
    void sendToDevice(const crypto::PublicKey &deviceKey, const ControlMessage &message);
    void send(const base::Endpoint &to, const ControlMessage &message);
    void publish(const identity::RevocationList &crl);

    Authority &m_authority;
    ControlChannel &m_channel;
    base::Scheduler &m_scheduler;
    Bootstrap m_bootstrap;
    RevocationGossip *m_gossip = nullptr;
    PendingHandler m_onPending;
    JoinedHandler m_onJoined;
    ListHandler m_onList;
    ControlChannel::ListenerId m_listener = 0;
    Stats m_stats;
};

} // namespace cairn::rendezvous
