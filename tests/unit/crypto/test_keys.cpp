// Device keys: Ed25519 signing and the X25519 form used by Noise and envelopes.
#include "core/crypto/keys.h"

#include <QTest>

#include <sodium.h>

using namespace cairn;
using namespace cairn::crypto;

class TestKeys : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(initSodium()); }

    void sameSeedGivesSameKey()
    {
        base::SeededRng a(7), b(7);
        QCOMPARE(DeviceKey::generate(a).publicKey(), DeviceKey::generate(b).publicKey());
    }

    void signaturesVerifyOnlyForTheirMessageAndKey()
    {
        base::SodiumRng rng;
        const DeviceKey alice = DeviceKey::generate(rng);
        const DeviceKey bob = DeviceKey::generate(rng);
        const QByteArray sig = alice.sign("hello");
        QCOMPARE(sig.size(), 64);
        QVERIFY(verifySignature(alice.publicKey(), "hello", sig));
        QVERIFY(!verifySignature(alice.publicKey(), "hellO", sig));
        QVERIFY(!verifySignature(bob.publicKey(), "hello", sig));
        QVERIFY(!verifySignature(alice.publicKey(), "hello", sig.left(63)));
    }

    void x25519FormAgreesBetweenTwoDevices()
    {
        base::SodiumRng rng;
        const DeviceKey alice = DeviceKey::generate(rng);
        const DeviceKey bob = DeviceKey::generate(rng);
        // DH(a, B) == DH(b, A) with the converted keys.
        unsigned char ab[32], ba[32];
        QCOMPARE(crypto_scalarmult(ab, alice.x25519Secret().data(), bob.x25519Public().bytes.data()), 0);
        QCOMPARE(crypto_scalarmult(ba, bob.x25519Secret().data(), alice.x25519Public().bytes.data()), 0);
        QCOMPARE(QByteArray(reinterpret_cast<char *>(ab), 32), QByteArray(reinterpret_cast<char *>(ba), 32));
        QCOMPARE(ed25519ToX25519(alice.publicKey()).value(), alice.x25519Public());
    }

    void publicKeyFromBytesChecksTheSize()
    {
        QCOMPARE(PublicKey::fromBytes(QByteArray(31, 'a')).code(), CryptoError::InvalidKey);
        QVERIFY(PublicKey::fromBytes(QByteArray(32, 'a')).ok());
        QCOMPARE(DeviceKey::fromSeed(QByteArray(16, 'a')).code(), CryptoError::InvalidKey);
    }

    void secretBytesAreWipedAndComparedInConstantTime()
    {
        SecretBytes s = SecretBytes::fromView("secret");
        QVERIFY(s.equals("secret"));
        QVERIFY(!s.equals("secreT"));
        s.wipe();
        QVERIFY(s.equals(QByteArray(6, '\0')));
        SecretBytes moved = std::move(s);
        QCOMPARE(s.size(), 0);
        QCOMPARE(moved.size(), 6);
    }

    void blake2bMatchesTheRfc7693Vector()
    {
        // RFC 7693 appendix A: BLAKE2b-512("abc").
        QCOMPARE(blake2b("abc", 64).toHex(),
            QByteArray("ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                       "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"));
    }
};

QTEST_GUILESS_MAIN(TestKeys)
#include "test_keys.moc"
