#include "core/identity/verify.h"

namespace cairn::identity {

Result<void> verifyRevocationList(const RevocationList &crl, const crypto::PublicKey &caKey, QByteArrayView groupId)
{
    if (crl.isNull())
        return base::fail(IdentityError::Malformed, QStringLiteral("revocation list: empty"));
    if (crl.issuerKey() != caKey)
        return base::fail(IdentityError::WrongCa,
            QStringLiteral("revocation list: issued by CA %1, expected %2")
                .arg(crl.issuerKey().toHex(), caKey.toHex()));
    if (crl.groupId() != groupId)
        return base::fail(IdentityError::WrongGroup,
            QStringLiteral("revocation list: for group %1, expected %2")
                .arg(QString::fromLatin1(crl.groupId().toHex()), QString::fromLatin1(groupId.toByteArray().toHex())));
    if (!crl.signatureValid(caKey))
        return base::fail(
            IdentityError::BadSignature, QStringLiteral("revocation list: the CA signature does not verify"));
    return {};
}

Result<void> verifyCertificate(const Certificate &cert, const crypto::PublicKey &caKey, QByteArrayView groupId,
    qint64 nowUnix, const RevocationList *crl, const crypto::PublicKey *expectedDeviceKey)
{
    if (cert.isNull())
        return base::fail(IdentityError::Malformed, QStringLiteral("certificate: empty"));
    const QString who = QStringLiteral("certificate of '%1' (serial %2)").arg(cert.username()).arg(cert.serial());
    // The issuer field is signed, so comparing it first only sorts a foreign
    // CA's certificate (WrongCa) from a forged or damaged one (BadSignature).
    if (cert.issuerKey() != caKey)
        return base::fail(IdentityError::WrongCa,
            QStringLiteral("%1: issued by CA %2, expected %3").arg(who, cert.issuerKey().toHex(), caKey.toHex()));
    if (cert.groupId() != groupId)
        return base::fail(IdentityError::WrongGroup,
            QStringLiteral("%1: for group %2, expected %3")
                .arg(who, QString::fromLatin1(cert.groupId().toHex()),
                    QString::fromLatin1(groupId.toByteArray().toHex())));
    if (!cert.signatureValid(caKey))
        return base::fail(IdentityError::BadSignature, QStringLiteral("%1: the CA signature does not verify").arg(who));
    if (expectedDeviceKey && cert.deviceKey() != *expectedDeviceKey)
        return base::fail(IdentityError::DeviceKeyMismatch,
            QStringLiteral("%1: device key %2 is not the peer's key %3")
                .arg(who, cert.deviceKey().toHex(), expectedDeviceKey->toHex()));
    if (nowUnix < cert.notBefore())
        return base::fail(IdentityError::NotYetValid,
            QStringLiteral("%1: not valid before %2, now is %3").arg(who).arg(cert.notBefore()).arg(nowUnix));
    if (nowUnix >= cert.notAfter())
        return base::fail(IdentityError::Expired,
            QStringLiteral("%1: expired at %2, now is %3").arg(who).arg(cert.notAfter()).arg(nowUnix));
    if (crl) {
        if (auto r = verifyRevocationList(*crl, caKey, groupId); !r.ok())
            return r;
        if (crl->isUserRevoked(cert.username()))
            return base::fail(IdentityError::RevokedUser,
                QStringLiteral("%1: user '%2' is revoked (revocation list version %3)")
                    .arg(who, cert.username())
                    .arg(crl->version()));
        if (crl->isSerialRevoked(cert.serial()))
            return base::fail(IdentityError::RevokedSerial,
                QStringLiteral("%1: serial %2 is revoked (revocation list version %3)")
                    .arg(who)
                    .arg(cert.serial())
                    .arg(crl->version()));
    }
    return {};
}

} // namespace cairn::identity
