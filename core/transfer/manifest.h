#pragma once

#include "core/transfer/streamref.h"

#include <QString>

namespace cairn::transfer {

constexpr int kMaxManifestFiles = 10000;
constexpr qsizetype kMaxManifestBytes = 4 * 1024 * 1024;
constexpr qsizetype kMaxPathBytes = 1024;
constexpr qsizetype kMaxPathComponentBytes = 255;

/// Whether `path` is a safe relative path for a received file: '/'-separated,
/// not absolute, no empty, "." or ".." components, no backslash, no NUL or
/// control characters, each component at most 255 UTF-8 bytes and the whole
/// at most 1024. The manifest decoder checks it, and so does every write on
/// receive, again.
bool validRelativePath(const QString &path);
/// The same check with the reason it fails (empty on success).
QString relativePathProblem(const QString &path);

/// One file of a drop: where it goes relative to the destination, its size
/// and the stream that holds its content.
struct FileEntry {
    QString path;
    qint64 size = 0;
    StreamRef stream;

    bool operator==(const FileEntry &other) const = default;
};

/// The files of one drop (or of one mail's attachments). Folders keep
/// their tree: a dropped folder /home/a/photos gives "photos/2024/x.jpg".
/// Its encoding holds the files' stream keys, so it travels only sealed.
struct Manifest {
    QList<FileEntry> files;

    qint64 totalSize() const;
    /// Paths unique, none of them a folder of another, each valid, at most
    /// kMaxManifestFiles files, each entry's size equal to its stream's.
    Result<void> validate() const;
    /// Canonical CBOR {1: [{1: path, 2: size, 3: streamref}, ...]}.
    QByteArray encode() const;
    /// Strict: at most kMaxManifestBytes, canonical, no unknown keys, every
    /// rule of validate().
    static Result<Manifest> decode(QByteArrayView bytes);

    bool operator==(const Manifest &other) const = default;
};

} // namespace cairn::transfer
