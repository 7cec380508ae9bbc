#include "core/transfer/streamuploader.h"

#include "core/base/log.h"
#include "core/crypto/keys.h"

namespace cairn::transfer {

Result<QByteArray> MemorySource::read(qint64 offset, qint64 size)
{
    if (offset < 0 || size < 0 || offset + size > m_data.size())
        return base::fail(TransferError::Io, QStringLiteral("read past the end of the data"));
    return m_data.mid(offset, size);
}

StreamUploader::StreamUploader(
    BlobCalls &calls, PlainSource &source, qint64 size, int copies, qint64 expiresAt, QString name, Callbacks callbacks)
    : m_calls(calls),
      m_source(source),
      m_size(size),
      m_chunks(chunkCount(size)),
      m_copies(copies),
      m_expiresAt(expiresAt),
      m_name(std::move(name)),
      m_callbacks(std::move(callbacks))
{ }

StreamUploader::~StreamUploader() = default;

StreamUploader::Start StreamUploader::fresh()
{
    Start s;
    s.key = crypto::FileStreamEncryptor::generateKey();
    auto enc = crypto::FileStreamEncryptor::create(s.key);
    // create() fails only for a key of the wrong size, and this one is right.
    Q_ASSERT(enc.ok());
    s.header = enc->header();
    s.at.cipherState = enc->saveState();
    s.at.hashState = crypto::Blake2bStream(kHashBytes).saveState();
    return s;
}

Result<void> StreamUploader::start(Start start)
{
    const auto unusable = [this](const QString &why) {
        return base::fail(TransferError::Journal, QStringLiteral("the saved upload state of %1 %2").arg(m_name, why));
    };
    if (start.key.size() != kStreamKeyBytes || start.header.size() != kStreamHeaderBytes)
        return unusable(QStringLiteral("has no valid key or header"));
    const qint64 next = start.at.nextChunk;
    if (next < 0 || next > m_chunks)
        return unusable(QStringLiteral("is past the end of the file"));
    if (next < m_chunks) {
        auto enc = crypto::FileStreamEncryptor::restore(start.at.cipherState, start.header);
        auto hash = crypto::Blake2bStream::restore(start.at.hashState);
        if (!enc.ok() || !hash.ok())
            return unusable(QStringLiteral("cannot be restored"));
        m_encryptor.emplace(std::move(enc).value());
        m_hash.emplace(std::move(hash).value());
        m_states[next] = States {start.at.cipherState.clone(), start.at.hashState.clone()};
    } else if (start.at.plainHash.size() != kHashBytes) {
        return unusable(QStringLiteral("lacks the file's hash"));
    }
    m_hashes = QByteArray(m_chunks * kHashBytes, '\0');
    m_have = QBitArray(m_chunks);
    for (const auto &[chunk, hash] : std::as_const(start.stored)) {
        if (chunk < 0 || chunk >= m_chunks || hash.size() != kHashBytes)
            return unusable(QStringLiteral("names a chunk that does not exist"));
        m_hashes.replace(chunk * kHashBytes, kHashBytes, hash);
        m_have.setBit(chunk);
    }
    for (qint64 i = 0; i < next; ++i) {
        if (!m_have.testBit(i))
            return unusable(QStringLiteral("lacks the hash of chunk %1").arg(i));
    }
    m_key = std::move(start.key);
    m_header = start.header;
    m_plainHash = start.at.plainHash;
    m_prefix = m_nextRead = next;
    m_bytesConfirmed = qMin(m_size, next * kChunkPlainBytes);
    if (m_prefix == m_chunks)
        putIndex();
    else
        pump();
    return {};
}

QByteArray StreamUploader::hashAt(qint64 chunk) const
{
    return m_hashes.mid(chunk * kHashBytes, kHashBytes);
}

FileCheckpoint StreamUploader::checkpoint() const
{
    FileCheckpoint at;
    at.nextChunk = m_prefix;
    at.bytesDone = qMin(m_size, m_prefix * kChunkPlainBytes);
    if (auto it = m_states.find(m_prefix); it != m_states.end()) {
        at.cipherState = it->second.cipher.clone();
        at.hashState = it->second.hash.clone();
    }
    if (m_prefix == m_chunks)
        at.plainHash = m_plainHash;
    return at;
}

QList<QPair<qint64, QByteArray>> StreamUploader::takeConfirmed()
{
    return std::exchange(m_newlyConfirmed, {});
}

void StreamUploader::pump()
{
    while (!m_finished && m_inFlight < m_window.size() && m_nextRead < m_chunks) {
        if (auto r = encryptNext(); !r.ok()) {
            fail(r.code(), r.message());
            return;
        }
    }
    advance();
}

Result<void> StreamUploader::encryptNext()
{
    const qint64 i = m_nextRead;
    auto plain = m_source.read(i * kChunkPlainBytes, chunkPlainSize(m_size, i));
    if (!plain.ok())
        return plain.error();
    const bool final = i == m_chunks - 1;
    auto cipher = m_encryptor->push(plain.value(), final);
    if (!cipher.ok())
        return base::fail(TransferError::Io, QStringLiteral("cannot encrypt %1: %2").arg(m_name, cipher.message()));
    m_hash->update(plain.value());
    ++m_nextRead;
    if (final)
        m_plainHash = m_hash->final();
    else
        m_states[i + 1] = States {m_encryptor->saveState(), m_hash->saveState()};
    const QByteArray hash = crypto::blake2b(cipher.value(), kHashBytes);
    if (m_have.testBit(i) && hashAt(i) == hash) {
        confirm(i, hash, false); // stored before the restart: not sent again
    } else {
        m_have.clearBit(i);
        put(i, cipher.value());
    }
    return {};
}

void StreamUploader::put(qint64 chunk, const QByteArray &cipher)
{
    ++m_inFlight;
    const base::Instant sent = m_calls.scheduler().now();
    m_calls.put(cipher, m_expiresAt, m_copies, m_alive, [this, chunk, sent](dht::Result<QByteArray> r) {
        --m_inFlight;
        if (m_finished)
            return;
        const base::Instant now = m_calls.scheduler().now();
        if (r.ok())
            m_window.completed(now - sent, now);
        else
            m_window.failed(now);
        qCDebug(lcTransfer) << "chunk" << chunk << "took" << (now - sent).count() / 1000 << "ms; window"
                            << m_window.size() << "in flight" << m_inFlight;
        if (!r.ok()) {
            fail(TransferError::Network,
                QStringLiteral("could not store chunk %1 of %2 in the network: %3")
                    .arg(chunk)
                    .arg(m_name, r.message()));
            return;
        }
        confirm(chunk, r.value(), true);
        pump();
    });
}

void StreamUploader::confirm(qint64 chunk, const QByteArray &hash, bool report)
{
    m_hashes.replace(chunk * kHashBytes, kHashBytes, hash);
    m_have.setBit(chunk);
    m_bytesConfirmed += chunkPlainSize(m_size, chunk);
    if (report)
        m_newlyConfirmed.append({chunk, hash});
    if (m_callbacks.progress)
        m_callbacks.progress();
}

void StreamUploader::advance()
{
    while (m_prefix < m_nextRead && m_have.testBit(m_prefix))
        ++m_prefix;
    m_states.erase(m_states.begin(), m_states.lower_bound(m_prefix));
    if (m_prefix == m_chunks && !m_indexing)
        putIndex();
}

void StreamUploader::putIndex()
{
    // Index blobs are derived from the chunk hashes, so after a restart
    // they come out the same and storing them again is harmless.
    if (!m_indexing) {
        m_indexing = true;
        m_index = QList<QByteArray>(indexBlobCount(m_size));
    }
    while (m_indexPending < m_window.size() && m_nextIndex < m_index.size()) {
        const qint64 j = m_nextIndex++;
        const QByteArray blob
            = m_hashes.mid(j * kHashesPerIndexBlob * kHashBytes, hashesInIndexBlob(m_size, j) * kHashBytes);
        ++m_indexPending;
        m_calls.put(blob, m_expiresAt, m_copies, m_alive, [this, j](dht::Result<QByteArray> r) {
            --m_indexPending;
            if (m_finished)
                return;
            if (!r.ok()) {
                fail(TransferError::Network,
                    QStringLiteral("could not store the index of %1 in the network: %2").arg(m_name, r.message()));
                return;
            }
            m_index[j] = r.value();
            if (m_nextIndex < m_index.size()) {
                putIndex();
                return;
            }
            if (m_indexPending > 0)
                return;
            StreamRef ref;
            ref.key = m_key.clone();
            ref.header = m_header;
            ref.size = m_size;
            ref.plainHash = m_plainHash;
            ref.index = m_index;
            ref.copies = m_copies;
            ref.expiresAt = m_expiresAt;
            finish(std::move(ref));
        });
    }
}

void StreamUploader::fail(TransferError code, const QString &message)
{
    finish(base::fail(code, message));
}

void StreamUploader::finish(Result<StreamRef> result)
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
