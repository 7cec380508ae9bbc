// The keystore: an Argon2id-keyed, atomically written, encrypted key file.
#include "core/crypto/keystore.h"

#include <QFile>
#include <QFutureWatcher>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace cairn;
using namespace cairn::crypto;

namespace {
KeystoreContents sampleContents()
{
    base::SeededRng rng(11);
    KeystoreContents c {QStringLiteral("Alice Ångström"), DeviceKey::generate(rng), {}};
    c.secrets.emplace(QStringLiteral("ca"), SecretBytes::fromView("ca-seed-0123456789abcdef0123456"));
    return c;
}
} // namespace

class TestKeystore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void createdKeystoreOpensWithItsPassphrase()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("keystore.cairn"));
        const KeystoreContents c = sampleContents();
        QVERIFY(Keystore::create(path, c, "correct horse", KdfParams::minimum()).ok());
        auto opened = Keystore::open(path, "correct horse");
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.message()));
        QCOMPARE(opened->displayName, c.displayName);
        QCOMPARE(opened->deviceKey.publicKey(), c.deviceKey.publicKey());
        QVERIFY(opened->secrets.at(QStringLiteral("ca")).equals("ca-seed-0123456789abcdef0123456"));
        QCOMPARE(
            QFile(path).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup), QFileDevice::Permissions());
    }

    void wrongPassphraseIsAClearError()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("ks"));
        QVERIFY(Keystore::create(path, sampleContents(), "right", KdfParams::minimum()).ok());
        auto opened = Keystore::open(path, "wrong");
        QVERIFY(!opened.ok());
        QCOMPARE(opened.code(), CryptoError::WrongPassphrase);
        QVERIFY(opened.message().contains(QStringLiteral("wrong passphrase")));
    }

    void createRefusesToOverwrite()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("ks"));
        QVERIFY(Keystore::create(path, sampleContents(), "pw", KdfParams::minimum()).ok());
        const QByteArray before = [&] {
            QFile f(path);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        QCOMPARE(Keystore::create(path, sampleContents(), "other", KdfParams::minimum()).code(), CryptoError::Exists);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
    }

    void missingAndCorruptFilesAreReported()
    {
        QTemporaryDir dir;
        QCOMPARE(Keystore::open(dir.filePath(QStringLiteral("none")), "pw").code(), CryptoError::Io);
        const QString junk = dir.filePath(QStringLiteral("junk"));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a keystore");
        f.close();
        auto r = Keystore::open(junk, "pw");
        QCOMPARE(r.code(), CryptoError::Corrupt);
        QVERIFY(r.message().contains(junk));
    }

    void tamperedCostParametersAreRejected()
    {
        // The header is authenticated: lowering the stored Argon2id cost
        // (to speed up guessing) must break the file, not open it.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("ks"));
        QVERIFY(Keystore::create(path, sampleContents(), "pw", KdfParams {2, 16 * 1024 * 1024}).ok());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        const int at = bytes.indexOf(QByteArray::fromHex("0202")); // field 2 (ops) = 2
        QVERIFY(at > 0);
        bytes[at + 1] = 0x03;
        f.seek(0);
        f.write(bytes);
        f.close();
        QVERIFY(!Keystore::open(path, "pw").ok());
    }

    void saveReplacesAtomicallyAndRekeys()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("ks"));
        QVERIFY(Keystore::create(path, sampleContents(), "old", KdfParams::minimum()).ok());
        KeystoreContents c = sampleContents();
        c.displayName = QStringLiteral("Alice B.");
        QVERIFY(Keystore::save(path, c, "new", KdfParams::minimum()).ok());
        QCOMPARE(Keystore::open(path, "old").code(), CryptoError::WrongPassphrase);
        QCOMPARE(Keystore::open(path, "new")->displayName, QStringLiteral("Alice B."));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // no temp file left behind
    }

    void unlockRunsOffTheMainThread()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("ks"));
        QVERIFY(Keystore::createAsync(path, sampleContents(), "pw", KdfParams::minimum()).takeResult().ok());
        QFutureWatcher<Result<KeystoreContents>> watcher;
        bool finished = false;
        connect(&watcher, &QFutureWatcherBase::finished, this, [&] { finished = true; });
        watcher.setFuture(Keystore::openAsync(path, "pw"));
        QTRY_VERIFY_WITH_TIMEOUT(finished, 10000);
        auto r = watcher.future().takeResult();
        QVERIFY(r.ok());
        QCOMPARE(r->displayName, QStringLiteral("Alice Ångström"));
    }

    void emptyPassphraseIsRefused()
    {
        QTemporaryDir dir;
        QCOMPARE(
            Keystore::create(dir.filePath(QStringLiteral("ks")), sampleContents(), "", KdfParams::minimum()).code(),
            CryptoError::InvalidKey);
    }
};

QTEST_GUILESS_MAIN(TestKeystore)
#include "test_keystore.moc"
