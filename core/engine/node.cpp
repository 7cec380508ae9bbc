#include "core/engine/node.h"

#include "core/base/log.h"
#include "core/base/qt/qtscheduler.h"
#include "core/base/qt/udptransport.h"
#include "core/dht/dhtnode.h"
#include "core/engine/controlapi.h"
#include "core/engine/controlserver.h"
#include "core/engine/messaging.h"
#include "core/rendezvous/client.h"
#include "core/rendezvous/controlchannel.h"
#include "core/rendezvous/gossip.h"
#include "core/rendezvous/service.h"
#include "core/store/blobstore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QNetworkInterface>

namespace cairn::engine {

namespace {

constexpr base::Duration kSampleInterval {1'000'000};
/// While the routing table is empty (we started before anyone else), ask
/// the bootstrap nodes again this often.
constexpr base::Duration kRebootstrapInterval {3'000'000};

} // namespace

Node::Node(NodeConfig config, crypto::KeystoreContents keystore, crypto::SecretBytes passphrase, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_keystore(std::move(keystore)), m_passphrase(std::move(passphrase))
{
    // The control socket needs an absolute path (a relative name means
    // something else to QLocalServer).
    m_config.profileDir = QDir(m_config.profileDir).absolutePath();
}

Node::~Node()
{
    stop();
    *m_alive = false;
}

QString Node::controlSocketPath() const
{
    return controlSocketPath(m_config.profileDir);
}

QString Node::controlSocketPath(const QString &profileDir)
{
    return QDir(profileDir).filePath(QStringLiteral("control.sock"));
}

base::Endpoint Node::localEndpoint() const
{
    return m_udp ? m_udp->localEndpoint() : base::Endpoint {};
}

identity::NodeId Node::nodeId() const
{
    return identity::NodeId::fromDeviceKey(m_keystore.deviceKey.publicKey());
}

Result<void> Node::start()
{
    if (m_started)
        return {};
    // Before touching any file: a second node on one profile would share
    // its databases.
    if (ControlServer::isServed(controlSocketPath()))
        return base::fail(EngineError::Busy,
            QStringLiteral("another node is already running on this profile (%1)").arg(m_config.profileDir));
    m_scheduler = std::make_unique<base::QtScheduler>();
    m_rng = std::make_unique<base::SodiumRng>();

    auto loaded = Membership::load(m_config.profileDir);
    if (loaded.ok())
        m_membership = std::move(loaded.value());
    else if (loaded.code() != EngineError::NotFound)
        return loaded.error();

    m_udp = std::make_unique<base::UdpTransport>();
    if (auto bound = m_udp->bind(m_config.listen); !bound)
        return base::fail(EngineError::Network,
            QStringLiteral("cannot listen on %1: %2").arg(m_config.listen.toString(), bound.message()));

    makeSessions();

    if (auto opened = openStore(); !opened)
        return opened;
    if (m_membership.isOperator) {
        if (auto opened = openAuthority(); !opened)
            return opened;
    }
    if (m_membership.isMember())
        startOverlay();

    m_controlApi = std::make_unique<ControlApi>(*this);
    m_control
        = new ControlServer([this](const QString &cmd, const QJsonObject &args,
                                ControlServer::Reply reply) { m_controlApi->handle(cmd, args, std::move(reply)); },
            this);
    QString error;
    if (!m_control->listen(controlSocketPath(), &error))
        return base::fail(EngineError::Busy, error);

    // Bandwidth samples for the rates and the dashboard's chart.
    auto sample = std::make_shared<std::function<void()>>();
    *sample = [this, sample, alive = std::weak_ptr<bool>(m_alive)] {
        if (alive.expired() || !m_sessions)
            return;
        const auto &s = m_sessions->stats();
        m_rates.record(m_scheduler->now().count() / 1000, s.bytesIn, s.bytesOut);
        m_scheduler->callAfter(kSampleInterval, *sample);
    };
    (*sample)();

    if (!m_membership.isMember() && !m_membership.pendingInvite.isEmpty()) {
        // A join was waiting for approval when we stopped: keep asking.
        join(m_membership.pendingInvite, m_membership.username, [](Result<Membership>) {});
    }
    m_started = true;
    qCDebug(lcEngine).noquote() << "node" << nodeId().toHex().left(12) << "listening on"
                                << m_udp->localEndpoint().toString();
    return {};
}

void Node::makeSessions()
{
    tearDownServices();
    m_sessions.reset();
    net::SessionIdentity identity {
        m_keystore.deviceKey.clone(), m_membership.certificate, m_membership.caKey, m_membership.groupId};
    net::SessionConfig sessionConfig;
    // Only the rendezvous talks to devices that have no certificate yet.
    sessionConfig.acceptUncertified = m_membership.isOperator;
    m_sessions
        = std::make_unique<net::SecureTransport>(*m_udp, *m_scheduler, *m_rng, std::move(identity), sessionConfig);
    if (!m_membership.crl.isNull())
        m_sessions->setRevocationList(m_membership.crl);
    m_channel = std::make_unique<rendezvous::SecureControlChannel>(*m_sessions);
}

void Node::tearDownServices()
{
    // Users of the channel first, then the channel; the sessions outlive both.
    m_messaging.reset();
    if (m_channel && m_reconnectListener)
        m_channel->removeListener(m_reconnectListener);
    m_reconnectListener = 0;
    m_joinClient.reset();
    m_memberClient.reset();
    m_service.reset();
    m_gossip.reset();
    m_dht.reset();
    m_channel.reset();
}

void Node::stop()
{
    if (!m_started)
        return;
    m_started = false;
    if (m_control)
        m_control->close();
    if (m_sessions)
        m_sessions->closeAll();
    tearDownServices();
    m_sessions.reset();
    m_authority.reset();
    m_store.reset();
}

Result<void> Node::openStore()
{
    if (m_config.donateBytes <= 0)
        return {};
    store::StoreLimits limits;
    limits.totalQuota = m_config.donateBytes;
    // One member may take half of what we give (so a big drop fits on a
    // few donors), never less than the store's own default.
    limits.perSenderQuota
        = m_config.perSenderBytes > 0 ? m_config.perSenderBytes : qMax(limits.perSenderQuota, m_config.donateBytes / 2);
    const QString dir = m_config.storeDir.isEmpty() ? m_config.profileDir : m_config.storeDir;
    if (!QDir().mkpath(dir))
        return base::fail(EngineError::Storage, QStringLiteral("cannot create the storage folder %1").arg(dir));
    auto opened = store::BlobStore::open(QDir(dir).filePath(QStringLiteral("store.db")), limits);
    if (!opened)
        return base::fail(
            EngineError::Storage, QStringLiteral("cannot open the donated storage: %1").arg(opened.message()));
    m_store = std::move(opened.value());
    return {};
}

Result<void> Node::openAuthority()
{
    auto seed = m_keystore.secrets.find(QStringLiteral("ca"));
    if (seed == m_keystore.secrets.end())
        return base::fail(
            EngineError::Corrupt, QStringLiteral("this profile runs a group but its keystore holds no CA key"));
    auto caKey = crypto::DeviceKey::fromSeed(seed->second.view());
    if (!caKey)
        return base::fail(EngineError::Corrupt, QStringLiteral("the keystore's CA key is damaged"));
    auto opened = rendezvous::Authority::open(
        QDir(m_config.profileDir).filePath(QStringLiteral("rendezvous.db")), caKey.value());
    if (!opened)
        return base::fail(
            EngineError::Storage, QStringLiteral("cannot open the group database: %1").arg(opened.message()));
    m_authority = std::move(opened.value());
    m_service = std::make_unique<rendezvous::RendezvousService>(
        *m_authority, *m_channel, *m_scheduler, [this] { return bootstrapEndpoints(); });
    m_service->setPendingHandler(
        [this](const rendezvous::PendingRequest &request) { Q_EMIT pendingRequest(request.username); });
    m_service->setRevocationListHandler([this](const identity::RevocationList &crl) { rememberRevocationList(crl); });
    return {};
}

void Node::startOverlay()
{
    if (m_dht)
        return;
    dht::DhtConfig dhtConfig;
    dhtConfig.replicas = m_config.replicas;
    m_dht = std::make_unique<dht::DhtNode>(nodeId(), *m_sessions, *m_scheduler, *m_rng, m_store.get(), dhtConfig);
    // A member may speak only for the overlay position its certificate binds.
    m_dht->rpc().setSenderCheck([this](const base::Endpoint &from, const identity::NodeId &sender) {
        const auto peer = m_sessions->peer(from);
        return peer && peer->certified() && peer->nodeId == sender;
    });
    m_gossip = std::make_unique<rendezvous::RevocationGossip>(
        *m_channel, m_membership.caKey, m_membership.groupId, m_membership.crl);
    m_gossip->setNewListHandler([this](const identity::RevocationList &crl) { rememberRevocationList(crl); });
    if (m_service)
        m_service->setGossip(m_gossip.get());
    if (!m_membership.isOperator && !m_membership.rendezvous.isEmpty())
        m_memberClient = std::make_unique<rendezvous::MemberClient>(*m_channel, *m_scheduler, m_membership.rendezvous);

    auto bootstrap = std::make_shared<std::function<void()>>();
    *bootstrap = [this, bootstrap, alive = std::weak_ptr<bool>(m_alive)] {
        if (alive.expired() || !m_dht)
            return;
        const QList<base::Endpoint> endpoints = bootstrapEndpoints();
        if (endpoints.isEmpty())
            return; // the first node of its group: others will find us
        m_dht->bootstrap(endpoints, [this, bootstrap, alive](dht::Result<int> found) {
            if (alive.expired() || !m_dht)
                return;
            if (!found || m_dht->routingTable().size() == 0)
                m_scheduler->callAfter(kRebootstrapInterval, *bootstrap);
        });
    };
    (*bootstrap)();
    scheduleRenewal();
    startMessaging();
}

void Node::startMessaging()
{
    m_messaging = std::make_unique<Messaging>(
        *this, *m_dht, *m_scheduler, *m_rng, m_keystore.deviceKey, m_membership, m_config);
    if (auto opened = m_messaging->open(); !opened) {
        qCWarning(lcEngine).noquote() << opened.message();
        m_messaging.reset();
        return;
    }
    // Mail may have waited for us while we were cut off: look at once when
    // the first certified peer is back.
    m_certifiedPeers = 0;
    rendezvous::ControlChannel::Listener listener;
    listener.sessionUp = [this](const net::PeerInfo &peer) {
        if (!peer.certified())
            return;
        if (m_certifiedPeers++ == 0 && m_messaging)
            m_scheduler->callAfter(std::chrono::milliseconds(500), [this, alive = std::weak_ptr<bool>(m_alive)] {
                if (!alive.expired() && m_messaging)
                    m_messaging->pollNow();
            });
    };
    listener.sessionDown = [this](const net::PeerInfo &peer, net::CloseReason) {
        if (peer.certified() && m_certifiedPeers > 0)
            --m_certifiedPeers;
    };
    m_reconnectListener = m_channel->addListener(std::move(listener));
}

QList<base::Endpoint> Node::bootstrapEndpoints() const
{
    QList<base::Endpoint> out;
    const base::Endpoint self = localEndpoint();
    auto add = [&](const base::Endpoint &e) {
        if (e.isValid() && !out.contains(e)
            && !(e.port == self.port && (e.address == self.address || e.address.isLoopback())))
            out.append(e);
    };
    for (const auto &e : m_config.bootstrap)
        add(e);
    for (const auto &e : m_membership.rendezvous)
        add(e);
    // The operator hands joiners the members it is talking to.
    if (m_sessions) {
        for (const auto &peer : m_sessions->peers()) {
            if (peer.certified() && out.size() < 16)
                add(peer.endpoint);
        }
    }
    return out;
}

QList<base::Endpoint> Node::advertisedEndpoints() const
{
    const base::Endpoint local = localEndpoint();
    if (!local.address.isEqual(QHostAddress::AnyIPv4) && !local.address.isEqual(QHostAddress::Any)
        && !local.address.isEqual(QHostAddress::AnyIPv6))
        return {local};
    QList<base::Endpoint> out;
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback() && out.size() < 4)
            out.append(base::Endpoint {address, local.port});
    }
    if (out.isEmpty())
        out.append(base::Endpoint {QHostAddress::LocalHost, local.port});
    return out;
}

