#pragma once

#include "core/transfer/blobcalls.h"
#include "core/transfer/journal.h"

namespace cairn::transfer {

/// One running upload or download, driven by a TransferManager: it works
/// through the transfer's files in order and keeps their checkpoints in
/// the journal, in batches (every kBatchChunks chunks or kBatchInterval).
/// Destroying a job stops it where it is without writing anything, as a
/// crash would; flush() first for a clean stop.
class TransferJob {
public:
    static constexpr int kBatchChunks = 32;
    static constexpr base::Duration kBatchInterval {1'000'000};

    struct Callbacks {
        std::function<void()> progress;
        /// Runs once, when every file is done or the transfer failed; the
        /// job may be destroyed in it.
        std::function<void(Result<void>)> done;
    };

    TransferJob(
        Journal &journal, BlobCalls &calls, JournalTransfer transfer, QList<JournalFile> files, Callbacks callbacks);
    virtual ~TransferJob();
    TransferJob(const TransferJob &) = delete;
    TransferJob &operator=(const TransferJob &) = delete;

    virtual void start() = 0;
    /// Writes the current file's checkpoint to the journal now.
    virtual Result<void> flush() = 0;
    /// The periodic batch checkpoint: flush() unless a job can do it
    /// without blocking the event loop (downloads sync their part file on
    /// a worker first). Failures are logged: the next batch tries again.
    virtual void flushBatch();
    /// Plaintext bytes done: finished files plus the current one's progress.
    virtual qint64 bytesDone() const = 0;
    const QList<JournalFile> &files() const { return m_files; }
    const JournalTransfer &transfer() const { return m_transfer; }

protected:
    /// A chunk is done: flushes when a batch is full, else arms the timer.
    void chunkDone();
    void finish(Result<void> result);
    /// Done files' sizes.
    qint64 finishedBytes() const;
    int nextUnfinished(int from) const;
    base::Scheduler &scheduler() { return m_calls.scheduler(); }

    Journal &m_journal;
    BlobCalls &m_calls;
    JournalTransfer m_transfer;
    QList<JournalFile> m_files;
    int m_current = -1;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);

private:
    Callbacks m_callbacks;
    int m_unflushed = 0;
    base::TimerId m_flushTimer = 0;
    bool m_finished = false;
};

} // namespace cairn::transfer
