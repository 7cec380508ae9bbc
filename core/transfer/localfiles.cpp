#include "core/transfer/localfiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QSet>
#include <QThreadPool>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cairn::transfer {

namespace {

constexpr int kMaxNumbered = 10000;

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

base::Error<TransferError> ioError(int error, const QString &what)
{
    if (error == ENOSPC || error == EDQUOT)
        return base::fail(
            TransferError::DiskFull, QStringLiteral("cannot %1: the disk is full (%2)").arg(what, systemError(error)));
    return base::fail(TransferError::Io, QStringLiteral("cannot %1: %2").arg(what, systemError(error)));
}

QByteArray nativePath(const QString &path)
{
    return QFile::encodeName(path);
}

QString candidate(const QString &name, int n)
{
    return n == 0 ? name : numberedName(name, n);
}

bool readableDir(const QFileInfo &info)
{
    return info.isReadable() && info.isExecutable();
}

} // namespace

qint64 modificationTime(const QString &path)
{
    return QFileInfo(path).lastModified().toMSecsSinceEpoch();
}

Result<QList<SourceFile>> scanSources(const QStringList &paths)
{
    QList<SourceFile> out;
    const auto add = [&out](const QFileInfo &file, const QString &relPath) -> Result<void> {
        if (!file.isReadable())
            return base::fail(TransferError::Unreadable, QStringLiteral("'%1' cannot be read").arg(file.filePath()));
        if (file.size() > kMaxStreamSize)
            return base::fail(TransferError::TooLarge,
                QStringLiteral("'%1' is larger than %2 GiB").arg(file.filePath()).arg(kMaxStreamSize >> 30));
        if (const QString problem = relativePathProblem(relPath); !problem.isEmpty())
            return base::fail(TransferError::InvalidPath,
                QStringLiteral("'%1' cannot be sent under the name '%2': %3").arg(file.filePath(), relPath, problem));
        out.append(
            SourceFile {file.absoluteFilePath(), relPath, file.size(), modificationTime(file.absoluteFilePath())});
        return {};
    };
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.exists())
            return base::fail(TransferError::NotFound, QStringLiteral("'%1' does not exist").arg(path));
        if (info.isFile()) {
            if (auto r = add(info, info.fileName()); !r.ok())
                return r.error();
            continue;
        }
        if (!info.isDir())
            return base::fail(
                TransferError::InvalidArgument, QStringLiteral("'%1' is not a regular file or a folder").arg(path));
        const QString root = info.absoluteFilePath();
        const QString name = QFileInfo(QDir::cleanPath(root)).fileName();
        if (name.isEmpty())
            return base::fail(
                TransferError::InvalidArgument, QStringLiteral("'%1' has no name to send it under").arg(path));
        if (!readableDir(info))
            return base::fail(TransferError::Unreadable, QStringLiteral("the folder '%1' cannot be read").arg(path));
        const QDir base(root);
        QList<SourceFile> found;
        // Symlinks are not followed and special files (devices, pipes,
        // sockets) are not listed: only the regular files of the tree.
        QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot | QDir::NoSymLinks,
            QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            const QFileInfo entry = it.fileInfo();
            if (entry.isSymLink())
                continue;
            if (entry.isDir()) {
                if (!readableDir(entry))
                    return base::fail(TransferError::Unreadable,
                        QStringLiteral("the folder '%1' cannot be read").arg(entry.absoluteFilePath()));
                continue;
            }
            if (!entry.isFile())
                continue;
            if (auto r = add(entry, name + QLatin1Char('/') + base.relativeFilePath(entry.absoluteFilePath())); !r.ok())
                return r.error();
        }
    }
    std::sort(out.begin(), out.end(), [](const SourceFile &a, const SourceFile &b) { return a.relPath < b.relPath; });
    if (out.isEmpty())
        return base::fail(TransferError::InvalidArgument,
            QStringLiteral("nothing to send: no regular files in %1").arg(paths.join(QStringLiteral(", "))));
    if (out.size() > kMaxManifestFiles)
        return base::fail(TransferError::TooLarge,
            QStringLiteral("%1 files; a drop holds at most %2").arg(out.size()).arg(kMaxManifestFiles));
    QHash<QString, QString> byName;
    QSet<QString> folders;
    for (const SourceFile &f : std::as_const(out)) {
        if (byName.contains(f.relPath))
            return base::fail(TransferError::InvalidArgument,
                QStringLiteral("'%1' and '%2' would both be '%3' in the drop")
                    .arg(byName[f.relPath], f.absPath, f.relPath));
        byName.insert(f.relPath, f.absPath);
        for (qsizetype slash = f.relPath.indexOf(QLatin1Char('/')); slash >= 0;
             slash = f.relPath.indexOf(QLatin1Char('/'), slash + 1))
            folders.insert(f.relPath.left(slash));
    }
    for (const SourceFile &f : std::as_const(out)) {
        if (folders.contains(f.relPath))
            return base::fail(TransferError::InvalidArgument,
                QStringLiteral("'%1' would be both a file and a folder in the drop").arg(f.relPath));
    }
    return out;
}