Result<void> Node::saveMembership()
{
    return m_membership.save(m_config.profileDir);
}

void Node::becomeMember(const Membership &membership)
{
    m_membership = membership;
    m_membership.pendingInvite.clear();
    if (auto saved = saveMembership(); !saved)
        qCWarning(lcEngine).noquote() << saved.message();
    m_sessions->setTrustAnchor(m_membership.caKey, m_membership.groupId);
    m_sessions->setCertificate(m_membership.certificate);
    if (!m_membership.crl.isNull())
        m_sessions->setRevocationList(m_membership.crl);
    // Sessions opened while joining presented no certificate: setCertificate
    // carries the new one to their peers with a rekey, so they stay open.
    startOverlay();
    Q_EMIT membershipChanged();
}

void Node::rememberRevocationList(const identity::RevocationList &crl)
{
    if (!m_membership.crl.isNull() && !crl.supersedes(m_membership.crl))
        return;
    m_membership.crl = crl;
    if (auto saved = saveMembership(); !saved)
        qCWarning(lcEngine).noquote() << saved.message();
    Q_EMIT revocationListChanged(crl.version());
}

void Node::scheduleRenewal()
{
    if (m_renewTimer)
        m_scheduler->cancel(m_renewTimer);
    m_renewTimer = 0;
    const auto &cert = m_membership.certificate;
    if (cert.isNull())
        return;
    const qint64 lifetime = cert.notAfter() - cert.notBefore();
    const qint64 renewAt = cert.notAfter() - qint64(double(lifetime) * m_config.renewAtRemaining);
    const qint64 wait = std::max<qint64>(1, renewAt - m_scheduler->unixTime());
    // Timers far in the future are re-armed hourly (the clock may jump).
    const qint64 step = std::min<qint64>(wait, 3600);
    m_renewTimer = m_scheduler->callAfter(base::Duration(step * 1'000'000), [this] {
        m_renewTimer = 0;
        const auto &c = m_membership.certificate;
        const qint64 life = c.notAfter() - c.notBefore();
        if (m_scheduler->unixTime() >= c.notAfter() - qint64(double(life) * m_config.renewAtRemaining))
            renew();
        else
            scheduleRenewal();
    });
}

