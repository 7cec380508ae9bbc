#pragma once

#include "core/transfer/streamdownloader.h"
#include "core/transfer/streamuploader.h"

#include <QFile>

#include <atomic>
#include <memory>

namespace cairn::transfer {

/// A regular file to upload: where it is, its path in the drop, and what
/// it looked like when the upload started.
struct SourceFile {
    QString absPath;
    QString relPath;
    qint64 size = 0;
    qint64 mtime = 0; // ms since the epoch
};

/// The files behind `paths`: a file as itself, a folder as every regular
/// file below it with the folder's name in front of its relative path
/// (symlinks and special files are skipped). Fails, naming the path, if
/// one does not exist, cannot be read, or two would get the same name.
Result<QList<SourceFile>> scanSources(const QStringList &paths);
/// The modification time a SourceFile records.
qint64 modificationTime(const QString &path);

/// Writes all of `bytes`; a full disk is DiskFull, any other failure Io
/// with the system's message, both naming `path`.
Result<void> writeAll(QFile &file, QByteArrayView bytes);
/// Flushes the file's data to the disk (fsync).
Result<void> syncFile(QFile &file);

/// "a.txt" numbered n: "a (n).txt"; "photos" -> "photos (n)";
/// "archive.tar.gz" -> "archive (n).tar.gz"; ".bashrc" -> ".bashrc (n)".
QString numberedName(const QString &name, int n);
/// Creates a new folder `name` in `parent`, or "name (1)", "name (2)", ...
/// if taken; returns the name used. Never reuses an existing one.
Result<QString> makeUniqueFolder(const QString &parent, const QString &name);
/// Renames `from` to `dir/name`, or a numbered name if taken; never
/// overwrites anything. Returns the path used.
Result<QString> renameUnique(const QString &from, const QString &dir, const QString &name);
/// Creates a new empty file `dir/name` (or a numbered one); returns its path.
Result<QString> createUnique(const QString &dir, const QString &name);
/// Whether `path` (which need not exist yet) resolves to inside `dir`,
/// symlinks of its existing parents followed.
bool staysInside(const QString &dir, const QString &path);

/// An upload's source file, checked against what the journal recorded.
class FileSource final : public PlainSource {
public:
    /// SourceChanged if its size or modification time differ from `expected`.
    static Result<std::unique_ptr<FileSource>> open(const SourceFile &expected);
    Result<QByteArray> read(qint64 offset, qint64 size) override;

private:
    QFile m_file;
    QString m_path;
};

/// An fsync running on a worker thread: poll done() from the event loop.
class BackgroundSync {
public:
    bool done() const { return m_done.load(std::memory_order_acquire); }
    /// Valid once done(): empty on success, else what failed.
    const QString &error() const { return m_error; }

private:
    friend class PartFile;
    std::atomic<bool> m_done {false};
    QString m_error;
};

/// A download's .cairn-part file, written in order.
class PartFile final : public PlainSink {
public:
    /// Opens an existing part file and cuts it back to `length` (a resume),
    /// or creates it if `length` is 0 and it is missing.
    static Result<std::unique_ptr<PartFile>> open(const QString &path, qint64 length);
    Result<void> write(const QByteArray &plain) override;
    Result<void> sync() { return syncFile(m_file); }
    /// Starts an fsync of everything written so far on a worker thread (on
    /// a duplicate of the descriptor, so closing this file meanwhile is
    /// safe). The returned state says when it is done and how it went.
    std::shared_ptr<const BackgroundSync> syncInBackground();
    void close() { m_file.close(); }

private:
    QFile m_file;
};

} // namespace cairn::transfer
