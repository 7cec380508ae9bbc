#pragma once

#include "core/crypto/keys.h"
#include "core/identity/certificate.h"
#include "core/identity/error.h"
#include "core/identity/revocationlist.h"

namespace cairn::identity {

/// Checks that a revocation list was issued by `caKey` for `groupId`:
/// WrongCa, WrongGroup or BadSignature otherwise.
Result<void> verifyRevocationList(const RevocationList &crl, const crypto::PublicKey &caKey, QByteArrayView groupId);

/// Everything a peer's certificate must satisfy before we talk to it, in
/// this order, each failure with its own code:
///  - issued by `caKey` (WrongCa) for `groupId` (WrongGroup),
///  - the CA signature covers the certificate's bytes (BadSignature),
///  - if `expectedDeviceKey` is given (the Noise static key the peer proved
///    it holds), it is the certificate's device key (DeviceKeyMismatch),
///  - not-before <= nowUnix < not-after (NotYetValid, Expired),
///  - if `crl` is given: the list itself verifies for the same CA and group
///    (its error is returned as is), and it revokes neither the username
///    (RevokedUser) nor the serial (RevokedSerial).
Result<void> verifyCertificate(const Certificate &cert, const crypto::PublicKey &caKey, QByteArrayView groupId,
    qint64 nowUnix, const RevocationList *crl = nullptr, const crypto::PublicKey *expectedDeviceKey = nullptr);

} // namespace cairn::identity
