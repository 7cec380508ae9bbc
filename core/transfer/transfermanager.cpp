#include "core/transfer/transfermanager.h"

#include "core/base/log.h"
#include "core/transfer/downloadjob.h"
#include "core/transfer/memorystreams.h"
#include "core/transfer/streamdownloader.h"
#include "core/transfer/streamuploader.h"
#include "core/transfer/uploadjob.h"

#include <QFileInfo>

namespace cairn::transfer {

namespace {
// `changed` for progress comes at most this often per batch of transfers.
constexpr base::Duration kNotifyInterval {200'000};
} // namespace

TransferManager::TransferManager(dht::DhtNode &dht, base::Scheduler &scheduler, QObject *parent)
    : QObject(parent), m_dht(dht), m_scheduler(scheduler), m_calls(dht, scheduler)
{ }

TransferManager::~TransferManager()
{
    if (m_notifyTimer)
        m_scheduler.cancel(m_notifyTimer);
    // Jobs go first (they use the journal), without a last flush: the
    // journal stays as a crash would leave it.
    m_retired.clear();
    m_ops.clear();
    m_entries.clear();
}

void TransferManager::setRetryPolicy(const RetryPolicy &policy)
{
    m_calls.setPolicy(policy);
}

Result<void> TransferManager::needOpen() const
{
    if (!m_journal)
        return base::fail(TransferError::InvalidState, QStringLiteral("the transfer journal is not open"));
    return {};
}

Result<void> TransferManager::open(const QString &journalPath)
{
    if (m_journal)
        return base::fail(TransferError::InvalidState, QStringLiteral("the transfer journal is already open"));
    auto journal = std::make_unique<Journal>();
    if (auto r = journal->open(journalPath); !r.ok())
        return r;
    auto transfers = journal->transfers();
    if (!transfers.ok())
        return transfers.error();
    m_journal = std::move(journal);
    QStringList resumed;
    for (JournalTransfer &t : transfers.value()) {
        auto files = m_journal->files(t.id);
        if (!files.ok())
            return files.error();
        Entry &e = m_entries[t.id];
        e.transfer = std::move(t);
        e.fileCount = int(files->size());
        for (const JournalFile &f : files.value()) {
            e.bytesTotal += f.size;
            if (f.done) {
                e.bytesDone += f.size;
                if (e.transfer.direction == Direction::Download)
                    e.savedPaths.append(f.savedPath);
            } else {
                e.bytesDone += e.transfer.direction == Direction::Download
                    ? f.bytesDone
                    : qMin(f.size, f.nextChunk * kChunkPlainBytes);
            }
        }
        if (e.transfer.direction == Direction::Upload && e.transfer.state == TransferState::Done) {
            auto m = Manifest::decode(e.transfer.manifest);
            if (m.ok())
                e.manifest = std::move(m).value();
        }
        if (e.transfer.state == TransferState::Running) {
            resumed.append(e.transfer.id);
            startJob(e, std::move(files).value());
        }
    }
    qCDebug(lcTransfer) << "journal" << journalPath << "holds" << m_entries.size() << "transfers; resumed" << resumed;
    return {};
}

QString TransferManager::newId()
{
    while (true) {
        const QString id = QString::fromLatin1(m_rng.bytes(4).toHex());
        if (m_entries.find(id) == m_entries.end())
            return id;
    }
}

Result<QString> TransferManager::upload(
    const QStringList &paths, int copies, qint64 ttlSeconds, const QString &label, const QByteArray &tag)
{
    if (auto r = needOpen(); !r.ok())
        return r.error();
    if (copies < kMinCopies || copies > kMaxCopies)
        return base::fail(TransferError::InvalidArgument,
            QStringLiteral("copies is %1 to %2, not %3").arg(kMinCopies).arg(kMaxCopies).arg(copies));
    if (ttlSeconds < 1 || ttlSeconds > kMaxTtlSeconds)
        return base::fail(TransferError::InvalidArgument,
            QStringLiteral("the time to live is 1 s to %1 days").arg(kMaxTtlSeconds / 86400));
    if (paths.isEmpty())
        return base::fail(TransferError::InvalidArgument, QStringLiteral("nothing to send"));
    auto sources = scanSources(paths);
    if (!sources.ok())
        return sources.error();
    JournalTransfer t;
    t.id = newId();
    t.direction = Direction::Upload;
    t.label = label;
    t.tag = tag;
    t.copies = copies;
    t.ttl = ttlSeconds;
    t.createdAt = m_scheduler.unixTime();
    t.expiresAt = t.createdAt + ttlSeconds;
    QList<JournalFile> files;
    for (const SourceFile &s : sources.value()) {
        JournalFile f;
        f.index = int(files.size());
        f.relPath = s.relPath;
        f.localPath = s.absPath;
        f.size = s.size;
        f.mtime = s.mtime;
        files.append(std::move(f));
    }
    return add(std::move(t), files);
}

Result<QString> TransferManager::download(
    const Manifest &manifest, const QString &destDir, const QString &label, const QByteArray &tag)
{
    if (auto r = needOpen(); !r.ok())
        return r.error();
    if (auto v = manifest.validate(); !v.ok())
        return v.error();
    if (manifest.files.isEmpty())
        return base::fail(TransferError::InvalidArgument, QStringLiteral("the manifest lists no files"));
    const QFileInfo dest(destDir);
    if (!dest.isDir())
        return base::fail(TransferError::InvalidArgument, QStringLiteral("'%1' is not a folder").arg(destDir));
    if (!dest.isWritable())
        return base::fail(TransferError::Unreadable, QStringLiteral("the folder '%1' cannot be written").arg(destDir));
    const QString root = dest.canonicalFilePath();
    auto files = DownloadJob::plan(manifest, root);
    if (!files.ok())
        return files.error();
    JournalTransfer t;
    t.id = newId();
    t.direction = Direction::Download;
    t.label = label;
    t.tag = tag;
    t.createdAt = m_scheduler.unixTime();
    for (const FileEntry &f : manifest.files)
        t.expiresAt = t.expiresAt == 0 ? f.stream.expiresAt : qMin(t.expiresAt, f.stream.expiresAt);
    t.destDir = root;
    t.manifest = manifest.encode();
    return add(std::move(t), files.value());
}

Result<QString> TransferManager::add(JournalTransfer transfer, const QList<JournalFile> &files)
{
    if (auto r = m_journal->insert(transfer, files); !r.ok())
        return r.error();
    const QString id = transfer.id;
    Entry &e = m_entries[id];
    e.transfer = std::move(transfer);
    e.fileCount = int(files.size());
    for (const JournalFile &f : files)
        e.bytesTotal += f.size;
    startJob(e, files);
    notify(id);
    return id;
}

void TransferManager::startJob(Entry &entry, QList<JournalFile> files)
{
    const QString id = entry.transfer.id;
    TransferJob::Callbacks callbacks;
    callbacks.progress = [this, id] { jobProgress(id); };
    callbacks.done = [this, id](Result<void> r) { jobDone(id, std::move(r)); };
    if (entry.transfer.direction == Direction::Upload)
        entry.job = std::make_unique<UploadJob>(*m_journal, m_calls, entry.transfer, std::move(files), callbacks);
    else
        entry.job = std::make_unique<DownloadJob>(*m_journal, m_calls, entry.transfer, std::move(files), callbacks);
    entry.meter.reset();
    entry.meter.record(m_scheduler.now(), entry.bytesDone);
    // The job starts on the next turn: the caller learns the id before any
    // signal about it, and a job that fails at once (a missing source) does
    // not fail inside upload(), resume() or open().
    const quint64 generation = ++entry.generation;
    std::weak_ptr<int> alive = m_alive;
    m_scheduler.callAfter(base::Duration(0), [this, alive, id, generation] {
        if (alive.expired())
            return;
        auto it = m_entries.find(id);
        if (it == m_entries.end() || !it->second.job || it->second.generation != generation)
            return; // paused, cancelled or restarted since
        it->second.started = true;
        it->second.job->start();
    });
}

void TransferManager::jobProgress(const QString &id)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end() || !it->second.job)
        return;
    Entry &e = it->second;
    e.bytesDone = e.job->bytesDone();
    e.meter.record(m_scheduler.now(), e.bytesDone);
    notify(id);
}