void Node::renew()
{
    renewCertificate([this, alive = std::weak_ptr<bool>(m_alive)](Result<identity::Certificate> renewed) {
        if (alive.expired() || renewed)
            return;
        qCWarning(lcEngine).noquote() << "certificate renewal failed, retrying in 10 minutes:" << renewed.message();
        m_renewTimer = m_scheduler->callAfter(base::Duration(600LL * 1'000'000), [this] { renew(); });
    });
}

void Node::renewCertificate(Callback<identity::Certificate> done)
{
    if (m_membership.certificate.isNull())
        return done(base::fail(EngineError::NotInGroup, QStringLiteral("this node is not a member of a group yet")));
    auto update = [this](const identity::Certificate &cert) {
        m_membership.certificate = cert;
        m_sessions->setCertificate(cert);
        if (auto saved = saveMembership(); !saved)
            qCWarning(lcEngine).noquote() << saved.message();
        qCDebug(lcEngine) << "certificate renewed until" << cert.notAfter();
        scheduleRenewal();
    };
    if (m_authority) {
        auto renewed = m_authority->renew(m_membership.certificate, m_scheduler->unixTime());
        if (!renewed)
            return done(base::fail(EngineError::Denied, renewed.message()));
        update(renewed.value());
        return done(renewed.value());
    }
    if (!m_memberClient)
        return done(base::fail(EngineError::Network, QStringLiteral("no rendezvous address is known")));
    m_memberClient->renew(
        [update, done, alive = std::weak_ptr<bool>(m_alive)](rendezvous::Result<identity::Certificate> renewed) {
            if (alive.expired())
                return;
            if (!renewed)
                return done(base::fail(renewed.code() == rendezvous::RendezvousError::Unreachable ? EngineError::Network
                                                                                                  : EngineError::Denied,
                    renewed.message()));
            update(renewed.value());
            done(renewed.value());
        });
}

