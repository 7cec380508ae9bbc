#include "core/store/error.h"

namespace cairn::store {

QString errorName(StoreError code)
{
    switch (code) {
    case StoreError::Io:
        return QStringLiteral("Io");
    case StoreError::DiskFull:
        return QStringLiteral("DiskFull");
    case StoreError::QuotaFull:
        return QStringLiteral("QuotaFull");
    case StoreError::SenderQuotaFull:
        return QStringLiteral("SenderQuotaFull");
    case StoreError::InboxFull:
        return QStringLiteral("InboxFull");
    case StoreError::TooLarge:
        return QStringLiteral("TooLarge");
    case StoreError::InvalidArgument:
        return QStringLiteral("InvalidArgument");
    case StoreError::NotFound:
        return QStringLiteral("NotFound");
    case StoreError::BadToken:
        return QStringLiteral("BadToken");
    case StoreError::StaleRecord:
        return QStringLiteral("StaleRecord");
    case StoreError::Corrupt:
        return QStringLiteral("Corrupt");
    case StoreError::UnsupportedSchema:
        return QStringLiteral("UnsupportedSchema");
    }
    return QStringLiteral("StoreError(%1)").arg(int(code));
}

} // namespace cairn::store
