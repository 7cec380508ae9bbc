#include "core/net/error.h"

namespace cairn::net {

QString errorName(NetError code)
{
    switch (code) {
    case NetError::Malformed:
        return QStringLiteral("Malformed");
    case NetError::DecryptFailed:
        return QStringLiteral("DecryptFailed");
    case NetError::Replay:
        return QStringLiteral("Replay");
    case NetError::BadCertificate:
        return QStringLiteral("BadCertificate");
    case NetError::DeviceKeyMismatch:
        return QStringLiteral("DeviceKeyMismatch");
    case NetError::Uncertified:
        return QStringLiteral("Uncertified");
    case NetError::SelfConnection:
        return QStringLiteral("SelfConnection");
    case NetError::TooLarge:
        return QStringLiteral("TooLarge");
    case NetError::Internal:
        return QStringLiteral("Internal");
    }
    return QStringLiteral("Unknown");
}

} // namespace cairn::net
