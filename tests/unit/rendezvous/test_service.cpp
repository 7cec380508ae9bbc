// RendezvousService and RevocationGossip through their sans-I/O entry
// points: control messages in from chosen peers, answers read off a fake
// channel.
#include "core/rendezvous/service.h"
#include "tests/sim/lib/world.h"
#include "tests/unit/rendezvous/fakechannel.h"
#include "tests/unit/rendezvous/rendezvousfixture.h"

using namespace cairn;
using namespace cairn::rendezvous;
using namespace cairn::rendezvous::testing;
using namespace std::chrono_literals;

namespace {

const QList<base::Endpoint> kBootstrap {base::Endpoint::parse(QStringLiteral("192.0.2.50:4100"))};

/// A group, its service on a fake channel, and a clock.
struct Rig {
    Group group;
    sim::World world {3};
    FakeChannel channel;
    RendezvousService service;
    QList<PendingRequest> pendingSeen;
    QList<identity::Certificate> joinedSeen;
    QList<identity::RevocationList> listsSeen;

    explicit Rig(const char *policy = "auto")
        : group(SigningPolicy::parse(QString::fromLatin1(policy)).value()),
          channel(net::SessionIdentity {group.ca.clone(), {}, group.ca.publicKey(), group.authority->groupId()}),
          service(*group.authority, channel, world.scheduler(), [] { return kBootstrap; })
    {
        world.setUnixStart(kNow);
        service.setPendingHandler([this](const PendingRequest &r) { pendingSeen.append(r); });
        service.setJoinedHandler([this](const identity::Certificate &c) { joinedSeen.append(c); });
        service.setRevocationListHandler([this](const identity::RevocationList &l) { listsSeen.append(l); });
    }

    /// Device i, uncertified, on its own port, with its own handshake hash.
    net::PeerInfo joiner(int i) const
    {
        return peerInfo(quint16(5000 + i), group.devices[size_t(i)].publicKey(), {}, QByteArray(32, char('a' + i)));
    }

    /// Device i asks to join as `username` over its session.
    void ask(int i, const identity::Invite &invite, const QString &username)
    {
        const net::PeerInfo p = joiner(i);
        channel.receive(p, group.request(i, invite, username, p.handshakeHash));
    }

    QList<JoinResponse> answers(int i) const { return channel.sentTo<JoinResponse>(joiner(i).endpoint); }
};

} // namespace

