#include "core/engine/profilebackup.h"

#include "core/identity/profile.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>

#include <atomic>

namespace cairn::engine {

namespace {
/// Profile files travel inside the sealed secrets map under this prefix.
const QString kFilePrefix = QStringLiteral("file:");
const QString kCaDatabase = QStringLiteral("rendezvous.db");

/// A consistent copy of a live SQLite database (WAL) by VACUUM INTO, on a
/// connection of this thread's own.
Result<QByteArray> snapshotDatabase(const QString &path)
{
    static std::atomic<int> counter {0};
    const QString connection = QStringLiteral("cairn.backup.%1").arg(counter++);
    QTemporaryDir tmp;
    if (!tmp.isValid())
        return base::fail(EngineError::Storage, QStringLiteral("no temporary folder for the backup"));
    const QString copy = tmp.filePath(QStringLiteral("copy.db"));
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("VACUUM INTO ?"));
            q.addBindValue(copy);
            if (!q.exec())
                error = q.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    if (!error.isEmpty())
        return base::fail(EngineError::Storage, QStringLiteral("cannot copy %1: %2").arg(path, error));
    QFile f(copy);
    if (!f.open(QIODevice::ReadOnly))
        return base::fail(EngineError::Storage, QStringLiteral("cannot read the copy of %1").arg(path));
    return f.readAll();
}
} // namespace

const QStringList &ProfileBackup::files()
{
    static const QStringList names {QStringLiteral("membership.json"), kCaDatabase, QStringLiteral("settings.ini")};
    return names;
}

Result<void> ProfileBackup::write(const QString &profileDir, const crypto::KeystoreContents &keys,
    QByteArrayView passphrase, const QString &path, const crypto::KdfParams &kdf)
{
    crypto::KeystoreContents contents = keys.clone();
    const QDir dir(profileDir);
    for (const QString &name : files()) {
        const QString file = dir.filePath(name);
        if (!QFile::exists(file))
            continue;
        QByteArray bytes;
        if (name == kCaDatabase) {
            auto snapshot = snapshotDatabase(file);
            if (!snapshot)
                return snapshot.error();
            bytes = snapshot.value();
        } else {
            QFile f(file);
            if (!f.open(QIODevice::ReadOnly))
                return base::fail(
                    EngineError::Storage, QStringLiteral("cannot read %1: %2").arg(file, f.errorString()));
            bytes = f.readAll();
        }
        contents.secrets.emplace(kFilePrefix + name, crypto::SecretBytes::fromView(bytes));
    }
    auto saved = crypto::Keystore::saveBackup(path, contents, passphrase, kdf);
    if (!saved)
        return base::fail(EngineError::Storage, saved.message());
    return {};
}

Result<QString> ProfileBackup::restore(
    const QString &path, QByteArrayView passphrase, const QString &profileDir, const crypto::KdfParams &kdf)
{
    auto opened = crypto::Keystore::openBackup(path, passphrase);
    if (!opened)
        return base::fail(
            opened.code() == crypto::CryptoError::WrongPassphrase ? EngineError::Denied : EngineError::Corrupt,
            opened.message());
    crypto::KeystoreContents keys = std::move(opened.value());
    // Split the carried files from the keys; only known names are written.
    std::map<QString, crypto::SecretBytes> carried;
    for (auto it = keys.secrets.begin(); it != keys.secrets.end();) {
        if (it->first.startsWith(kFilePrefix)) {
            const QString name = it->first.mid(kFilePrefix.size());
            if (!files().contains(name))
                return base::fail(
                    EngineError::Corrupt, QStringLiteral("%1 carries an unknown file \"%2\"").arg(path, name));
            carried.emplace(name, std::move(it->second));
            it = keys.secrets.erase(it);
        } else {
            ++it;
        }
    }
    if (auto created = identity::Profile::createFrom(profileDir, keys, passphrase, kdf); !created)
        return base::fail(
            created.code() == crypto::CryptoError::Exists ? EngineError::InvalidArgument : EngineError::Storage,
            created.message());
    for (const auto &[name, bytes] : carried) {
        QSaveFile f(QDir(profileDir).filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes.view().toByteArray()) != bytes.size() || !f.commit())
            return base::fail(EngineError::Storage,
                QStringLiteral("cannot write %1 in %2: %3").arg(name, profileDir, f.errorString()));
        QFile::setPermissions(QDir(profileDir).filePath(name), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    return keys.displayName;
}

} // namespace cairn::engine
