#include "core/crypto/filestream.h"

#include <QIODevice>

#include <cstring>

namespace cairn::crypto {

namespace {
using Tag = unsigned char;
constexpr Tag kMessage = crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
constexpr Tag kFinal = crypto_secretstream_xchacha20poly1305_TAG_FINAL;

Result<QByteArray> readUpTo(QIODevice &in, qsizetype n)
{
    QByteArray buf(n, Qt::Uninitialized);
    qsizetype got = 0;
    while (got < n) {
        const qint64 r = in.read(buf.data() + got, n - got);
        if (r < 0)
            return base::fail(CryptoError::Io, QStringLiteral("read failed: %1").arg(in.errorString()));
        if (r == 0 && !in.waitForReadyRead(0))
            break;
        got += qsizetype(r);
    }
    buf.truncate(got);
    return buf;
}

Result<void> writeAll(QIODevice &out, const QByteArray &bytes)
{
    if (out.write(bytes) != bytes.size())
        return base::fail(CryptoError::Io, QStringLiteral("write failed: %1").arg(out.errorString()));
    return {};
}
} // namespace

SecretBytes FileStreamEncryptor::generateKey()
{
    initSodium();
    SecretBytes key(kKeySize);
    crypto_secretstream_xchacha20poly1305_keygen(key.data());
    return key;
}

Result<FileStreamEncryptor> FileStreamEncryptor::create(const SecretBytes &key)
{
    initSodium();
    if (key.size() != kKeySize)
        return base::fail(CryptoError::InvalidKey, QStringLiteral("a file stream key is %1 bytes").arg(kKeySize));
    FileStreamEncryptor e;
    e.m_header = QByteArray(kHeaderSize, Qt::Uninitialized);
    crypto_secretstream_xchacha20poly1305_init_push(
        &e.m_state, reinterpret_cast<unsigned char *>(e.m_header.data()), key.data());
    return e;
}

FileStreamEncryptor::~FileStreamEncryptor()
{
    sodium_memzero(&m_state, sizeof m_state);
}

SecretBytes FileStreamEncryptor::saveState() const
{
    if (m_finished)
        return {};
    return SecretBytes(reinterpret_cast<const quint8 *>(&m_state), kStateSize);
}

Result<FileStreamEncryptor> FileStreamEncryptor::restore(const SecretBytes &state, QByteArrayView header)
{
    initSodium();
    if (state.size() != kStateSize)
        return base::fail(CryptoError::Corrupt, QStringLiteral("a saved stream state is %1 bytes").arg(kStateSize));
    if (header.size() != kHeaderSize)
        return base::fail(CryptoError::Corrupt, QStringLiteral("the stream header is %1 bytes").arg(kHeaderSize));
    FileStreamEncryptor e;
    std::memcpy(&e.m_state, state.data(), sizeof e.m_state);
    e.m_header = header.toByteArray();
    return e;
}

Result<QByteArray> FileStreamEncryptor::push(QByteArrayView chunk, bool final)
{
    if (m_finished)
        return base::fail(CryptoError::InvalidState, QStringLiteral("the stream is already finished"));
    if (chunk.size() > kChunk)
        return base::fail(CryptoError::TooLarge, QStringLiteral("a chunk is at most %1 bytes").arg(kChunk));
    QByteArray out(chunk.size() + crypto_secretstream_xchacha20poly1305_ABYTES, Qt::Uninitialized);
    crypto_secretstream_xchacha20poly1305_push(&m_state, reinterpret_cast<unsigned char *>(out.data()), nullptr,
        reinterpret_cast<const unsigned char *>(chunk.data()), size_t(chunk.size()), nullptr, 0,
        final ? kFinal : kMessage);
    if (final) {
        m_finished = true;
        sodium_memzero(&m_state, sizeof m_state);
    }
    return out;
}

Result<FileStreamDecryptor> FileStreamDecryptor::create(const SecretBytes &key, QByteArrayView header)
{
    initSodium();
    if (key.size() != FileStreamEncryptor::kKeySize)
        return base::fail(CryptoError::InvalidKey,
            QStringLiteral("a file stream key is %1 bytes").arg(FileStreamEncryptor::kKeySize));
    if (header.size() != FileStreamEncryptor::kHeaderSize)
        return base::fail(CryptoError::Corrupt,
            QStringLiteral("the stream header is %1 bytes").arg(FileStreamEncryptor::kHeaderSize));
    FileStreamDecryptor d;
    if (crypto_secretstream_xchacha20poly1305_init_pull(
            &d.m_state, reinterpret_cast<const unsigned char *>(header.data()), key.data())
        != 0)
        return base::fail(CryptoError::Corrupt, QStringLiteral("invalid stream header"));
    return d;
}

FileStreamDecryptor::~FileStreamDecryptor()
{
    sodium_memzero(&m_state, sizeof m_state);
}

SecretBytes FileStreamDecryptor::saveState() const
{
    if (m_finished)
        return {};
    return SecretBytes(reinterpret_cast<const quint8 *>(&m_state), FileStreamEncryptor::kStateSize);
}

Result<FileStreamDecryptor> FileStreamDecryptor::restore(const SecretBytes &state)
{
    initSodium();
    if (state.size() != FileStreamEncryptor::kStateSize)
        return base::fail(CryptoError::Corrupt,
            QStringLiteral("a saved stream state is %1 bytes").arg(FileStreamEncryptor::kStateSize));
    FileStreamDecryptor d;
    std::memcpy(&d.m_state, state.data(), sizeof d.m_state);
    return d;
}

Result<QByteArray> FileStreamDecryptor::pull(QByteArrayView cipherChunk)
{
    if (m_finished)
        return base::fail(CryptoError::Corrupt, QStringLiteral("data after the final chunk"));
    if (cipherChunk.size() < crypto_secretstream_xchacha20poly1305_ABYTES
        || cipherChunk.size() > FileStreamEncryptor::kCipherChunk)
        return base::fail(CryptoError::Corrupt,
            QStringLiteral("a chunk of %1 bytes cannot be part of a file stream").arg(cipherChunk.size()));
    QByteArray out(cipherChunk.size() - crypto_secretstream_xchacha20poly1305_ABYTES, Qt::Uninitialized);
    Tag tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&m_state, reinterpret_cast<unsigned char *>(out.data()), nullptr,
            &tag, reinterpret_cast<const unsigned char *>(cipherChunk.data()), size_t(cipherChunk.size()), nullptr, 0)
        != 0)
        return base::fail(CryptoError::DecryptFailed,
            QStringLiteral("a chunk failed authentication (altered, reordered or repeated)"));
    if (tag == kFinal) {
        m_finished = true;
        sodium_memzero(&m_state, sizeof m_state);
    }
    return out;
}

