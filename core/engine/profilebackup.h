#pragma once

#include "core/crypto/keystore.h"
#include "core/engine/error.h"

#include <QString>

namespace cairn::engine {

/// A profile backup: one file, sealed like the keystore (Argon2id and
/// XChaCha20-Poly1305) under a passphrase of the user's choice, holding
/// what another computer needs to be this device again: the keys (with the
/// CA key on an operator's profile), the group membership, the CA's
/// database (operators) and the settings. Mail, transfers and donated
/// storage are not in it: mail lives on in the group until it is read.
class ProfileBackup {
public:
    /// Writes the backup of `profileDir`, whose unlocked keys are `keys`.
    /// The CA database is copied consistently while the node runs. Slow
    /// (Argon2id): call it off the event loop.
    static Result<void> write(const QString &profileDir, const crypto::KeystoreContents &keys,
        QByteArrayView passphrase, const QString &path, const crypto::KdfParams &kdf = crypto::KdfParams::moderate());
    /// Restores a backup into `profileDir`, which must not hold a profile;
    /// its keystore is sealed with the same passphrase. Returns the display
    /// name. Slow (Argon2id, twice): call it off the event loop.
    static Result<QString> restore(const QString &path, QByteArrayView passphrase, const QString &profileDir,
        const crypto::KdfParams &kdf = crypto::KdfParams::moderate());

    /// The profile files a backup carries, by name in the profile directory.
    static const QStringList &files();
};

} // namespace cairn::engine