class TestService : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aJoinUnderAutoIsAnsweredWithTheCertificateAndTheGroup()
    {
        Rig rig("auto");
        const identity::Invite invite = rig.group.invite();
        rig.ask(0, invite, QStringLiteral("alice"));
        QCOMPARE(rig.answers(0).size(), 1);
        const JoinResponse r = rig.answers(0).first();
        QCOMPARE(r.status, ResponseStatus::Issued);
        QVERIFY(rig.group.verifies(r.certificate, 0));
        QCOMPARE(r.groupName, rig.group.authority->groupName());
        QCOMPARE(r.groupId, rig.group.authority->groupId());
        QCOMPARE(r.caKey, rig.group.ca.publicKey());
        QCOMPARE(r.crl, rig.group.authority->revocationList());
        QCOMPARE(r.bootstrap, kBootstrap);
        QCOMPARE(rig.joinedSeen, QList<identity::Certificate> {r.certificate});
        // Asked again (the answer was lost): the same certificate, no second "joined".
        rig.ask(0, invite, QStringLiteral("alice"));
        QCOMPARE(rig.answers(0).size(), 2);
        QCOMPARE(rig.answers(0)[1].certificate, r.certificate);
        QCOMPARE(rig.joinedSeen.size(), 1);
        QCOMPARE(rig.service.stats().issued, quint64(2));
    }

    void aRequestMustComeFromItsDeviceOverItsSession()
    {
        Rig rig("auto");
        const identity::Invite invite = rig.group.invite();
        // Device 1's session carries device 0's request.
        rig.channel.receive(
            rig.joiner(1), rig.group.request(0, invite, QStringLiteral("alice"), rig.joiner(1).handshakeHash));
        QCOMPARE(rig.answers(1).size(), 1);
        QCOMPARE(rig.answers(1)[0].status, ResponseStatus::Error);
        QCOMPARE(rig.answers(1)[0].error, RendezvousError::BadProof);
        // Device 0's own request, signed for another session.
        rig.channel.receive(rig.joiner(0), rig.group.request(0, invite, QStringLiteral("alice"), QByteArray(32, 'z')));
        QCOMPARE(rig.answers(0).value(0).error, RendezvousError::BadProof);
        // The invite is untouched.
        rig.ask(0, invite, QStringLiteral("alice"));
        QCOMPARE(rig.answers(0).value(1).status, ResponseStatus::Issued);
    }

    void refusalsCarryTheirCode()
    {
        Rig rig("auto");
        const identity::Invite invite = rig.group.invite(1);
        rig.ask(0, invite, QStringLiteral("alice"));
        rig.ask(1, invite, QStringLiteral("bob"));
        QCOMPARE(rig.answers(1).value(0).status, ResponseStatus::Error);
        QCOMPARE(rig.answers(1).value(0).error, RendezvousError::InviteUsedUp);
        QVERIFY(!rig.answers(1).value(0).message.isEmpty());
        rig.channel.receiveRaw(rig.joiner(2), QByteArray("garbage"));
        QVERIFY(rig.answers(2).isEmpty());
    }

    void approvalPushesTheCertificateToTheWaitingJoiner()
    {
        Rig rig("manual");
        const identity::Invite invite = rig.group.invite(2);
        rig.channel.up(rig.joiner(0));
        rig.ask(0, invite, QStringLiteral("bob"));
        rig.ask(0, invite, QStringLiteral("bob")); // a poll
        QCOMPARE(rig.answers(0).size(), 2);
        QCOMPARE(rig.answers(0)[0].status, ResponseStatus::Pending);
        QVERIFY(!rig.answers(0)[0].message.isEmpty());
        QCOMPARE(rig.pendingSeen.size(), 1); // once, not per poll
        QCOMPARE(rig.pendingSeen[0].username, QStringLiteral("bob"));
        QCOMPARE(rig.pendingSeen[0].deviceKey, rig.group.devices[0].publicKey());

        auto approved = rig.service.approve(QStringLiteral("bob"));
        CAIRN_VERIFY_OK(approved);
        QCOMPARE(rig.answers(0).size(), 3);
        QCOMPARE(rig.answers(0)[2].status, ResponseStatus::Issued);
        QCOMPARE(rig.answers(0)[2].certificate, approved->first());
        QCOMPARE(rig.joinedSeen, approved.value());

        // A joiner that went away gets nothing pushed; its next poll has it.
        rig.ask(1, invite, QStringLiteral("carl"));
        auto carl = rig.service.approve(QStringLiteral("carl"));
        CAIRN_VERIFY_OK(carl);
        QCOMPARE(rig.answers(1).size(), 1);
        rig.ask(1, invite, QStringLiteral("carl"));
        QCOMPARE(rig.answers(1).value(1).certificate, carl->first());
        CAIRN_VERIFY_ERROR(rig.service.approve(QStringLiteral("nobody")), RendezvousError::NotFound);
    }

    void denialIsPushedToo()
    {
        Rig rig("manual");
        rig.channel.up(rig.joiner(0));
        rig.ask(0, rig.group.invite(), QStringLiteral("mallory"));
        CAIRN_VERIFY_OK(rig.service.deny(QStringLiteral("mallory")));
        QCOMPARE(rig.answers(0).size(), 2);
        QCOMPARE(rig.answers(0)[1].status, ResponseStatus::Denied);
        QCOMPARE(rig.answers(0)[1].error, RendezvousError::Denied);
        CAIRN_VERIFY_ERROR(rig.service.deny(QStringLiteral("mallory")), RendezvousError::NotFound);
    }

    void renewalIsForMembersAndTheirOwnCertificate()
    {
        Rig rig("auto");
        rig.ask(0, rig.group.invite(), QStringLiteral("alice"));
        const identity::Certificate cert = rig.answers(0).first().certificate;
        const net::PeerInfo member = peerInfo(6000, rig.group.devices[0].publicKey(), cert);
        rig.world.runFor(3600s);
        rig.channel.receive(member, RenewRequest {});
        const QList<RenewResponse> answers = rig.channel.sentTo<RenewResponse>(member.endpoint);
        QCOMPARE(answers.size(), 1);
        QCOMPARE(answers[0].status, ResponseStatus::Issued);
        QVERIFY(answers[0].certificate.serial() > cert.serial());
        QCOMPARE(answers[0].certificate.deviceKey(), cert.deviceKey());
        QCOMPARE(answers[0].certificate.notAfter(), kNow + 3600 + Authority::kDefaultCertificateLifetime);

        rig.channel.receive(rig.joiner(1), RenewRequest {});
        QCOMPARE(rig.channel.sentTo<RenewResponse>(rig.joiner(1).endpoint).value(0).error, RendezvousError::Denied);

        CAIRN_VERIFY_OK(rig.service.revokeUser(QStringLiteral("alice")));
        rig.channel.receive(member, RenewRequest {});
        const RenewResponse revoked = rig.channel.sentTo<RenewResponse>(member.endpoint).value(1);
        QCOMPARE(revoked.status, ResponseStatus::Denied);
        QCOMPARE(revoked.error, RendezvousError::Revoked);
    }

    void theDirectoryIsForMembersPageByPage()
    {
        Rig rig("auto");
        const identity::Invite invite = rig.group.invite(1000);
        // Enough members for three pages.
        base::SeededRng rng(9);
        const int count = int(2 * DirectoryResponse::kPageBudget / 200);
        for (int i = 0; i < count; ++i) {
            const crypto::DeviceKey key = crypto::DeviceKey::generate(rng);
            const QString name = QStringLiteral("member%1").arg(i);
            const QByteArray hash(32, 'q');
            const JoinDecision d = rig.group.authority->decide(
                JoinRequest {invite.token(), name, key.publicKey(), joinProof(key, hash, invite.token(), name)}, hash,
                kNow);
            QCOMPARE(d.status, JoinDecision::Status::Issued);
        }
        const QList<identity::Certificate> all = rig.group.authority->directory();
        QCOMPARE(all.size(), count);
        const net::PeerInfo member = peerInfo(6000, all[0].deviceKey(), all[0]);

        QList<identity::Certificate> fetched;
        DirectoryRequest request;
        int pages = 0;
        for (;;) {
            rig.channel.receive(member, request);
            const DirectoryResponse page = rig.channel.sentTo<DirectoryResponse>(member.endpoint).last();
            QCOMPARE(page.offset, request.offset);
            QVERIFY(ControlMessage(page).encode().size() <= ControlMessage::kMaxBytes);
            fetched += page.certificates;
            ++pages;
            if (!page.more)
                break;
            request.offset += quint32(page.certificates.size());
        }
        QVERIFY(pages >= 3);
        QCOMPARE(fetched, all);

        rig.channel.receive(rig.joiner(1), DirectoryRequest {});
        QVERIFY(rig.channel.sentTo<DirectoryResponse>(rig.joiner(1).endpoint).isEmpty());
    }

    void revocationIsAppliedAndPushedToEverySession()
    {
        Rig rig("auto");
        const identity::Invite invite = rig.group.invite(3);
        rig.ask(0, invite, QStringLiteral("alice"));
        rig.ask(1, invite, QStringLiteral("bob"));
        rig.channel.up(rig.joiner(0));
        rig.channel.up(rig.joiner(1));
        auto list = rig.service.revokeUser(QStringLiteral("alice"));
        CAIRN_VERIFY_OK(list);
        QCOMPARE(rig.channel.revocationList(), list.value());
        for (int i : {0, 1})
            QCOMPARE(rig.channel.sentTo<CrlPush>(rig.joiner(i).endpoint), QList<CrlPush> {CrlPush {list.value()}});
        QCOMPARE(rig.listsSeen, QList<identity::RevocationList> {list.value()});
        // Nothing new, nothing sent.
        CAIRN_VERIFY_OK(rig.service.revokeUser(QStringLiteral("alice")));
        QCOMPARE(rig.channel.sentTo<CrlPush>(rig.joiner(0).endpoint).size(), 1);

        // With gossip the list goes out through it, once per session.
        RevocationGossip gossip(rig.channel, rig.group.ca.publicKey(), rig.group.authority->groupId(), list.value());
        rig.service.setGossip(&gossip);
        auto serial = rig.service.revokeSerial(rig.answers(1).first().certificate.serial());
        CAIRN_VERIFY_OK(serial);
        QCOMPARE(gossip.current(), serial.value());
        QCOMPARE(rig.channel.revocationList(), serial.value());
        for (int i : {0, 1})
            QCOMPARE(rig.channel.sentTo<CrlPush>(rig.joiner(i).endpoint).size(), 2);
        QCOMPARE(rig.listsSeen.size(), 2);
    }
};

