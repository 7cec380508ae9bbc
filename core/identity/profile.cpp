#include "core/identity/profile.h"

#include <QDir>
#include <QFileInfo>
#include <QtConcurrent>

namespace cairn::identity {

namespace {
const QString kKeystoreFile = QStringLiteral("keystore.cairn");

LocalIdentity toIdentity(crypto::KeystoreContents &&contents)
{
    const NodeId id = NodeId::fromDeviceKey(contents.deviceKey.publicKey());
    return LocalIdentity {contents.displayName, std::move(contents.deviceKey), id};
}
} // namespace

QString LocalIdentity::fingerprint() const
{
    const QByteArray hex = crypto::blake2b(deviceKey.publicKey().toByteArray(), 20).toHex().toUpper();
    QStringList groups;
    for (int i = 0; i < hex.size(); i += 4)
        groups << QString::fromLatin1(hex.mid(i, 4));
    return groups.join(QLatin1Char(' '));
}

QString Profile::keystorePath(const QString &dir)
{
    return QDir(dir).filePath(kKeystoreFile);
}

bool Profile::exists(const QString &dir)
{
    return QFileInfo::exists(keystorePath(dir));
}

QString Profile::checkDisplayName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return QStringLiteral("the display name is empty");
    if (trimmed.size() > kMaxDisplayName)
        return QStringLiteral("the display name is longer than %1 characters").arg(kMaxDisplayName);
    for (QChar c : trimmed) {
        if (c.category() == QChar::Other_Control)
            return QStringLiteral("the display name contains control characters");
    }
    return {};
}

crypto::Result<LocalIdentity> Profile::create(const QString &dir, const QString &displayName, QByteArrayView passphrase,
    base::Rng &rng, const crypto::KdfParams &kdf)
{
    if (const QString why = checkDisplayName(displayName); !why.isEmpty())
        return base::fail(crypto::CryptoError::InvalidKey, why);
    crypto::KeystoreContents contents {displayName.trimmed(), crypto::DeviceKey::generate(rng), {}};
    if (auto r = createFrom(dir, contents, passphrase, kdf); !r.ok())
        return r.error();
    return toIdentity(std::move(contents));
}

crypto::Result<void> Profile::createFrom(const QString &dir, const crypto::KeystoreContents &contents,
    QByteArrayView passphrase, const crypto::KdfParams &kdf)
{
    if (exists(dir))
        return base::fail(crypto::CryptoError::Exists, QStringLiteral("a profile already exists in %1").arg(dir));
    QDir d(dir);
    if (!d.exists() && !QDir().mkpath(dir))
        return base::fail(crypto::CryptoError::Io, QStringLiteral("cannot create the profile directory %1").arg(dir));
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return crypto::Keystore::createAsync(keystorePath(dir), contents.clone(), passphrase, kdf).takeResult();
}

crypto::Result<LocalIdentity> Profile::unlock(const QString &dir, QByteArrayView passphrase)
{
    return unlockAsync(dir, passphrase).takeResult();
}

LocalIdentity Profile::identityOf(const crypto::KeystoreContents &contents)
{
    return toIdentity(contents.clone());
}

QFuture<crypto::Result<LocalIdentity>> Profile::unlockAsync(const QString &dir, QByteArrayView passphrase)
{
    auto secret = std::make_shared<crypto::SecretBytes>(crypto::SecretBytes::fromView(passphrase));
    return QtConcurrent::run([dir, secret]() -> crypto::Result<LocalIdentity> {
        if (!QFileInfo(dir).isDir())
            return base::fail(crypto::CryptoError::Io, QStringLiteral("no profile at %1").arg(dir));
        auto r = crypto::Keystore::open(keystorePath(dir), secret->view());
        if (!r.ok())
            return r.error();
        return toIdentity(std::move(r).value());
    });
}

} // namespace cairn::identity
