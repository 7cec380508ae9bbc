#pragma once

#include "core/crypto/blake2bstream.h"
#include "core/crypto/filestream.h"
#include "core/transfer/blobcalls.h"
#include "core/transfer/flowwindow.h"
#include "core/transfer/journal.h"

#include <QBitArray>
#include <QHash>

#include <map>

namespace cairn::transfer {

/// Where an upload's plaintext comes from, read chunk by chunk in order.
class PlainSource {
public:
    virtual ~PlainSource() = default;
    /// Exactly `size` bytes at `offset`; a short read is the source's error.
    virtual Result<QByteArray> read(qint64 offset, qint64 size) = 0;
};

/// The whole plaintext in memory (uploadBytes).
class MemorySource final : public PlainSource {
public:
    explicit MemorySource(QByteArray data) : m_data(std::move(data)) { }
    Result<QByteArray> read(qint64 offset, qint64 size) override;

private:
    QByteArray m_data;
};

/// Uploads one stream: reads and encrypts its chunks in order, keeps a
/// window of puts in flight, retries failed ones, and once every chunk is
/// stored writes the index blobs and reports the StreamRef. Its checkpoint
/// is the longest prefix of chunks all confirmed stored, with the cipher
/// and hash states right after it; chunks already confirmed in an earlier
/// run (re-encrypting from a checkpoint is deterministic, so their hashes
/// match) are not sent again.
class StreamUploader {
public:
    /// The most puts in flight (FlowWindow decides how many below it).
    static constexpr int kWindow = 16;

    struct Start {
        crypto::SecretBytes key;
        QByteArray header;
        FileCheckpoint at; // nextChunk and the states after it (plainHash once all are hashed)
        QList<QPair<qint64, QByteArray>> stored; // chunks confirmed earlier: index, hash
    };
    struct Callbacks {
        std::function<void()> progress; // a chunk was confirmed
        std::function<void(Result<StreamRef>)> done; // runs once; the uploader may be destroyed in it
    };

    StreamUploader(BlobCalls &calls, PlainSource &source, qint64 size, int copies, qint64 expiresAt, QString name,
        Callbacks callbacks);
    ~StreamUploader();
    StreamUploader(const StreamUploader &) = delete;
    StreamUploader &operator=(const StreamUploader &) = delete;

    /// A fresh stream: a new key and header. The initial checkpoint is
    /// available from checkpoint() right after.
    static Start fresh();
    /// Starts (or resumes) the upload; an error means the saved state is
    /// unusable (the caller starts the stream afresh).
    Result<void> start(Start start);

    const QByteArray &header() const { return m_header; }
    const crypto::SecretBytes &key() const { return m_key; }
    FileCheckpoint checkpoint() const;
    /// Chunks confirmed since the last call, for the journal.
    QList<QPair<qint64, QByteArray>> takeConfirmed();
    qint64 bytesConfirmed() const { return m_bytesConfirmed; }

private:
    struct States {
        crypto::SecretBytes cipher;
        crypto::SecretBytes hash;
    };

    void pump();
    Result<void> encryptNext();
    void put(qint64 chunk, const QByteArray &cipher);
    void confirm(qint64 chunk, const QByteArray &hash, bool report);
    void advance();
    void putIndex();
    void fail(TransferError code, const QString &message);
    void finish(Result<StreamRef> result);
    QByteArray hashAt(qint64 chunk) const;

    BlobCalls &m_calls;
    PlainSource &m_source;
    const qint64 m_size;
    const qint64 m_chunks;
    const int m_copies;
    const qint64 m_expiresAt;
    const QString m_name;
    Callbacks m_callbacks;

    crypto::SecretBytes m_key;
    QByteArray m_header;
    std::optional<crypto::FileStreamEncryptor> m_encryptor;
    std::optional<crypto::Blake2bStream> m_hash;
    QByteArray m_plainHash;
    QByteArray m_hashes; // 32 bytes per chunk, valid where m_have is set
    QBitArray m_have;
    qint64 m_nextRead = 0;
    qint64 m_prefix = 0; // chunks before it are all confirmed
    std::map<qint64, States> m_states; // states after chunk i - 1, for checkpoints
    int m_inFlight = 0;
    FlowWindow m_window {kWindow};
    qint64 m_bytesConfirmed = 0;
    QList<QPair<qint64, QByteArray>> m_newlyConfirmed;
    QList<QByteArray> m_index;
    int m_indexPending = 0;
    qint64 m_nextIndex = 0;
    bool m_indexing = false;
    bool m_finished = false;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);
};

} // namespace cairn::transfer
