// Authority: the join rules under each signing policy, invites, usernames,
// revocation, renewal, the listings, and what survives a reopen.
#include "tests/unit/rendezvous/rendezvousfixture.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>

using namespace cairn;
using namespace cairn::rendezvous;
using namespace cairn::rendezvous::testing;

using Status = JoinDecision::Status;

namespace {

SigningPolicy policy(const char *text)
{
    return SigningPolicy::parse(QString::fromLatin1(text)).value();
}

} // namespace

class TestAuthority : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // --- signing policies -------------------------------------------------

    void autoPolicyIssuesAtOnce()
    {
        Group g(policy("auto"));
        const identity::Invite invite = g.invite();
        const JoinDecision d = g.ask(0, invite, QStringLiteral("alice"));
        CAIRN_VERIFY_DECISION(d, Status::Issued);
        QVERIFY(g.verifies(d.certificate, 0));
        QCOMPARE(d.certificate.username(), QStringLiteral("alice"));
        QCOMPARE(d.certificate.groupName(), QStringLiteral("Hiking Club"));
        QCOMPARE(d.certificate.roles(), Authority::kMemberRoles);
        QVERIFY(!d.certificate.hasRole(identity::Role::Operator));
        QCOMPARE(d.certificate.notAfter(), kNow + Authority::kDefaultCertificateLifetime);
        QVERIFY(d.certificate.notBefore() < kNow);
        QVERIFY(g.authority->pending().isEmpty());
    }

    void manualPolicyHoldsARequestUntilApproved()
    {
        Group g(policy("manual"));
        const identity::Invite invite = g.invite(1);
        const JoinDecision first = g.ask(0, invite, QStringLiteral("bob"));
        CAIRN_VERIFY_DECISION(first, Status::Pending);
        QVERIFY(!first.additionalDevice);
        const QList<PendingRequest> pending = g.authority->pending();
        QCOMPARE(pending.size(), 1);
        QCOMPARE(pending[0].username, QStringLiteral("bob"));
        QCOMPARE(pending[0].deviceKey, g.devices[0].publicKey());
        QCOMPARE(pending[0].requestedAt, kNow);
        QVERIFY(!pending[0].additionalDevice);

        // Polling with the one-use token again uses nothing up.
        CAIRN_VERIFY_DECISION(g.ask(0, invite, QStringLiteral("bob"), kNow + 2), Status::Pending);
        CAIRN_VERIFY_DECISION(g.ask(0, invite, QStringLiteral("bob"), kNow + 4), Status::Pending);

        auto approved = g.authority->approve(QStringLiteral("bob"), kNow + 5);
        CAIRN_VERIFY_OK(approved);
        QCOMPARE(approved->size(), 1);
        QVERIFY(g.verifies(approved->first(), 0, kNow + 5));
        QVERIFY(g.authority->pending().isEmpty());

        const JoinDecision after = g.ask(0, invite, QStringLiteral("bob"), kNow + 6);
        CAIRN_VERIFY_DECISION(after, Status::Issued);
        QCOMPARE(after.certificate, approved->first());
        CAIRN_VERIFY_ERROR(g.authority->approve(QStringLiteral("bob"), kNow + 7), RendezvousError::NotFound);
    }

    void manualPolicyDenial()
    {
        Group g(policy("manual"));
        const identity::Invite invite = g.invite(3);
        CAIRN_VERIFY_DECISION(g.ask(0, invite, QStringLiteral("mallory")), Status::Pending);
        CAIRN_VERIFY_OK(g.authority->deny(QStringLiteral("mallory")));
        QVERIFY(g.authority->pending().isEmpty());
        CAIRN_VERIFY_REFUSED(g.ask(0, invite, QStringLiteral("mallory")), RendezvousError::Denied);
        CAIRN_VERIFY_ERROR(g.authority->deny(QStringLiteral("mallory")), RendezvousError::NotFound);
        CAIRN_VERIFY_ERROR(g.authority->approve(QStringLiteral("mallory"), kNow), RendezvousError::NotFound);
        // A denied name is free again for someone else.
        CAIRN_VERIFY_DECISION(g.ask(1, invite, QStringLiteral("mallory")), Status::Pending);
        // The denied device may try again with another invite; a refused
        // attempt changes nothing.
        CAIRN_VERIFY_OK(g.authority->deny(QStringLiteral("mallory")));
        CAIRN_VERIFY_REFUSED(
            g.ask(0, g.invite(1, kNow + 10), QStringLiteral("mallory2"), kNow + 10), RendezvousError::InviteExpired);
        CAIRN_VERIFY_REFUSED(g.ask(0, invite, QStringLiteral("mallory")), RendezvousError::Denied);
        const JoinDecision again = g.ask(0, g.invite(), QStringLiteral("mallory2"), kNow + 20);
        CAIRN_VERIFY_DECISION(again, Status::Pending);
        QVERIFY(again.fresh);
        QCOMPARE(g.authority->pending().value(0).requestedAt, kNow + 20);
    }

    void quotaIssuesTheFirstNThenHolds()
    {
        Group g(policy("quota:2"));
        const identity::Invite invite = g.invite(10);
        CAIRN_VERIFY_DECISION(g.ask(0, invite, QStringLiteral("u0")), Status::Issued);
        CAIRN_VERIFY_DECISION(g.ask(1, invite, QStringLiteral("u1")), Status::Issued);
        QCOMPARE(g.authority->quotaUsed(), 2);
        CAIRN_VERIFY_DECISION(g.ask(2, invite, QStringLiteral("u2")), Status::Pending);
        // The count survives a restart.
        QVERIFY(g.reopen());
        QCOMPARE(g.authority->quotaUsed(), 2);
        QCOMPARE(g.authority->policy(), policy("quota:2"));
        CAIRN_VERIFY_DECISION(g.ask(3, invite, QStringLiteral("u3")), Status::Pending);
        // Approving by hand does not count against the quota.
        CAIRN_VERIFY_OK(g.authority->approve(QStringLiteral("u2"), kNow));
        QCOMPARE(g.authority->quotaUsed(), 2);
        // A new quota lets the next N in.
        CAIRN_VERIFY_OK(g.authority->setPolicy(policy("quota:1")));
        QCOMPARE(g.authority->quotaUsed(), 0);
        CAIRN_VERIFY_DECISION(g.ask(4, invite, QStringLiteral("u4")), Status::Issued);
        CAIRN_VERIFY_DECISION(g.ask(5, invite, QStringLiteral("u5")), Status::Pending);
        // Switching to auto issues to new users without a count.
        CAIRN_VERIFY_OK(g.authority->setPolicy(policy("auto")));
        CAIRN_VERIFY_DECISION(g.ask(6, invite, QStringLiteral("u6")), Status::Issued);
        // Requests already pending stay pending.
        CAIRN_VERIFY_DECISION(g.ask(5, invite, QStringLiteral("u5")), Status::Pending);
    }

    void aSecondDeviceAlwaysNeedsApproval()
    {
        Group g(policy("auto"));
        const identity::Invite invite = g.invite(5);
        const JoinDecision first = g.ask(0, invite, QStringLiteral("alice"));
        CAIRN_VERIFY_DECISION(first, Status::Issued);
        const JoinDecision second = g.ask(1, invite, QStringLiteral("alice"));
        CAIRN_VERIFY_DECISION(second, Status::Pending);
        QVERIFY(second.additionalDevice);
        QCOMPARE(g.authority->pending().size(), 1);
        QVERIFY(g.authority->pending()[0].additionalDevice);
        auto approved = g.authority->approve(QStringLiteral("alice"), kNow + 10);
        CAIRN_VERIFY_OK(approved);
        QCOMPARE(approved->size(), 1);
        QVERIFY(g.verifies(approved->first(), 1, kNow + 10));
        QVERIFY(approved->first().serial() != first.certificate.serial());

        const QList<Member> members = g.authority->members();
        QCOMPARE(members.size(), 1);
        QCOMPARE(members[0].username, QStringLiteral("alice"));
        QCOMPARE(members[0].devices.size(), 2);
        QVERIFY(!members[0].revoked);
    }

    void theOperatorsOwnCertificate()
    {
        Group g(policy("auto"));
        auto own = g.authority->issueOwn(g.devices[0].publicKey(), QStringLiteral("op"), kNow);
        CAIRN_VERIFY_OK(own);
        QVERIFY(g.verifies(own.value(), 0));
        QVERIFY(own->hasRole(identity::Role::Operator));
        QVERIFY(own->hasRole(identity::Role::Member));
        QVERIFY(own->hasRole(identity::Role::Storage));
        // The name is registered: a join request for it is a second device.
        const JoinDecision other = g.ask(1, g.invite(), QStringLiteral("op"));
        CAIRN_VERIFY_DECISION(other, Status::Pending);
        QVERIFY(other.additionalDevice);
        // The same device under another name is refused.
        CAIRN_VERIFY_ERROR(g.authority->issueOwn(g.devices[0].publicKey(), QStringLiteral("other"), kNow),
            RendezvousError::InvalidArgument);
        // Again for the same device: a fresh certificate.
        auto again = g.authority->issueOwn(g.devices[0].publicKey(), QStringLiteral("op"), kNow + 1);
        CAIRN_VERIFY_OK(again);
        QVERIFY(again->serial() > own->serial());
        CAIRN_VERIFY_ERROR(g.authority->issueOwn(g.devices[2].publicKey(), QStringLiteral("Bad Name"), kNow),
            RendezvousError::InvalidArgument);
    }

    // --- usernames, invites, proofs ------------------------------------------

    void usernamesAreUnique()
    {
        Group g(policy("manual"));
        const identity::Invite invite = g.invite(5);
        CAIRN_VERIFY_DECISION(g.ask(0, invite, QStringLiteral("bob")), Status::Pending);
        // Another new user cannot ask for a name a pending request holds...
        CAIRN_VERIFY_REFUSED(g.ask(1, invite, QStringLiteral("bob")), RendezvousError::UsernameTaken);
        // ...and the refusal used no invite use: four are left for others.
        for (int i = 1; i <= 4; ++i)
            CAIRN_VERIFY_DECISION(g.ask(i, invite, QStringLiteral("user%1").arg(i)), Status::Pending);
        CAIRN_VERIFY_REFUSED(g.ask(5, invite, QStringLiteral("user5")), RendezvousError::InviteUsedUp);
        // Once issued, a request for the name is a second device of that
        // user: never issued automatically, whatever the policy.
        CAIRN_VERIFY_OK(g.authority->approve(QStringLiteral("bob"), kNow));
        CAIRN_VERIFY_OK(g.authority->setPolicy(policy("auto")));
        const JoinDecision claim = g.ask(6, g.invite(), QStringLiteral("bob"));
        CAIRN_VERIFY_DECISION(claim, Status::Pending);
        QVERIFY(claim.additionalDevice);
        // A device asks under one name only.
        CAIRN_VERIFY_REFUSED(g.ask(6, g.invite(), QStringLiteral("robert")), RendezvousError::InvalidArgument);
        CAIRN_VERIFY_REFUSED(g.ask(7, g.invite(), QStringLiteral("Bob!")), RendezvousError::InvalidArgument);
    }

    void anInviteExpires()
    {
        Group g(policy("manual"));
        const identity::Invite invite = g.invite(3, kNow + 100);
        CAIRN_VERIFY_DECISION(g.ask(0, invite, QStringLiteral("early"), kNow + 99), Status::Pending);
        CAIRN_VERIFY_REFUSED(g.ask(1, invite, QStringLiteral("late"), kNow + 100), RendezvousError::InviteExpired);
        // A request made in time is still answered after the expiry.
        CAIRN_VERIFY_DECISION(g.ask(0, invite, QStringLiteral("early"), kNow + 500), Status::Pending);
        CAIRN_VERIFY_ERROR(
            g.authority->createInvite(1, kNow, rendezvousEndpoints(), g.rng, kNow), RendezvousError::InvalidArgument);
        CAIRN_VERIFY_ERROR(g.authority->createInvite(0, kNow + 10, rendezvousEndpoints(), g.rng, kNow),
            RendezvousError::InvalidArgument);
        CAIRN_VERIFY_ERROR(g.authority->createInvite(1, kNow + 10, {}, g.rng, kNow), RendezvousError::InvalidArgument);
    }

    void anNUseInviteIsUsedUpByNewDevicesOnly()
    {
        Group g(policy("auto"));
        const identity::Invite invite = g.invite(2);
        const JoinDecision a = g.ask(0, invite, QStringLiteral("a"));
        CAIRN_VERIFY_DECISION(a, Status::Issued);
        CAIRN_VERIFY_DECISION(g.ask(1, invite, QStringLiteral("b")), Status::Issued);
        CAIRN_VERIFY_REFUSED(g.ask(2, invite, QStringLiteral("c")), RendezvousError::InviteUsedUp);
        // A device that joined already asks again (its answer was lost):
        // the same certificate, and no use is needed.
        const JoinDecision again = g.ask(0, invite, QStringLiteral("a"), kNow + 3);
        CAIRN_VERIFY_DECISION(again, Status::Issued);
        QCOMPARE(again.certificate, a.certificate);
        // Invites are independent.
        CAIRN_VERIFY_DECISION(g.ask(2, g.invite(), QStringLiteral("c")), Status::Issued);
    }

    void aMemberWhoseCertificateExpiredComesBackWithAnInvite()
    {
        Group g(policy("manual"));
        auto own = g.authority->issueOwn(g.devices[0].publicKey(), QStringLiteral("op"), kNow);
        CAIRN_VERIFY_OK(own);
        const qint64 later = own->notAfter() + kDay;
        const identity::Invite stale = g.invite(1, kNow + kDay);
        auto fresh = g.authority->createInvite(1, later + kDay, rendezvousEndpoints(), g.rng, later);
        CAIRN_VERIFY_OK(fresh);
        // With an expired invite it gets only its old certificate back.
        const JoinDecision old = g.ask(0, stale, QStringLiteral("op"), later);
        CAIRN_VERIFY_DECISION(old, Status::Issued);
        QCOMPARE(old.certificate, own.value());
        // With a valid one, a fresh certificate (same roles), even under a
        // manual policy, and the invite is still there for someone new.
        const JoinDecision back = g.ask(0, fresh.value(), QStringLiteral("op"), later);
        CAIRN_VERIFY_DECISION(back, Status::Issued);
        QVERIFY(g.verifies(back.certificate, 0, later));
        QCOMPARE(back.certificate.roles(), own->roles());
        CAIRN_VERIFY_DECISION(g.ask(1, fresh.value(), QStringLiteral("newbie"), later), Status::Pending);
    }

    void aBadProofOrTokenIsRefusedAndUsesNothing()
    {
        Group g(policy("auto"));
        const identity::Invite invite = g.invite(1);
        const QByteArray binding(32, 'h');
        // Signed for another session.
        JoinRequest otherSession = g.request(0, invite, QStringLiteral("alice"), QByteArray(32, 'x'));
        CAIRN_VERIFY_REFUSED(g.authority->decide(otherSession, binding, kNow), RendezvousError::BadProof);
        // Signed by another key than the one asked for.
        JoinRequest otherKey = g.request(1, invite, QStringLiteral("alice"));
        otherKey.deviceKey = g.devices[0].publicKey();
        CAIRN_VERIFY_REFUSED(g.authority->decide(otherKey, binding, kNow), RendezvousError::BadProof);
        // The proof covers the username and the token.
        JoinRequest renamed = g.request(0, invite, QStringLiteral("alice"));
        renamed.username = QStringLiteral("alicia");
        CAIRN_VERIFY_REFUSED(g.authority->decide(renamed, binding, kNow), RendezvousError::BadProof);
        // A token of no invite.
        JoinRequest forged = g.request(0, invite, QStringLiteral("alice"));
        forged.token = QByteArray(16, 't');
        forged.proof = joinProof(g.devices[0], binding, forged.token, forged.username);
        CAIRN_VERIFY_REFUSED(g.authority->decide(forged, binding, kNow), RendezvousError::BadToken);
        forged.token = QByteArray(8, 't');
        CAIRN_VERIFY_REFUSED(g.authority->decide(forged, binding, kNow), RendezvousError::BadToken);
        // Nothing was used up.
        CAIRN_VERIFY_DECISION(g.ask(0, invite, QStringLiteral("alice")), Status::Issued);
    }

    // --- revocation ----------------------------------------------------------

    void revocationListsGrowAndVerify()
    {
        Group g(policy("auto"));
        const identity::Invite invite = g.invite(5);
        const identity::RevocationList initial = g.authority->revocationList();
        QCOMPARE(initial.version(), quint64(1));
        QVERIFY(initial.revokedUsernames().isEmpty() && initial.revokedSerials().isEmpty());
        CAIRN_VERIFY_OK(identity::verifyRevocationList(initial, g.ca.publicKey(), g.authority->groupId()));

        const JoinDecision alice = g.ask(0, invite, QStringLiteral("alice"));
        const JoinDecision bob = g.ask(1, invite, QStringLiteral("bob"));
        CAIRN_VERIFY_DECISION(bob, Status::Issued);

        auto v2 = g.authority->revokeUser(QStringLiteral("alice"), kNow + 1);
        CAIRN_VERIFY_OK(v2);
        QCOMPARE(v2->version(), quint64(2));
        QCOMPARE(v2->revokedUsernames(), QStringList {QStringLiteral("alice")});
        QVERIFY(v2->supersedes(initial));
        CAIRN_VERIFY_OK(identity::verifyRevocationList(v2.value(), g.ca.publicKey(), g.authority->groupId()));
        QVERIFY(v2->isRevoked(alice.certificate));

        auto v3 = g.authority->revokeSerial(bob.certificate.serial(), kNow + 2);
        CAIRN_VERIFY_OK(v3);
        QCOMPARE(v3->version(), quint64(3));
        QCOMPARE(v3->revokedUsernames(), QStringList {QStringLiteral("alice")});
        QCOMPARE(v3->revokedSerials(), QList<quint64> {bob.certificate.serial()});
        CAIRN_VERIFY_OK(identity::verifyRevocationList(v3.value(), g.ca.publicKey(), g.authority->groupId()));
        QCOMPARE(g.authority->revocationList(), v3.value());

        // Revoking again changes nothing; unknown names and serials are refused.
        QCOMPARE(g.authority->revokeUser(QStringLiteral("alice"), kNow + 3)->version(), quint64(3));
        QCOMPARE(g.authority->revokeSerial(bob.certificate.serial(), kNow + 3)->version(), quint64(3));
        CAIRN_VERIFY_ERROR(g.authority->revokeUser(QStringLiteral("nobody"), kNow), RendezvousError::NotFound);
        CAIRN_VERIFY_ERROR(g.authority->revokeSerial(999, kNow), RendezvousError::NotFound);

        // The revoked devices are answered so, and the revoked name stays taken.
        CAIRN_VERIFY_REFUSED(g.ask(0, invite, QStringLiteral("alice")), RendezvousError::Revoked);
        CAIRN_VERIFY_REFUSED(g.ask(1, invite, QStringLiteral("bob")), RendezvousError::Revoked);
        CAIRN_VERIFY_REFUSED(g.ask(2, invite, QStringLiteral("alice")), RendezvousError::UsernameTaken);
        QVERIFY(g.authority->members()[0].revoked);
    }

    void revokingADeviceCoversItsOlderCertificatesToo()
    {
        Group g(policy("auto"));
        const JoinDecision d = g.ask(0, g.invite(), QStringLiteral("carol"));
        auto renewed = g.authority->renew(d.certificate, kNow + 3600);
        CAIRN_VERIFY_OK(renewed);
        auto list = g.authority->revokeSerial(renewed->serial(), kNow + 3601);
        CAIRN_VERIFY_OK(list);
        QVERIFY(list->isRevoked(d.certificate));
        QVERIFY(list->isRevoked(renewed.value()));
        CAIRN_VERIFY_ERROR(g.authority->renew(d.certificate, kNow + 4000), RendezvousError::Revoked);
    }

    void revokingAUserDeniesTheirPendingRequests()
    {
        Group g(policy("auto"));
        const identity::Invite invite = g.invite(3);
        CAIRN_VERIFY_DECISION(g.ask(0, invite, QStringLiteral("dave")), Status::Issued);
        CAIRN_VERIFY_DECISION(g.ask(1, invite, QStringLiteral("dave")), Status::Pending);
        CAIRN_VERIFY_OK(g.authority->revokeUser(QStringLiteral("dave"), kNow));
        QVERIFY(g.authority->pending().isEmpty());
        CAIRN_VERIFY_ERROR(g.authority->approve(QStringLiteral("dave"), kNow), RendezvousError::NotFound);
        CAIRN_VERIFY_REFUSED(g.ask(1, invite, QStringLiteral("dave")), RendezvousError::Revoked);
    }

    // --- renewal ---------------------------------------------------------------

    void renewalGivesAFreshCertificateForTheSameDevice()
    {
        Group g(policy("auto"));
        const identity::Certificate old = g.ask(0, g.invite(), QStringLiteral("erin")).certificate;
        g.authority->setCertificateLifetime(7 * kDay);
        const qint64 later = kNow + 20 * kDay;
        auto renewed = g.authority->renew(old, later);
        CAIRN_VERIFY_OK(renewed);
        QVERIFY(renewed->serial() > old.serial());
        QCOMPARE(renewed->username(), old.username());
        QCOMPARE(renewed->deviceKey(), old.deviceKey());
        QCOMPARE(renewed->roles(), old.roles());
        QCOMPARE(renewed->notAfter(), later + 7 * kDay);
        QVERIFY(renewed->notBefore() <= later);
        QVERIFY(g.verifies(renewed.value(), 0, later));
        // Asked again at once (a retry), the same answer.
        auto retried = g.authority->renew(old, later + 5);
        CAIRN_VERIFY_OK(retried);
        QCOMPARE(retried.value(), renewed.value());
        // A minute later it is a new request.
        auto next = g.authority->renew(old, later + Authority::kRenewalReuse + 1);
        CAIRN_VERIFY_OK(next);
        QVERIFY(next->serial() > renewed->serial());
        // The directory shows the newest certificate of the device.
        QCOMPARE(g.authority->directory(), QList<identity::Certificate> {next.value()});
    }

    void renewalRefusesForeignUnknownAndRevokedCertificates()
    {
        Group g(policy("auto"));
        const identity::Certificate cert = g.ask(0, g.invite(), QStringLiteral("frank")).certificate;
        // Another CA's certificate for the same fields.
        const crypto::DeviceKey otherCa = crypto::DeviceKey::generate(g.rng);
        CAIRN_VERIFY_ERROR(g.authority->renew(identity::Certificate::issue(otherCa, cert.fields()).value(), kNow),
            RendezvousError::Denied);
        // Signed by our CA key but never issued by this authority.
        identity::CertificateFields f = cert.fields();
        f.serial = 4242;
        CAIRN_VERIFY_ERROR(
            g.authority->renew(identity::Certificate::issue(g.ca, f).value(), kNow), RendezvousError::NotFound);
        CAIRN_VERIFY_ERROR(g.authority->renew(identity::Certificate(), kNow), RendezvousError::InvalidArgument);
        CAIRN_VERIFY_OK(g.authority->revokeUser(QStringLiteral("frank"), kNow));
        CAIRN_VERIFY_ERROR(g.authority->renew(cert, kNow), RendezvousError::Revoked);
    }

    // --- listings ----------------------------------------------------------------

    void theDirectoryHoldsCurrentUnrevokedCertificates()
    {
        Group g(policy("auto"));
        const identity::Invite invite = g.invite(6);
        QList<identity::Certificate> certs;
        for (int i = 0; i < 4; ++i)
            certs.append(g.ask(i, invite, QStringLiteral("m%1").arg(i)).certificate);
        QCOMPARE(g.authority->directory(), certs);
        CAIRN_VERIFY_OK(g.authority->revokeUser(QStringLiteral("m1"), kNow));
        CAIRN_VERIFY_OK(g.authority->revokeSerial(certs[3].serial(), kNow));
        QCOMPARE(g.authority->directory(), (QList<identity::Certificate> {certs[0], certs[2]}));
        // Expired certificates drop out of the timed listing only.
        const qint64 late = kNow + Authority::kDefaultCertificateLifetime;
        QVERIFY(g.authority->directory(late).isEmpty());
        QCOMPARE(g.authority->directory().size(), 2);
        // members() lists everyone, revoked or not.
        const QList<Member> members = g.authority->members();
        QCOMPARE(members.size(), 4);
        QVERIFY(members[1].revoked);
        QVERIFY(!members[3].revoked);
        QCOMPARE(members[3].devices, QList<identity::Certificate> {certs[3]});
    }

    // --- persistence -------------------------------------------------------------

    void everythingSurvivesAReopen()
    {
        Group g(policy("manual"));
        const QByteArray groupId = g.authority->groupId();
        const identity::Invite invite = g.invite(4);
        auto own = g.authority->issueOwn(g.devices[0].publicKey(), QStringLiteral("op"), kNow);
        CAIRN_VERIFY_OK(own);
        CAIRN_VERIFY_DECISION(g.ask(1, invite, QStringLiteral("ann")), Status::Pending);
        CAIRN_VERIFY_DECISION(g.ask(2, invite, QStringLiteral("ben")), Status::Pending);
        auto ben = g.authority->approve(QStringLiteral("ben"), kNow);
        CAIRN_VERIFY_OK(ben);
        CAIRN_VERIFY_OK(g.authority->revokeSerial(own->serial(), kNow));
        g.authority->setCertificateLifetime(3 * kDay);
        const QList<Member> members = g.authority->members();
        const QList<identity::Certificate> directory = g.authority->directory();
        const identity::RevocationList crl = g.authority->revocationList();

        QVERIFY(g.reopen());
        QCOMPARE(g.authority->groupId(), groupId);
        QCOMPARE(g.authority->groupName(), QStringLiteral("Hiking Club"));
        QCOMPARE(g.authority->caKey(), g.ca.publicKey());
        QCOMPARE(g.authority->policy(), policy("manual"));
        QCOMPARE(g.authority->certificateLifetime(), 3 * kDay);
        QCOMPARE(g.authority->revocationList(), crl);
        QCOMPARE(g.authority->directory(), directory);
        QCOMPARE(g.authority->members().size(), members.size());
        QCOMPARE(g.authority->pending().size(), 1);
        QCOMPARE(g.authority->pending()[0].username, QStringLiteral("ann"));
        // The request is still pending, the invite has two uses left, and
        // serials carry on from where they were.
        CAIRN_VERIFY_DECISION(g.ask(1, invite, QStringLiteral("ann")), Status::Pending);
        CAIRN_VERIFY_DECISION(g.ask(3, invite, QStringLiteral("cat")), Status::Pending);
        CAIRN_VERIFY_DECISION(g.ask(4, invite, QStringLiteral("dan")), Status::Pending);
        CAIRN_VERIFY_REFUSED(g.ask(5, invite, QStringLiteral("eve")), RendezvousError::InviteUsedUp);
        auto ann = g.authority->approve(QStringLiteral("ann"), kNow + 10);
        CAIRN_VERIFY_OK(ann);
        QVERIFY(ann->first().serial() > ben->first().serial());
        QCOMPARE(ann->first().notAfter(), kNow + 10 + 3 * kDay);
        // The revoked device stays revoked.
        CAIRN_VERIFY_ERROR(g.authority->renew(own.value(), kNow), RendezvousError::Revoked);
    }

    void serialsAreUniqueAcrossEverything()
    {
        Group g(policy("auto"));
        const identity::Invite invite = g.invite(6);
        QSet<quint64> serials;
        QList<identity::Certificate> certs;
        for (int i = 0; i < 6; ++i)
            certs.append(g.ask(i, invite, QStringLiteral("s%1").arg(i)).certificate);
        QVERIFY(g.reopen());
        QList<identity::Certificate> latest = certs;
        for (int round = 1; round <= 3; ++round) {
            for (identity::Certificate &c : latest) {
                c = g.authority->renew(c, kNow + round * 3600).value();
                certs.append(c);
            }
        }
        for (const identity::Certificate &c : certs)
            serials.insert(c.serial());
        QCOMPARE(serials.size(), certs.size());
    }

    void theDatabaseIsGuarded()
    {
        Group g(policy("auto"));
        const crypto::DeviceKey stranger = crypto::DeviceKey::generate(g.rng);
        const QString path = g.path();
        g.authority.reset();
        CAIRN_VERIFY_ERROR(Authority::open(path, stranger), RendezvousError::NotOperator);
        CAIRN_VERIFY_ERROR(
            Authority::create(path, g.ca, QStringLiteral("Again"), {}, g.rng, kNow), RendezvousError::AlreadyExists);
        CAIRN_VERIFY_ERROR(
            Authority::open(g.dir.filePath(QStringLiteral("missing.db")), g.ca), RendezvousError::NotFound);
        CAIRN_VERIFY_ERROR(
            Authority::create(g.dir.filePath(QStringLiteral("x.db")), g.ca, QStringLiteral(" bad "), {}, g.rng, kNow),
            RendezvousError::InvalidArgument);
        QVERIFY(!QFile::exists(g.dir.filePath(QStringLiteral("x.db"))));

        const QString junk = g.dir.filePath(QStringLiteral("junk.db"));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'j'));
        f.close();
        CAIRN_VERIFY_ERROR(Authority::open(junk, g.ca), RendezvousError::Corrupt);
        QVERIFY(g.reopen());
    }

    // --- policy text ---------------------------------------------------------------

    void policiesParseStrictly()
    {
        QCOMPARE(SigningPolicy::parse(u"auto")->kind, SigningPolicy::Kind::Auto);
        QCOMPARE(SigningPolicy::parse(u" manual\n")->kind, SigningPolicy::Kind::Manual);
        auto quota = SigningPolicy::parse(u"quota:25");
        CAIRN_VERIFY_OK(quota);
        QCOMPARE(quota->kind, SigningPolicy::Kind::Quota);
        QCOMPARE(quota->quota, 25);
        QCOMPARE(quota->toString(), QStringLiteral("quota:25"));
        QCOMPARE(SigningPolicy::parse(u"quota:1000000")->quota, 1'000'000);
        for (const char *bad : {"", "Auto", "automatic", "quota", "quota:", "quota:0", "quota:1000001", "quota:+5",
                 "quota:05", "quota: 5", "quota:5x", "quota:-1", "manual:3"})
            CAIRN_VERIFY_ERROR(SigningPolicy::parse(QString::fromLatin1(bad)), RendezvousError::InvalidArgument);
        for (const char *text : {"auto", "manual", "quota:1", "quota:999"})
            QCOMPARE(SigningPolicy::parse(QString::fromLatin1(text))->toString(), QLatin1String(text));
    }
};

QTEST_GUILESS_MAIN(TestAuthority)
#include "test_authority.moc"