/// RevocationGossip on a fake channel.
class TestGossip : public QObject {
    Q_OBJECT

    struct Net {
        Group group;
        FakeChannel channel;
        Net()
            : channel(
                net::SessionIdentity {group.devices[7].clone(), {}, group.ca.publicKey(), group.authority->groupId()})
        { }
        identity::RevocationList version(int revocations)
        {
            identity::RevocationList list = group.authority->revocationList();
            const identity::Invite invite = group.invite(revocations);
            for (int i = 0; i < revocations; ++i) {
                const QString name = QStringLiteral("r%1").arg(group.authority->revocationList().version());
                JoinDecision d = group.ask(i, invite, name);
                if (d.status != JoinDecision::Status::Issued)
                    qFatal("gossip fixture: join failed: %s", qPrintable(d.message));
                list = group.authority->revokeUser(name, kNow).value();
            }
            return list;
        }
    };

private Q_SLOTS:
    void aSessionGetsAnOfferAndAnOlderPeerAPush()
    {
        Net n;
        const identity::RevocationList v1 = n.group.authority->revocationList();
        const identity::RevocationList v3 = n.version(2);
        RevocationGossip gossip(n.channel, n.group.ca.publicKey(), n.group.authority->groupId(), v3);
        QCOMPARE(n.channel.revocationList(), v3);
        QCOMPARE(gossip.version(), quint64(3));
        const net::PeerInfo a = peerInfo(7001, n.group.devices[0].publicKey());
        n.channel.up(a);
        QCOMPARE(n.channel.sentTo<CrlOffer>(a.endpoint), QList<CrlOffer> {CrlOffer {3}});
        n.channel.receive(a, CrlOffer {1});
        QCOMPARE(n.channel.sentTo<CrlPush>(a.endpoint), QList<CrlPush> {CrlPush {v3}});
        n.channel.receive(a, CrlOffer {3});
        QCOMPARE(n.channel.sentTo<CrlPush>(a.endpoint).size(), 1);
        // A peer ahead of us is offered ours, so it pushes even if our first offer was lost.
        n.channel.receive(a, CrlOffer {9});
        QCOMPARE(n.channel.sentTo<CrlOffer>(a.endpoint).size(), 2);
        // A peer that pushes an older list gets ours back.
        n.channel.receive(a, CrlPush {v1});
        QCOMPARE(n.channel.sentTo<CrlPush>(a.endpoint).size(), 2);
        QCOMPARE(gossip.current(), v3);
    }

