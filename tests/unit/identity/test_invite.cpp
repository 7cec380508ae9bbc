// Invites: cairn://join/ links, their payload, expiry and garbage.
#include "core/identity/invite.h"
#include "identityfixture.h"

using namespace cairn;
using namespace cairn::identity;
using namespace cairn::identity::testing;

namespace {

// Invite payload field numbers, as docs/protocol.md lists them.
enum : qint64 { Version = 1, GroupName, GroupId, CaKey, Rendezvous, Token, ExpiresAt };

const qint64 kExpiry = kNow + 7 * 86400;

QList<base::Endpoint> endpoints()
{
    return {base::Endpoint::parse(QStringLiteral("203.0.113.7:7465")),
        base::Endpoint::parse(QStringLiteral("[2001:db8::7]:7465"))};
}

Invite makeInvite(Fixture &fx)
{
    auto invite
        = Invite::create(QStringLiteral("Hiking Club"), fx.groupId, fx.ca.publicKey(), endpoints(), kExpiry, fx.rng);
    if (!invite.ok())
        qFatal("fixture: invite failed: %s", qPrintable(invite.message()));
    return invite.value();
}

QString linkFor(const QByteArray &payload)
{
    return QStringLiteral("cairn://join/")
        + QString::fromLatin1(payload.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString linkFor(const QCborMap &map)
{
    return linkFor(base::cbor::encode(map));
}

QCborMap payloadOf(const Invite &invite)
{
    return base::cbor::decode(invite.encode()).value().toMap();
}

} // namespace

class TestInvite : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void inviteRoundTripsThroughItsLink()
    {
        Fixture fx;
        const Invite invite = makeInvite(fx);
        const QString link = invite.toLink();
        QVERIFY(link.startsWith(QStringLiteral("cairn://join/")));
        QVERIFY(link.size() <= Invite::kMaxLinkLength);
        auto back = Invite::parse(link, kNow);
        CAIRN_VERIFY_OK(back);
        QCOMPARE(back.value(), invite);
        QCOMPARE(back->toLink(), link);
        QCOMPARE(back->encode(), invite.encode());
        QCOMPARE(back->groupName(), QStringLiteral("Hiking Club"));
        QCOMPARE(back->groupId(), fx.groupId);
        QCOMPARE(back->caKey(), fx.ca.publicKey());
        QCOMPARE(back->rendezvous(), endpoints());
        QCOMPARE(back->expiresAt(), kExpiry);
        QCOMPARE(back->token().size(), Invite::kMinTokenBytes);
    }

    void tokenComesFromTheRng()
    {
        Fixture a(1), b(1), c(2);
        const Invite ia = makeInvite(a), ib = makeInvite(b), ic = makeInvite(c);
        QCOMPARE(ia.token(), ib.token()); // same seed, same token
        QVERIFY(ia.token() != ic.token());
        QVERIFY(ia.token() != makeInvite(a).token()); // the next draw differs
        auto longToken = Invite::create(
            QStringLiteral("g"), a.groupId, a.ca.publicKey(), endpoints(), kExpiry, a.rng, Invite::kMaxTokenBytes);
        CAIRN_VERIFY_OK(longToken);
        QCOMPARE(longToken->token().size(), Invite::kMaxTokenBytes);
        CAIRN_VERIFY_OK(Invite::parse(longToken->toLink(), kNow));
    }

    void createRejectsBadFields()
    {
        Fixture fx;
        const auto ca = fx.ca.publicKey();
        const QString name = QStringLiteral("Hiking Club");
        CAIRN_VERIFY_ERROR(
            Invite::create(name, fx.groupId, ca, endpoints(), kExpiry, fx.rng, 15), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(
            Invite::create(name, fx.groupId, ca, endpoints(), kExpiry, fx.rng, 33), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(Invite::create(name, fx.groupId, ca, {}, kExpiry, fx.rng), IdentityError::InvalidField);
        QList<base::Endpoint> nine;
        for (int i = 1; i <= 9; ++i)
            nine.append(base::Endpoint::parse(QStringLiteral("192.0.2.%1:7465").arg(i)));
        CAIRN_VERIFY_ERROR(Invite::create(name, fx.groupId, ca, nine, kExpiry, fx.rng), IdentityError::InvalidField);
        CAIRN_VERIFY_OK(Invite::create(name, fx.groupId, ca, nine.first(8), kExpiry, fx.rng));
        CAIRN_VERIFY_ERROR(
            Invite::create(name, fx.groupId, ca, {base::Endpoint()}, kExpiry, fx.rng), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(Invite::create(name, fx.groupId, ca, {endpoints()[0], endpoints()[0]}, kExpiry, fx.rng),
            IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(
            Invite::create(QString(), fx.groupId, ca, endpoints(), kExpiry, fx.rng), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(
            Invite::create(name, QByteArray(8, 'g'), ca, endpoints(), kExpiry, fx.rng), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(Invite::create(name, fx.groupId, ca, endpoints(), 0, fx.rng), IdentityError::InvalidField);
    }

    void expiredInviteIsRejected()
    {
        Fixture fx;
        const QString link = makeInvite(fx).toLink();
        CAIRN_VERIFY_OK(Invite::parse(link, kExpiry - 1));
        CAIRN_VERIFY_ERROR(Invite::parse(link, kExpiry), IdentityError::Expired);
        CAIRN_VERIFY_ERROR(Invite::parse(link, kExpiry + 86400), IdentityError::Expired);
        // decode() alone does not look at the clock
        CAIRN_VERIFY_OK(Invite::decode(makeInvite(fx).encode()));
    }

    void surroundingWhiteSpaceAndSchemeCaseAreTolerated()
    {
        Fixture fx;
        const Invite invite = makeInvite(fx);
        const QString link = invite.toLink();
        auto pasted = Invite::parse(QStringLiteral("  ") + link + QStringLiteral("\n"), kNow);
        CAIRN_VERIFY_OK(pasted);
        QCOMPARE(pasted.value(), invite);
        QString shouted = link;
        shouted.replace(0, 13, QStringLiteral("CAIRN://JOIN/"));
        CAIRN_VERIFY_OK(Invite::parse(shouted, kNow));
    }

    void wrongSchemeIsRejected_data()
    {
        QTest::addColumn<QString>("link");
        QTest::newRow("empty") << QString();
        QTest::newRow("https") << QStringLiteral("https://example.org/join/oWEBAQ");
        QTest::newRow("other action") << QStringLiteral("cairn://group/oWEBAQ");
        QTest::newRow("no slashes") << QStringLiteral("cairn:join/oWEBAQ");
        QTest::newRow("bare payload") << QStringLiteral("oWEBAQ");
        QTest::newRow("prefix only, cut") << QStringLiteral("cairn://join");
    }
    void wrongSchemeIsRejected()
    {
        QFETCH(QString, link);
        CAIRN_VERIFY_ERROR(Invite::parse(link, kNow), IdentityError::WrongScheme);
    }

    void badBase64IsRejected_data()
    {
        Fixture fx;
        const QString good = makeInvite(fx).toLink();
        QTest::addColumn<QString>("link");
        QTest::newRow("no payload") << QStringLiteral("cairn://join/");
        QTest::newRow("padding") << good + QStringLiteral("==");
        QTest::newRow("standard alphabet") << QStringLiteral("cairn://join/ab+/");
        QString dangling = good; // one character past a full group decodes to no whole byte
        do
            dangling += QLatin1Char('A');
        while ((dangling.size() - 13) % 4 != 1);
        QTest::newRow("dangling char") << dangling;
        QTest::newRow("inner space") << good.left(30) + QStringLiteral(" ") + good.mid(30);
        QTest::newRow("non-ASCII") << good + QStringLiteral("é");
        // "AB" decodes to one byte with 4 spare bits; "AF" sets them
        QTest::newRow("non-zero spare bits") << QStringLiteral("cairn://join/AF");
        QTest::newRow("query string") << good + QStringLiteral("?x=1");
    }
    void badBase64IsRejected()
    {
        QFETCH(QString, link);
        CAIRN_VERIFY_ERROR(Invite::parse(link, kNow), IdentityError::BadEncoding);
    }

    void badCborIsRejected()
    {
        CAIRN_VERIFY_ERROR(Invite::parse(linkFor(QByteArray("hello world")), kNow), IdentityError::Malformed);
        CAIRN_VERIFY_ERROR(Invite::parse(linkFor(QByteArray::fromHex("ff")), kNow), IdentityError::Malformed);
        CAIRN_VERIFY_ERROR(
            Invite::parse(linkFor(base::cbor::encode(QCborArray {1, 2})), kNow), IdentityError::Malformed);
        CAIRN_VERIFY_ERROR(Invite::parse(linkFor(QByteArray::fromHex("1801")), kNow), IdentityError::NotCanonical);
        Fixture fx;
        const QByteArray payload = makeInvite(fx).encode();
        CAIRN_VERIFY_ERROR(Invite::parse(linkFor(payload + QByteArray(1, '\0')), kNow), IdentityError::Malformed);
        for (qsizetype n = 0; n < payload.size(); ++n)
            QVERIFY(!Invite::parse(linkFor(payload.first(n)), kNow).ok());
    }

    void nonCanonicalPayloadIsRejected()
    {
        Fixture fx;
        const QByteArray payload = makeInvite(fx).encode();
        QVERIFY(payload.startsWith(QByteArray::fromHex("a70101"))); // 7 fields, version 1
        QByteArray longInt = payload;
        longInt.replace(0, 3, QByteArray::fromHex("a7011801"));
        CAIRN_VERIFY_ERROR(Invite::parse(linkFor(longInt), kNow), IdentityError::NotCanonical);
    }

    void tooLongLinkIsRejected()
    {
        Fixture fx;
        const QString link = makeInvite(fx).toLink();
        CAIRN_VERIFY_ERROR(
            Invite::parse(link + QString(Invite::kMaxLinkLength, QLatin1Char('A')), kNow), IdentityError::TooLarge);
        CAIRN_VERIFY_ERROR(Invite::parse(QString(100'000, QLatin1Char('x')), kNow), IdentityError::TooLarge);
    }

    void unknownFieldsAndVersionsAreRejected()
    {
        Fixture fx;
        QCborMap map = payloadOf(makeInvite(fx));
        map.insert(8, 1);
        CAIRN_VERIFY_ERROR(Invite::parse(linkFor(map), kNow), IdentityError::UnknownField);
        map = payloadOf(makeInvite(fx));
        map.insert(Version, 2);
        CAIRN_VERIFY_ERROR(Invite::parse(linkFor(map), kNow), IdentityError::UnsupportedVersion);
        map = payloadOf(makeInvite(fx));
        map.remove(Token);
        CAIRN_VERIFY_ERROR(Invite::parse(linkFor(map), kNow), IdentityError::Malformed);
    }

    void badFieldsAreRejected()
    {
        Fixture fx;
        const QCborMap base = payloadOf(makeInvite(fx));
        const auto parseWith = [&](qint64 key, const QCborValue &value) {
            QCborMap map = base;
            map.insert(key, value);
            return Invite::parse(linkFor(map), kNow);
        };
        CAIRN_VERIFY_ERROR(parseWith(Token, QByteArray(15, 't')), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(parseWith(Token, QByteArray(33, 't')), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(parseWith(Token, QStringLiteral("token-as-text-xx")), IdentityError::Malformed);
        CAIRN_VERIFY_ERROR(parseWith(CaKey, QByteArray(31, 'k')), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(
            parseWith(CaKey, QByteArray::fromHex("01") + QByteArray(31, '\0')), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(parseWith(GroupId, QByteArray(33, 'g')), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(parseWith(GroupName, QStringLiteral("bad\nname")), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(parseWith(ExpiresAt, 0), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(parseWith(ExpiresAt, -5), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(parseWith(Rendezvous, QCborArray()), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(parseWith(Rendezvous, QStringLiteral("203.0.113.7:7465")), IdentityError::Malformed);
        QCborArray nine;
        for (int i = 1; i <= 9; ++i)
            nine.append(QStringLiteral("192.0.2.%1:7465").arg(i));
        CAIRN_VERIFY_ERROR(parseWith(Rendezvous, nine), IdentityError::TooLarge);
    }

    void rendezvousEndpointsAreValidated_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<int>("code");
        QTest::newRow("no port") << QStringLiteral("203.0.113.7") << int(IdentityError::InvalidField);
        QTest::newRow("port 0") << QStringLiteral("203.0.113.7:0") << int(IdentityError::InvalidField);
        QTest::newRow("port too big") << QStringLiteral("203.0.113.7:65536") << int(IdentityError::InvalidField);
        QTest::newRow("not an address") << QStringLiteral("rendezvous:7465") << int(IdentityError::InvalidField);
        QTest::newRow("empty") << QString() << int(IdentityError::InvalidField);
        QTest::newRow("too long") << QString(80, QLatin1Char('1')) << int(IdentityError::InvalidField);
        QTest::newRow("number") << QStringLiteral("\x01") << int(IdentityError::InvalidField);
        QTest::newRow("localhost spelled out") << QStringLiteral("localhost:7465") << int(IdentityError::NotCanonical);
        QTest::newRow("leading zero port") << QStringLiteral("203.0.113.7:07465") << int(IdentityError::NotCanonical);
        QTest::newRow("v6 without brackets") << QStringLiteral("2001:db8::7:7465") << int(IdentityError::NotCanonical);
    }
    void rendezvousEndpointsAreValidated()
    {
        QFETCH(QString, endpoint);
        QFETCH(int, code);
        Fixture fx;
        QCborMap map = payloadOf(makeInvite(fx));
        map.insert(Rendezvous, QCborArray {endpoint});
        CAIRN_VERIFY_ERROR(Invite::parse(linkFor(map), kNow), IdentityError(code));
    }

    void duplicateEndpointsAreRejected()
    {
        Fixture fx;
        QCborMap map = payloadOf(makeInvite(fx));
        map.insert(Rendezvous, QCborArray {QStringLiteral("203.0.113.7:7465"), QStringLiteral("203.0.113.7:7465")});
        CAIRN_VERIFY_ERROR(Invite::parse(linkFor(map), kNow), IdentityError::InvalidField);
    }

    void garbageLinksNeverParse()
    {
        base::SeededRng rng(1234);
        const QString alphabet = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
        for (int i = 0; i < 3000; ++i) {
            QString link = QStringLiteral("cairn://join/");
            const int n = int(rng.uniform(200));
            for (int j = 0; j < n; ++j)
                link.append(alphabet.at(qsizetype(rng.uniform(quint64(alphabet.size())))));
            QVERIFY(!Invite::parse(link, kNow).ok());
        }
        for (int i = 0; i < 1000; ++i)
            QVERIFY(!Invite::parse(linkFor(rng.bytes(qsizetype(rng.uniform(400)))), kNow).ok());
    }

    void nullInviteIsNull()
    {
        QVERIFY(Invite().isNull());
        Fixture fx;
        QVERIFY(!makeInvite(fx).isNull());
    }
};

QTEST_GUILESS_MAIN(TestInvite)
#include "test_invite.moc"
