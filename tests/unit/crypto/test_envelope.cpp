// Envelopes: sign-then-encrypt to several recipient devices.
#include "core/base/cbor.h"
#include "core/crypto/envelope.h"

#include <QTest>

#include <sodium.h>

using namespace cairn;
using namespace cairn::crypto;

namespace {
// The envelope's outer layer built by hand, so tests can put any inner part
// inside a correctly encrypted envelope (see docs/protocol.md, Envelopes).
QByteArray sealRaw(const QCborMap &inner, const QList<PublicKey> &recipients)
{
    const QByteArray plain = base::cbor::encode(inner);
    unsigned char key[32];
    crypto_aead_xchacha20poly1305_ietf_keygen(key);
    QByteArray nonce(24, Qt::Uninitialized);
    randombytes_buf(nonce.data(), 24);
    QCborArray sealed;
    for (const PublicKey &r : recipients) {
        QByteArray s(crypto_box_SEALBYTES + 32, Qt::Uninitialized);
        crypto_box_seal(reinterpret_cast<unsigned char *>(s.data()), key, 32, r.bytes.data());
        sealed.append(s);
    }
    QByteArray cipher(plain.size() + 16, Qt::Uninitialized);
    const QByteArray ad = QByteArrayLiteral("1");
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char *>(cipher.data()), nullptr,
        reinterpret_cast<const unsigned char *>(plain.data()), plain.size(),
        reinterpret_cast<const unsigned char *>(ad.data()), ad.size(), nullptr,
        reinterpret_cast<const unsigned char *>(nonce.data()), key);
    QCborMap outer;
    outer.insert(0, 1);
    outer.insert(1, sealed);
    outer.insert(2, nonce);
    outer.insert(3, cipher);
    return base::cbor::encode(outer);
}

QCborMap openRaw(const DeviceKey &recipient, const QByteArray &envelope)
{
    const QCborMap outer = base::cbor::decode(envelope, base::cbor::Limits {}).value().toMap();
    unsigned char key[32];
    for (const QCborValue &v : outer.value(1).toArray()) {
        const QByteArray s = v.toByteArray();
        if (crypto_box_seal_open(key, reinterpret_cast<const unsigned char *>(s.data()), s.size(),
                recipient.x25519Public().bytes.data(), recipient.x25519Secret().data())
            == 0)
            break;
    }
    const QByteArray cipher = outer.value(3).toByteArray();
    const QByteArray nonce = outer.value(2).toByteArray();
    QByteArray plain(cipher.size() - 16, Qt::Uninitialized);
    const QByteArray ad = QByteArrayLiteral("1");
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char *>(plain.data()), nullptr, nullptr,
            reinterpret_cast<const unsigned char *>(cipher.data()), cipher.size(),
            reinterpret_cast<const unsigned char *>(ad.data()), ad.size(),
            reinterpret_cast<const unsigned char *>(nonce.data()), key)
        != 0)
        return {};
    return base::cbor::decode(plain, base::cbor::Limits {}).value().toMap();
}
} // namespace

class TestEnvelope : public QObject {
    Q_OBJECT
private:
    base::SeededRng m_rng {2026};
    DeviceKey m_alice = DeviceKey::generate(m_rng);
    DeviceKey m_bob = DeviceKey::generate(m_rng);
    DeviceKey m_bobLaptop = DeviceKey::generate(m_rng);
    DeviceKey m_eve = DeviceKey::generate(m_rng);

private Q_SLOTS:
    void everyRecipientDeviceOpensItAndLearnsTheSigner()
    {
        auto sealed = Envelope::seal(m_alice, {m_bob.x25519Public(), m_bobLaptop.x25519Public()}, "Hi Bob");
        QVERIFY(sealed.ok());
        for (const DeviceKey *k : {&m_bob, &m_bobLaptop}) {
            auto opened = Envelope::open(*k, sealed.value());
            QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.message()));
            QCOMPARE(opened->body, QByteArray("Hi Bob"));
            QCOMPARE(opened->signer, m_alice.publicKey());
        }
    }

    void someoneElseCannotOpenIt()
    {
        auto sealed = Envelope::seal(m_alice, {m_bob.x25519Public()}, "secret");
        QCOMPARE(Envelope::open(m_eve, sealed.value()).code(), CryptoError::NotForUs);
        QVERIFY(!sealed->contains("secret"));
    }

    void anyAlteredByteIsDetected()
    {
        const QByteArray sealed = Envelope::seal(m_alice, {m_bob.x25519Public()}, "pay 10 to carol").value();
        for (int i = 0; i < sealed.size(); ++i) {
            QByteArray bad = sealed;
            bad[i] = char(bad[i] ^ 0x01);
            QVERIFY2(!Envelope::open(m_bob, bad).ok(), qPrintable(QStringLiteral("byte %1").arg(i)));
        }
    }

    void aForgedSignerIsRejected()
    {
        // Eve builds an envelope by hand whose inner part claims Alice as the
        // signer; she can only sign with her own key.
        QCborMap inner;
        inner.insert(0, m_alice.publicKey().toByteArray());
        inner.insert(1, QCborArray {m_bob.x25519Public().toByteArray()});
        inner.insert(2, QByteArray("from alice, honest"));
        inner.insert(3, m_eve.sign("cairn-envelope-v1 anything"));
        auto opened = Envelope::open(m_bob, sealRaw(inner, {m_bob.x25519Public()}));
        QCOMPARE(opened.code(), CryptoError::BadSignature);
        QVERIFY(opened.message().contains(m_alice.publicKey().toHex().left(16)));
    }

    void reSealingToAnotherRecipientBreaksTheSignature()
    {
        // Bob opens Alice's note and re-encrypts her signed inner message to
        // Eve. The signature covers the recipient list, so Eve rejects it.
        const QByteArray toBob = Envelope::seal(m_alice, {m_bob.x25519Public()}, "for Bob only").value();
        const QCborMap inner = openRaw(m_bob, toBob);
        QCOMPARE(inner.value(2).toByteArray(), QByteArray("for Bob only"));
        QCOMPARE(Envelope::open(m_eve, sealRaw(inner, {m_eve.x25519Public()})).code(), CryptoError::BadSignature);
        // ...and the untouched inner part, sealed to Bob again, still verifies.
        QVERIFY(Envelope::open(m_bob, sealRaw(inner, {m_bob.x25519Public()})).ok());
    }

    void limitsAreEnforced()
    {
        QCOMPARE(Envelope::seal(m_alice, {}, "x").code(), CryptoError::InvalidKey);
        QList<PublicKey> many(Envelope::kMaxRecipients + 1, m_bob.x25519Public());
        QCOMPARE(Envelope::seal(m_alice, many, "x").code(), CryptoError::InvalidKey);
        QCOMPARE(Envelope::seal(m_alice, {m_bob.x25519Public()}, QByteArray(Envelope::kMaxBody + 1, 'x')).code(),
            CryptoError::TooLarge);
        QCOMPARE(Envelope::open(m_bob, "garbage").code(), CryptoError::Corrupt);
        QCOMPARE(Envelope::open(m_bob, QByteArray()).code(), CryptoError::Corrupt);
    }

    void largeBodiesRoundTrip()
    {
        const QByteArray body = m_rng.bytes(1 << 20);
        auto opened = Envelope::open(m_bob, Envelope::seal(m_alice, {m_bob.x25519Public()}, body).value());
        QVERIFY(opened.ok());
        QCOMPARE(opened->body, body);
    }
};

QTEST_GUILESS_MAIN(TestEnvelope)
#include "test_envelope.moc"
