// The rendezvous end to end in the simulator, over real SecureTransports:
// joining under each policy, an approval pushed to a waiting joiner, a new
// member renewing and reading the directory, and a revocation reaching
// every node, including one that was offline when it was issued.
#include "core/rendezvous/client.h"
#include "core/rendezvous/gossip.h"
#include "core/rendezvous/service.h"
#include "tests/sim/lib/seed.h"
#include "tests/sim/lib/world.h"
#include "tests/unit/rendezvous/rendezvousfixture.h"

using namespace cairn;
using namespace cairn::rendezvous;
using namespace cairn::rendezvous::testing;
using namespace std::chrono_literals;

namespace {

/// One simulated host: its keys, certificate, sessions, control channel,
/// gossip, and the revocation list it keeps "on disk" across a crash.
struct Host {
    sim::NodeId id = sim::kNoNode;
    crypto::DeviceKey key;
    identity::Certificate certificate;
    identity::RevocationList savedCrl;
    std::unique_ptr<net::SecureTransport> transport;
    std::unique_ptr<SecureControlChannel> channel;
    std::unique_ptr<RevocationGossip> gossip;

    explicit Host(crypto::DeviceKey k) : key(std::move(k)) { }
    void stop()
    {
        gossip.reset();
        channel.reset();
        transport.reset();
    }
};

/// A group with its operator's node running the rendezvous.
struct Net {
    sim::World world;
    Group group;
    std::vector<std::unique_ptr<Host>> hosts;
    Host *op = nullptr;
    std::unique_ptr<RendezvousService> service;

    explicit Net(quint64 seed, const char *policy = "auto")
        : world(sim::seedFromEnv(seed)), group(SigningPolicy::parse(QString::fromLatin1(policy)).value(), seed)
    {
        world.setUnixStart(kNow);
        op = &add();
        op->certificate = group.authority->issueOwn(op->key.publicKey(), QStringLiteral("operator"), kNow).value();
        net::SessionConfig config;
        config.acceptUncertified = true;
        start(*op, config);
        service = std::make_unique<RendezvousService>(*group.authority, *op->channel, world.node(op->id).scheduler(),
            [this] { return QList<base::Endpoint> {endpoint(*op)}; });
        service->setGossip(op->gossip.get());
    }
    ~Net()
    {
        service.reset();
        for (auto &h : hosts)
            h->stop();
    }

    Host &add()
    {
        hosts.push_back(std::make_unique<Host>(crypto::DeviceKey::generate(group.rng)));
        hosts.back()->id = world.addNode();
        hosts.back()->savedCrl = group.authority->revocationList(); // what joining gave it
        return *hosts.back();
    }

    /// (Re)starts the host's sessions with its certificate and saved list.
    void start(Host &h, const net::SessionConfig &config = {})
    {
        h.stop();
        sim::SimNode &node = world.node(h.id);
        net::SessionIdentity identity {h.key.clone(), h.certificate, group.ca.publicKey(), group.authority->groupId()};
        h.transport = std::make_unique<net::SecureTransport>(
            node.transport(), node.scheduler(), node.rng(), std::move(identity), config);
        h.channel = std::make_unique<SecureControlChannel>(*h.transport);
        Host *raw = &h;
        const identity::RevocationList initial = h.savedCrl.isNull() ? group.authority->revocationList() : h.savedCrl;
        h.gossip
            = std::make_unique<RevocationGossip>(*h.channel, group.ca.publicKey(), group.authority->groupId(), initial);
        h.gossip->setNewListHandler([raw](const identity::RevocationList &crl) { raw->savedCrl = crl; });
    }

    /// A host that joined already: certificate straight from the authority.
    Host &member(const QString &username)
    {
        Host &h = add();
        const QByteArray hash(32, 'm');
        const identity::Invite invite = group.invite();
        const JoinDecision d = group.authority->decide(
            JoinRequest {invite.token(), username, h.key.publicKey(), joinProof(h.key, hash, invite.token(), username)},
            hash, kNow);
        if (d.status != JoinDecision::Status::Issued)
            qFatal("member(): %s", qPrintable(d.message));
        h.certificate = d.certificate;
        start(h);
        return h;
    }

    /// A host without a certificate, and a JoinClient on it (not started).
    struct Joiner {
        Host *host;
        std::unique_ptr<JoinClient> client;
        std::optional<Result<JoinResponse>> result;
        QList<JoinResponse> progress;
    };
    std::unique_ptr<Joiner> joiner(const QString &username, const identity::Invite &invite)
    {
        Host &h = add();
        // No trust anchor until the invite gives one.
        sim::SimNode &node = world.node(h.id);
        h.transport = std::make_unique<net::SecureTransport>(
            node.transport(), node.scheduler(), node.rng(), net::SessionIdentity {h.key.clone(), {}, {}, {}});
        h.channel = std::make_unique<SecureControlChannel>(*h.transport);
        auto j = std::make_unique<Joiner>();
        j->host = &h;
        j->client = std::make_unique<JoinClient>(*h.channel, node.scheduler(), invite, username, h.key);
        Joiner *raw = j.get();
        j->client->start([raw](const JoinResponse &r) { raw->progress.append(r); },
            [raw](Result<JoinResponse> r) { raw->result = std::move(r); });
        return j;
    }