void Node::countLookup(bool ok)
{
    ++m_lookups;
    if (ok)
        ++m_lookupsOk;
}

Result<void> Node::checkConnected() const
{
    if (!m_dht)
        return base::fail(EngineError::NotInGroup, QStringLiteral("this node is not a member of a group yet"));
    const auto list = m_sessions->peers();
    if (std::none_of(list.begin(), list.end(), [](const net::PeerInfo &p) { return p.certified(); }))
        return base::fail(EngineError::Network,
            QStringLiteral("not connected to any member of the group (offline, or this device was revoked)"));
    return {};
}

Result<QByteArray> Node::getLocal(const QByteArray &key) const
{
    if (!m_store)
        return base::fail(EngineError::NotFound, QStringLiteral("this node donates no storage"));
    auto value = m_store->getBlob(key, m_scheduler->unixTime());
    if (!value)
        return base::fail(EngineError::Storage, value.message());
    if (!value.value())
        return base::fail(EngineError::NotFound, QStringLiteral("this node does not hold that value"));
    return *value.value();
}

void Node::put(const QByteArray &value, qint64 ttlSeconds, Callback<QByteArray> done)
{
    if (auto connected = checkConnected(); !connected)
        return done(connected.error());
    m_dht->putBlob(value, ttlSeconds, [this, done, alive = std::weak_ptr<bool>(m_alive)](dht::Result<QByteArray> key) {
        if (alive.expired())
            return;
        countLookup(key.ok());
        if (!key)
            return done(base::fail(EngineError::Network, key.message()));
        done(key.value());
    });
}

