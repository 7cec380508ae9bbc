#pragma once

#include "core/crypto/error.h"
#include "core/crypto/keys.h"

#include <QFuture>
#include <QMap>
#include <QString>

namespace cairn::crypto {

/// What a keystore holds: the display name, the device key, and named extra
/// secrets (an operator's CA key, for one). Secrets are wiped on destruction.
struct KeystoreContents {
    QString displayName;
    DeviceKey deviceKey;
    std::map<QString, SecretBytes> secrets;

    KeystoreContents clone() const;
};

/// Argon2id cost of unlocking. Stored in the file, so old files keep working
/// when the defaults change.
struct KdfParams {
    quint64 opsLimit;
    quint64 memLimit; // bytes
    /// libsodium's "moderate": about half a second and 256 MiB here.
    static KdfParams moderate();
    /// The cheapest cost libsodium allows; only for tests of the file format.
    static KdfParams minimum();
};

/// The profile's encrypted key file. Its key is derived from the passphrase
/// with Argon2id; contents are sealed with XChaCha20-Poly1305, and the file
/// is replaced atomically (QSaveFile), so a crash mid-write leaves the old
/// file intact. Argon2id is slow on purpose: run create/open off the main
/// thread (createAsync/openAsync) in anything with an event loop.
class Keystore {
public:
    static constexpr qsizetype kMaxFileSize = 64 * 1024;
    /// A profile backup may also carry the profile's small files.
    static constexpr qsizetype kMaxBackupSize = 16 * 1024 * 1024;

    /// Writes a new keystore; fails with Exists if the file is already there.
    static Result<void> create(const QString &path, const KeystoreContents &contents, QByteArrayView passphrase,
        const KdfParams &kdf = KdfParams::moderate());
    /// Rewrites an existing keystore (new salt and nonce), atomically.
    static Result<void> save(const QString &path, const KeystoreContents &contents, QByteArrayView passphrase,
        const KdfParams &kdf = KdfParams::moderate());
    static Result<KeystoreContents> open(const QString &path, QByteArrayView passphrase);

    /// A profile backup: the same sealed format under its own name, so a
    /// backup is never taken for a keystore (or the other way round).
    static Result<void> saveBackup(const QString &path, const KeystoreContents &contents, QByteArrayView passphrase,
        const KdfParams &kdf = KdfParams::moderate());
    static Result<KeystoreContents> openBackup(const QString &path, QByteArrayView passphrase);

    /// The same, on a worker thread. The passphrase is copied into wiped storage.
    static QFuture<Result<KeystoreContents>> openAsync(const QString &path, QByteArrayView passphrase);
    static QFuture<Result<void>> createAsync(const QString &path, KeystoreContents contents, QByteArrayView passphrase,
        KdfParams kdf = KdfParams::moderate());
};

} // namespace cairn::crypto