    void aNewerListIsAdoptedAppliedForwardedAndReported()
    {
        Net n;
        const identity::RevocationList v1 = n.group.authority->revocationList();
        const identity::RevocationList v2 = n.version(1);
        RevocationGossip gossip(n.channel, n.group.ca.publicKey(), n.group.authority->groupId(), v1);
        QList<identity::RevocationList> reported;
        gossip.setNewListHandler([&](const identity::RevocationList &l) { reported.append(l); });
        const net::PeerInfo a = peerInfo(7001, n.group.devices[0].publicKey());
        const net::PeerInfo b = peerInfo(7002, n.group.devices[1].publicKey());
        const net::PeerInfo c = peerInfo(7003, n.group.devices[2].publicKey());
        for (const net::PeerInfo &p : {a, b, c})
            n.channel.up(p);
        n.channel.receive(a, CrlPush {v2});
        QCOMPARE(gossip.current(), v2);
        QCOMPARE(n.channel.revocationList(), v2);
        QCOMPARE(reported, QList<identity::RevocationList> {v2});
        QVERIFY(n.channel.sentTo<CrlPush>(a.endpoint).isEmpty()); // not back to the sender
        QCOMPARE(n.channel.sentTo<CrlPush>(b.endpoint), QList<CrlPush> {CrlPush {v2}});
        QCOMPARE(n.channel.sentTo<CrlPush>(c.endpoint), QList<CrlPush> {CrlPush {v2}});
        // The same list again changes nothing and goes nowhere.
        n.channel.receive(b, CrlPush {v2});
        QCOMPARE(reported.size(), 1);
        QCOMPARE(n.channel.sentTo<CrlPush>(a.endpoint).size(), 0);
        QCOMPARE(gossip.pushesSent(), quint64(2));
    }

    void foreignAndForgedListsAreIgnored()
    {
        Net n;
        RevocationGossip gossip(n.channel, n.group.ca.publicKey(), n.group.authority->groupId());
        QVERIFY(gossip.current().isNull());
        QCOMPARE(gossip.version(), quint64(0));
        // Another CA's list for this group id, with a high version.
        const crypto::DeviceKey otherCa = crypto::DeviceKey::generate(n.group.rng);
        identity::RevocationFields f;
        f.groupId = n.group.authority->groupId();
        f.version = 50;
        f.issuedAt = kNow;
        f.usernames = {QStringLiteral("alice")};
        const identity::RevocationList foreign = identity::RevocationList::issue(otherCa, f).value();
        const net::PeerInfo a = peerInfo(7001, n.group.devices[0].publicKey());
        n.channel.up(a);
        n.channel.receive(a, CrlPush {foreign});
        QVERIFY(gossip.current().isNull());
        QCOMPARE(n.channel.revocationListsApplied, 0);
        QVERIFY(!gossip.adopt(foreign));
        // A foreign initial list is not applied either.
        RevocationGossip second(n.channel, n.group.ca.publicKey(), n.group.authority->groupId(), foreign);
        QVERIFY(second.current().isNull());
        // Our own CA's list is.
        QVERIFY(gossip.adopt(n.group.authority->revocationList()));
        QCOMPARE(n.channel.revocationListsApplied, 1);
    }
};

int main(int argc, char **argv)
{
    TestService service;
    TestGossip gossip;
    return QTest::qExec(&service, argc, argv) | QTest::qExec(&gossip, argc, argv);
}

#include "test_service.moc"
