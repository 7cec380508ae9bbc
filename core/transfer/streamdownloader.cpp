#include "core/transfer/streamdownloader.h"

namespace cairn::transfer {

StreamDownloader::StreamDownloader(
    BlobCalls &calls, PlainSink &sink, const StreamRef &ref, QString name, Callbacks callbacks)
    : m_calls(calls),
      m_sink(sink),
      m_ref(ref),
      m_chunks(chunkCount(ref.size)),
      m_name(std::move(name)),
      m_callbacks(std::move(callbacks))
{ }

StreamDownloader::~StreamDownloader() = default;

Result<void> StreamDownloader::start(const FileCheckpoint &at)
{
    if (auto v = m_ref.validate(); !v.ok())
        return v.error();
    const bool fresh = at.nextChunk == 0 && at.cipherState.isEmpty();
    if (fresh) {
        auto dec = crypto::FileStreamDecryptor::create(m_ref.key, m_ref.header);
        if (!dec.ok())
            return base::fail(TransferError::Corrupt, QStringLiteral("%1: %2").arg(m_name, dec.message()));
        m_decryptor.emplace(std::move(dec).value());
        m_hash.emplace(kHashBytes);
    } else {
        if (at.nextChunk < 0 || at.nextChunk >= m_chunks || at.bytesDone != at.nextChunk * kChunkPlainBytes)
            return base::fail(TransferError::Journal, QStringLiteral("the saved position in %1 is wrong").arg(m_name));
        auto dec = crypto::FileStreamDecryptor::restore(at.cipherState);
        auto hash = crypto::Blake2bStream::restore(at.hashState);
        if (!dec.ok() || !hash.ok())
            return base::fail(TransferError::Journal,
                QStringLiteral("the saved download state of %1 cannot be restored").arg(m_name));
        m_decryptor.emplace(std::move(dec).value());
        m_hash.emplace(std::move(hash).value());
    }
    m_next = m_nextFetch = at.nextChunk;
    m_bytes = at.bytesDone;
    pump();
    return {};
}

FileCheckpoint StreamDownloader::checkpoint() const
{
    if (m_next >= m_chunks || !m_decryptor || !m_hash) {
        FileCheckpoint at;
        at.nextChunk = m_beforeFinal.nextChunk;
        at.bytesDone = m_beforeFinal.bytesDone;
        at.cipherState = m_beforeFinal.cipherState.clone();
        at.hashState = m_beforeFinal.hashState.clone();
        return at;
    }
    FileCheckpoint at;
    at.nextChunk = m_next;
    at.bytesDone = m_bytes;
    at.cipherState = m_decryptor->saveState();
    at.hashState = m_hash->saveState();
    return at;
}

void StreamDownloader::pump()
{
    while (!m_finished && m_inFlight < m_window.size() && m_nextFetch < m_chunks) {
        const qint64 blob = m_nextFetch / kHashesPerIndexBlob;
        // Ask for the next index blob halfway through this one, so chunks
        // never wait for it.
        if (m_nextFetch % kHashesPerIndexBlob >= kHashesPerIndexBlob / 2 && blob + 1 < m_ref.index.size())
            requestIndex(blob + 1);
        if (!m_index.contains(blob)) {
            requestIndex(blob);
            return;
        }
        fetch(m_nextFetch++);
    }
}

void StreamDownloader::requestIndex(qint64 blob)
{
    if (m_indexRequested.contains(blob))
        return;
    m_indexRequested.insert(blob);
    m_calls.get(m_ref.index[blob], m_ref.copies, m_alive, [this, blob](dht::Result<QByteArray> r) {
        if (m_finished)
            return;
        if (!r.ok()) {
            fail(r.code() == dht::DhtError::NotFound ? TransferError::Missing : TransferError::Network,
                QStringLiteral("the index of %1 is not in the network (%2)").arg(m_name, r.message()));
            return;
        }
        if (r->size() != qsizetype(hashesInIndexBlob(m_ref.size, blob)) * kHashBytes) {
            fail(
                TransferError::Corrupt, QStringLiteral("index blob %1 of %2 has the wrong size").arg(blob).arg(m_name));
            return;
        }
        m_index.insert(blob, r.value());
        pump();
    });
}

void StreamDownloader::fetch(qint64 chunk)
{
    const qint64 blob = chunk / kHashesPerIndexBlob;
    const QByteArray key = m_index.value(blob).mid((chunk % kHashesPerIndexBlob) * kHashBytes, kHashBytes);
    ++m_inFlight;
    const base::Instant sent = m_calls.scheduler().now();
    m_calls.get(key, m_ref.copies, m_alive, [this, chunk, sent](dht::Result<QByteArray> r) {
        --m_inFlight;
        if (m_finished)
            return;
        const base::Instant now = m_calls.scheduler().now();
        if (r.ok())
            m_window.completed(now - sent, now);
        else
            m_window.failed(now);
        if (!r.ok()) {
            if (r.code() == dht::DhtError::NotFound)
                fail(TransferError::Missing,
                    QStringLiteral("chunk %1 of %2 is not in the network: no replica holds it (%3)")
                        .arg(chunk)
                        .arg(m_name, r.message()));
            else
                fail(TransferError::Network,
                    QStringLiteral("could not fetch chunk %1 of %2: %3").arg(chunk).arg(m_name, r.message()));
            return;
        }
        m_ready[chunk] = r.value();
        // drain() may finish the stream, and the owner may destroy us then.
        const std::weak_ptr<int> alive = m_alive;
        drain();
        if (!alive.expired())
            pump();
    });
}

void StreamDownloader::drain()
{
    for (auto it = m_ready.find(m_next); !m_finished && it != m_ready.end(); it = m_ready.find(m_next)) {
        const QByteArray cipher = std::move(it->second);
        m_ready.erase(it);
        if (auto r = writeChunk(cipher); !r.ok()) {
            fail(r.code(), r.message());
            return;
        }
        if (m_next % kHashesPerIndexBlob == 0)
            m_index.remove(m_next / kHashesPerIndexBlob - 1);
        if (m_callbacks.progress)
            m_callbacks.progress();
        if (m_next == m_chunks) {
            const QByteArray hash = m_hash->final();
            if (m_bytes != m_ref.size || hash != m_ref.plainHash) {
                fail(TransferError::Corrupt,
                    QStringLiteral("%1 does not match its hash: what arrived differs from what was sent").arg(m_name));
                return;
            }
            finish({});
            return;
        }
    }
}

Result<void> StreamDownloader::writeChunk(const QByteArray &cipher)
{
    const bool last = m_next == m_chunks - 1;
    if (last)
        m_beforeFinal = checkpoint();
    // Work on copies: if the write fails, the states stay at the last chunk
    // written, so the checkpoint still matches the part file.
    crypto::FileStreamDecryptor decryptor = *m_decryptor;
    crypto::Blake2bStream hash = *m_hash;
    auto plain = decryptor.pull(cipher);
    if (!plain.ok())
        return base::fail(TransferError::Corrupt,
            QStringLiteral("chunk %1 of %2 failed authentication: %3").arg(m_next).arg(m_name, plain.message()));
    if (decryptor.finished() != last)
        return base::fail(TransferError::Corrupt,
            QStringLiteral("%1 ends at chunk %2 of %3")
                .arg(m_name)
                .arg(decryptor.finished() ? m_next : m_chunks)
                .arg(m_chunks));
    if (plain->size() != chunkPlainSize(m_ref.size, m_next))
        return base::fail(
            TransferError::Corrupt, QStringLiteral("chunk %1 of %2 has the wrong size").arg(m_next).arg(m_name));
    hash.update(plain.value());
    if (auto w = m_sink.write(plain.value()); !w.ok())
        return w;
    *m_decryptor = decryptor;
    *m_hash = hash;
    m_bytes += plain->size();
    ++m_next;
    return {};
}

void StreamDownloader::fail(TransferError code, const QString &message)
{
    finish(base::fail(code, message));
}

void StreamDownloader::finish(Result<void> result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_alive.reset(); // no callback reaches us any more
    // The owner may destroy us in `done`: call a copy that outlives us.
    const auto done = std::move(m_callbacks.done);
    done(std::move(result));
}

} // namespace cairn::transfer
