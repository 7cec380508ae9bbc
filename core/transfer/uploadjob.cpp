#include "core/transfer/uploadjob.h"

#include "core/base/log.h"

namespace cairn::transfer {

UploadJob::~UploadJob() = default;

void UploadJob::start()
{
    startFile(nextUnfinished(0));
}

void UploadJob::startFile(int index)
{
    m_current = index;
    if (index < 0) {
        finish({});
        return;
    }
    JournalFile &file = m_files[index];
    auto source = FileSource::open(SourceFile {file.localPath, file.relPath, file.size, file.mtime});
    if (!source.ok()) {
        finish(source.error());
        return;
    }
    m_source = std::move(source).value();
    const bool fresh = file.header.isEmpty() || (file.nextChunk == 0 && file.cipherState.isEmpty());
    auto r = launch(file, fresh);
    if (!r.ok() && !fresh) {
        // A checkpoint that cannot be used (another libsodium, a damaged
        // journal): send this file again under a new key.
        qCWarning(lcTransfer) << "transfer" << m_transfer.id << r.message() << "- sending the file again";
        r = launch(file, true);
    }
    if (!r.ok())
        finish(r.error());
}

Result<void> UploadJob::launch(JournalFile &file, bool fresh)
{
    StreamUploader::Start start;
    if (fresh) {
        start = StreamUploader::fresh();
        auto r = m_journal.transaction(QStringLiteral("start sending %1").arg(file.localPath), [&]() -> Result<void> {
            if (auto d = m_journal.dropChunks(m_transfer.id, file.index); !d.ok())
                return d;
            return m_journal.startFile(
                m_transfer.id, file.index, start.key.view().toByteArray(), start.header, start.at);
        });
        if (!r.ok())
            return r;
        file.header = start.header;
    } else {
        start.key = crypto::SecretBytes::fromView(file.key);
        start.header = file.header;
        start.at.nextChunk = file.nextChunk;
        start.at.bytesDone = file.bytesDone;
        start.at.cipherState = crypto::SecretBytes::fromView(file.cipherState);
        start.at.hashState = crypto::SecretBytes::fromView(file.hashState);
        start.at.plainHash = file.plainHash;
        auto stored = m_journal.chunks(m_transfer.id, file.index);
        if (!stored.ok())
            return stored.error();
        start.stored = std::move(stored).value();
    }
    StreamUploader::Callbacks callbacks;
    callbacks.progress = [this] { chunkDone(); };
    callbacks.done = [this](Result<StreamRef> r) { fileDone(std::move(r)); };
    m_uploader = std::make_unique<StreamUploader>(m_calls, *m_source, file.size, m_transfer.copies,
        m_transfer.expiresAt, QStringLiteral("'%1'").arg(file.localPath), std::move(callbacks));
    auto started = m_uploader->start(std::move(start));
    if (!started.ok())
        m_uploader.reset();
    return started;
}

Result<void> UploadJob::flush()
{
    if (!m_uploader || m_current < 0)
        return {};
    const QList<QPair<qint64, QByteArray>> confirmed = m_uploader->takeConfirmed();
    const FileCheckpoint at = m_uploader->checkpoint();
    const int index = m_current;
    return m_journal.transaction(
        QStringLiteral("record the progress of transfer %1").arg(m_transfer.id), [&]() -> Result<void> {
            if (auto r = m_journal.addChunks(m_transfer.id, index, confirmed); !r.ok())
                return r;
            return m_journal.checkpoint(m_transfer.id, index, at);
        });
}

void UploadJob::fileDone(Result<StreamRef> result)
{
    if (!result.ok()) {
        // Keep what was confirmed, so a resume does not send it again.
        if (auto r = flush(); !r.ok())
            qCWarning(lcTransfer) << "transfer" << m_transfer.id << r.message();
        m_uploader.reset();
        m_source.reset();
        finish(result.error());
        return;
    }
    JournalFile &file = m_files[m_current];
    const QByteArray encoded = result->encode();
    const QList<QPair<qint64, QByteArray>> confirmed = m_uploader->takeConfirmed();
    Q_UNUSED(confirmed) // the file is done: its chunk list is no longer needed
    auto r
        = m_journal.transaction(QStringLiteral("record that %1 was sent").arg(file.localPath), [&]() -> Result<void> {
              if (auto d = m_journal.dropChunks(m_transfer.id, file.index); !d.ok())
                  return d;
              return m_journal.finishFile(m_transfer.id, file.index, encoded);
          });
    m_uploader.reset();
    m_source.reset();
    if (!r.ok()) {
        finish(r.error());
        return;
    }
    file.done = true;
    file.result = encoded;
    file.cipherState.clear();
    file.hashState.clear();
    startFile(nextUnfinished(m_current + 1));
}

qint64 UploadJob::bytesDone() const
{
    return finishedBytes() + (m_uploader ? m_uploader->bytesConfirmed() : 0);
}

Result<Manifest> UploadJob::manifest() const
{
    Manifest m;
    for (const JournalFile &f : m_files) {
        auto ref = StreamRef::decode(f.result);
        if (!f.done || !ref.ok())
            return base::fail(TransferError::InvalidState, QStringLiteral("%1 has not been sent yet").arg(f.localPath));
        m.files.append(FileEntry {f.relPath, f.size, std::move(ref).value()});
    }
    if (auto v = m.validate(); !v.ok())
        return v.error();
    return m;
}

} // namespace cairn::transfer
