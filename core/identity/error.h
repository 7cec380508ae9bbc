#pragma once

#include "core/base/cbor.h"
#include "core/base/result.h"

namespace cairn::identity {

/// Why a certificate, revocation list or invite was refused. Every rejection
/// a caller may want to tell apart (to log it, to show it, to test it) has its
/// own code; the message says what exactly was wrong.
enum class IdentityError {
    // Decoding
    TooLarge, // input longer than the format allows
    Malformed, // not well-formed CBOR, wrong types, missing fields
    NotCanonical, // well formed but not the one deterministic encoding
    UnknownField, // a map key this version does not define
    UnsupportedVersion, // a format version this code does not speak
    InvalidField, // a field that parses but breaks a rule (username, sizes, order)
    // Verification
    WrongCa, // issued by another CA key than the one we trust
    WrongGroup, // the group id is not the expected group's
    BadSignature, // the CA signature does not cover these bytes
    NotYetValid,
    Expired, // a certificate past not-after or an invite past its expiry
    RevokedUser, // the revocation list names the certificate's username
    RevokedSerial, // the revocation list names the certificate's serial
    DeviceKeyMismatch, // the certificate is for another device than the peer's key
    // Invites
    WrongScheme, // not a cairn://join/ link
    BadEncoding, // the link payload is not unpadded base64url
};

template <typename T> using Result = base::Result<T, IdentityError>;

/// Maps a CBOR decoding failure onto IdentityError, prefixing the message
/// with what was being decoded ("certificate", "invite", ...).
base::Error<IdentityError> fromCborError(const base::Error<base::cbor::CborError> &error, const QString &what);

/// A readable name for a code ("Expired"), for logs and test output.
QString errorName(IdentityError code);

} // namespace cairn::identity