Result<void> writeAll(QFile &file, QByteArrayView bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        errno = 0;
        const qint64 n = file.write(bytes.data() + done, bytes.size() - done);
        if (n <= 0) {
            const int error = errno;
            if (file.error() == QFileDevice::ResourceError || error == ENOSPC || error == EDQUOT)
                return base::fail(TransferError::DiskFull,
                    QStringLiteral("cannot write '%1': the disk is full (%2)")
                        .arg(file.fileName(), file.errorString()));
            return base::fail(
                TransferError::Io, QStringLiteral("cannot write '%1': %2").arg(file.fileName(), file.errorString()));
        }
        done += qsizetype(n);
    }
    return {};
}

Result<void> syncFile(QFile &file)
{
    if (::fsync(file.handle()) != 0)
        return ioError(errno, QStringLiteral("save '%1' to the disk").arg(file.fileName()));
    return {};
}

QString numberedName(const QString &name, int n)
{
    const qsizetype dot = name.indexOf(QLatin1Char('.'), 1); // a leading dot belongs to the name
    const QString suffix = QStringLiteral(" (%1)").arg(n);
    return dot <= 0 ? name + suffix : name.left(dot) + suffix + name.mid(dot);
}

Result<QString> makeUniqueFolder(const QString &parent, const QString &name)
{
    for (int n = 0; n < kMaxNumbered; ++n) {
        const QString path = parent + QLatin1Char('/') + candidate(name, n);
        if (::mkdir(nativePath(path).constData(), 0777) == 0)
            return path;
        if (errno != EEXIST)
            return ioError(errno, QStringLiteral("create the folder '%1'").arg(path));
    }
    return base::fail(TransferError::Io, QStringLiteral("no free name for '%1' in '%2'").arg(name, parent));
}

