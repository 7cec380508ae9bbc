#pragma once

#include "core/crypto/secretbytes.h"
#include "core/transfer/error.h"

#include <QByteArray>
#include <QCborValue>
#include <QList>

namespace cairn::transfer {

// The chunking of a stream in the DHT (docs/protocol.md, "File drops").
// A ciphertext chunk is one DHT blob, and a blob is at most 64 KiB, so a
// chunk carries 64 KiB minus the 17-byte secretstream overhead of plaintext.
constexpr qint64 kChunkPlainBytes = 64 * 1024 - 17;
constexpr qint64 kChunkCipherBytes = kChunkPlainBytes + 17;
constexpr int kHashBytes = 32; // BLAKE2b-256: blob keys and the plaintext hash
constexpr int kStreamKeyBytes = 32;
constexpr int kStreamHeaderBytes = 24;
/// Chunk hashes per index blob: 64,000 bytes, within one DHT blob.
constexpr int kHashesPerIndexBlob = 2000;
constexpr qint64 kMaxStreamSize = 64LL * 1024 * 1024 * 1024;
constexpr int kMinCopies = 1;
constexpr int kMaxCopies = 16;

/// Chunks of a stream of `size` plaintext bytes: an empty stream is one
/// final chunk of no plaintext.
qint64 chunkCount(qint64 size);
/// Index blobs of a stream of `size` plaintext bytes.
qint64 indexBlobCount(qint64 size);
/// Plaintext bytes in chunk `chunk` of a stream of `size` bytes.
qint64 chunkPlainSize(qint64 size, qint64 chunk);
/// Chunk hashes index blob `blob` lists (2000, fewer in the last one).
int hashesInIndexBlob(qint64 size, qint64 blob);

/// One encrypted stream stored in the DHT: the secretstream key and header,
/// what the plaintext must come to (size and BLAKE2b-256), and the hashes
/// of the index blobs that list the ciphertext chunks' hashes in order.
/// Copyable: a copy clones the key into its own wiped buffer.
struct StreamRef {
    crypto::SecretBytes key; // 32
    QByteArray header; // 24, the secretstream header
    qint64 size = 0; // plaintext bytes
    QByteArray plainHash; // 32, BLAKE2b-256 of the whole plaintext
    QList<QByteArray> index; // hashes of the index blobs, in order
    int copies = 0; // replication factor the chunks were stored with
    qint64 expiresAt = 0; // unix seconds

    StreamRef() = default;
    StreamRef(const StreamRef &other);
    StreamRef &operator=(const StreamRef &other);
    StreamRef(StreamRef &&) noexcept = default;
    StreamRef &operator=(StreamRef &&) noexcept = default;

    /// Checks every field against the format's rules (sizes, counts, range).
    Result<void> validate() const;
    /// Canonical CBOR {1: key, 2: header, 3: size, 4: plainHash, 5: [index], 6: copies, 7: expiresAt}.
    QByteArray encode() const;
    QCborValue toCbor() const;
    /// Strict: canonical, exact sizes, the index count `size` implies, no
    /// unknown keys.
    static Result<StreamRef> decode(QByteArrayView bytes);
    /// The same checks on a value already decoded (inside a Manifest).
    static Result<StreamRef> fromCbor(const QCborValue &value);

    bool operator==(const StreamRef &other) const;
};

} // namespace cairn::transfer
