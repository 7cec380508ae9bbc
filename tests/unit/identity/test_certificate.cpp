// Certificates: issue, canonical wire form, strict decoding.
#include "core/identity/names.h"
#include "core/identity/verify.h"
#include "identityfixture.h"

using namespace cairn;
using namespace cairn::identity;
using namespace cairn::identity::testing;

namespace {

const QByteArrayView kContext = Certificate::kSigningContext;

// Certificate tbs field numbers, as docs/protocol.md lists them.
namespace field {
enum : qint64 { Version = 1, GroupId, GroupName, Username, DeviceKey, Roles, NotBefore, NotAfter, Serial, Issuer };
}

} // namespace

class TestCertificate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void issuedCertificateCarriesItsFields()
    {
        Fixture fx;
        const Certificate cert = fx.cert();
        QCOMPARE(cert.fields(), fx.fields());
        QCOMPARE(cert.username(), QStringLiteral("alice"));
        QCOMPARE(cert.issuerKey(), fx.ca.publicKey());
        QVERIFY(cert.hasRole(Role::Member));
        QVERIFY(cert.hasRole(Role::Storage));
        QVERIFY(!cert.hasRole(Role::Operator));
        QVERIFY(!cert.isNull());
        QVERIFY(cert.encode().size() <= Certificate::kMaxBytes);
    }

    void roundTripIsByteIdentical()
    {
        Fixture fx;
        const Certificate cert = fx.cert();
        const QByteArray wire = cert.encode();
        auto back = Certificate::decode(wire);
        CAIRN_VERIFY_OK(back);
        QCOMPARE(back->encode(), wire);
        QCOMPARE(back->fields(), cert.fields());
        QCOMPARE(back->issuerKey(), cert.issuerKey());
        QCOMPARE(back.value(), cert);
        QVERIFY(back->signatureValid(fx.ca.publicKey()));
    }

    void issuingIsDeterministic()
    {
        // Ed25519 signatures are deterministic, so the same fields give the same bytes.
        Fixture a, b;
        QCOMPARE(a.cert().encode(), b.cert().encode());
    }

    void allRolesRoundTrip()
    {
        Fixture fx;
        auto f = fx.fields();
        f.roles = Role::Member | Role::Storage | Role::Relay | Role::Operator;
        auto back = Certificate::decode(fx.issue(f).encode());
        CAIRN_VERIFY_OK(back);
        QCOMPARE(back->roles(), f.roles);
        f.roles = {};
        back = Certificate::decode(fx.issue(f).encode());
        CAIRN_VERIFY_OK(back);
        QCOMPARE(back->roles(), Roles());
    }

    void nodeIdIsDerivedFromTheDeviceKey()
    {
        Fixture fx;
        const Certificate cert = fx.cert();
        QCOMPARE(cert.nodeId(), NodeId::fromDeviceKey(fx.device.publicKey()));
        QCOMPARE(cert.nodeId().toByteArray(), crypto::blake2b(fx.device.publicKey().toByteArray(), 20));
    }

    void validUsernamesAreAccepted_data()
    {
        QTest::addColumn<QString>("username");
        QTest::newRow("one letter") << QStringLiteral("a");
        QTest::newRow("digit first") << QStringLiteral("7of9");
        QTest::newRow("punctuation") << QStringLiteral("j.doe_2-x");
        QTest::newRow("32 chars") << QString(32, QLatin1Char('z'));
    }
    void validUsernamesAreAccepted()
    {
        QFETCH(QString, username);
        Fixture fx;
        auto cert = Certificate::issue(fx.ca, fx.fields(username));
        CAIRN_VERIFY_OK(cert);
        auto back = Certificate::decode(cert->encode());
        CAIRN_VERIFY_OK(back);
        QCOMPARE(back->username(), username);
    }

    void invalidUsernamesAreRejected_data()
    {
        QTest::addColumn<QString>("username");
        QTest::newRow("empty") << QString();
        QTest::newRow("33 chars") << QString(33, QLatin1Char('z'));
        QTest::newRow("upper case") << QStringLiteral("Alice");
        QTest::newRow("space") << QStringLiteral("al ice");
        QTest::newRow("leading dot") << QStringLiteral(".alice");
        QTest::newRow("dot dot") << QStringLiteral("..");
        QTest::newRow("leading dash") << QStringLiteral("-alice");
        QTest::newRow("slash") << QStringLiteral("a/b");
        QTest::newRow("non-ASCII") << QStringLiteral("älice");
        QTest::newRow("NUL") << QStringLiteral("al") + QChar(0) + QStringLiteral("ice");
    }
    void invalidUsernamesAreRejected()
    {
        QFETCH(QString, username);
        Fixture fx;
        CAIRN_VERIFY_ERROR(Certificate::issue(fx.ca, fx.fields(username)), IdentityError::InvalidField);
        // and a CA that skipped the check would not get it past a decoder
        QCborMap tbs = tbsMap(fx.cert().encode());
        tbs.insert(field::Username, username);
        CAIRN_VERIFY_ERROR(Certificate::decode(signMap(fx.ca, kContext, tbs)), IdentityError::InvalidField);
    }

    void invalidGroupNamesAreRejected_data()
    {
        QTest::addColumn<QString>("groupName");
        QTest::newRow("empty") << QString();
        QTest::newRow("65 chars") << QString(65, QLatin1Char('g'));
        QTest::newRow("newline") << QStringLiteral("Hiking\nClub");
        QTest::newRow("tab") << QStringLiteral("Hiking\tClub");
        QTest::newRow("leading space") << QStringLiteral(" Hiking");
        QTest::newRow("trailing space") << QStringLiteral("Hiking ");
        QTest::newRow("bidi override") << QStringLiteral("Hiking") + QChar(0x202E);
        QTest::newRow("lone surrogate") << QStringLiteral("Hiking") + QChar(0xD800);
        QTest::newRow("not NFC") << QStringLiteral("Cafe") + QChar(0x0301);
    }
    void invalidGroupNamesAreRejected()
    {
        QFETCH(QString, groupName);
        Fixture fx;
        auto f = fx.fields();
        f.groupName = groupName;
        CAIRN_VERIFY_ERROR(Certificate::issue(fx.ca, f), IdentityError::InvalidField);
    }

    void unicodeGroupNamesAreAccepted()
    {
        Fixture fx;
        auto f = fx.fields();
        f.groupName = QStringLiteral("Café Grüße 山岳会 🏔"); // NFC, printable, one astral character
        auto back = Certificate::decode(fx.issue(f).encode());
        CAIRN_VERIFY_OK(back);
        QCOMPARE(back->groupName(), f.groupName);
        // 64 astral characters: 128 UTF-16 units, still 64 characters
        QString astral;
        for (int i = 0; i < 64; ++i)
            astral += QString::fromUcs4(U"🏔", 1);
        f.groupName = astral;
        back = Certificate::decode(fx.issue(f).encode());
        CAIRN_VERIFY_OK(back);
    }

    void issueRejectsInconsistentFields()
    {
        Fixture fx;
        auto f = fx.fields();
        f.notAfter = f.notBefore;
        CAIRN_VERIFY_ERROR(Certificate::issue(fx.ca, f), IdentityError::InvalidField);
        f = fx.fields();
        f.notBefore = -1;
        CAIRN_VERIFY_ERROR(Certificate::issue(fx.ca, f), IdentityError::InvalidField);
        f = fx.fields();
        f.notAfter = names::kMaxUnixTime + 1;
        CAIRN_VERIFY_ERROR(Certificate::issue(fx.ca, f), IdentityError::InvalidField);
        f = fx.fields();
        f.roles = Roles::fromInt(0x10);
        CAIRN_VERIFY_ERROR(Certificate::issue(fx.ca, f), IdentityError::InvalidField);
        f = fx.fields();
        f.serial = Certificate::kMaxSerial + 1;
        CAIRN_VERIFY_ERROR(Certificate::issue(fx.ca, f), IdentityError::InvalidField);
        f = fx.fields();
        f.groupId = QByteArray(31, 'g');
        CAIRN_VERIFY_ERROR(Certificate::issue(fx.ca, f), IdentityError::InvalidField);
        f = fx.fields();
        // The identity point: a small-order key with no usable X25519 form.
        f.deviceKey = crypto::PublicKey::fromBytes(QByteArray::fromHex("01") + QByteArray(31, '\0')).value();
        CAIRN_VERIFY_ERROR(Certificate::issue(fx.ca, f), IdentityError::InvalidField);
    }

    void largestSerialRoundTrips()
    {
        Fixture fx;
        auto f = fx.fields();
        f.serial = Certificate::kMaxSerial;
        auto back = Certificate::decode(fx.issue(f).encode());
        CAIRN_VERIFY_OK(back);
        QCOMPARE(back->serial(), Certificate::kMaxSerial);
    }

    void tamperingAnyByteMakesDecodeOrVerifyFail()
    {
        Fixture fx;
        const QByteArray wire = fx.cert().encode();
        for (qsizetype i = 0; i < wire.size(); ++i) {
            for (quint8 mask : {quint8(0x01), quint8(0x80), quint8(0xff)}) {
                QByteArray bad = wire;
                bad[i] = char(quint8(bad[i]) ^ mask);
                auto cert = Certificate::decode(bad);
                if (!cert.ok())
                    continue;
                const auto verified = verifyCertificate(cert.value(), fx.ca.publicKey(), fx.groupId, kNow);
                QVERIFY2(!verified.ok(), qPrintable(QStringLiteral("byte %1 ^ %2 went unnoticed").arg(i).arg(mask)));
            }
        }
    }

    void everyTruncationIsRejected()
    {
        Fixture fx;
        const QByteArray wire = fx.cert().encode();
        for (qsizetype n = 0; n < wire.size(); ++n)
            QVERIFY2(!Certificate::decode(wire.first(n)).ok(), qPrintable(QString::number(n)));
        QVERIFY(!Certificate::decode(wire + QByteArray(1, '\0')).ok());
    }

    void nonCanonicalEncodingsAreRejected()
    {
        Fixture fx;
        const Certificate cert = fx.cert();
        const QByteArray tbs = base::cbor::encode(tbsMap(cert.encode()));
        // A map of 10 entries opens "aa 01 01": version 1. Spell the version
        // with a one-byte-longer integer and sign that honestly.
        QVERIFY(tbs.startsWith(QByteArray::fromHex("aa0101")));
        QByteArray longInt = tbs;
        longInt.replace(0, 3, QByteArray::fromHex("aa011801"));
        CAIRN_VERIFY_ERROR(Certificate::decode(signRaw(fx.ca, kContext, longInt)), IdentityError::NotCanonical);

        // The same fields with the map keys in descending order.
        QByteArray unsorted = QByteArray::fromHex("aa");
        const QCborMap map = tbsMap(cert.encode());
        for (qint64 key = field::Issuer; key >= field::Version; --key)
            unsorted += base::cbor::encode(key) + base::cbor::encode(map.value(key));
        CAIRN_VERIFY_ERROR(Certificate::decode(signRaw(fx.ca, kContext, unsorted)), IdentityError::NotCanonical);

        // The outer envelope with a non-shortest length for the signature.
        const QByteArray wire = cert.encode();
        const QByteArray sigHead = QByteArray::fromHex("015840"); // key 1, bytes(64)
        const qsizetype at = wire.lastIndexOf(sigHead);
        QVERIFY(at > 0);
        QByteArray longLength = wire;
        longLength.replace(at, 3, QByteArray::fromHex("01590040"));
        CAIRN_VERIFY_ERROR(Certificate::decode(longLength), IdentityError::NotCanonical);

        // An indefinite-length outer map.
        QByteArray indefinite = wire;
        indefinite[0] = char(0xbf);
        indefinite.append(char(0xff));
        QVERIFY(!Certificate::decode(indefinite).ok());
    }

    void unknownFieldsAreRejected()
    {
        Fixture fx;
        QCborMap tbs = tbsMap(fx.cert().encode());
        tbs.insert(11, 0);
        CAIRN_VERIFY_ERROR(Certificate::decode(signMap(fx.ca, kContext, tbs)), IdentityError::UnknownField);
        tbs = tbsMap(fx.cert().encode());
        tbs.insert(QStringLiteral("note"), QStringLiteral("hi"));
        CAIRN_VERIFY_ERROR(Certificate::decode(signMap(fx.ca, kContext, tbs)), IdentityError::UnknownField);
        // ... and in the envelope
        QCborMap outer;
        outer.insert(0, base::cbor::encode(tbsMap(fx.cert().encode())));
        outer.insert(1, QByteArray(64, 's'));
        outer.insert(2, 0);
        CAIRN_VERIFY_ERROR(Certificate::decode(base::cbor::encode(outer)), IdentityError::UnknownField);
    }

    void otherVersionsAreRejected()
    {
        Fixture fx;
        for (qint64 version : {0, 2, 1000}) {
            QCborMap tbs = tbsMap(fx.cert().encode());
            tbs.insert(field::Version, version);
            CAIRN_VERIFY_ERROR(Certificate::decode(signMap(fx.ca, kContext, tbs)), IdentityError::UnsupportedVersion);
        }
        // A future version with a new field reports the version, not the field.
        QCborMap tbs = tbsMap(fx.cert().encode());
        tbs.insert(field::Version, 2);
        tbs.insert(42, true);
        CAIRN_VERIFY_ERROR(Certificate::decode(signMap(fx.ca, kContext, tbs)), IdentityError::UnsupportedVersion);
    }

    void missingOrMistypedFieldsAreRejected_data()
    {
        QTest::addColumn<qint64>("key");
        for (qint64 key = field::Version; key <= field::Issuer; ++key)
            QTest::addRow("field %lld", key) << key;
    }
    void missingOrMistypedFieldsAreRejected()
    {
        QFETCH(qint64, key);
        Fixture fx;
        QCborMap tbs = tbsMap(fx.cert().encode());
        tbs.remove(key);
        CAIRN_VERIFY_ERROR(Certificate::decode(signMap(fx.ca, kContext, tbs)), IdentityError::Malformed);

        tbs = tbsMap(fx.cert().encode());
        const QCborValue old = tbs.value(key);
        tbs.insert(key, old.isInteger() ? QCborValue(QStringLiteral("1")) : QCborValue(qint64(1)));
        CAIRN_VERIFY_ERROR(Certificate::decode(signMap(fx.ca, kContext, tbs)), IdentityError::Malformed);
    }

    void outOfRangeFieldsAreRejected()
    {
        Fixture fx;
        const auto decodeWith = [&](qint64 key, const QCborValue &value) {
            QCborMap tbs = tbsMap(fx.cert().encode());
            tbs.insert(key, value);
            return Certificate::decode(signMap(fx.ca, kContext, tbs));
        };
        CAIRN_VERIFY_ERROR(decodeWith(field::GroupId, QByteArray(33, 'g')), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(field::DeviceKey, QByteArray(31, 'k')), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(field::DeviceKey, QByteArray::fromHex("01") + QByteArray(31, '\0')),
            IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(field::Issuer, QByteArray(33, 'k')), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(field::Roles, 0x10), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(field::Roles, -1), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(field::Serial, -1), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(field::NotBefore, -5), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(field::NotAfter, names::kMaxUnixTime + 1), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(field::NotAfter, kNow - 3600), IdentityError::InvalidField); // == not-before
        CAIRN_VERIFY_ERROR(decodeWith(field::GroupName, QString(300, QLatin1Char('g'))), IdentityError::InvalidField);
        CAIRN_VERIFY_ERROR(decodeWith(field::GroupName, QString(600, QLatin1Char('g'))),
            IdentityError::TooLarge); // past the decoder's string limit
    }

    void oversizedInputIsRejectedBeforeParsing()
    {
        Fixture fx;
        QByteArray big = fx.cert().encode();
        big.append(QByteArray(Certificate::kMaxBytes, '\0'));
        CAIRN_VERIFY_ERROR(Certificate::decode(big), IdentityError::TooLarge);
        // a well-formed envelope whose tbs alone breaks the limit
        QCborMap outer;
        outer.insert(0, QByteArray(Certificate::kMaxBytes, 'x'));
        outer.insert(1, QByteArray(64, 's'));
        CAIRN_VERIFY_ERROR(Certificate::decode(base::cbor::encode(outer)), IdentityError::TooLarge);
    }

    void garbageIsRejected()
    {
        CAIRN_VERIFY_ERROR(Certificate::decode(QByteArray()), IdentityError::Malformed);
        CAIRN_VERIFY_ERROR(Certificate::decode(QByteArray::fromHex("00")), IdentityError::Malformed);
        CAIRN_VERIFY_ERROR(Certificate::decode(QByteArray::fromHex("a0")), IdentityError::Malformed);
        CAIRN_VERIFY_ERROR(Certificate::decode(QByteArray::fromHex("80")), IdentityError::Malformed);
        CAIRN_VERIFY_ERROR(Certificate::decode(QByteArray::fromHex("a200400140")), IdentityError::Malformed);
        // the tbs is not a map
        QCborMap outer;
        outer.insert(0, base::cbor::encode(QCborArray {1, 2}));
        outer.insert(1, QByteArray(64, 's'));
        CAIRN_VERIFY_ERROR(Certificate::decode(base::cbor::encode(outer)), IdentityError::Malformed);
        base::SeededRng rng(99);
        for (int i = 0; i < 2000; ++i)
            QVERIFY(!Certificate::decode(rng.bytes(qsizetype(rng.uniform(300)))).ok());
    }

    void nullCertificateIsInert()
    {
        Fixture fx;
        const Certificate null;
        QVERIFY(null.isNull());
        QVERIFY(null.encode().isEmpty());
        QVERIFY(!null.signatureValid(fx.ca.publicKey()));
        QVERIFY(null != fx.cert());
    }
};

QTEST_GUILESS_MAIN(TestCertificate)
#include "test_certificate.moc"
