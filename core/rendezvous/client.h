#pragma once

#include "core/base/scheduler.h"
#include "core/crypto/keys.h"
#include "core/identity/certificate.h"
#include "core/identity/invite.h"
#include "core/rendezvous/controlchannel.h"
#include "core/rendezvous/error.h"
#include "core/rendezvous/messages.h"
#include "core/rendezvous/retrier.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace cairn::rendezvous {

/// A device joining a group with an invite. It sets the invite's CA key
/// and group id as the channel's trust anchor, opens a session to one of
/// the invite's rendezvous addresses (whose certificate must carry the
/// Operator role), signs a JoinRequest bound to that session's handshake
/// hash, and sends it; it asks again every 2 s while nothing comes back,
/// trying the next address each time, and gives up with Unreachable after
/// 10 s without an answer. A Pending answer is reported through `progress`
/// (once, and again when its message changes) and polled every 2 s until
/// the answer is Issued or Denied; an Issued answer pushed after an
/// approval ends it at once. done() gets the response only once its
/// certificate verifies for this device, username and the invite's group.
/// The rest is the caller's: keep the certificate and apply it
/// (channel.setCertificate; the session layer carries it to its peers with
/// a rekey, and renewal and the directory need it). After
/// Unreachable, a pending request can be resumed later with the same
/// invite: asking again uses no further use of it.
class JoinClient {
public:
    using Progress = std::function<void(const JoinResponse &response)>;
    using Done = std::function<void(Result<JoinResponse> result)>;

    JoinClient(ControlChannel &channel, base::Scheduler &scheduler, identity::Invite invite, QString username,
        const crypto::DeviceKey &deviceKey);
    ~JoinClient();
    JoinClient(const JoinClient &) = delete;
    JoinClient &operator=(const JoinClient &) = delete;

    /// Calls done exactly once (never from inside start()), unless cancelled first.
    void start(Progress progress, Done done);
    /// Stops without calling done.
    void cancel();
    bool running() const { return m_running; }
    /// Requests sent so far (for tests and statistics).
    int requestsSent() const { return m_requestsSent; }

    void handleControl(const net::PeerInfo &from, const QByteArray &message);
    void handleSessionUp(const net::PeerInfo &peer);

private:
    void send(const base::Endpoint &to);
    void onResponse(const JoinResponse &response);
    Result<void> check(const JoinResponse &response) const;
    void finish(Result<JoinResponse> result);
    void failLater(RendezvousError code, const QString &message);

    ControlChannel &m_channel;
    base::Scheduler &m_scheduler;
    identity::Invite m_invite;
    QString m_username;
    crypto::DeviceKey m_deviceKey;
    Retrier m_retrier;
    Progress m_progress;
    Done m_done;
    ControlChannel::ListenerId m_listener = 0;
    /// The handshake hash the last request's proof was bound to.
    QByteArray m_binding;
    QString m_lastPendingMessage;
    bool m_reportedPending = false;
    bool m_running = false;
    bool m_retriedProof = false;
    int m_requestsSent = 0;
    base::TimerId m_deferred = 0;
};

/// A certified node's requests to the rendezvous: renewing its certificate
/// and fetching the group directory (page by page). Retries and gives up
/// like JoinClient. Answers count only from a rendezvous address whose
/// certificate carries the Operator role. A renewed certificate is checked
/// (same device and username, valid now, issued by our CA) before done()
/// gets it; applying and keeping it is the caller's. Directory entries that
/// do not verify, or that the channel's revocation list revokes, are left out.
class MemberClient {
public:
    using RenewDone = std::function<void(Result<identity::Certificate> certificate)>;
    using DirectoryDone = std::function<void(Result<QList<identity::Certificate>> certificates)>;

    MemberClient(ControlChannel &channel, base::Scheduler &scheduler, QList<base::Endpoint> rendezvous);
    ~MemberClient();
    MemberClient(const MemberClient &) = delete;
    MemberClient &operator=(const MemberClient &) = delete;

    /// A second call while one runs waits for the same answer.
    void renew(RenewDone done);
    void fetchDirectory(DirectoryDone done);

    void handleControl(const net::PeerInfo &from, const QByteArray &message);

private:
    void onRenewResponse(const RenewResponse &response);
    void onDirectoryResponse(const DirectoryResponse &response);
    void finishRenew(const Result<identity::Certificate> &result);
    void finishDirectory(const Result<QList<identity::Certificate>> &result);

    ControlChannel &m_channel;
    base::Scheduler &m_scheduler;
    Retrier m_renewRetrier;
    Retrier m_directoryRetrier;
    QList<RenewDone> m_renewWaiters;
    QList<DirectoryDone> m_directoryWaiters;
    QList<identity::Certificate> m_pages;
    quint32 m_offset = 0;
    ControlChannel::ListenerId m_listener = 0;
};

} // namespace cairn::rendezvous
