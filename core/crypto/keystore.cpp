#include "core/crypto/keystore.h"

#include "core/base/cbor.h"
#include "core/base/log.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QtConcurrent>

#include <sodium.h>

namespace cairn::crypto {

namespace {

// File: canonical CBOR {0: "cairn-keystore", 1: version, 2: opslimit, 3: memlimit,
// 4: salt(16), 5: nonce(24), 6: ciphertext}. The header fields 0..5 are the
// AEAD's associated data, so changing the cost parameters breaks the tag.
enum Field : qint64 { Magic = 0, Version = 1, Ops = 2, Mem = 3, Salt = 4, Nonce = 5, Cipher = 6 };
// Sealed: {0: display name, 1: device seed(32), 2: {name: secret bytes}}
enum Inner : qint64 { Name = 0, Seed = 1, Secrets = 2 };

/// The keystore and a profile backup share the sealed format; the magic
/// keeps one from being taken for the other.
struct Format {
    QString magic;
    qsizetype maxBytes;
    const char *what; // for messages
};
const Format kKeystore {QStringLiteral("cairn-keystore"), Keystore::kMaxFileSize, "keystore"};
const Format kBackup {QStringLiteral("cairn-profile-backup"), Keystore::kMaxBackupSize, "Cairn backup"};
constexpr qint64 kVersion = 1;
constexpr qint64 kMaxOps = 64;
constexpr qint64 kMaxMem = qint64(4) << 30;

QByteArray associatedData(const QCborMap &header)
{
    QCborMap ad = header;
    ad.remove(qint64(Cipher));
    return base::cbor::encode(ad);
}

Result<SecretBytes> deriveKey(QByteArrayView passphrase, QByteArrayView salt, quint64 ops, quint64 mem)
{
    SecretBytes key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    if (crypto_pwhash(key.data(), size_t(key.size()), passphrase.data(), size_t(passphrase.size()),
            reinterpret_cast<const unsigned char *>(salt.data()), ops, size_t(mem), crypto_pwhash_ALG_ARGON2ID13)
        != 0) {
        return base::fail(CryptoError::Unsupported,
            QStringLiteral("not enough memory to derive the keystore key (%1 MiB needed)").arg(mem >> 20));
    }
    return key;
}

Result<void> write(const QString &path, const KeystoreContents &contents, QByteArrayView passphrase,
    const KdfParams &kdf, const Format &format = kKeystore)
{
    initSodium();
    if (passphrase.isEmpty())
        return base::fail(CryptoError::InvalidKey, QStringLiteral("the passphrase is empty"));

    QCborMap secrets;
    for (const auto &[name, secret] : contents.secrets)
        secrets.insert(name, secret.view().toByteArray());
    QCborMap inner;
    inner.insert(qint64(Name), contents.displayName);
    inner.insert(qint64(Seed), contents.deviceKey.seed().view().toByteArray());
    inner.insert(qint64(Secrets), secrets);
    QByteArray plain = base::cbor::encode(inner);
    // QCborMap keeps its own copies of the secrets; wipe what we can reach.
    inner = QCborMap();
    secrets = QCborMap();

    QByteArray salt(crypto_pwhash_SALTBYTES, Qt::Uninitialized);
    randombytes_buf(salt.data(), size_t(salt.size()));
    QByteArray nonce(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, Qt::Uninitialized);
    randombytes_buf(nonce.data(), size_t(nonce.size()));

    auto key = deriveKey(passphrase, salt, kdf.opsLimit, kdf.memLimit);
    if (!key.ok()) {
        wipe(plain);
        return key.error();
    }

    QCborMap header;
    header.insert(qint64(Magic), format.magic);
    header.insert(qint64(Version), kVersion);
    header.insert(qint64(Ops), qint64(kdf.opsLimit));
    header.insert(qint64(Mem), qint64(kdf.memLimit));
    header.insert(qint64(Salt), salt);
    header.insert(qint64(Nonce), nonce);
    const QByteArray ad = associatedData(header);

    QByteArray cipher(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, Qt::Uninitialized);
    unsigned long long cipherLen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char *>(cipher.data()), &cipherLen,
        reinterpret_cast<const unsigned char *>(plain.constData()), size_t(plain.size()),
        reinterpret_cast<const unsigned char *>(ad.constData()), size_t(ad.size()), nullptr,
        reinterpret_cast<const unsigned char *>(nonce.constData()), key.value().data());
    wipe(plain);
    header.insert(qint64(Cipher), cipher);
    if (cipher.size() + 1024 > format.maxBytes)
        return base::fail(CryptoError::InvalidKey,
            QStringLiteral("too much to keep in a %1 (%2 bytes, at most %3)")
                .arg(QLatin1String(format.what))
                .arg(cipher.size())
                .arg(format.maxBytes));

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return base::fail(CryptoError::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const QByteArray bytes = base::cbor::encode(header);
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        file.cancelWriting();
        return base::fail(CryptoError::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    }
    return {};
}

} // namespace

KeystoreContents KeystoreContents::clone() const
{
    KeystoreContents c {displayName, deviceKey.clone(), {}};
    for (const auto &[name, secret] : secrets)
        c.secrets.emplace(name, secret.clone());
    return c;
}

KdfParams KdfParams::moderate()
{
    return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

KdfParams KdfParams::minimum()
{
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Result<void> Keystore::create(
    const QString &path, const KeystoreContents &contents, QByteArrayView passphrase, const KdfParams &kdf)
{
    if (QFileInfo::exists(path))
        return base::fail(CryptoError::Exists, QStringLiteral("a keystore already exists at %1").arg(path));
    return write(path, contents, passphrase, kdf);
}

Result<void> Keystore::save(
    const QString &path, const KeystoreContents &contents, QByteArrayView passphrase, const KdfParams &kdf)
{
    return write(path, contents, passphrase, kdf);
}

namespace {
Result<KeystoreContents> read(const QString &path, QByteArrayView passphrase, const Format &format)
{
    const QString what = QLatin1String(format.what);
    const qsizetype maxBytes = format.maxBytes;
    initSodium();
    QFile file(path);
    if (!file.exists())
        return base::fail(CryptoError::Io, QStringLiteral("no %1 at %2").arg(what, path));
    if (!file.open(QIODevice::ReadOnly))
        return base::fail(CryptoError::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    const QByteArray bytes = file.read(maxBytes + 1);
    if (bytes.size() > maxBytes)
        return base::fail(CryptoError::Corrupt, QStringLiteral("%1 is too large to be a %2").arg(path, what));

    const auto corrupt = [&](const QString &why) {
        return base::fail(CryptoError::Corrupt, QStringLiteral("%1 is not a valid %2 (%3)").arg(path, what, why));
    };
    base::cbor::Limits limits;
    limits.maxBytes = maxBytes;
    auto decoded = base::cbor::decode(bytes, limits);
    if (!decoded.ok())
        return corrupt(decoded.message());
    auto reader = base::cbor::MapReader::from(decoded.value());
    if (!reader.ok() || !reader->hasOnlyKeys({Magic, Version, Ops, Mem, Salt, Nonce, Cipher}))
        return corrupt(QStringLiteral("unexpected fields"));
    auto magic = reader->text(Magic, 32);
    auto version = reader->integer(Version, 0, 1 << 20);
    auto ops = reader->integer(Ops, crypto_pwhash_OPSLIMIT_MIN, kMaxOps);
    auto mem = reader->integer(Mem, crypto_pwhash_MEMLIMIT_MIN, kMaxMem);
    auto salt = reader->bytes(Salt, crypto_pwhash_SALTBYTES);
    auto nonce = reader->bytes(Nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    auto cipher = reader->bytes(Cipher, -1, maxBytes);
    if (!magic.ok() || magic.value() != format.magic)
        return corrupt(QStringLiteral("not a %1").arg(what));
    if (!version.ok())
        return corrupt(version.message());
    if (version.value() != kVersion)
        return base::fail(CryptoError::Unsupported,
            QStringLiteral("%1 has %2 version %3; this Cairn reads version %4")
                .arg(path, what)
                .arg(version.value())
                .arg(kVersion));
    for (const auto *r : {&ops, &mem}) {
        if (!r->ok())
            return corrupt(r->message());
    }
    for (const auto *r : {&salt, &nonce, &cipher}) {
        if (!r->ok())
            return corrupt(r->message());
    }
    if (cipher.value().size() < crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return corrupt(QStringLiteral("ciphertext too short"));

    auto key = deriveKey(passphrase, salt.value(), quint64(ops.value()), quint64(mem.value()));
    if (!key.ok())
        return key.error();
    const QByteArray ad = associatedData(decoded.value().toMap());
    SecretBytes plain(cipher.value().size() - crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long plainLen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &plainLen, nullptr,
            reinterpret_cast<const unsigned char *>(cipher.value().constData()), size_t(cipher.value().size()),
            reinterpret_cast<const unsigned char *>(ad.constData()), size_t(ad.size()),
            reinterpret_cast<const unsigned char *>(nonce.value().constData()), key.value().data())
        != 0) {
        // With an authenticated header, a failed tag almost always means a
        // wrong passphrase; a flipped byte in the file looks the same.
        return base::fail(CryptoError::WrongPassphrase, QStringLiteral("wrong passphrase for %1").arg(path));
    }

    auto inner = base::cbor::decode(plain.view(), limits);
    if (!inner.ok())
        return corrupt(inner.message());
    auto innerReader = base::cbor::MapReader::from(inner.value());
    if (!innerReader.ok())
        return corrupt(innerReader.message());
    auto name = innerReader->text(Name, 256);
    auto seed = innerReader->bytes(Seed, crypto_sign_SEEDBYTES);
    auto secrets = innerReader->map(Secrets);
    if (!name.ok() || !seed.ok() || !secrets.ok())
        return corrupt(QStringLiteral("missing identity fields"));
    auto deviceKey = DeviceKey::fromSeed(seed.value());
    QByteArray seedBytes = seed.value();
    wipe(seedBytes);
    if (!deviceKey.ok())
        return corrupt(deviceKey.message());

    KeystoreContents contents {name.value(), std::move(deviceKey.value()), {}};
    for (auto it = secrets->constBegin(); it != secrets->constEnd(); ++it) {
        if (!it.key().isString() || !it.value().isByteArray())
            return corrupt(QStringLiteral("malformed secret"));
        contents.secrets.emplace(it.key().toString(), SecretBytes::fromView(it.value().toByteArray()));
    }
    return contents;
}
} // namespace

Result<KeystoreContents> Keystore::open(const QString &path, QByteArrayView passphrase)
{
    return read(path, passphrase, kKeystore);
}

Result<void> Keystore::saveBackup(
    const QString &path, const KeystoreContents &contents, QByteArrayView passphrase, const KdfParams &kdf)
{
    return write(path, contents, passphrase, kdf, kBackup);
}

Result<KeystoreContents> Keystore::openBackup(const QString &path, QByteArrayView passphrase)
{
    return read(path, passphrase, kBackup);
}

QFuture<Result<KeystoreContents>> Keystore::openAsync(const QString &path, QByteArrayView passphrase)
{
    auto secret = std::make_shared<SecretBytes>(SecretBytes::fromView(passphrase));
    return QtConcurrent::run([path, secret]() { return open(path, secret->view()); });
}

QFuture<Result<void>> Keystore::createAsync(
    const QString &path, KeystoreContents contents, QByteArrayView passphrase, KdfParams kdf)
{
    auto secret = std::make_shared<SecretBytes>(SecretBytes::fromView(passphrase));
    auto shared = std::make_shared<KeystoreContents>(std::move(contents));
    return QtConcurrent::run([path, secret, shared, kdf]() { return create(path, *shared, secret->view(), kdf); });
}

} // namespace cairn::crypto