void TransferManager::jobDone(const QString &id, Result<void> result)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end() || !it->second.job)
        return;
    Entry &e = it->second;
    std::unique_ptr<TransferJob> job = std::move(e.job);
    e.started = false;
    e.bytesDone = job->bytesDone();
    Manifest manifest;
    if (result.ok() && e.transfer.direction == Direction::Upload) {
        auto m = static_cast<UploadJob *>(job.get())->manifest();
        if (m.ok()) {
            manifest = std::move(m).value();
            e.transfer.manifest = manifest.encode();
            result = m_journal->transaction(QStringLiteral("record that transfer %1 is done").arg(id), [&] {
                auto r = m_journal->setManifest(id, e.transfer.manifest);
                return r.ok() ? m_journal->setState(id, TransferState::Done) : r;
            });
        } else {
            result = m.error();
        }
    } else if (result.ok()) {
        e.savedPaths = static_cast<DownloadJob *>(job.get())->savedPaths();
        result = m_journal->setState(id, TransferState::Done);
    }
    retire(std::move(job));
    if (!result.ok()) {
        qCDebug(lcTransfer) << "transfer" << id << "failed:" << result.message();
        setState(e, TransferState::Failed, result.message());
        Q_EMIT failed(id, result.message());
        return;
    }
    e.manifest = manifest;
    e.bytesDone = e.bytesTotal;
    e.transfer.state = TransferState::Done;
    e.transfer.error.clear();
    Q_EMIT changed(id);
    if (e.transfer.direction == Direction::Upload)
        Q_EMIT uploadFinished(id, manifest);
    else
        Q_EMIT downloadFinished(id, e.savedPaths);
}

