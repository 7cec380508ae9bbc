#include "core/transfer/error.h"

namespace cairn::transfer {

base::Error<TransferError> fromCborError(const base::Error<base::cbor::CborError> &error, const QString &what)
{
    using base::cbor::CborError;
    TransferError code = TransferError::Malformed;
    switch (error.code) {
    case CborError::TooLarge:
    case CborError::StringTooLong:
    case CborError::TooManyItems:
        code = TransferError::TooLarge;
        break;
    case CborError::NotCanonical:
        code = TransferError::NotCanonical;
        break;
    case CborError::OutOfRange:
        code = TransferError::InvalidField;
        break;
    default:
        code = TransferError::Malformed;
        break;
    }
    return base::fail(code, QStringLiteral("%1: %2").arg(what, error.message));
}

QString errorName(TransferError code)
{
    switch (code) {
    case TransferError::TooLarge:
        return QStringLiteral("TooLarge");
    case TransferError::Malformed:
        return QStringLiteral("Malformed");
    case TransferError::NotCanonical:
        return QStringLiteral("NotCanonical");
    case TransferError::UnknownField:
        return QStringLiteral("UnknownField");
    case TransferError::InvalidField:
        return QStringLiteral("InvalidField");
    case TransferError::InvalidPath:
        return QStringLiteral("InvalidPath");
    case TransferError::InvalidArgument:
        return QStringLiteral("InvalidArgument");
    case TransferError::NotFound:
        return QStringLiteral("NotFound");
    case TransferError::Unreadable:
        return QStringLiteral("Unreadable");
    case TransferError::SourceChanged:
        return QStringLiteral("SourceChanged");
    case TransferError::Io:
        return QStringLiteral("Io");
    case TransferError::DiskFull:
        return QStringLiteral("DiskFull");
    case TransferError::Network:
        return QStringLiteral("Network");
    case TransferError::Missing:
        return QStringLiteral("Missing");
    case TransferError::Corrupt:
        return QStringLiteral("Corrupt");
    case TransferError::Journal:
        return QStringLiteral("Journal");
    case TransferError::InvalidState:
        return QStringLiteral("InvalidState");
    }
    return QStringLiteral("TransferError(%1)").arg(int(code));
}

} // namespace cairn::transfer
