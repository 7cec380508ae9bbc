#pragma once

#include "core/crypto/blake2bstream.h"
#include "core/crypto/filestream.h"
#include "core/transfer/blobcalls.h"
#include "core/transfer/flowwindow.h"
#include "core/transfer/journal.h"

#include <QSet>

#include <map>

namespace cairn::transfer {

/// Where a download's plaintext goes, chunk by chunk in order.
class PlainSink {
public:
    virtual ~PlainSink() = default;
    virtual Result<void> write(const QByteArray &plain) = 0;
};

/// Collects the plaintext in memory (downloadBytes).
class MemorySink final : public PlainSink {
public:
    Result<void> write(const QByteArray &plain) override
    {
        m_data.append(plain);
        return {};
    }
    QByteArray &data() { return m_data; }

private:
    QByteArray m_data;
};

/// Downloads one stream: fetches its index blobs as they are needed and
/// its chunks with a window of reads in flight (retrying each a few
/// times), decrypts and writes them strictly in order, and at the end
/// checks the plaintext's size and hash. A checkpoint is the position after
/// the last chunk written with the decryptor and hash states there.
class StreamDownloader {
public:
    /// The most gets in flight (FlowWindow decides how many below it).
    static constexpr int kWindow = 16;

    struct Callbacks {
        std::function<void()> progress; // a chunk was written
        std::function<void(Result<void>)> done; // runs once; the downloader may be destroyed in it
    };

    StreamDownloader(BlobCalls &calls, PlainSink &sink, const StreamRef &ref, QString name, Callbacks callbacks);
    ~StreamDownloader();
    StreamDownloader(const StreamDownloader &) = delete;
    StreamDownloader &operator=(const StreamDownloader &) = delete;

    /// From the beginning (a default checkpoint) or from a saved one; an
    /// error means the checkpoint is unusable (start from the beginning).
    Result<void> start(const FileCheckpoint &at);
    FileCheckpoint checkpoint() const;
    qint64 bytesDone() const { return m_bytes; }

private:
    void pump();
    void requestIndex(qint64 blob);
    void fetch(qint64 chunk);
    void drain();
    Result<void> writeChunk(const QByteArray &cipher);
    void fail(TransferError code, const QString &message);
    void finish(Result<void> result);

    BlobCalls &m_calls;
    PlainSink &m_sink;
    StreamRef m_ref;
    const qint64 m_chunks;
    const QString m_name;
    Callbacks m_callbacks;

    std::optional<crypto::FileStreamDecryptor> m_decryptor;
    std::optional<crypto::Blake2bStream> m_hash;
    qint64 m_next = 0; // the next chunk to write
    qint64 m_nextFetch = 0;
    qint64 m_bytes = 0;
    int m_inFlight = 0;
    FlowWindow m_window {kWindow};
    std::map<qint64, QByteArray> m_ready; // fetched, waiting for their turn
    QHash<qint64, QByteArray> m_index; // index blobs fetched and still needed
    QSet<qint64> m_indexRequested;
    FileCheckpoint m_beforeFinal; // the checkpoint before the final chunk
    bool m_finished = false;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);
};

} // namespace cairn::transfer
