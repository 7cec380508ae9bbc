#pragma once

#include "core/transfer/manifest.h"

#include <QStringList>

namespace cairn::transfer {

enum class Direction { Upload = 0, Download = 1 };
enum class TransferState { Running = 0, Paused = 1, Done = 2, Failed = 3, Cancelled = 4 };

QString directionName(Direction direction);
QString stateName(TransferState state);

/// What a user (or the control API) sees of one transfer.
struct TransferInfo {
    QString id;
    Direction direction = Direction::Upload;
    TransferState state = TransferState::Running;
    QString label;
    QByteArray tag; // opaque, from the caller
    int fileCount = 0;
    qint64 bytesDone = 0;
    qint64 bytesTotal = 0;
    double rate = 0; // bytes per second over about the last 5 s
    qint64 etaSeconds = -1; // -1: unknown
    QString error; // why it failed
    qint64 createdAt = 0; // unix seconds
    qint64 expiresAt = 0; // unix seconds: when the drop's blobs expire (uploads)
    QStringList savedPaths; // downloads: where the files were saved
    Manifest manifest; // uploads once Done: what a recipient needs
};

} // namespace cairn::transfer
