#include "core/rendezvous/error.h"

namespace cairn::rendezvous {

namespace {
constexpr quint8 kFirst = quint8(RendezvousError::InvalidArgument);
constexpr quint8 kLast = quint8(RendezvousError::Cancelled);
} // namespace

QString errorName(RendezvousError code)
{
    switch (code) {
    case RendezvousError::InvalidArgument:
        return QStringLiteral("InvalidArgument");
    case RendezvousError::BadToken:
        return QStringLiteral("BadToken");
    case RendezvousError::InviteExpired:
        return QStringLiteral("InviteExpired");
    case RendezvousError::InviteUsedUp:
        return QStringLiteral("InviteUsedUp");
    case RendezvousError::UsernameTaken:
        return QStringLiteral("UsernameTaken");
    case RendezvousError::BadProof:
        return QStringLiteral("BadProof");
    case RendezvousError::NotFound:
        return QStringLiteral("NotFound");
    case RendezvousError::Denied:
        return QStringLiteral("Denied");
    case RendezvousError::NotOperator:
        return QStringLiteral("NotOperator");
    case RendezvousError::Storage:
        return QStringLiteral("Storage");
    case RendezvousError::Corrupt:
        return QStringLiteral("Corrupt");
    case RendezvousError::TooLarge:
        return QStringLiteral("TooLarge");
    case RendezvousError::Unreachable:
        return QStringLiteral("Unreachable");
    case RendezvousError::Revoked:
        return QStringLiteral("Revoked");
    case RendezvousError::AlreadyExists:
        return QStringLiteral("AlreadyExists");
    case RendezvousError::Malformed:
        return QStringLiteral("Malformed");
    case RendezvousError::BadResponse:
        return QStringLiteral("BadResponse");
    case RendezvousError::Cancelled:
        return QStringLiteral("Cancelled");
    }
    return QStringLiteral("RendezvousError(%1)").arg(int(code));
}

bool errorFromWire(quint64 value, RendezvousError &code)
{
    if (value < kFirst || value > kLast)
        return false;
    code = RendezvousError(quint8(value));
    return true;
}

} // namespace cairn::rendezvous
