// verifyCertificate and verifyRevocationList: each rejection has its own code.
#include "core/identity/verify.h"
#include "identityfixture.h"

using namespace cairn;
using namespace cairn::identity;
using namespace cairn::identity::testing;

class TestVerify : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void validCertificateVerifies()
    {
        Fixture fx;
        const Certificate cert = fx.cert();
        const RevocationList crl = fx.revoke({QStringLiteral("mallory")}, {99});
        const crypto::PublicKey peer = fx.device.publicKey();
        CAIRN_VERIFY_OK(verifyCertificate(cert, fx.ca.publicKey(), fx.groupId, kNow));
        CAIRN_VERIFY_OK(verifyCertificate(cert, fx.ca.publicKey(), fx.groupId, kNow, &crl, &peer));
    }

    void decodedCertificateVerifies()
    {
        Fixture fx;
        auto cert = Certificate::decode(fx.cert().encode());
        CAIRN_VERIFY_OK(cert);
        CAIRN_VERIFY_OK(verifyCertificate(cert.value(), fx.ca.publicKey(), fx.groupId, kNow));
    }

    void certificateSignedByAnotherCaIsRejected()
    {
        Fixture fx;
        const Certificate foreign = Certificate::issue(fx.otherCa, fx.fields()).value();
        CAIRN_VERIFY_ERROR(verifyCertificate(foreign, fx.ca.publicKey(), fx.groupId, kNow), IdentityError::WrongCa);
    }

    void certificateNamingOurCaButSignedByAnotherKeyIsRejected()
    {
        // A forger copies our CA's key into the issuer field and signs with his own.
        Fixture fx;
        const QCborMap tbs = tbsMap(fx.cert().encode());
        auto forged = Certificate::decode(signMap(fx.otherCa, Certificate::kSigningContext, tbs));
        CAIRN_VERIFY_OK(forged);
        QCOMPARE(forged->issuerKey(), fx.ca.publicKey());
        CAIRN_VERIFY_ERROR(
            verifyCertificate(forged.value(), fx.ca.publicKey(), fx.groupId, kNow), IdentityError::BadSignature);
    }

    void certificateForAnotherGroupIsRejected()
    {
        Fixture fx;
        CAIRN_VERIFY_ERROR(
            verifyCertificate(fx.cert(), fx.ca.publicKey(), fx.otherGroupId, kNow), IdentityError::WrongGroup);
        auto f = fx.fields();
        f.groupId = fx.otherGroupId;
        CAIRN_VERIFY_ERROR(
            verifyCertificate(fx.issue(f), fx.ca.publicKey(), fx.groupId, kNow), IdentityError::WrongGroup);
    }

    void tamperedSignatureIsRejected()
    {
        Fixture fx;
        QByteArray wire = fx.cert().encode();
        wire[wire.size() - 1] = char(wire[wire.size() - 1] ^ 0x01); // the signature is last
        auto cert = Certificate::decode(wire);
        CAIRN_VERIFY_OK(cert);
        CAIRN_VERIFY_ERROR(
            verifyCertificate(cert.value(), fx.ca.publicKey(), fx.groupId, kNow), IdentityError::BadSignature);
    }

    void tamperedFieldsAreRejected()
    {
        // Change a field but keep the signature: the signature no longer covers it.
        Fixture fx;
        const Certificate cert = fx.cert();
        QCborMap tbs = tbsMap(cert.encode());
        tbs.insert(4, QStringLiteral("mallory"));
        QCborMap outer;
        outer.insert(0, base::cbor::encode(tbs));
        auto original = SignedEnvelope::decode(cert.encode(), Certificate::kMaxBytes, QStringLiteral("test"));
        CAIRN_VERIFY_OK(original);
        outer.insert(1, original->signature);
        auto tampered = Certificate::decode(base::cbor::encode(outer));
        CAIRN_VERIFY_OK(tampered);
        QCOMPARE(tampered->username(), QStringLiteral("mallory"));
        CAIRN_VERIFY_ERROR(
            verifyCertificate(tampered.value(), fx.ca.publicKey(), fx.groupId, kNow), IdentityError::BadSignature);
    }

    void signatureFromAnotherFormatIsRejected()
    {
        // The CA's signature over the same bytes in the revocation-list context
        // must not pass as a certificate signature.
        Fixture fx;
        const QCborMap tbs = tbsMap(fx.cert().encode());
        auto cert = Certificate::decode(signMap(fx.ca, RevocationList::kSigningContext, tbs));
        CAIRN_VERIFY_OK(cert);
        CAIRN_VERIFY_ERROR(
            verifyCertificate(cert.value(), fx.ca.publicKey(), fx.groupId, kNow), IdentityError::BadSignature);
    }

    void validityWindowIsHalfOpen()
    {
        Fixture fx;
        const Certificate cert = fx.cert();
        const auto ca = fx.ca.publicKey();
        CAIRN_VERIFY_OK(verifyCertificate(cert, ca, fx.groupId, cert.notBefore()));
        CAIRN_VERIFY_OK(verifyCertificate(cert, ca, fx.groupId, cert.notAfter() - 1));
    }

    void expiredCertificateIsRejected()
    {
        Fixture fx;
        const Certificate cert = fx.cert();
        CAIRN_VERIFY_ERROR(
            verifyCertificate(cert, fx.ca.publicKey(), fx.groupId, cert.notAfter()), IdentityError::Expired);
        CAIRN_VERIFY_ERROR(verifyCertificate(cert, fx.ca.publicKey(), fx.groupId, cert.notAfter() + 86400 * 365),
            IdentityError::Expired);
    }

    void notYetValidCertificateIsRejected()
    {
        Fixture fx;
        const Certificate cert = fx.cert();
        CAIRN_VERIFY_ERROR(
            verifyCertificate(cert, fx.ca.publicKey(), fx.groupId, cert.notBefore() - 1), IdentityError::NotYetValid);
        CAIRN_VERIFY_ERROR(verifyCertificate(cert, fx.ca.publicKey(), fx.groupId, 0), IdentityError::NotYetValid);
    }

    void deviceKeyThatDoesNotMatchThePeerIsRejected()
    {
        Fixture fx;
        const crypto::PublicKey peer = fx.otherDevice.publicKey();
        CAIRN_VERIFY_ERROR(verifyCertificate(fx.cert(), fx.ca.publicKey(), fx.groupId, kNow, nullptr, &peer),
            IdentityError::DeviceKeyMismatch);
    }

    void certificateOfRevokedUserIsRejected()
    {
        Fixture fx;
        const RevocationList crl = fx.revoke({QStringLiteral("alice")}, {});
        // every device of alice, whatever its serial
        for (quint64 serial : {1, 2, 3}) {
            const Certificate cert = fx.issue(fx.fields(QStringLiteral("alice"), serial));
            CAIRN_VERIFY_ERROR(
                verifyCertificate(cert, fx.ca.publicKey(), fx.groupId, kNow, &crl), IdentityError::RevokedUser);
        }
        CAIRN_VERIFY_OK(verifyCertificate(
            fx.issue(fx.fields(QStringLiteral("bob"), 4)), fx.ca.publicKey(), fx.groupId, kNow, &crl));
    }

    void certificateWithRevokedSerialIsRejected()
    {
        Fixture fx;
        const RevocationList crl = fx.revoke({}, {2});
        const Certificate laptop = fx.issue(fx.fields(QStringLiteral("alice"), 1));
        const Certificate phone = fx.issue(fx.fields(QStringLiteral("alice"), 2));
        CAIRN_VERIFY_OK(verifyCertificate(laptop, fx.ca.publicKey(), fx.groupId, kNow, &crl));
        CAIRN_VERIFY_ERROR(
            verifyCertificate(phone, fx.ca.publicKey(), fx.groupId, kNow, &crl), IdentityError::RevokedSerial);
    }

    void revocationListFromAnotherCaIsRejected()
    {
        Fixture fx;
        RevocationFields f;
        f.groupId = fx.groupId;
        f.version = 5;
        const RevocationList foreign = RevocationList::issue(fx.otherCa, f).value();
        CAIRN_VERIFY_ERROR(verifyRevocationList(foreign, fx.ca.publicKey(), fx.groupId), IdentityError::WrongCa);
        CAIRN_VERIFY_ERROR(
            verifyCertificate(fx.cert(), fx.ca.publicKey(), fx.groupId, kNow, &foreign), IdentityError::WrongCa);
    }

    void revocationListForAnotherGroupIsRejected()
    {
        Fixture fx;
        RevocationFields f;
        f.groupId = fx.otherGroupId;
        const RevocationList crl = RevocationList::issue(fx.ca, f).value();
        CAIRN_VERIFY_ERROR(verifyRevocationList(crl, fx.ca.publicKey(), fx.groupId), IdentityError::WrongGroup);
        CAIRN_VERIFY_ERROR(
            verifyCertificate(fx.cert(), fx.ca.publicKey(), fx.groupId, kNow, &crl), IdentityError::WrongGroup);
    }

    void revocationListWithBadSignatureIsRejected()
    {
        Fixture fx;
        QByteArray wire = fx.revoke({QStringLiteral("bob")}, {}).encode();
        wire[wire.size() - 10] = char(wire[wire.size() - 10] ^ 0x40);
        auto crl = RevocationList::decode(wire);
        CAIRN_VERIFY_OK(crl);
        CAIRN_VERIFY_ERROR(
            verifyRevocationList(crl.value(), fx.ca.publicKey(), fx.groupId), IdentityError::BadSignature);
        CAIRN_VERIFY_ERROR(verifyCertificate(fx.cert(), fx.ca.publicKey(), fx.groupId, kNow, &crl.value()),
            IdentityError::BadSignature);
        CAIRN_VERIFY_OK(verifyRevocationList(fx.revoke({}, {}), fx.ca.publicKey(), fx.groupId));
    }

    void nullInputsAreRejected()
    {
        Fixture fx;
        CAIRN_VERIFY_ERROR(
            verifyCertificate(Certificate(), fx.ca.publicKey(), fx.groupId, kNow), IdentityError::Malformed);
        const RevocationList null;
        CAIRN_VERIFY_ERROR(verifyRevocationList(null, fx.ca.publicKey(), fx.groupId), IdentityError::Malformed);
        CAIRN_VERIFY_ERROR(
            verifyCertificate(fx.cert(), fx.ca.publicKey(), fx.groupId, kNow, &null), IdentityError::Malformed);
    }

    void tamperingAnyByteOfARevocationListMakesDecodeOrVerifyFail()
    {
        Fixture fx;
        const QByteArray wire = fx.revoke({QStringLiteral("bob"), QStringLiteral("carol")}, {3, 70000}).encode();
        for (qsizetype i = 0; i < wire.size(); ++i) {
            for (quint8 mask : {quint8(0x01), quint8(0x80), quint8(0xff)}) {
                QByteArray bad = wire;
                bad[i] = char(quint8(bad[i]) ^ mask);
                auto crl = RevocationList::decode(bad);
                if (!crl.ok())
                    continue;
                QVERIFY2(!verifyRevocationList(crl.value(), fx.ca.publicKey(), fx.groupId).ok(),
                    qPrintable(QStringLiteral("byte %1 ^ %2 went unnoticed").arg(i).arg(mask)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestVerify)
#include "test_verify.moc"
