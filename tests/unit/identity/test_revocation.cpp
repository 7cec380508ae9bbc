// Revocation lists: entries by username and serial, versions, strict decoding.
#include "core/identity/verify.h"
#include "identityfixture.h"

using namespace cairn;
using namespace cairn::identity;
using namespace cairn::identity::testing;

namespace {

const QByteArrayView kContext = RevocationList::kSigningContext;

// Revocation list tbs field numbers, as docs/protocol.md lists them.
enum : qint64 { Format = 1, GroupId, Version, IssuedAt, Usernames, Serials, Issuer };

} // namespace

class TestRevocation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripIsByteIdentical()
    {
        Fixture fx;
        const RevocationList crl = fx.revoke({QStringLiteral("bob"), QStringLiteral("alice")}, {7, 3, 1'000'000}, 12);
        const QByteArray wire = crl.encode();
        auto back = RevocationList::decode(wire);
        CAIRN_VERIFY_OK(back);
        QCOMPARE(back->encode(), wire);
        QCOMPARE(back->fields(), crl.fields());
        QCOMPARE(back->version(), quint64(12));
        QCOMPARE(back->issuedAt(), kNow);
        QCOMPARE(back->groupId(), fx.groupId);
        QCOMPARE(back->issuerKey(), fx.ca.publicKey());
        QVERIFY(back->signatureValid(fx.ca.publicKey()));
        CAIRN_VERIFY_OK(verifyRevocationList(back.value(), fx.ca.publicKey(), fx.groupId));
    }

    void emptyListRoundTrips()
    {
        Fixture fx;
        const RevocationList crl = fx.revoke({}, {}, 0);
        auto back = RevocationList::decode(crl.encode());
        CAIRN_VERIFY_OK(back);
        QVERIFY(back->revokedUsernames().isEmpty());
        QVERIFY(back->revokedSerials().isEmpty());
        QVERIFY(!back->isRevoked(fx.cert()));
    }

    void issueSortsAndDeduplicates()
    {
        Fixture fx;
        const RevocationList a
            = fx.revoke({QStringLiteral("carol"), QStringLiteral("alice"), QStringLiteral("carol")}, {9, 2, 9, 5});
        const RevocationList b = fx.revoke({QStringLiteral("alice"), QStringLiteral("carol")}, {2, 5, 9});
        QCOMPARE(a.revokedUsernames(), (QStringList {QStringLiteral("alice"), QStringLiteral("carol")}));
        QCOMPARE(a.revokedSerials(), (QList<quint64> {2, 5, 9}));
        QCOMPARE(a.encode(), b.encode());
    }

    void revokingAUsernameRevokesAllTheirDevices()
    {
        Fixture fx;
        const RevocationList crl = fx.revoke({QStringLiteral("alice")}, {});
        QVERIFY(crl.isUserRevoked(u"alice"));
        QVERIFY(!crl.isUserRevoked(u"alic"));
        QVERIFY(!crl.isUserRevoked(u"alice2"));
        QVERIFY(crl.isRevoked(fx.issue(fx.fields(QStringLiteral("alice"), 1))));
        QVERIFY(crl.isRevoked(fx.issue(fx.fields(QStringLiteral("alice"), 2))));
        QVERIFY(!crl.isRevoked(fx.issue(fx.fields(QStringLiteral("bob"), 3))));
    }

    void revokingASerialRevokesOneDevice()
    {
        Fixture fx;
        const RevocationList crl = fx.revoke({}, {2, 40});
        QVERIFY(crl.isSerialRevoked(2));
        QVERIFY(crl.isSerialRevoked(40));
        QVERIFY(!crl.isSerialRevoked(3));
        QVERIFY(!crl.isRevoked(fx.issue(fx.fields(QStringLiteral("alice"), 1))));
        QVERIFY(crl.isRevoked(fx.issue(fx.fields(QStringLiteral("alice"), 2))));
    }

    void lookupsWorkOnLargeLists()
    {
        Fixture fx;
        QStringList users;
        QList<quint64> serials;
        for (int i = 0; i < 1000; ++i) {
            users.append(QStringLiteral("user%1").arg(i * 7 % 1000));
            serials.append(quint64(i) * 13);
        }
        auto crl = RevocationList::decode(fx.revoke(users, serials).encode());
        CAIRN_VERIFY_OK(crl);
        for (int i = 0; i < 1000; ++i) {
            QVERIFY(crl->isUserRevoked(QStringLiteral("user%1").arg(i)));
            QVERIFY(crl->isSerialRevoked(quint64(i) * 13));
            QVERIFY(!crl->isSerialRevoked(quint64(i) * 13 + 1));
        }
        QVERIFY(!crl->isUserRevoked(u"user1000"));
    }

    void newerVersionSupersedes()
    {
        Fixture fx;
        const RevocationList v1 = fx.revoke({}, {1}, 1);
        const RevocationList v2 = fx.revoke({}, {1, 2}, 2);
        QVERIFY(v2.supersedes(v1));
        QVERIFY(!v1.supersedes(v2));
        QVERIFY(!v2.supersedes(v2)); // the same version does not replace itself
        QVERIFY(v1.supersedes(RevocationList()));
        QVERIFY(!RevocationList().supersedes(v1));
    }

    void listOfAnotherGroupOrCaNeverSupersedes()
    {
        Fixture fx;
        const RevocationList ours = fx.revoke({}, {}, 1);
        RevocationFields f;
        f.groupId = fx.otherGroupId;
        f.version = 100;
        QVERIFY(!RevocationList::issue(fx.ca, f).value().supersedes(ours));
        f.groupId = fx.groupId;
        QVERIFY(!RevocationList::issue(fx.otherCa, f).value().supersedes(ours));
        QVERIFY(RevocationList::issue(fx.ca, f).value().supersedes(ours));
    }

    void issueRejectsBadFields()
    {
        Fixture fx;
        RevocationFields f;
        f.groupId = QByteArray(16, 'g');
        CAIRN_VERIFY_ERROR(RevocationList::issue(fx.ca, f), IdentityError::InvalidField);
        f.groupId = fx.groupId;
        f.usernames = {QStringLiteral("Not Valid")};
        CAIRN_VERIFY_ERROR(RevocationList::issue(fx.ca, f), IdentityError::InvalidField);
        f.usernames = {};
        f.serials = {Certificate::kMaxSerial + 1};
        CAIRN_VERIFY_ERROR(RevocationList::issue(fx.ca, f), IdentityError::InvalidField);
        f.serials = {};
        f.version = Certificate::kMaxSerial + 1;
        CAIRN_VERIFY_ERROR(RevocationList::issue(fx.ca, f), IdentityError::InvalidField);
        f.version = 0;
        f.issuedAt = -1;
        CAIRN_VERIFY_ERROR(RevocationList::issue(fx.ca, f), IdentityError::InvalidField);
    }

    void moreThanTheEntryLimitIsRejected()
    {
        Fixture fx;
        RevocationFields f;
        f.groupId = fx.groupId;
        for (int i = 0; i < RevocationList::kMaxEntries; ++i)
            f.serials.append(quint64(i));
        auto full = RevocationList::issue(fx.ca, f);
        CAIRN_VERIFY_OK(full);
        CAIRN_VERIFY_OK(RevocationList::decode(full->encode()));
        f.usernames.append(QStringLiteral("one.more"));
        CAIRN_VERIFY_ERROR(RevocationList::issue(fx.ca, f), IdentityError::TooLarge);
        // hand-made: the signer ignored the limit
        QCborMap tbs = tbsMap(full->encode());
        QCborArray serials;
        for (int i = 0; i <= RevocationList::kMaxEntries; ++i)
            serials.append(i);
        tbs.insert(Serials, serials);
        CAIRN_VERIFY_ERROR(RevocationList::decode(signMap(fx.ca, kContext, tbs)), IdentityError::TooLarge);
    }

    void oversizedInputIsRejected()
    {
        Fixture fx;
        QByteArray big = fx.revoke({}, {}).encode();
        big.append(QByteArray(RevocationList::kMaxBytes, '\0'));
        CAIRN_VERIFY_ERROR(RevocationList::decode(big), IdentityError::TooLarge);
    }

    void unsortedOrDuplicateEntriesAreRejected()
    {
        Fixture fx;
        const QCborMap base = tbsMap(fx.revoke({QStringLiteral("alice"), QStringLiteral("bob")}, {1, 2}).encode());
        QCborMap tbs = base;
        tbs.insert(Usernames, QCborArray {QStringLiteral("bob"), QStringLiteral("alice")});
        CAIRN_VERIFY_ERROR(RevocationList::decode(signMap(fx.ca, kContext, tbs)), IdentityError::NotCanonical);
        tbs = base;
        tbs.insert(Usernames, QCborArray {QStringLiteral("bob"), QStringLiteral("bob")});
        CAIRN_VERIFY_ERROR(RevocationList::decode(signMap(fx.ca, kContext, tbs)), IdentityError::NotCanonical);
        tbs = base;
        tbs.insert(Serials, QCborArray {2, 1});
        CAIRN_VERIFY_ERROR(RevocationList::decode(signMap(fx.ca, kContext, tbs)), IdentityError::NotCanonical);
        tbs = base;
        tbs.insert(Serials, QCborArray {1, 1});
        CAIRN_VERIFY_ERROR(RevocationList::decode(signMap(fx.ca, kContext, tbs)), IdentityError::NotCanonical);
    }

    void badEntriesAreRejected()
    {
        Fixture fx;
        const QCborMap base = tbsMap(fx.revoke({}, {}).encode());
        const auto decodeWith = [&](qint64 key, const QCborValue &value) {
            QCborMap tbs = base;
            tbs.insert(key, value);
            return RevocationList::decode(signMap(fx.ca, kContext, tbs));
        };
        CAIRN_VERIFY_ERROR(decodeWith(Usernames, QCborArray {QStringLiteral("Alice")}), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(Usernames, QCborArray {1}), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(Serials, QCborArray {-1}), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(Serials, QCborArray {QStringLiteral("1")}), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(Serials, QCborArray {QCborArray {1}}), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(Usernames, QCborMap()), IdentityError::Malformed);
        CAIRN_VERIFY_ERROR(decodeWith(Version, -1), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(GroupId, QByteArray(31, 'g')), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(Format, 2), IdentityError::UnsupportedVersion);
        CAIRN_VERIFY_ERROR(decodeWith(8, 0), IdentityError::UnknownField);
        QCborMap tbs = base;
        tbs.remove(Issuer);
        CAIRN_VERIFY_ERROR(RevocationList::decode(signMap(fx.ca, kContext, tbs)), IdentityError::Malformed);
    }

    void nonCanonicalEncodingIsRejected()
    {
        Fixture fx;
        const QByteArray tbs = base::cbor::encode(tbsMap(fx.revoke({}, {5}).encode()));
        // serial 5 is the array "81 05"; spell it "81 18 05"
        const qsizetype at = tbs.indexOf(QByteArray::fromHex("068105"));
        QVERIFY(at > 0);
        QByteArray longInt = tbs;
        longInt.replace(at, 3, QByteArray::fromHex("06811805"));
        CAIRN_VERIFY_ERROR(RevocationList::decode(signRaw(fx.ca, kContext, longInt)), IdentityError::NotCanonical);
    }

    void everyTruncationIsRejected()
    {
        Fixture fx;
        const QByteArray wire = fx.revoke({QStringLiteral("bob")}, {3}).encode();
        for (qsizetype n = 0; n < wire.size(); ++n)
            QVERIFY(!RevocationList::decode(wire.first(n)).ok());
    }

    void certificateIsNotARevocationList()
    {
        Fixture fx;
        QVERIFY(!RevocationList::decode(fx.cert().encode()).ok());
        QVERIFY(!Certificate::decode(fx.revoke({}, {}).encode()).ok());
    }
};

QTEST_GUILESS_MAIN(TestRevocation)
#include "test_revocation.moc"