void TransferManager::retire(std::unique_ptr<TransferJob> job)
{
    if (!job)
        return;
    m_retired.push_back(std::move(job));
    std::weak_ptr<int> alive = m_alive;
    m_scheduler.callAfter(base::Duration(0), [this, alive] {
        if (!alive.expired())
            m_retired.clear();
    });
}

void TransferManager::setState(Entry &entry, TransferState state, const QString &error)
{
    entry.transfer.state = state;
    entry.transfer.error = error;
    if (auto r = m_journal->setState(entry.transfer.id, state, error); !r.ok())
        qCWarning(lcTransfer) << r.message();
    Q_EMIT changed(entry.transfer.id);
}

void TransferManager::notify(const QString &id)
{
    m_notifyPending.insert(id);
    if (m_notifyTimer)
        return;
    std::weak_ptr<int> alive = m_alive;
    m_notifyTimer = m_scheduler.callAfter(kNotifyInterval, [this, alive] {
        if (alive.expired())
            return;
        m_notifyTimer = 0;
        const QSet<QString> ids = std::exchange(m_notifyPending, {});
        for (const QString &id : ids)
            Q_EMIT changed(id);
    });
}

Result<TransferManager::Entry *> TransferManager::find(const QString &id)
{
    if (auto r = needOpen(); !r.ok())
        return r.error();
    auto it = m_entries.find(id);
    if (it == m_entries.end())
        return base::fail(TransferError::NotFound, QStringLiteral("no transfer has the id '%1'").arg(id));
    return &it->second;
}

Result<void> TransferManager::pause(const QString &id)
{
    auto found = find(id);
    if (!found.ok())
        return found.error();
    Entry &e = *found.value();
    if (e.transfer.state != TransferState::Running)
        return base::fail(TransferError::InvalidState,
            QStringLiteral("transfer %1 is %2, not running").arg(id, stateName(e.transfer.state)));
    if (e.job) {
        if (e.started) {
            if (auto r = e.job->flush(); !r.ok())
                qCWarning(lcTransfer) << "transfer" << id << r.message();
            e.bytesDone = e.job->bytesDone();
        }
        e.started = false;
        retire(std::move(e.job));
    }
    setState(e, TransferState::Paused);
    return {};
}

