#pragma once

#include "core/base/rng.h"
#include "core/crypto/keystore.h"
#include "core/engine/error.h"
#include "core/engine/membership.h"
#include "core/engine/nodeconfig.h"
#include "core/engine/nodestats.h"
#include "core/identity/profile.h"
#include "core/net/securetransport.h"
#include "core/rendezvous/authority.h"
#include "core/rendezvous/policy.h"

#include <QObject>

#include <functional>
#include <memory>

namespace cairn::base {
class QtScheduler;
class UdpTransport;
} // namespace cairn::base
namespace cairn::store {
class BlobStore;
}
namespace cairn::dht {
class DhtNode;
}
namespace cairn::rendezvous {
class SecureControlChannel;
class RendezvousService;
class RevocationGossip;
class JoinClient;
class MemberClient;
} // namespace cairn::rendezvous

namespace cairn::engine {

class ControlServer;
class ControlApi;
class Messaging;

/// One Cairn node: the profile's identity, secure sessions on a UDP
/// socket, the DHT (storing into the donated store when there is one), the
/// group membership (and, on the operator's node, the rendezvous CA), and
/// the local control API. The composition root both `cairnd run` and the
/// desktop app build; ui/ talks only to this.
class Node : public QObject {
    Q_OBJECT
public:
    template <typename T> using Callback = std::function<void(Result<T>)>;

    /// Takes the unlocked keystore (and its passphrase, to save the CA key
    /// into it when this node creates a group).
    Node(NodeConfig config, crypto::KeystoreContents keystore, crypto::SecretBytes passphrase,
        QObject *parent = nullptr);
    ~Node() override;

    /// Binds the socket, opens the store and the membership, starts the
    /// overlay if we are a member, and serves the control socket.
    Result<void> start();
    /// Closes every session (telling peers), the control socket and the
    /// databases. Safe to call twice.
    void stop();

    const NodeConfig &config() const { return m_config; }
    /// The keys this node runs with (with the CA key once it created a
    /// group): what a restart or a backup of the profile needs.
    const crypto::KeystoreContents &keystore() const { return m_keystore; }
    base::Endpoint localEndpoint() const;
    identity::NodeId nodeId() const;
    const Membership &membership() const { return m_membership; }
    bool isMember() const { return m_membership.isMember(); }
    bool isOperator() const { return m_authority != nullptr; }
    QString controlSocketPath() const;
    static QString controlSocketPath(const QString &profileDir);

    /// What opens a cairn:// link sent to the control API ("open"): the
    /// desktop app shows it; a node without a window (cairnd) has none and
    /// refuses the command. The handler says why it cannot, or empty.
    void setLinkHandler(std::function<QString(const QString &link)> handler) { m_linkHandler = std::move(handler); }
    const std::function<QString(const QString &)> &linkHandler() const { return m_linkHandler; }

    // Group and membership.
    /// Makes this node the CA and operator of a new group.
    /// The CA key is saved into the keystore first (Argon2id, off the event
    /// loop), so `done` runs later.
    void createGroup(
        const QString &name, const rendezvous::SigningPolicy &policy, const QString &username, Callback<void> done);
    Result<identity::Invite> createInvite(int uses, qint64 expiresInSeconds);
    /// Joins with an invite link; done with the membership once issued,
    /// Pending (after the first answer, polling goes on) or an error.
    void join(const QString &link, const QString &username, Callback<Membership> done);
    Result<QList<rendezvous::PendingRequest>> pending() const;
    Result<QList<identity::Certificate>> approve(const QString &username);
    Result<void> deny(const QString &username);
    Result<identity::RevocationList> revokeUser(const QString &username);
    Result<identity::RevocationList> revokeSerial(quint64 serial);
    /// The group's members: from the CA on the operator's node, otherwise
    /// fetched from the rendezvous.
    void members(Callback<QList<rendezvous::Member>> done);
    Result<rendezvous::SigningPolicy> policy() const;
    /// Asks the rendezvous for a fresh certificate now. The node also does
    /// this by itself once less than NodeConfig::renewAtRemaining of the
    /// current one's lifetime is left.
    void renewCertificate(Callback<identity::Certificate> done);
    Result<void> setPolicy(const rendezvous::SigningPolicy &policy);

    // Storage through the overlay.
    /// Both need at least one session with a certified member: a node cut
    /// off from its group (revoked, or alone) does not pretend to store.
    void put(const QByteArray &value, qint64 ttlSeconds, Callback<QByteArray> done);
    void get(const QByteArray &key, Callback<QByteArray> done);
    /// Only what this node's donated storage holds (a storage operator's check).
    Result<QByteArray> getLocal(const QByteArray &key) const;

    NodeStats stats() const;
    /// Bytes in and out, one sample a second for the last hour.
    const RateMeter &rates() const { return m_rates; }
    QList<net::PeerInfo> peers() const;

    /// Mail and file drops; null until this node is a member of a group.
    Messaging *messaging() const { return m_messaging.get(); }

Q_SIGNALS:
    /// The control API's "stop" asks the application to shut down.
    void stopRequested();
    void membershipChanged();
    void pendingRequest(const QString &username);
    void revocationListChanged(quint64 version);

private:
    Result<void> finishCreateGroup(const crypto::DeviceKey &caKey, const QString &name,
        const rendezvous::SigningPolicy &policy, const QString &username);
    Result<void> openStore();
    Result<void> openAuthority();
    void startOverlay();
    void becomeMember(const Membership &membership);
    /// Builds the session layer (again, when this node becomes an operator).
    void makeSessions();
    void tearDownServices();
    void rememberRevocationList(const identity::RevocationList &crl);
    void scheduleRenewal();
    void renew();
    void countLookup(bool ok);
    void startMessaging();
    /// NotInGroup or Network when put/get cannot reach the group.
    Result<void> checkConnected() const;
    QList<base::Endpoint> bootstrapEndpoints() const;
    QList<base::Endpoint> advertisedEndpoints() const;
    Result<void> saveMembership();

    NodeConfig m_config;
    crypto::KeystoreContents m_keystore;
    crypto::SecretBytes m_passphrase;
    Membership m_membership;

    std::unique_ptr<base::QtScheduler> m_scheduler;
    std::unique_ptr<base::SodiumRng> m_rng;
    std::unique_ptr<base::UdpTransport> m_udp;
    std::unique_ptr<net::SecureTransport> m_sessions;
    /// The control channel shared by the rendezvous service, gossip and clients.
    std::unique_ptr<rendezvous::SecureControlChannel> m_channel;
    std::unique_ptr<store::BlobStore> m_store;
    std::unique_ptr<dht::DhtNode> m_dht;
    std::unique_ptr<rendezvous::Authority> m_authority;
    std::unique_ptr<rendezvous::RendezvousService> m_service;
    std::unique_ptr<rendezvous::RevocationGossip> m_gossip;
    std::unique_ptr<rendezvous::JoinClient> m_joinClient;
    std::unique_ptr<rendezvous::MemberClient> m_memberClient;
    std::unique_ptr<Messaging> m_messaging;
    std::function<QString(const QString &)> m_linkHandler;
    quint64 m_reconnectListener = 0; // a rendezvous::ControlChannel listener
    int m_certifiedPeers = 0;
    std::unique_ptr<ControlApi> m_controlApi;
    ControlServer *m_control = nullptr;
    RateMeter m_rates;
    quint64 m_lookups = 0;
    quint64 m_lookupsOk = 0;
    base::TimerId m_renewTimer = 0;
    bool m_started = false;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace cairn::engine
