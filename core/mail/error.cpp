#include "core/mail/error.h"

namespace cairn::mail {

QString errorName(MailError code)
{
    switch (code) {
    case MailError::Malformed:
        return QStringLiteral("Malformed");
    case MailError::UnsupportedVersion:
        return QStringLiteral("UnsupportedVersion");
    case MailError::TooLarge:
        return QStringLiteral("TooLarge");
    case MailError::InvalidField:
        return QStringLiteral("InvalidField");
    case MailError::NotForUs:
        return QStringLiteral("NotForUs");
    case MailError::CryptoFailed:
        return QStringLiteral("CryptoFailed");
    case MailError::NotFound:
        return QStringLiteral("NotFound");
    case MailError::Ambiguous:
        return QStringLiteral("Ambiguous");
    case MailError::InvalidArgument:
        return QStringLiteral("InvalidArgument");
    case MailError::Io:
        return QStringLiteral("Io");
    case MailError::DiskFull:
        return QStringLiteral("DiskFull");
    case MailError::Corrupt:
        return QStringLiteral("Corrupt");
    case MailError::UnsupportedSchema:
        return QStringLiteral("UnsupportedSchema");
    }
    return QStringLiteral("MailError(%1)").arg(int(code));
}

base::Error<MailError> fromCborError(const base::Error<base::cbor::CborError> &error, const QString &what)
{
    using base::cbor::CborError;
    const QString message = QStringLiteral("%1: %2").arg(what, error.message);
    switch (error.code) {
    case CborError::TooLarge:
    case CborError::StringTooLong:
    case CborError::TooManyItems:
        return base::fail(MailError::TooLarge, message);
    default:
        return base::fail(MailError::Malformed, message);
    }
}

} // namespace cairn::mail