    identity::Invite invite(int uses = 5)
    {
        return group.authority->createInvite(uses, kNow + kDay, {endpoint(*op)}, group.rng, kNow).value();
    }

    base::Endpoint endpoint(const Host &h) const { return world.node(h.id).endpoint(); }

    /// Opens a session from a to b (a Hello on the control channel).
    void connect(Host &a, const Host &b) { a.channel->sendControl(endpoint(b), ControlMessage(Hello {}).encode()); }
};

} // namespace

class TestSessions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aJoinUnderAutoIssuesAtOnce()
    {
        Net net(1, "auto");
        auto j = net.joiner(QStringLiteral("alice"), net.invite());
        net.world.runFor(3s); // a handshake and one round trip, with the odd slow datagram
        QVERIFY(j->result.has_value());
        CAIRN_VERIFY_OK(j->result.value());
        const JoinResponse &r = j->result->value();
        QCOMPARE(r.status, ResponseStatus::Issued);
        const crypto::PublicKey key = j->host->key.publicKey();
        CAIRN_VERIFY_OK(identity::verifyCertificate(
            r.certificate, net.group.ca.publicKey(), net.group.authority->groupId(), kNow, &r.crl, &key));
        QCOMPARE(r.bootstrap, QList<base::Endpoint> {net.endpoint(*net.op)});
        QVERIFY(j->progress.isEmpty());
        QCOMPARE(net.service->stats().issued, quint64(1));
    }

    void aJoinUnderQuotaIssuesTheFirstAndHoldsTheNext()
    {
        Net net(2, "quota:1");
        const identity::Invite invite = net.invite();
        auto first = net.joiner(QStringLiteral("ann"), invite);
        net.world.runFor(3s);
        QVERIFY(first->result.has_value());
        CAIRN_VERIFY_OK(first->result.value());
        auto second = net.joiner(QStringLiteral("ben"), invite);
        net.world.runFor(5s);
        QVERIFY(!second->result.has_value());
        QCOMPARE(second->progress.size(), 1);
        QCOMPARE(second->progress[0].status, ResponseStatus::Pending);
        QCOMPARE(net.group.authority->pending().size(), 1);
    }

    void anApprovalIsPushedToTheWaitingJoiner()
    {
        Net net(3, "manual");
        QList<PendingRequest> seen;
        net.service->setPendingHandler([&](const PendingRequest &r) { seen.append(r); });
        auto j = net.joiner(QStringLiteral("bob"), net.invite());
        net.world.runFor(7s);
        QCOMPARE(j->progress.size(), 1);
        QCOMPARE(seen.size(), 1);
        QCOMPARE(seen[0].username, QStringLiteral("bob"));
        QVERIFY(j->client->requestsSent() >= 3); // it kept polling
        QVERIFY(!j->result.has_value());
        // Approve just after a poll went out: the answer arrives before the next one.
        const int before = j->client->requestsSent();
        for (int i = 0; i < 300 && j->client->requestsSent() == before; ++i)
            net.world.runFor(10ms);
        const int polls = j->client->requestsSent();
        CAIRN_VERIFY_OK(net.service->approve(QStringLiteral("bob")));
        net.world.runFor(1500ms);
        QVERIFY(j->result.has_value());
        CAIRN_VERIFY_OK(j->result.value());
        QCOMPARE(j->client->requestsSent(), polls);
        QCOMPARE(j->result->value().certificate.username(), QStringLiteral("bob"));
    }

    void aJoinRetriesThroughLossAndGivesUpOnSilence()
    {
        Net net(7, "auto");
        sim::LinkParams lossy;
        lossy.loss = 0.2;
        net.world.links().setDefaults(lossy);
        const identity::Invite invite = net.invite();
        auto j = net.joiner(QStringLiteral("lou"), invite);
        net.world.runFor(9s);
        QVERIFY2(j->result.has_value(), qPrintable(sim::replayHint(net.world.seed())));
        CAIRN_VERIFY_OK(j->result.value());

        // Cut off from the rendezvous: Unreachable after ten seconds of silence.
        auto k = net.joiner(QStringLiteral("ken"), invite);
        net.world.partition({{k->host->id}});
        net.world.runFor(9s);
        QVERIFY(!k->result.has_value());
        net.world.runFor(2s);
        QVERIFY(k->result.has_value());
        CAIRN_VERIFY_ERROR(k->result.value(), RendezvousError::Unreachable);
        QCOMPARE(k->client->requestsSent(), 0); // the token never left
    }

    void aDeniedJoinerIsToldAtOnce()
    {
        Net net(4, "manual");
        auto j = net.joiner(QStringLiteral("mallory"), net.invite());
        net.world.runFor(3s);
        CAIRN_VERIFY_OK(net.service->deny(QStringLiteral("mallory")));
        net.world.runFor(1500ms);
        QVERIFY(j->result.has_value());
        CAIRN_VERIFY_ERROR(j->result.value(), RendezvousError::Denied);
    }

    void aNewMemberRenewsAndReadsTheDirectory()
    {
        Net net(5, "auto");
        net.member(QStringLiteral("carol"));
        auto j = net.joiner(QStringLiteral("dave"), net.invite());
        net.world.runFor(3s);
        QVERIFY(j->result.has_value());
        CAIRN_VERIFY_OK(j->result.value());
        Host &dave = *j->host;
        // Apply the certificate: the session layer carries it to the
        // rendezvous (a rekey), which now sees a member.
        dave.channel->setCertificate(j->result->value().certificate);
        net.world.runFor(1s);
        QVERIFY(net.op->transport->peer(net.endpoint(dave)));
        QCOMPARE(net.op->transport->peer(net.endpoint(dave))->certificate, j->result->value().certificate);
        MemberClient client(*dave.channel, net.world.node(dave.id).scheduler(), {net.endpoint(*net.op)});

        std::optional<Result<QList<identity::Certificate>>> directory;
        client.fetchDirectory([&](Result<QList<identity::Certificate>> r) { directory = std::move(r); });
        net.world.runFor(4s);
        QVERIFY(directory.has_value());
        CAIRN_VERIFY_OK(directory.value());
        QStringList names;
        for (const identity::Certificate &c : directory->value())
            names.append(c.username());
        QCOMPARE(names, (QStringList {QStringLiteral("carol"), QStringLiteral("dave"), QStringLiteral("operator")}));

        net.world.runFor(3600s);
        std::optional<Result<identity::Certificate>> renewed;
        client.renew([&](Result<identity::Certificate> r) { renewed = std::move(r); });
        net.world.runFor(4s);
        QVERIFY(renewed.has_value());
        CAIRN_VERIFY_OK(renewed.value());
        QVERIFY(renewed->value().serial() > j->result->value().certificate.serial());
        QCOMPARE(renewed->value().deviceKey(), dave.key.publicKey());
    }

    void aRevocationReachesEveryNodeAndAnOfflineOneOnReconnect()
    {
        Net net(6, "auto");
        Host &a = net.member(QStringLiteral("alice"));
        Host &b = net.member(QStringLiteral("bob"));
        Host &c = net.member(QStringLiteral("carol"));
        Host &m = net.member(QStringLiteral("mallory"));
        // Everyone has a session with the operator; alice also with carol.
        for (Host *h : {&a, &b, &c, &m})
            net.connect(*h, *net.op);
        net.connect(a, c);
        net.world.runFor(4s);
        QCOMPARE(net.op->transport->sessionCount(), 4);

        // Carol goes offline (keeping what is on her disk).
        net.world.setCrashHook(c.id, [&](sim::SimNode &) { c.stop(); });
        net.world.crash(c.id);
        net.world.runFor(1s);

        auto list = net.service->revokeUser(QStringLiteral("mallory"));
        CAIRN_VERIFY_OK(list);
        net.world.runFor(4s);
        for (Host *h : {&a, &b}) {
            QCOMPARE(h->gossip->version(), list->version());
            QCOMPARE(h->transport->revocationList(), list.value());
            QCOMPARE(h->savedCrl, list.value()); // handed over to be kept
        }
        QCOMPARE(net.op->transport->revocationList(), list.value());
        // Mallory's session is gone and she cannot open another.
        QVERIFY(!net.op->transport->peer(net.endpoint(m)));
        net.connect(m, a);
        net.world.runFor(6s);
        QVERIFY(!a.transport->peer(net.endpoint(m)));

        // Carol comes back with the old list and meets alice (not the
        // operator): alice's gossip brings her up to date.
        QCOMPARE(c.savedCrl.version(), quint64(1)); // nothing new reached her before the crash
        net.world.restart(c.id);
        net.start(c);
        QCOMPARE(c.gossip->version(), quint64(1));
        net.connect(c, a);
        net.world.runFor(4s);
        QCOMPARE(c.gossip->version(), list->version());
        QCOMPARE(c.transport->revocationList(), list.value());
        QCOMPARE(c.savedCrl, list.value());
    }
};

QTEST_GUILESS_MAIN(TestSessions)
#include "test_sessions.moc"