Result<QString> createUnique(const QString &dir, const QString &name)
{
    for (int n = 0; n < kMaxNumbered; ++n) {
        const QString path = dir + QLatin1Char('/') + candidate(name, n);
        const int fd = ::open(nativePath(path).constData(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
        if (fd >= 0) {
            ::close(fd);
            return path;
        }
        if (errno != EEXIST)
            return ioError(errno, QStringLiteral("create '%1'").arg(path));
    }
    return base::fail(TransferError::Io, QStringLiteral("no free name for '%1' in '%2'").arg(name, dir));
}

Result<QString> renameUnique(const QString &from, const QString &dir, const QString &name)
{
    const QByteArray source = nativePath(from);
    for (int n = 0; n < kMaxNumbered; ++n) {
        const QString path = dir + QLatin1Char('/') + candidate(name, n);
        const QByteArray target = nativePath(path);
#ifdef RENAME_NOREPLACE
        if (::renameat2(AT_FDCWD, source.constData(), AT_FDCWD, target.constData(), RENAME_NOREPLACE) == 0)
            return path;
        if (errno == EEXIST)
            continue;
        if (errno != EINVAL && errno != ENOSYS)
            return ioError(errno, QStringLiteral("rename '%1' to '%2'").arg(from, path));
#endif
        // Without renameat2 (or on a file system without it): a hard link
        // fails if the name is taken, so nothing is overwritten either.
        if (::link(source.constData(), target.constData()) == 0) {
            ::unlink(source.constData());
            return path;
        }
        if (errno != EEXIST)
            return ioError(errno, QStringLiteral("rename '%1' to '%2'").arg(from, path));
    }
    return base::fail(TransferError::Io, QStringLiteral("no free name for '%1' in '%2'").arg(name, dir));
}

bool staysInside(const QString &dir, const QString &path)
{
    const QString root = QFileInfo(dir).canonicalFilePath();
    if (root.isEmpty())
        return false;
    // Resolve the deepest part of `path` that exists, then append the rest.
    QString existing = QDir::cleanPath(path);
    QString rest;
    while (!QFileInfo::exists(existing)) {
        const qsizetype slash = existing.lastIndexOf(QLatin1Char('/'));
        if (slash <= 0)
            return false;
        rest = existing.mid(slash) + rest;
        existing = existing.left(slash);
    }
    const QString resolved = QFileInfo(existing).canonicalFilePath() + rest;
    return resolved.startsWith(root + QLatin1Char('/'));
}

Result<std::unique_ptr<FileSource>> FileSource::open(const SourceFile &expected)
{
    const QFileInfo info(expected.absPath);
    if (!info.exists())
        return base::fail(TransferError::NotFound,
            QStringLiteral("'%1' no longer exists; the upload cannot go on").arg(expected.absPath));
    if (info.size() != expected.size || modificationTime(expected.absPath) != expected.mtime)
        return base::fail(TransferError::SourceChanged,
            QStringLiteral("'%1' changed since the upload started (its size or modification time differ); "
                           "start a new upload to send it")
                .arg(expected.absPath));
    std::unique_ptr<FileSource> source(new FileSource);
    source->m_path = expected.absPath;
    source->m_file.setFileName(expected.absPath);
    if (!source->m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return base::fail(TransferError::Unreadable,
            QStringLiteral("'%1' cannot be read: %2").arg(expected.absPath, source->m_file.errorString()));
    return source;
}

Result<QByteArray> FileSource::read(qint64 offset, qint64 size)
{
    if (m_file.pos() != offset && !m_file.seek(offset))
        return base::fail(TransferError::Io, QStringLiteral("cannot read '%1': %2").arg(m_path, m_file.errorString()));
    QByteArray out(size, Qt::Uninitialized);
    qint64 got = 0;
    while (got < size) {
        const qint64 n = m_file.read(out.data() + got, size - got);
        if (n < 0)
            return base::fail(
                TransferError::Io, QStringLiteral("cannot read '%1': %2").arg(m_path, m_file.errorString()));
        if (n == 0)
            return base::fail(TransferError::SourceChanged,
                QStringLiteral("'%1' got shorter while it was being sent; start a new upload to send it").arg(m_path));
        got += n;
    }
    return out;
}

Result<std::unique_ptr<PartFile>> PartFile::open(const QString &path, qint64 length)
{
    std::unique_ptr<PartFile> part(new PartFile);
    part->m_file.setFileName(path);
    if (length > 0 && !QFileInfo::exists(path))
        return base::fail(TransferError::Journal, QStringLiteral("the part file '%1' is gone").arg(path));
    // Unbuffered: a write error (a full disk) shows at once, not at a flush.
    if (!part->m_file.open(QIODevice::ReadWrite | QIODevice::Unbuffered))
        return base::fail(
            TransferError::Io, QStringLiteral("cannot open '%1': %2").arg(path, part->m_file.errorString()));
    if (part->m_file.size() < length)
        return base::fail(
            TransferError::Journal, QStringLiteral("the part file '%1' is shorter than its checkpoint").arg(path));
    // Anything past the checkpoint was written after the last commit.
    if (!part->m_file.resize(length) || !part->m_file.seek(length))
        return base::fail(TransferError::Io,
            QStringLiteral("cannot cut '%1' back to %2 bytes: %3")
                .arg(path)
                .arg(length)
                .arg(part->m_file.errorString()));
    return part;
}

Result<void> PartFile::write(const QByteArray &plain)
{
    return writeAll(m_file, plain);
}

std::shared_ptr<const BackgroundSync> PartFile::syncInBackground()
{
    auto sync = std::make_shared<BackgroundSync>();
    const QString name = m_file.fileName();
    const int fd = ::dup(m_file.handle());
    const int dupError = fd < 0 ? errno : 0;
    QThreadPool::globalInstance()->start([sync, fd, dupError, name] {
        const int error = fd < 0 ? dupError : (::fsync(fd) != 0 ? errno : 0);
        if (fd >= 0)
            ::close(fd);
        if (error != 0)
            sync->m_error = ioError(error, QStringLiteral("save '%1' to the disk").arg(name)).message;
        sync->m_done.store(true, std::memory_order_release);
    });
    return sync;
}

} // namespace cairn::transfer
