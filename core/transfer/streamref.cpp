#include "core/transfer/streamref.h"

#include "core/identity/names.h"

#include <QCborArray>
#include <QCborMap>

#include <algorithm>

namespace cairn::transfer {

namespace cbor = base::cbor;

namespace {

enum Key : qint64 { KeyKey = 1, KeyHeader, KeySize, KeyPlainHash, KeyIndex, KeyCopies, KeyExpiresAt };

const QString kWhat = QStringLiteral("stream reference");

// The most index blobs a stream may have: those of a kMaxStreamSize stream.
const qint64 kMaxIndexBlobs = indexBlobCount(kMaxStreamSize);

base::Error<TransferError> invalid(const QString &message)
{
    return base::fail(TransferError::InvalidField, QStringLiteral("%1: %2").arg(kWhat, message));
}

} // namespace

qint64 chunkCount(qint64 size)
{
    return size <= 0 ? 1 : (size + kChunkPlainBytes - 1) / kChunkPlainBytes;
}

qint64 indexBlobCount(qint64 size)
{
    return (chunkCount(size) + kHashesPerIndexBlob - 1) / kHashesPerIndexBlob;
}

qint64 chunkPlainSize(qint64 size, qint64 chunk)
{
    return std::clamp<qint64>(size - chunk * kChunkPlainBytes, 0, kChunkPlainBytes);
}

int hashesInIndexBlob(qint64 size, qint64 blob)
{
    return int(std::clamp<qint64>(chunkCount(size) - blob * kHashesPerIndexBlob, 0, kHashesPerIndexBlob));
}

StreamRef::StreamRef(const StreamRef &other)
    : key(other.key.clone()),
      header(other.header),
      size(other.size),
      plainHash(other.plainHash),
      index(other.index),
      copies(other.copies),
      expiresAt(other.expiresAt)
{ }

StreamRef &StreamRef::operator=(const StreamRef &other)
{
    if (this != &other)
        *this = StreamRef(other);
    return *this;
}

bool StreamRef::operator==(const StreamRef &other) const
{
    return key.size() == other.key.size() && key.equals(other.key.view()) && header == other.header
        && size == other.size && plainHash == other.plainHash && index == other.index && copies == other.copies
        && expiresAt == other.expiresAt;
}

Result<void> StreamRef::validate() const
{
    if (key.size() != kStreamKeyBytes)
        return invalid(QStringLiteral("the key is %1 bytes").arg(kStreamKeyBytes));
    if (header.size() != kStreamHeaderBytes)
        return invalid(QStringLiteral("the header is %1 bytes").arg(kStreamHeaderBytes));
    if (size < 0 || size > kMaxStreamSize)
        return invalid(QStringLiteral("a stream is 0 to %1 bytes, not %2").arg(kMaxStreamSize).arg(size));
    if (plainHash.size() != kHashBytes)
        return invalid(QStringLiteral("the plaintext hash is %1 bytes").arg(kHashBytes));
    if (index.size() != indexBlobCount(size))
        return invalid(QStringLiteral("a stream of %1 bytes has %2 index blobs, not %3")
                           .arg(size)
                           .arg(indexBlobCount(size))
                           .arg(index.size()));
    for (const QByteArray &hash : index) {
        if (hash.size() != kHashBytes)
            return invalid(QStringLiteral("an index blob hash is %1 bytes").arg(kHashBytes));
    }
    if (copies < kMinCopies || copies > kMaxCopies)
        return invalid(QStringLiteral("copies is %1 to %2, not %3").arg(kMinCopies).arg(kMaxCopies).arg(copies));
    if (expiresAt < 1 || expiresAt > identity::names::kMaxUnixTime)
        return invalid(QStringLiteral("the expiry %1 is out of range").arg(expiresAt));
    return {};
}

QCborValue StreamRef::toCbor() const
{
    QCborArray hashes;
    for (const QByteArray &hash : index)
        hashes.append(hash);
    QCborMap map;
    map.insert(KeyKey, key.view().toByteArray());
    map.insert(KeyHeader, header);
    map.insert(KeySize, size);
    map.insert(KeyPlainHash, plainHash);
    map.insert(KeyIndex, hashes);
    map.insert(KeyCopies, copies);
    map.insert(KeyExpiresAt, expiresAt);
    return map;
}

QByteArray StreamRef::encode() const
{
    // The key passes through a QCborValue and a plain QByteArray here; the
    // encoded reference is as secret as the key and is sealed by the caller.
    return cbor::encode(toCbor());
}

Result<StreamRef> StreamRef::decode(QByteArrayView bytes)
{
    cbor::Limits limits;
    limits.maxBytes = 64 + kMaxIndexBlobs * (kHashBytes + 2) + 128;
    limits.maxDepth = 2;
    limits.maxItems = 1 + 2 * KeyExpiresAt + int(kMaxIndexBlobs);
    limits.maxStringLength = kHashBytes;
    auto value = cbor::decode(bytes, limits);
    if (!value.ok())
        return fromCborError(value.error(), kWhat);
    return fromCbor(value.value());
}

Result<StreamRef> StreamRef::fromCbor(const QCborValue &value)
{
    auto reader = cbor::MapReader::from(value);
    if (!reader.ok())
        return fromCborError(reader.error(), kWhat);
    const cbor::MapReader &r = reader.value();
    if (!r.hasOnlyKeys({KeyKey, KeyHeader, KeySize, KeyPlainHash, KeyIndex, KeyCopies, KeyExpiresAt}))
        return base::fail(TransferError::UnknownField, QStringLiteral("%1: unknown field").arg(kWhat));
    StreamRef ref;
    auto key = r.bytes(KeyKey, kStreamKeyBytes);
    if (!key.ok())
        return fromCborError(key.error(), kWhat);
    ref.key = crypto::SecretBytes::fromView(key.value());
    crypto::wipe(key.value());
    auto header = r.bytes(KeyHeader, kStreamHeaderBytes);
    if (!header.ok())
        return fromCborError(header.error(), kWhat);
    ref.header = std::move(header).value();
    auto size = r.integer(KeySize, 0, kMaxStreamSize);
    if (!size.ok())
        return fromCborError(size.error(), kWhat);
    ref.size = size.value();
    auto plainHash = r.bytes(KeyPlainHash, kHashBytes);
    if (!plainHash.ok())
        return fromCborError(plainHash.error(), kWhat);
    ref.plainHash = std::move(plainHash).value();
    auto hashes = r.array(KeyIndex, kMaxIndexBlobs);
    if (!hashes.ok())
        return fromCborError(hashes.error(), kWhat);
    for (const QCborValue &hash : hashes.value()) {
        if (!hash.isByteArray() || hash.toByteArray().size() != kHashBytes)
            return base::fail(TransferError::Malformed,
                QStringLiteral("%1: an index blob hash is a %2-byte string").arg(kWhat).arg(kHashBytes));
        ref.index.append(hash.toByteArray());
    }
    auto copies = r.integer(KeyCopies, kMinCopies, kMaxCopies);
    if (!copies.ok())
        return fromCborError(copies.error(), kWhat);
    ref.copies = int(copies.value());
    auto expiresAt = r.integer(KeyExpiresAt, 1, identity::names::kMaxUnixTime);
    if (!expiresAt.ok())
        return fromCborError(expiresAt.error(), kWhat);
    ref.expiresAt = expiresAt.value();
    if (auto v = ref.validate(); !v.ok())
        return v.error();
    return ref;
}

} // namespace cairn::transfer
