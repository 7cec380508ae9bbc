// TransferManager's in-memory streams (uploadBytes/downloadBytes): the same
// chunking and index as files, without a journal.
#include "core/transfer/memorystreams.h"

namespace cairn::transfer {

void TransferManager::retireOp(MemoryOp *op)
{
    for (auto it = m_ops.begin(); it != m_ops.end(); ++it) {
        if (it->get() == op) {
            m_ops.splice(m_ops.end(), m_ops, it); // keep it alive until the next turn
            break;
        }
    }
    std::weak_ptr<int> alive = m_alive;
    m_scheduler.callAfter(base::Duration(0), [this, alive, op] {
        if (alive.expired())
            return;
        m_ops.remove_if([op](const std::unique_ptr<MemoryOp> &o) { return o.get() == op; });
    });
}

void TransferManager::uploadBytes(const QByteArray &data, int copies, qint64 ttlSeconds, StreamDone done)
{
    const auto later = [this](StreamDone d, base::Error<TransferError> error) {
        std::weak_ptr<int> alive = m_alive;
        m_scheduler.callAfter(base::Duration(0), [alive, d, error] {
            if (!alive.expired())
                d(error);
        });
    };
    if (copies < kMinCopies || copies > kMaxCopies || ttlSeconds < 1 || ttlSeconds > kMaxTtlSeconds) {
        later(std::move(done),
            base::fail(TransferError::InvalidArgument,
                QStringLiteral("copies is 1 to 16 and the time to live 1 s to %1 days").arg(kMaxTtlSeconds / 86400)));
        return;
    }
    if (data.size() > kMaxMemoryStream) {
        later(std::move(done),
            base::fail(TransferError::TooLarge,
                QStringLiteral("an in-memory stream is at most %1 bytes").arg(kMaxMemoryStream)));
        return;
    }
    auto op = std::make_unique<MemoryOp>();
    MemoryOp *raw = op.get();
    op->source = std::make_unique<MemorySource>(data);
    StreamUploader::Callbacks callbacks;
    callbacks.done = [this, raw, done](Result<StreamRef> r) {
        retireOp(raw);
        done(std::move(r));
    };
    op->uploader = std::make_unique<StreamUploader>(m_calls, *op->source, data.size(), copies,
        m_scheduler.unixTime() + ttlSeconds, QStringLiteral("a stream of %1 bytes").arg(data.size()), callbacks);
    m_ops.push_back(std::move(op));
    if (auto r = raw->uploader->start(StreamUploader::fresh()); !r.ok()) {
        retireOp(raw);
        later(std::move(done), r.error());
    }
}

void TransferManager::downloadBytes(const StreamRef &ref, qint64 maxBytes, BytesDone done)
{
    const auto later = [this](BytesDone d, base::Error<TransferError> error) {
        std::weak_ptr<int> alive = m_alive;
        m_scheduler.callAfter(base::Duration(0), [alive, d, error] {
            if (!alive.expired())
                d(error);
        });
    };
    if (auto v = ref.validate(); !v.ok()) {
        later(std::move(done), v.error());
        return;
    }
    const qint64 limit = qMin(maxBytes, kMaxMemoryStream);
    if (ref.size > limit) {
        later(std::move(done),
            base::fail(TransferError::TooLarge,
                QStringLiteral("the stream is %1 bytes, more than the %2 allowed").arg(ref.size).arg(limit)));
        return;
    }
    auto op = std::make_unique<MemoryOp>();
    MemoryOp *raw = op.get();
    op->sink = std::make_unique<MemorySink>();
    StreamDownloader::Callbacks callbacks;
    callbacks.done = [this, raw, done](Result<void> r) {
        QByteArray data = r.ok() ? std::move(raw->sink->data()) : QByteArray();
        retireOp(raw);
        if (r.ok())
            done(std::move(data));
        else
            done(r.error());
    };
    op->downloader = std::make_unique<StreamDownloader>(
        m_calls, *op->sink, ref, QStringLiteral("a stream of %1 bytes").arg(ref.size), callbacks);
    m_ops.push_back(std::move(op));
    if (auto r = raw->downloader->start(FileCheckpoint {}); !r.ok()) {
        retireOp(raw);
        later(std::move(done), r.error());
    }
}

} // namespace cairn::transfer
