#pragma once

#include "core/transfer/blobcalls.h"
#include "core/transfer/journal.h"
#include "core/transfer/ratemeter.h"

#include <QObject>

#include <list>
#include <map>
#include <memory>
#include <optional>

namespace cairn::transfer {

class TransferJob;
class StreamUploader;
class StreamDownloader;

/// File drops through the DHT: uploads of files and folders, downloads of
/// a Manifest into a folder, and small in-memory streams. Every upload and
/// download is journaled (SQLite in the profile directory) and resumes
/// where it was after a restart, kill -9 included: open() resumes every
/// transfer that was running. Time only through the Scheduler; each turn
/// of the event loop handles a chunk or a few.
///
/// Destroying the manager stops every transfer without writing anything
/// more, exactly as a crash would (at most about a second of progress is
/// redone on the next open()). The DhtNode must outlive the manager.
class TransferManager : public QObject {
    Q_OBJECT
public:
    using BytesDone = std::function<void(Result<QByteArray>)>;
    using StreamDone = std::function<void(Result<StreamRef>)>;

    /// The largest stream uploadBytes()/downloadBytes() handle in memory.
    static constexpr qint64 kMaxMemoryStream = 64 * 1024 * 1024;
    static constexpr qint64 kMaxTtlSeconds = 365LL * 24 * 3600;

    TransferManager(dht::DhtNode &dht, base::Scheduler &scheduler, QObject *parent = nullptr);
    ~TransferManager() override;

    /// Loads the journal (creating it if missing) and resumes every
    /// unfinished transfer that was running.
    Result<void> open(const QString &journalPath);

    /// Starts sending files and folders (a folder: every regular file below
    /// it, relative paths keeping the tree). Fails at once, naming the
    /// path, if one is missing or unreadable. Returns the transfer's id.
    Result<QString> upload(
        const QStringList &paths, int copies, qint64 ttlSeconds, const QString &label, const QByteArray &tag = {});
    /// Starts fetching `manifest` into the existing folder `destDir`.
    Result<QString> download(
        const Manifest &manifest, const QString &destDir, const QString &label, const QByteArray &tag = {});

    /// Stores `data` (at most kMaxMemoryStream) as a stream without a
    /// journal. `done` runs once, later, unless the manager is destroyed.
    void uploadBytes(const QByteArray &data, int copies, qint64 ttlSeconds, StreamDone done);
    /// Fetches a stream into memory; TooLarge at once if it is bigger than
    /// `maxBytes` (or kMaxMemoryStream).
    void downloadBytes(const StreamRef &ref, qint64 maxBytes, BytesDone done);

    Result<void> pause(const QString &id);
    /// Resumes a paused or failed transfer.
    Result<void> resume(const QString &id);
    /// Stops a transfer for good; a download's part files are deleted.
    /// Emits failed() with the error "cancelled".
    Result<void> cancel(const QString &id);
    /// Forgets a finished, failed or cancelled transfer.
    Result<void> remove(const QString &id);

    QList<TransferInfo> transfers() const;
    std::optional<TransferInfo> info(const QString &id) const;

    /// Retries of a chunk read or write (tests shorten them).
    void setRetryPolicy(const RetryPolicy &policy);

Q_SIGNALS:
    void changed(const QString &id);
    void uploadFinished(const QString &id, const cairn::transfer::Manifest &manifest);
    void downloadFinished(const QString &id, const QStringList &savedPaths);
    void failed(const QString &id, const QString &error);

private:
    struct Entry {
        JournalTransfer transfer;
        int fileCount = 0;
        qint64 bytesTotal = 0;
        qint64 bytesDone = 0;
        QStringList savedPaths;
        Manifest manifest;
        std::unique_ptr<TransferJob> job;
        bool started = false; // the job's start() ran (it starts on the turn after startJob)
        quint64 generation = 0; // which startJob() a deferred start belongs to
        RateMeter meter;
    };
    struct MemoryOp;

    Result<void> needOpen() const;
    Result<Entry *> find(const QString &id);
    QString newId();
    Result<QString> add(JournalTransfer transfer, const QList<JournalFile> &files);
    void startJob(Entry &entry, QList<JournalFile> files);
    void jobProgress(const QString &id);
    void jobDone(const QString &id, Result<void> result);
    /// Moves a job out of the way; it is destroyed on a later turn, since
    /// this may run inside one of its own callbacks.
    void retire(std::unique_ptr<TransferJob> job);
    void retireOp(MemoryOp *op);
    void setState(Entry &entry, TransferState state, const QString &error = {});
    void notify(const QString &id);
    TransferInfo infoOf(const Entry &entry) const;

    dht::DhtNode &m_dht;
    base::Scheduler &m_scheduler;
    base::SodiumRng m_rng;
    BlobCalls m_calls;
    std::unique_ptr<Journal> m_journal;
    std::map<QString, Entry> m_entries;
    std::list<std::unique_ptr<MemoryOp>> m_ops;
    std::list<std::unique_ptr<TransferJob>> m_retired;
    QSet<QString> m_notifyPending;
    base::TimerId m_notifyTimer = 0;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);
};

} // namespace cairn::transfer
