#include "core/identity/error.h"

namespace cairn::identity {

base::Error<IdentityError> fromCborError(const base::Error<base::cbor::CborError> &error, const QString &what)
{
    using base::cbor::CborError;
    IdentityError code = IdentityError::Malformed;
    switch (error.code) {
    case CborError::TooLarge:
    case CborError::StringTooLong:
    case CborError::TooManyItems:
        code = IdentityError::TooLarge;
        break;
    case CborError::NotCanonical:
        code = IdentityError::NotCanonical;
        break;
    case CborError::OutOfRange:
        code = IdentityError::InvalidField;
        break;
    default:
        code = IdentityError::Malformed;
        break;
    }
    return base::fail(code, QStringLiteral("%1: %2").arg(what, error.message));
}

QString errorName(IdentityError code)
{
    switch (code) {
    case IdentityError::TooLarge:
        return QStringLiteral("TooLarge");
    case IdentityError::Malformed:
        return QStringLiteral("Malformed");
    case IdentityError::NotCanonical:
        return QStringLiteral("NotCanonical");
    case IdentityError::UnknownField:
        return QStringLiteral("UnknownField");
    case IdentityError::UnsupportedVersion:
        return QStringLiteral("UnsupportedVersion");
    case IdentityError::InvalidField:
        return QStringLiteral("InvalidField");
    case IdentityError::WrongCa:
        return QStringLiteral("WrongCa");
    case IdentityError::WrongGroup:
        return QStringLiteral("WrongGroup");
    case IdentityError::BadSignature:
        return QStringLiteral("BadSignature");
    case IdentityError::NotYetValid:
        return QStringLiteral("NotYetValid");
    case IdentityError::Expired:
        return QStringLiteral("Expired");
    case IdentityError::RevokedUser:
        return QStringLiteral("RevokedUser");
    case IdentityError::RevokedSerial:
        return QStringLiteral("RevokedSerial");
    case IdentityError::DeviceKeyMismatch:
        return QStringLiteral("DeviceKeyMismatch");
    case IdentityError::WrongScheme:
        return QStringLiteral("WrongScheme");
    case IdentityError::BadEncoding:
        return QStringLiteral("BadEncoding");
    }
    return QStringLiteral("IdentityError(%1)").arg(int(code));
}

} // namespace cairn::identity
