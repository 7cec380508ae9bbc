#include "core/transfer/downloadjob.h"

#include "core/base/log.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>

#include <cstdio>

namespace cairn::transfer {

namespace {
const QLatin1String kPartSuffix(".cairn-part");

QString parentOf(const QString &path)
{
    return QFileInfo(path).path();
}
} // namespace

DownloadJob::~DownloadJob() = default;

Result<QList<JournalFile>> DownloadJob::plan(const Manifest &manifest, const QString &destDir)
{
    if (auto v = manifest.validate(); !v.ok())
        return v.error();
    // Every top folder of the drop gets a new folder here, numbered if the
    // name is taken, so nothing in an existing folder is ever touched.
    QHash<QString, QString> topFolders;
    QList<JournalFile> files;
    for (int i = 0; i < manifest.files.size(); ++i) {
        const FileEntry &entry = manifest.files[i];
        if (!validRelativePath(entry.path))
            return base::fail(TransferError::InvalidPath, QStringLiteral("'%1' is not a safe path").arg(entry.path));
        const qsizetype slash = entry.path.indexOf(QLatin1Char('/'));
        QString local = destDir + QLatin1Char('/') + entry.path;
        if (slash > 0) {
            const QString top = entry.path.left(slash);
            if (!topFolders.contains(top)) {
                auto made = makeUniqueFolder(destDir, top);
                if (!made.ok())
                    return made.error();
                topFolders.insert(top, made.value());
            }
            local = topFolders.value(top) + entry.path.mid(slash);
        }
        if (!staysInside(destDir, local))
            return base::fail(TransferError::InvalidPath,
                QStringLiteral("'%1' would be written outside '%2'").arg(entry.path, destDir));
        JournalFile f;
        f.index = i;
        f.relPath = entry.path;
        f.localPath = local;
        f.size = entry.size;
        files.append(std::move(f));
    }
    return files;
}

void DownloadJob::removePartFiles(const QList<JournalFile> &files, const QString &destDir)
{
    const QString root = QDir::cleanPath(destDir);
    QSet<QString> folders;
    for (const JournalFile &f : files) {
        if (!f.done && !f.partPath.isEmpty())
            QFile::remove(f.partPath);
        if (f.relPath.contains(QLatin1Char('/')))
            folders.insert(parentOf(f.localPath));
    }
    // Folders below a top folder this download created, deepest first;
    // rmdir removes only empty ones.
    for (QString dir : std::as_const(folders)) {
        while (dir.startsWith(root + QLatin1Char('/'))) {
            if (QFileInfo::exists(dir) && !QDir(root).rmdir(dir))
                break;
            dir = parentOf(dir);
        }
    }
}

void DownloadJob::start()
{
    auto manifest = Manifest::decode(m_transfer.manifest);
    if (!manifest.ok() || manifest->files.size() != m_files.size()) {
        finish(base::fail(TransferError::Journal,
            QStringLiteral("the journal's manifest of transfer %1 is damaged").arg(m_transfer.id)));
        return;
    }
    m_manifest = std::move(manifest).value();
    startFile(nextUnfinished(0));
}

void DownloadJob::startFile(int index)
{
    ++m_generation;
    m_current = index;
    if (index < 0) {
        finish({});
        return;
    }
    JournalFile &file = m_files[index];
    // The manifest was checked when the download was created; check again
    // before writing anything (the journal is only as safe as the disk).
    if (!validRelativePath(file.relPath) || !staysInside(m_transfer.destDir, file.localPath)) {
        finish(base::fail(TransferError::InvalidPath,
            QStringLiteral("'%1' would be written outside '%2'").arg(file.relPath, m_transfer.destDir)));
        return;
    }
    if (!file.savedPath.isEmpty()) {
        // A crash came between choosing the final name and recording it done.
        fileDone({});
        return;
    }
    const QString folder = parentOf(file.localPath);
    if (!QDir().mkpath(folder)) {
        finish(base::fail(TransferError::Io, QStringLiteral("cannot create the folder '%1'").arg(folder)));
        return;
    }
    if (!staysInside(m_transfer.destDir, file.localPath)) {
        finish(base::fail(TransferError::InvalidPath,
            QStringLiteral("'%1' would be written outside '%2'").arg(file.relPath, m_transfer.destDir)));
        return;
    }
    Result<void> r;
    if (file.partPath.isEmpty()) {
        r = restartFile(file);
    } else {
        FileCheckpoint at;
        at.nextChunk = file.nextChunk;
        at.bytesDone = file.bytesDone;
        at.cipherState = crypto::SecretBytes::fromView(file.cipherState);
        at.hashState = crypto::SecretBytes::fromView(file.hashState);
        r = openFile(file, at);
        if (!r.ok() && r.code() == TransferError::Journal) {
            qCWarning(lcTransfer) << "transfer" << m_transfer.id << r.message() << "- fetching the file again";
            r = restartFile(file);
        }
    }
    if (!r.ok())
        finish(r.error());
}

Result<void> DownloadJob::restartFile(JournalFile &file)
{
    if (file.partPath.isEmpty() || !QFileInfo::exists(file.partPath)) {
        auto part = createUnique(parentOf(file.localPath), QFileInfo(file.localPath).fileName() + kPartSuffix);
        if (!part.ok())
            return part.error();
        file.partPath = part.value();
    }
    const FileCheckpoint start;
    auto r = m_journal.transaction(QStringLiteral("start fetching %1").arg(file.relPath), [&]() -> Result<void> {
        if (auto p = m_journal.setPartPath(m_transfer.id, file.index, file.partPath); !p.ok())
            return p;
        return m_journal.checkpoint(m_transfer.id, file.index, start);
    });
    if (!r.ok())
        return r;
    file.nextChunk = file.bytesDone = 0;
    return openFile(file, start);
}

Result<void> DownloadJob::openFile(JournalFile &file, const FileCheckpoint &at)
{
    m_downloader.reset();
    auto part = PartFile::open(file.partPath, at.bytesDone);
    if (!part.ok())
        return part.error();
    m_part = std::move(part).value();
    StreamDownloader::Callbacks callbacks;
    callbacks.progress = [this] { chunkDone(); };
    callbacks.done = [this](Result<void> r) { fileDone(std::move(r)); };
    m_downloader = std::make_unique<StreamDownloader>(m_calls, *m_part, m_manifest.files[file.index].stream,
        QStringLiteral("'%1'").arg(file.relPath), std::move(callbacks));
    auto r = m_downloader->start(at);
    if (!r.ok()) {
        m_downloader.reset();
        m_part.reset();
    }
    return r;
}

Result<void> DownloadJob::flush()
{
    if (!m_downloader || !m_part || m_current < 0)
        return {};
    ++m_generation;
    // The data reaches the disk before the journal says it is there, so a
    // checkpoint never runs ahead of its part file.
    if (auto s = m_part->sync(); !s.ok())
        return s;
    return m_journal.checkpoint(m_transfer.id, m_current, m_downloader->checkpoint());
}

void DownloadJob::flushBatch()
{
    // One at a time: the next batch comes soon enough.
    if (!m_downloader || !m_part || m_current < 0 || m_syncing)
        return;
    m_syncing = true;
    // The checkpoint is taken now, so it covers only bytes already written
    // to the file the sync is about to flush.
    auto at = std::make_shared<const FileCheckpoint>(m_downloader->checkpoint());
    checkpointWhenSynced(m_part->syncInBackground(), m_generation, std::move(at));
}

void DownloadJob::checkpointWhenSynced(
    std::shared_ptr<const BackgroundSync> sync, quint64 generation, std::shared_ptr<const FileCheckpoint> at)
{
    // Polled through the Scheduler rather than signalled back, so the
    // simulator drives downloads as Qt's event loop does.
    std::weak_ptr<int> alive = m_alive;
    scheduler().callAfter(kSyncPoll, [this, alive, sync = std::move(sync), generation, at = std::move(at)] {
        if (alive.expired())
            return;
        if (!sync->done()) {
            checkpointWhenSynced(sync, generation, at);
            return;
        }
        m_syncing = false;
        if (!sync->error().isEmpty()) {
            qCWarning(lcTransfer) << "transfer" << m_transfer.id << sync->error();
            return;
        }
        if (generation != m_generation) // a newer checkpoint, or another file
            return;
        if (auto r = m_journal.checkpoint(m_transfer.id, m_current, *at); !r.ok())
            qCWarning(lcTransfer) << "transfer" << m_transfer.id << r.message();
    });
}

void DownloadJob::fileDone(Result<void> result)
{
    JournalFile &file = m_files[m_current];
    if (!result.ok()) {
        if (result.code() == TransferError::Corrupt) {
            // Nothing of a file that failed its check is kept as if it were
            // the file; a resume fetches it again from the start.
            m_downloader.reset();
            m_part.reset();
            QFile::remove(file.partPath);
            const FileCheckpoint start;
            (void)m_journal.checkpoint(m_transfer.id, file.index, start);
            (void)m_journal.setPartPath(m_transfer.id, file.index, {});
            file.partPath.clear();
            file.nextChunk = file.bytesDone = 0;
        } else if (auto r = flush(); !r.ok()) {
            qCWarning(lcTransfer) << "transfer" << m_transfer.id << r.message();
        }
        m_downloader.reset();
        m_part.reset();
        finish(result.error());
        return;
    }
    auto r = complete(file);
    m_downloader.reset();
    m_part.reset();
    if (!r.ok()) {
        finish(r.error());
        return;
    }
    startFile(nextUnfinished(m_current + 1));
}

Result<void> DownloadJob::complete(JournalFile &file)
{
    if (file.savedPath.isEmpty()) {
        if (auto s = m_part->sync(); !s.ok())
            return s;
        m_part->close();
        // Claim the final name with an empty file of our own, record it,
        // then move the part file over it: a crash in between can finish
        // the rename later, and nobody else's file is ever replaced.
        auto claimed = createUnique(parentOf(file.localPath), QFileInfo(file.localPath).fileName());
        if (!claimed.ok())
            return claimed.error();
        if (auto w = m_journal.setSavedPath(m_transfer.id, file.index, claimed.value()); !w.ok()) {
            QFile::remove(claimed.value());
            return w;
        }
        file.savedPath = claimed.value();
    }
    if (QFileInfo::exists(file.partPath)) {
        if (std::rename(QFile::encodeName(file.partPath).constData(), QFile::encodeName(file.savedPath).constData())
            != 0)
            return base::fail(TransferError::Io,
                QStringLiteral("cannot rename '%1' to '%2': %3").arg(file.partPath, file.savedPath, qt_error_string()));
    }
    if (auto w = m_journal.finishFile(m_transfer.id, file.index, {}); !w.ok())
        return w;
    file.done = true;
    file.cipherState.clear();
    file.hashState.clear();
    return {};
}

qint64 DownloadJob::bytesDone() const
{
    return finishedBytes() + (m_downloader ? m_downloader->bytesDone() : 0);
}

QStringList DownloadJob::savedPaths() const
{
    QStringList out;
    for (const JournalFile &f : m_files) {
        if (f.done)
            out.append(f.savedPath);
    }
    return out;
}

} // namespace cairn::transfer