Result<void> TransferManager::resume(const QString &id)
{
    auto found = find(id);
    if (!found.ok())
        return found.error();
    Entry &e = *found.value();
    if (e.transfer.state != TransferState::Paused && e.transfer.state != TransferState::Failed)
        return base::fail(TransferError::InvalidState,
            QStringLiteral("transfer %1 is %2; only a paused or failed one resumes")
                .arg(id, stateName(e.transfer.state)));
    auto files = m_journal->files(id);
    if (!files.ok())
        return files.error();
    setState(e, TransferState::Running);
    startJob(e, std::move(files).value());
    return {};
}

Result<void> TransferManager::cancel(const QString &id)
{
    auto found = find(id);
    if (!found.ok())
        return found.error();
    Entry &e = *found.value();
    if (e.transfer.state == TransferState::Done || e.transfer.state == TransferState::Cancelled)
        return base::fail(TransferError::InvalidState,
            QStringLiteral("transfer %1 is already %2").arg(id, stateName(e.transfer.state)));
    e.started = false;
    retire(std::move(e.job));
    if (e.transfer.direction == Direction::Download) {
        auto files = m_journal->files(id);
        if (files.ok())
            DownloadJob::removePartFiles(files.value(), e.transfer.destDir);
    }
    if (auto r = m_journal->dropChunks(id); !r.ok())
        qCWarning(lcTransfer) << r.message();
    setState(e, TransferState::Cancelled);
    // Whoever waits for it (a mail in the Outbox, an attachment download)
    // must not wait for ever: for them it failed, because it was cancelled.
    Q_EMIT failed(id, QStringLiteral("cancelled"));
    return {};
}

Result<void> TransferManager::remove(const QString &id)
{
    auto found = find(id);
    if (!found.ok())
        return found.error();
    Entry &e = *found.value();
    if (e.transfer.state == TransferState::Running)
        return base::fail(
            TransferError::InvalidState, QStringLiteral("transfer %1 is running; cancel it first").arg(id));
    if (e.transfer.direction == Direction::Download && e.transfer.state != TransferState::Done) {
        auto files = m_journal->files(id);
        if (files.ok())
            DownloadJob::removePartFiles(files.value(), e.transfer.destDir);
    }
    if (auto r = m_journal->remove(id); !r.ok())
        return r;
    m_entries.erase(id);
    Q_EMIT changed(id);
    return {};
}

TransferInfo TransferManager::infoOf(const Entry &e) const
{
    TransferInfo info;
    info.id = e.transfer.id;
    info.direction = e.transfer.direction;
    info.state = e.transfer.state;
    info.label = e.transfer.label;
    info.tag = e.transfer.tag;
    info.fileCount = e.fileCount;
    info.bytesTotal = e.bytesTotal;
    info.bytesDone = e.job && e.started ? e.job->bytesDone() : e.bytesDone;
    info.error = e.transfer.error;
    info.createdAt = e.transfer.createdAt;
    info.expiresAt = e.transfer.expiresAt;
    info.savedPaths = e.savedPaths;
    info.manifest = e.manifest;
    if (e.transfer.state == TransferState::Running) {
        const base::Instant now = m_scheduler.now();
        info.rate = e.meter.rate(now);
        info.etaSeconds = e.meter.etaSeconds(now, info.bytesTotal - info.bytesDone);
    } else if (e.transfer.state == TransferState::Done) {
        info.etaSeconds = 0;
    }
    return info;
}

QList<TransferInfo> TransferManager::transfers() const
{
    QList<TransferInfo> out;
    for (const auto &[id, e] : m_entries)
        out.append(infoOf(e));
    std::sort(out.begin(), out.end(), [](const TransferInfo &a, const TransferInfo &b) {
        return a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.id < b.id;
    });
    return out;
}

std::optional<TransferInfo> TransferManager::info(const QString &id) const
{
    auto it = m_entries.find(id);
    if (it == m_entries.end())
        return std::nullopt;
    return infoOf(it->second);
}

} // namespace cairn::transfer