void Node::get(const QByteArray &key, Callback<QByteArray> done)
{
    if (auto connected = checkConnected(); !connected)
        return done(connected.error());
    m_dht->getBlob(key, [this, done, alive = std::weak_ptr<bool>(m_alive)](dht::Result<QByteArray> value) {
        if (alive.expired())
            return;
        countLookup(value.ok());
        if (!value)
            return done(
                base::fail(value.code() == dht::DhtError::NotFound ? EngineError::NotFound : EngineError::Network,
                    value.message()));
        done(value.value());
    });
}

QList<net::PeerInfo> Node::peers() const
{
    return m_sessions ? m_sessions->peers() : QList<net::PeerInfo> {};
}

NodeStats Node::stats() const
{
    NodeStats s;
    s.state = m_membership.isMember()          ? QStringLiteral("member")
        : m_membership.pendingInvite.isEmpty() ? QStringLiteral("no-group")
                                               : QStringLiteral("pending");
    s.groupName = m_membership.groupName;
    s.username = m_membership.username;
    s.isOperator = isOperator();
    s.listen = localEndpoint().toString();
    s.nodeId = nodeId().toHex();
    if (m_store) {
        const auto usage = m_store->usage();
        s.storageUsed = usage.bytesUsed;
        s.storageQuota = usage.quota;
        s.storedItems = usage.blobs + usage.inboxEntries + usage.records;
    }
    if (m_sessions) {
        const auto list = m_sessions->peers();
        s.sessions = int(list.size());
        s.certifiedPeers = int(std::count_if(list.begin(), list.end(), [](const auto &p) { return p.certified(); }));
        const auto &st = m_sessions->stats();
        s.bytesIn = st.bytesIn;
        s.bytesOut = st.bytesOut;
        s.handshakesCompleted = st.handshakesCompleted;
        s.handshakesRejected = st.handshakesRejected;
        s.replaysRejected = st.replaysRejected;
        s.junkRejected = st.junkRejected;
        s.rateLimited = st.rateLimited;
        s.cookiesSent = st.cookiesSent;
    }
    s.rateIn = m_rates.rateIn();
    s.rateOut = m_rates.rateOut();
    if (m_dht)
        s.routingTableSize = m_dht->routingTable().size();
    if (m_authority) {
        s.members = int(m_authority->members().size());
        s.pending = int(m_authority->pending().size());
    }
    if (!m_membership.crl.isNull()) {
        s.revocations = int(m_membership.crl.revokedUsernames().size() + m_membership.crl.revokedSerials().size());
        s.crlVersion = m_membership.crl.version();
    }
    s.lookups = m_lookups;
    s.lookupsSucceeded = m_lookupsOk;
    if (!m_membership.certificate.isNull())
        s.certificateExpires = m_membership.certificate.notAfter();
    return s;
}

} // namespace cairn::engine
