#pragma once

#include "core/transfer/localfiles.h"
#include "core/transfer/transferjob.h"

namespace cairn::transfer {

/// A download: each file of the manifest in turn is fetched into
/// `<folder>/<name>.cairn-part`, checked, and renamed to its final name
/// without overwriting anything ("a.txt" taken: "a (1).txt"). A dropped
/// folder gets a new folder of its own name ("photos (1)" if "photos" is
/// taken) when the download is created. On a resume the part file is cut
/// back to the checkpoint and the decryptor and hash states restored.
class DownloadJob final : public TransferJob {
public:
    using TransferJob::TransferJob;
    ~DownloadJob() override;

    /// The journal's file rows for `manifest` into `destDir`: checks every
    /// path and creates the top folders of dropped folders.
    static Result<QList<JournalFile>> plan(const Manifest &manifest, const QString &destDir);
    /// Deletes the part files of unfinished files and the folders this
    /// download created that are left empty (cancel).
    static void removePartFiles(const QList<JournalFile> &files, const QString &destDir);

    void start() override;
    Result<void> flush() override;
    /// Syncs the part file on a worker thread, then writes the checkpoint
    /// taken before the sync: an fsync on the event loop froze the window
    /// for as long as the disk was busy.
    void flushBatch() override;
    qint64 bytesDone() const override;
    QStringList savedPaths() const;

private:
    void startFile(int index);
    Result<void> openFile(JournalFile &file, const FileCheckpoint &at);
    Result<void> restartFile(JournalFile &file);
    void fileDone(Result<void> result);
    Result<void> complete(JournalFile &file);
    /// Writes `at` for the current file once `sync` is done, unless a newer
    /// checkpoint was written or another file started meanwhile (the
    /// generation moved on).
    void checkpointWhenSynced(
        std::shared_ptr<const BackgroundSync> sync, quint64 generation, std::shared_ptr<const FileCheckpoint> at);

    /// How often a background sync is looked at.
    static constexpr base::Duration kSyncPoll {2000};

    Manifest m_manifest;
    std::unique_ptr<PartFile> m_part;
    std::unique_ptr<StreamDownloader> m_downloader;
    /// Bumped by every checkpoint written at once and every file change, so
    /// an older background one never overwrites a newer one.
    quint64 m_generation = 0;
    bool m_syncing = false;
};

} // namespace cairn::transfer
