#pragma once

#include "core/crypto/error.h"
#include "core/crypto/secretbytes.h"

#include <QByteArray>

#include <functional>
#include <sodium.h>

class QIODevice;

namespace cairn::crypto {

/// Chunked file encryption with crypto_secretstream_xchacha20poly1305.
/// Each 64 KiB plaintext chunk becomes one ciphertext chunk of
/// kCipherChunk bytes (the last may be shorter and carries the FINAL tag).
/// The stream's internal nonce advances per chunk, so a reordered, repeated
/// or dropped chunk fails to decrypt, and a stream that ends without the
/// FINAL tag is reported as truncated.
class FileStreamEncryptor {
public:
    static constexpr qsizetype kChunk = 64 * 1024;
    static constexpr qsizetype kCipherChunk = kChunk + crypto_secretstream_xchacha20poly1305_ABYTES;
    static constexpr qsizetype kHeaderSize = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
    static constexpr qsizetype kKeySize = crypto_secretstream_xchacha20poly1305_KEYBYTES;
    /// Bytes of a saved cipher state (saveState()).
    static constexpr qsizetype kStateSize = sizeof(crypto_secretstream_xchacha20poly1305_state);

    static SecretBytes generateKey();
    static Result<FileStreamEncryptor> create(const SecretBytes &key);
    /// Continues a stream from a state saveState() returned, with the
    /// stream's header. Pushing the same chunks from there gives the same
    /// ciphertext as the original encryptor would have: a checkpoint for a
    /// resumable upload.
    static Result<FileStreamEncryptor> restore(const SecretBytes &state, QByteArrayView header);
    ~FileStreamEncryptor();
    FileStreamEncryptor(const FileStreamEncryptor &) = default;
    FileStreamEncryptor &operator=(const FileStreamEncryptor &) = default;

    /// The cipher state after the chunks pushed so far (the subkey and
    /// nonce): as secret as the key. Empty once the stream is finished.
    SecretBytes saveState() const;

    /// The stream header; the decryptor needs it first.
    QByteArray header() const { return m_header; }
    /// Encrypts one chunk (at most kChunk bytes); `final` marks the last.
    Result<QByteArray> push(QByteArrayView chunk, bool final);
    bool finished() const { return m_finished; }

private:
    FileStreamEncryptor() = default;
    crypto_secretstream_xchacha20poly1305_state m_state {};
    QByteArray m_header;
    bool m_finished = false;
};

class FileStreamDecryptor {
public:
    static Result<FileStreamDecryptor> create(const SecretBytes &key, QByteArrayView header);
    /// Continues from a state saveState() returned (a resumable download).
    static Result<FileStreamDecryptor> restore(const SecretBytes &state);
    ~FileStreamDecryptor();
    FileStreamDecryptor(const FileStreamDecryptor &) = default;
    FileStreamDecryptor &operator=(const FileStreamDecryptor &) = default;

    /// The state after the chunks pulled so far; empty once finished.
    SecretBytes saveState() const;
    /// Decrypts the next chunk in order. DecryptFailed for a forged,
    /// reordered or repeated chunk; Corrupt for data after the final chunk.
    Result<QByteArray> pull(QByteArrayView cipherChunk);
    bool finished() const { return m_finished; }

private:
    FileStreamDecryptor() = default;
    crypto_secretstream_xchacha20poly1305_state m_state {};
    bool m_finished = false;
};

using ProgressCallback = std::function<void(qint64 done, qint64 total)>;

/// Streams a whole device through the cipher: header, then chunks. Never
/// holds more than one chunk in memory.
Result<qint64> encryptStream(
    QIODevice &in, QIODevice &out, const SecretBytes &key, const ProgressCallback &progress = {});
/// The reverse; Truncated if the input ends before the final chunk.
Result<qint64> decryptStream(
    QIODevice &in, QIODevice &out, const SecretBytes &key, const ProgressCallback &progress = {});

} // namespace cairn::crypto
