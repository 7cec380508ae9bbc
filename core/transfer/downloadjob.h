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
    qint64 bytesDone() const override;
    QStringList savedPaths() const;

private:
    void startFile(int index);
    Result<void> openFile(JournalFile &file, const FileCheckpoint &at);
    Result<void> restartFile(JournalFile &file);
    void fileDone(Result<void> result);
    Result<void> complete(JournalFile &file);

    Manifest m_manifest;
    std::unique_ptr<PartFile> m_part;
    std::unique_ptr<StreamDownloader> m_downloader;
};

} // namespace cairn::transfer