Result<qint64> encryptStream(QIODevice &in, QIODevice &out, const SecretBytes &key, const ProgressCallback &progress)
{
    auto enc = FileStreamEncryptor::create(key);
    if (!enc.ok())
        return enc.error();
    if (auto w = writeAll(out, enc->header()); !w.ok())
        return w.error();
    const qint64 total = in.isSequential() ? -1 : in.size() - in.pos();
    qint64 done = 0;
    auto chunk = readUpTo(in, FileStreamEncryptor::kChunk);
    while (true) {
        if (!chunk.ok())
            return chunk.error();
        // Look one chunk ahead so the last real chunk carries FINAL; an
        // empty input becomes a single empty FINAL chunk.
        auto next = chunk->size() == FileStreamEncryptor::kChunk ? readUpTo(in, FileStreamEncryptor::kChunk)
                                                                 : Result<QByteArray>(QByteArray());
        if (!next.ok())
            return next.error();
        const bool final = next->isEmpty();
        auto c = enc->push(chunk.value(), final);
        if (!c.ok())
            return c.error();
        if (auto w = writeAll(out, c.value()); !w.ok())
            return w.error();
        done += chunk->size();
        if (progress)
            progress(done, total);
        if (final)
            return done;
        chunk = std::move(next);
    }
}

Result<qint64> decryptStream(QIODevice &in, QIODevice &out, const SecretBytes &key, const ProgressCallback &progress)
{
    auto header = readUpTo(in, FileStreamEncryptor::kHeaderSize);
    if (!header.ok())
        return header.error();
    if (header->size() < FileStreamEncryptor::kHeaderSize)
        return base::fail(CryptoError::Truncated, QStringLiteral("the stream ends inside its header"));
    auto dec = FileStreamDecryptor::create(key, header.value());
    if (!dec.ok())
        return dec.error();
    const qint64 total = in.isSequential() ? -1 : in.size();
    qint64 done = 0;
    while (!dec->finished()) {
        auto chunk = readUpTo(in, FileStreamEncryptor::kCipherChunk);
        if (!chunk.ok())
            return chunk.error();
        if (chunk->isEmpty())
            return base::fail(CryptoError::Truncated, QStringLiteral("the stream ends before its final chunk"));
        auto plain = dec->pull(chunk.value());
        if (!plain.ok())
            return plain.error();
        if (auto w = writeAll(out, plain.value()); !w.ok())
            return w.error();
        done += plain->size();
        if (progress)
            progress(in.pos(), total);
    }
    auto rest = readUpTo(in, 1);
    if (rest.ok() && !rest->isEmpty())
        return base::fail(CryptoError::Corrupt, QStringLiteral("data after the final chunk"));
    return done;
}

} // namespace cairn::crypto
