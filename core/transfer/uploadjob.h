#pragma once

#include "core/transfer/localfiles.h"
#include "core/transfer/transferjob.h"

namespace cairn::transfer {

/// An upload: each source file in turn becomes a stream in the DHT. On a
/// resume the source must still have the size and modification time it
/// had; its upload goes on from the checkpoint without sending again any
/// chunk the journal lists as stored.
class UploadJob final : public TransferJob {
public:
    using TransferJob::TransferJob;
    ~UploadJob() override;

    void start() override;
    Result<void> flush() override;
    qint64 bytesDone() const override;
    /// Once done: every file with its stream.
    Result<Manifest> manifest() const;

private:
    void startFile(int index);
    Result<void> launch(JournalFile &file, bool fresh);
    void fileDone(Result<StreamRef> result);

    std::unique_ptr<FileSource> m_source;
    std::unique_ptr<StreamUploader> m_uploader;
};

} // namespace cairn::transfer
