#pragma once

#include "core/crypto/keystore.h"
#include "core/identity/nodeid.h"

#include <QString>

namespace cairn::identity {

/// The identity a profile holds once unlocked.
struct LocalIdentity {
    QString displayName;
    crypto::DeviceKey deviceKey;
    NodeId nodeId;

    /// A short, human-comparable rendering of the device key: 20 bytes of
    /// BLAKE2b in groups of four hex digits.
    QString fingerprint() const;
};

/// A profile directory: one identity's keystore (and, later, its mailbox,
/// settings and control socket). The directory is private to its owner.
class Profile {
public:
    static QString keystorePath(const QString &dir);
    static bool exists(const QString &dir);

    /// Creates the directory (mode 0700) and a keystore with a new device key.
    /// Fails with Exists if the directory already holds a profile.
    static crypto::Result<LocalIdentity> create(const QString &dir, const QString &displayName,
        QByteArrayView passphrase, base::Rng &rng, const crypto::KdfParams &kdf = crypto::KdfParams::moderate());
    /// Creates the directory and a keystore holding `contents` (a restored
    /// backup's keys). Fails with Exists if the directory holds a profile.
    static crypto::Result<void> createFrom(const QString &dir, const crypto::KeystoreContents &contents,
        QByteArrayView passphrase, const crypto::KdfParams &kdf = crypto::KdfParams::moderate());
    /// Unlocks the keystore. Argon2id runs on a worker thread; this call
    /// waits for it, so use unlockAsync from code with a live UI.
    static crypto::Result<LocalIdentity> unlock(const QString &dir, QByteArrayView passphrase);
    static QFuture<crypto::Result<LocalIdentity>> unlockAsync(const QString &dir, QByteArrayView passphrase);
    /// The identity an opened keystore holds.
    static LocalIdentity identityOf(const crypto::KeystoreContents &contents);

    static constexpr qsizetype kMaxDisplayName = 64;
    /// Empty if acceptable, otherwise why not.
    static QString checkDisplayName(const QString &name);
};

} // namespace cairn::identity
