// A profile backup restores the keys, the membership and an operator's CA
// database on another computer; it opens only with its passphrase, is not
// taken for a keystore, and a damaged or foreign file is refused.
#include "core/base/rng.h"
#include "core/engine/profilebackup.h"
#include "core/identity/profile.h"
#include "core/rendezvous/authority.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace cairn;

namespace {
const QByteArray kPass = "backup passphrase for tests";

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestProfileBackup : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    const crypto::KdfParams m_kdf = crypto::KdfParams::minimum();

    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void anOperatorsProfileComesBackWhole()
    {
        base::SodiumRng rng;
        const QString profile = path(QStringLiteral("op"));
        crypto::KeystoreContents keys {QStringLiteral("Olga"), crypto::DeviceKey::generate(rng), {}};
        const auto ca = crypto::DeviceKey::generate(rng);
        keys.secrets.emplace(QStringLiteral("ca"), ca.seed().clone());
        QVERIFY(identity::Profile::createFrom(profile, keys, kPass, m_kdf).ok());
        QVERIFY(writeFile(QDir(profile).filePath(QStringLiteral("membership.json")), "{\"format\": 1}"));
        QVERIFY(writeFile(QDir(profile).filePath(QStringLiteral("settings.ini")), "[storage]\ndonate=true\n"));
        // The CA database is open (and written) while the backup is taken.
        auto authority = rendezvous::Authority::create(QDir(profile).filePath(QStringLiteral("rendezvous.db")), ca,
            QStringLiteral("Hill Club"), {}, rng, 1'700'000'000);
        QVERIFY(authority.ok());
        const QByteArray groupId = authority.value()->groupId();

        const QString backup = path(QStringLiteral("olga.cairn-backup"));
        QVERIFY(engine::ProfileBackup::write(profile, keys, kPass, backup, m_kdf).ok());
        QCOMPARE(
            QFile::permissions(backup) & (QFileDevice::ReadOther | QFileDevice::ReadGroup), QFileDevice::Permissions());
        // Nothing of it is readable without the passphrase.
        QVERIFY(!readFile(backup).contains("Hill Club"));
        QVERIFY(!readFile(backup).contains("donate"));

        const QString restored = path(QStringLiteral("restored"));
        auto name = engine::ProfileBackup::restore(backup, kPass, restored, m_kdf);
        if (!name.ok())
            QFAIL(qPrintable(name.message()));
        QCOMPARE(name.value(), QStringLiteral("Olga"));
        auto unlocked = crypto::Keystore::open(identity::Profile::keystorePath(restored), kPass);
        QVERIFY(unlocked.ok());
        QCOMPARE(unlocked->deviceKey.publicKey(), keys.deviceKey.publicKey());
        QCOMPARE(unlocked->secrets.size(), size_t(1)); // the CA key; the files are files again
        QVERIFY(unlocked->secrets.at(QStringLiteral("ca")).equals(ca.seed().view()));
        QCOMPARE(readFile(QDir(restored).filePath(QStringLiteral("membership.json"))), QByteArray("{\"format\": 1}"));
        QCOMPARE(readFile(QDir(restored).filePath(QStringLiteral("settings.ini"))),
            readFile(QDir(profile).filePath(QStringLiteral("settings.ini"))));
        authority.value().reset();
        auto reopened = rendezvous::Authority::open(QDir(restored).filePath(QStringLiteral("rendezvous.db")), ca);
        if (!reopened.ok())
            QFAIL(qPrintable(reopened.message()));
        QCOMPARE(reopened.value()->groupId(), groupId);
        QCOMPARE(reopened.value()->groupName(), QStringLiteral("Hill Club"));
    }

    void aWrongPassphraseADamagedFileAndAKeystoreAreRefused()
    {
        base::SodiumRng rng;
        const QString profile = path(QStringLiteral("member"));
        crypto::KeystoreContents keys {QStringLiteral("Bob"), crypto::DeviceKey::generate(rng), {}};
        QVERIFY(identity::Profile::createFrom(profile, keys, kPass, m_kdf).ok());
        const QString backup = path(QStringLiteral("bob.cairn-backup"));
        QVERIFY(engine::ProfileBackup::write(profile, keys, kPass, backup, m_kdf).ok());

        auto wrong = engine::ProfileBackup::restore(backup, "not the passphrase", path(QStringLiteral("w")), m_kdf);
        QCOMPARE(wrong.code(), engine::EngineError::Denied);
        QVERIFY(!identity::Profile::exists(path(QStringLiteral("w"))));

        QByteArray bytes = readFile(backup);
        bytes[bytes.size() - 5] = char(bytes[bytes.size() - 5] ^ 1);
        QVERIFY(writeFile(path(QStringLiteral("damaged")), bytes));
        QVERIFY(
            !engine::ProfileBackup::restore(path(QStringLiteral("damaged")), kPass, path(QStringLiteral("d")), m_kdf)
                 .ok());
        QVERIFY(!identity::Profile::exists(path(QStringLiteral("d"))));

        // A keystore is not a backup, and a backup is not a keystore.
        auto keystore = engine::ProfileBackup::restore(
            identity::Profile::keystorePath(profile), kPass, path(QStringLiteral("k")), m_kdf);
        QCOMPARE(keystore.code(), engine::EngineError::Corrupt);
        QVERIFY(keystore.message().contains(QStringLiteral("not a Cairn backup")));
        QCOMPARE(crypto::Keystore::open(backup, kPass).code(), crypto::CryptoError::Corrupt);

        // Restoring over an existing profile is refused; it stays as it was.
        const QByteArray before = readFile(identity::Profile::keystorePath(profile));
        QVERIFY(!engine::ProfileBackup::restore(backup, kPass, profile, m_kdf).ok());
        QCOMPARE(readFile(identity::Profile::keystorePath(profile)), before);

        // Junk and an oversized file.
        QVERIFY(writeFile(path(QStringLiteral("junk")), QByteArray(100, 'x')));
        QCOMPARE(engine::ProfileBackup::restore(path(QStringLiteral("junk")), kPass, path(QStringLiteral("j")), m_kdf)
                     .code(),
            engine::EngineError::Corrupt);
        QVERIFY(writeFile(path(QStringLiteral("huge")), QByteArray(crypto::Keystore::kMaxBackupSize + 1, 'x')));
        QCOMPARE(engine::ProfileBackup::restore(path(QStringLiteral("huge")), kPass, path(QStringLiteral("h")), m_kdf)
                     .code(),
            engine::EngineError::Corrupt);
    }
};

QTEST_GUILESS_MAIN(TestProfileBackup)
#include "test_profilebackup.moc"
