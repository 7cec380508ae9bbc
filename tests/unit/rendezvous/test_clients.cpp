// JoinClient and MemberClient on a fake channel in virtual time: what they
// send, when they retry and poll, what they accept, when they give up.
#include "core/rendezvous/client.h"
#include "tests/sim/lib/world.h"
#include "tests/unit/rendezvous/fakechannel.h"
#include "tests/unit/rendezvous/rendezvousfixture.h"

using namespace cairn;
using namespace cairn::rendezvous;
using namespace cairn::rendezvous::testing;
using namespace std::chrono_literals;

namespace {

/// A group with its operator's certificate, and a joiner (device 1) on a fake channel.
struct Rig {
    Group group;
    sim::World world {5};
    identity::Certificate operatorCert;
    identity::Invite invite;
    FakeChannel channel;
    std::optional<Result<JoinResponse>> result;
    QList<JoinResponse> progress;

    explicit Rig(const char *policy = "auto")
        : group(SigningPolicy::parse(QString::fromLatin1(policy)).value()),
          operatorCert(group.authority->issueOwn(group.devices[0].publicKey(), QStringLiteral("op"), kNow).value()),
          invite(group.invite(5)),
          channel(net::SessionIdentity {group.devices[1].clone(), {}, crypto::PublicKey {}, QByteArray()})
    {
        world.setUnixStart(kNow);
    }

    base::Endpoint rendezvous() const { return invite.rendezvous().first(); }
    net::PeerInfo operatorPeer(const QByteArray &hash = QByteArray(32, 'o')) const
    {
        net::PeerInfo p = peerInfo(0, group.devices[0].publicKey(), operatorCert, hash);
        p.endpoint = rendezvous();
        return p;
    }

    std::unique_ptr<JoinClient> join(const QString &username = QStringLiteral("alice"))
    {
        auto client = std::make_unique<JoinClient>(channel, world.scheduler(), invite, username, group.devices[1]);
        client->start([this](const JoinResponse &r) { progress.append(r); },
            [this](Result<JoinResponse> r) { result = std::move(r); });
        return client;
    }

    /// The session to the operator comes up and the first request is answered.
    net::PeerInfo connectAndAnswer()
    {
        const net::PeerInfo op = operatorPeer();
        channel.up(op);
        answer(op);
        return op;
    }

    /// Answers the newest JoinRequest as the authority would.
    void answer(const net::PeerInfo &from)
    {
        const QList<JoinRequest> requests = channel.sentTo<JoinRequest>(rendezvous());
        const JoinDecision d = group.authority->decide(requests.last(), from.handshakeHash, kNow);
        channel.receive(from, responseFor(d));
    }

    JoinResponse responseFor(const JoinDecision &d) const
    {
        JoinResponse r;
        if (d.status == JoinDecision::Status::Issued) {
            r.status = ResponseStatus::Issued;
            r.certificate = d.certificate;
            r.groupName = group.authority->groupName();
            r.groupId = group.authority->groupId();
            r.caKey = group.ca.publicKey();
            r.crl = group.authority->revocationList();
        } else {
            r.status = d.status == JoinDecision::Status::Pending ? ResponseStatus::Pending : ResponseStatus::Denied;
            r.error = d.error;
        }
        r.message = d.message;
        return r;
    }
};

} // namespace

