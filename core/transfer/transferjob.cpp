#include "core/transfer/transferjob.h"

#include "core/base/log.h"

namespace cairn::transfer {

TransferJob::TransferJob(
    Journal &journal, BlobCalls &calls, JournalTransfer transfer, QList<JournalFile> files, Callbacks callbacks)
    : m_journal(journal),
      m_calls(calls),
      m_transfer(std::move(transfer)),
      m_files(std::move(files)),
      m_callbacks(std::move(callbacks))
{ }

TransferJob::~TransferJob()
{
    if (m_flushTimer)
        scheduler().cancel(m_flushTimer);
}

void TransferJob::chunkDone()
{
    if (++m_unflushed >= kBatchChunks) {
        if (m_flushTimer)
            scheduler().cancel(m_flushTimer);
        m_flushTimer = 0;
        m_unflushed = 0;
        flushBatch();
    } else if (!m_flushTimer) {
        std::weak_ptr<int> alive = m_alive;
        m_flushTimer = scheduler().callAfter(kBatchInterval, [this, alive] {
            if (alive.expired())
                return;
            m_flushTimer = 0;
            m_unflushed = 0;
            flushBatch();
        });
    }
    if (m_callbacks.progress)
        m_callbacks.progress();
}

void TransferJob::flushBatch()
{
    if (auto r = flush(); !r.ok())
        qCWarning(lcTransfer) << "transfer" << m_transfer.id << r.message();
}

void TransferJob::finish(Result<void> result)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_flushTimer)
        scheduler().cancel(m_flushTimer);
    m_flushTimer = 0;
    m_alive.reset();
    const auto done = std::move(m_callbacks.done);
    done(std::move(result));
}

qint64 TransferJob::finishedBytes() const
{
    qint64 total = 0;
    for (const JournalFile &f : m_files) {
        if (f.done)
            total += f.size;
    }
    return total;
}

int TransferJob::nextUnfinished(int from) const
{
    for (int i = qMax(0, from); i < m_files.size(); ++i) {
        if (!m_files[i].done)
            return i;
    }
    return -1;
}

} // namespace cairn::transfer
