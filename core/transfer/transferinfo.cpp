#include "core/transfer/transferinfo.h"

namespace cairn::transfer {

QString directionName(Direction direction)
{
    return direction == Direction::Upload ? QStringLiteral("upload") : QStringLiteral("download");
}

QString stateName(TransferState state)
{
    switch (state) {
    case TransferState::Running:
        return QStringLiteral("running");
    case TransferState::Paused:
        return QStringLiteral("paused");
    case TransferState::Done:
        return QStringLiteral("done");
    case TransferState::Failed:
        return QStringLiteral("failed");
    case TransferState::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

} // namespace cairn::transfer