class TestClients : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aJoinOpensTheSessionThenSendsABoundRequest()
    {
        Rig rig;
        auto client = rig.join();
        QCOMPARE(rig.channel.identity().caKey, rig.invite.caKey()); // the invite's trust anchor
        QCOMPARE(rig.channel.identity().groupId, rig.invite.groupId());
        // No session yet: a Hello opens one, and the token stays home.
        QCOMPARE(rig.channel.sentTo<Hello>(rig.rendezvous()).size(), 1);
        QVERIFY(rig.channel.sentTo<JoinRequest>(rig.rendezvous()).isEmpty());
        const net::PeerInfo op = rig.operatorPeer();
        rig.channel.up(op);
        const QList<JoinRequest> requests = rig.channel.sentTo<JoinRequest>(rig.rendezvous());
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests[0].token, rig.invite.token());
        QCOMPARE(requests[0].username, QStringLiteral("alice"));
        QCOMPARE(requests[0].deviceKey, rig.group.devices[1].publicKey());
        QVERIFY(verifyJoinProof(
            requests[0].deviceKey, op.handshakeHash, requests[0].token, requests[0].username, requests[0].proof));

        rig.answer(op);
        QVERIFY(rig.result.has_value());
        CAIRN_VERIFY_OK(rig.result.value());
        QCOMPARE(rig.result->value().status, ResponseStatus::Issued);
        QVERIFY(rig.group.verifies(rig.result->value().certificate, 1));
        QVERIFY(!client->running());
        // Done means done: nothing more is sent.
        const qsizetype sent = rig.channel.sent.size();
        rig.world.runFor(30s);
        QCOMPARE(rig.channel.sent.size(), sent);
    }

    void theTokenGoesOnlyToTheOperator()
    {
        Rig rig;
        auto client = rig.join();
        // A member (no Operator role) sits at the rendezvous address.
        net::PeerInfo impostor = peerInfo(
            0, rig.group.devices[2].publicKey(), rig.group.ask(2, rig.invite, QStringLiteral("eve")).certificate);
        impostor.endpoint = rig.rendezvous();
        rig.channel.up(impostor);
        rig.world.runFor(5s);
        QVERIFY(rig.channel.sentTo<JoinRequest>(rig.rendezvous()).isEmpty());
        // Its answers do not count either.
        JoinResponse fake;
        fake.status = ResponseStatus::Denied;
        rig.channel.receive(impostor, fake);
        QVERIFY(!rig.result.has_value());
    }

    void pendingIsReportedAndPolledUntilApproved()
    {
        Rig rig("manual");
        auto client = rig.join(QStringLiteral("bob"));
        const net::PeerInfo op = rig.connectAndAnswer();
        QCOMPARE(rig.progress.size(), 1);
        QCOMPARE(rig.progress[0].status, ResponseStatus::Pending);
        QVERIFY(!rig.result.has_value());
        // Polled every two seconds; each poll answered Pending, reported once.
        for (int i = 0; i < 5; ++i) {
            rig.world.runFor(2s);
            rig.answer(op);
        }
        QCOMPARE(rig.channel.sentTo<JoinRequest>(rig.rendezvous()).size(), 6);
        QCOMPARE(rig.progress.size(), 1);
        // The approval is pushed: done at once.
        auto certs = rig.group.authority->approve(QStringLiteral("bob"), kNow);
        CAIRN_VERIFY_OK(certs);
        JoinDecision approved;
        approved.status = JoinDecision::Status::Issued;
        approved.certificate = certs->first();
        const JoinResponse pushed = rig.responseFor(approved);
        rig.channel.receive(op, pushed);
        QVERIFY(rig.result.has_value());
        CAIRN_VERIFY_OK(rig.result.value());
        QCOMPARE(rig.result->value().certificate, certs->first());
    }

    void aDenialEndsTheJoin()
    {
        Rig rig("manual");
        auto client = rig.join(QStringLiteral("mallory"));
        const net::PeerInfo op = rig.connectAndAnswer();
        CAIRN_VERIFY_OK(rig.group.authority->deny(QStringLiteral("mallory")));
        rig.world.runFor(2s);
        rig.answer(op);
        QVERIFY(rig.result.has_value());
        CAIRN_VERIFY_ERROR(rig.result.value(), RendezvousError::Denied);
    }

    void silenceEndsInUnreachable()
    {
        Rig rig;
        rig.invite = rig.group.authority
                         ->createInvite(1, kNow + kDay,
                             {base::Endpoint::parse(QStringLiteral("192.0.2.1:4100")),
                                 base::Endpoint::parse(QStringLiteral("192.0.2.2:4100"))},
                             rig.group.rng, kNow)
                         .value();
        auto client = rig.join();
        rig.world.runFor(9s);
        QVERIFY(!rig.result.has_value());
        rig.world.runFor(2s);
        QVERIFY(rig.result.has_value());
        CAIRN_VERIFY_ERROR(rig.result.value(), RendezvousError::Unreachable);
        // It tried both addresses, every two seconds.
        const int first = int(rig.channel.sentTo<Hello>(rig.invite.rendezvous()[0]).size());
        const int second = int(rig.channel.sentTo<Hello>(rig.invite.rendezvous()[1]).size());
        QVERIFY(first >= 2 && second >= 2);
        QCOMPARE(first + second, 5);
    }

    void aBadAnswerOrAStaleInviteFails()
    {
        {
            Rig rig;
            auto client = rig.join();
            const net::PeerInfo op = rig.operatorPeer();
            rig.channel.up(op);
            // A certificate for another device.
            JoinResponse wrong = rig.responseFor(rig.group.ask(3, rig.invite, QStringLiteral("alice")));
            rig.channel.receive(op, wrong);
            QVERIFY(rig.result.has_value());
            CAIRN_VERIFY_ERROR(rig.result.value(), RendezvousError::BadResponse);
        }
        {
            Rig rig;
            rig.world.setUnixStart(rig.invite.expiresAt());
            auto client = rig.join();
            QVERIFY(!rig.result.has_value()); // never from inside start()
            rig.world.runFor(1s);
            CAIRN_VERIFY_ERROR(rig.result.value(), RendezvousError::InviteExpired);
        }
        {
            Rig rig;
            auto client = rig.join(QStringLiteral("Not Valid"));
            rig.world.runFor(1s);
            CAIRN_VERIFY_ERROR(rig.result.value(), RendezvousError::InvalidArgument);
        }
    }

    void aMemberRenewsAndFetchesTheDirectory()
    {
        Rig rig;
        const JoinDecision joined = rig.group.ask(1, rig.invite, QStringLiteral("alice"));
        rig.group.ask(2, rig.invite, QStringLiteral("bob"));
        rig.channel.setTrustAnchor(rig.group.ca.publicKey(), rig.group.authority->groupId());
        rig.channel.setCertificate(joined.certificate);
        MemberClient member(rig.channel, rig.world.scheduler(), rig.invite.rendezvous());
        const net::PeerInfo op = rig.operatorPeer();
        rig.channel.up(op);

        std::optional<Result<identity::Certificate>> renewed, again;
        member.renew([&](Result<identity::Certificate> r) { renewed = std::move(r); });
        member.renew([&](Result<identity::Certificate> r) { again = std::move(r); });
        QCOMPARE(rig.channel.sentTo<RenewRequest>(rig.rendezvous()).size(), 1);
        RenewResponse reply;
        reply.status = ResponseStatus::Issued;
        reply.certificate = rig.group.authority->renew(joined.certificate, kNow + 60).value();
        rig.channel.receive(op, reply);
        CAIRN_VERIFY_OK(renewed.value());
        QCOMPARE(renewed->value(), reply.certificate);
        CAIRN_VERIFY_OK(again.value());

        // Someone else's certificate is not a renewal of ours.
        std::optional<Result<identity::Certificate>> foreign;
        member.renew([&](Result<identity::Certificate> r) { foreign = std::move(r); });
        reply.certificate = rig.group.authority->directory().last();
        rig.channel.receive(op, reply);
        CAIRN_VERIFY_ERROR(foreign.value(), RendezvousError::BadResponse);

        // The directory in two pages, the second sent twice (a retry).
        std::optional<Result<QList<identity::Certificate>>> directory;
        member.fetchDirectory([&](Result<QList<identity::Certificate>> r) { directory = std::move(r); });
        const QList<identity::Certificate> all = rig.group.authority->directory();
        QCOMPARE(all.size(), 3);
        rig.channel.receive(op, DirectoryResponse {{all[0]}, 0, true});
        QCOMPARE(rig.channel.sentTo<DirectoryRequest>(rig.rendezvous()).last().offset, quint32(1));
        rig.channel.receive(op, DirectoryResponse {{all[1], all[2]}, 1, false});
        rig.channel.receive(op, DirectoryResponse {{all[1], all[2]}, 1, false});
        CAIRN_VERIFY_OK(directory.value());
        QCOMPARE(directory->value(), all);
    }

    void aMemberGivesUpOnASilentRendezvous()
    {
        Rig rig;
        MemberClient member(rig.channel, rig.world.scheduler(), rig.invite.rendezvous());
        std::optional<Result<QList<identity::Certificate>>> directory;
        member.fetchDirectory([&](Result<QList<identity::Certificate>> r) { directory = std::move(r); });
        rig.world.runFor(11s);
        CAIRN_VERIFY_ERROR(directory.value(), RendezvousError::Unreachable);
        QCOMPARE(rig.channel.sentTo<DirectoryRequest>(rig.rendezvous()).size(), 5);
    }
};

QTEST_GUILESS_MAIN(TestClients)
#include "test_clients.moc"
