#include "core/crypto/envelope.h"

#include "core/base/cbor.h"

#include <algorithm>
#include <sodium.h>

namespace cairn::crypto {

namespace {

// Outer: {0: version, 1: [sealed key...], 2: nonce(24), 3: ciphertext}
// Inner (encrypted): {0: signer Ed25519 key, 1: [recipient X25519 keys], 2: body, 3: signature}
// Signature: Ed25519 over "cairn-envelope-v1" || BLAKE2b-256(sorted recipient keys) || body.
constexpr qint64 kVersion = 1;
constexpr qsizetype kSealedKeySize = crypto_box_SEALBYTES + crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
const QByteArray kContext = QByteArrayLiteral("cairn-envelope-v1");

QByteArray recipientsDigest(QList<PublicKey> recipients)
{
    std::sort(
        recipients.begin(), recipients.end(), [](const PublicKey &a, const PublicKey &b) { return a.bytes < b.bytes; });
    QByteArray all;
    for (const PublicKey &k : recipients)
        all += k.toByteArray();
    return blake2b(all, 32);
}

QByteArray signedMessage(const QList<PublicKey> &recipients, QByteArrayView body)
{
    return kContext + recipientsDigest(recipients) + body.toByteArray();
}

base::cbor::Limits envelopeLimits()
{
    base::cbor::Limits l;
    l.maxBytes = Envelope::kMaxBody + 64 * 1024;
    l.maxStringLength = Envelope::kMaxBody + 64 * 1024;
    l.maxItems = 2 * Envelope::kMaxRecipients + 16;
    l.maxDepth = 3;
    return l;
}

base::Error<CryptoError> corrupt(const QString &why)
{
    return base::fail(CryptoError::Corrupt, QStringLiteral("malformed envelope: %1").arg(why));
}

} // namespace

Result<QByteArray> Envelope::seal(const DeviceKey &sender, const QList<PublicKey> &recipients, QByteArrayView body)
{
    initSodium();
    if (recipients.isEmpty() || recipients.size() > kMaxRecipients)
        return base::fail(CryptoError::InvalidKey,
            QStringLiteral("an envelope needs 1 to %1 recipients, got %2").arg(kMaxRecipients).arg(recipients.size()));
    if (body.size() > kMaxBody)
        return base::fail(
            CryptoError::TooLarge, QStringLiteral("the message is larger than %1 MiB").arg(kMaxBody >> 20));

    QCborArray recipientArray;
    for (const PublicKey &k : recipients)
        recipientArray.append(k.toByteArray());
    QCborMap inner;
    inner.insert(0, sender.publicKey().toByteArray());
    inner.insert(1, recipientArray);
    inner.insert(2, body.toByteArray());
    inner.insert(3, sender.sign(signedMessage(recipients, body)));
    QByteArray plain = base::cbor::encode(inner);

    SecretBytes key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    crypto_aead_xchacha20poly1305_ietf_keygen(key.data());
    QByteArray nonce(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, Qt::Uninitialized);
    randombytes_buf(nonce.data(), size_t(nonce.size()));

    QCborArray sealedKeys;
    for (const PublicKey &k : recipients) {
        QByteArray sealed(kSealedKeySize, Qt::Uninitialized);
        if (crypto_box_seal(
                reinterpret_cast<unsigned char *>(sealed.data()), key.data(), size_t(key.size()), k.bytes.data())
            != 0) {
            wipe(plain);
            return base::fail(CryptoError::InvalidKey, QStringLiteral("a recipient key is not a valid X25519 key"));
        }
        sealedKeys.append(sealed);
    }

    const QByteArray ad = QByteArray::number(kVersion);
    QByteArray cipher(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, Qt::Uninitialized);
    unsigned long long cipherLen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char *>(cipher.data()), &cipherLen,
        reinterpret_cast<const unsigned char *>(plain.constData()), size_t(plain.size()),
        reinterpret_cast<const unsigned char *>(ad.constData()), size_t(ad.size()), nullptr,
        reinterpret_cast<const unsigned char *>(nonce.constData()), key.data());
    wipe(plain);

    QCborMap outer;
    outer.insert(0, kVersion);
    outer.insert(1, sealedKeys);
    outer.insert(2, nonce);
    outer.insert(3, cipher);
    return base::cbor::encode(outer);
}

Result<OpenedEnvelope> Envelope::open(const DeviceKey &recipient, QByteArrayView envelope)
{
    initSodium();
    auto decoded = base::cbor::decode(envelope, envelopeLimits());
    if (!decoded.ok())
        return corrupt(decoded.message());
    auto outer = base::cbor::MapReader::from(decoded.value());
    if (!outer.ok() || !outer->hasOnlyKeys({0, 1, 2, 3}))
        return corrupt(QStringLiteral("unexpected fields"));
    auto version = outer->integer(0, 0, 1 << 16);
    if (!version.ok())
        return corrupt(version.message());
    if (version.value() != kVersion)
        return base::fail(
            CryptoError::Unsupported, QStringLiteral("envelope version %1 is not supported").arg(version.value()));
    auto sealedKeys = outer->array(1, kMaxRecipients);
    auto nonce = outer->bytes(2, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    auto cipher = outer->bytes(3, -1, kMaxBody + 32 * 1024);
    if (!sealedKeys.ok() || !nonce.ok() || !cipher.ok())
        return corrupt(QStringLiteral("missing or wrong-typed field"));
    if (cipher->size() < crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return corrupt(QStringLiteral("ciphertext too short"));

    const PublicKey ourPublic = recipient.x25519Public();
    const SecretBytes ourSecret = recipient.x25519Secret();
    SecretBytes key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    bool found = false;
    for (const QCborValue &v : sealedKeys.value()) {
        const QByteArray sealed = v.toByteArray();
        if (sealed.size() != kSealedKeySize)
            return corrupt(QStringLiteral("a sealed key has the wrong size"));
        if (crypto_box_seal_open(key.data(), reinterpret_cast<const unsigned char *>(sealed.constData()),
                size_t(sealed.size()), ourPublic.bytes.data(), ourSecret.data())
            == 0) {
            found = true;
            break;
        }
    }
    if (!found)
        return base::fail(CryptoError::NotForUs, QStringLiteral("this envelope is not addressed to this device"));

    const QByteArray ad = QByteArray::number(kVersion);
    SecretBytes plain(cipher->size() - crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long plainLen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &plainLen, nullptr,
            reinterpret_cast<const unsigned char *>(cipher->constData()), size_t(cipher->size()),
            reinterpret_cast<const unsigned char *>(ad.constData()), size_t(ad.size()),
            reinterpret_cast<const unsigned char *>(nonce->constData()), key.data())
        != 0) {
        return base::fail(
            CryptoError::DecryptFailed, QStringLiteral("the envelope was altered (authentication failed)"));
    }

    auto innerValue = base::cbor::decode(plain.view(), envelopeLimits());
    if (!innerValue.ok())
        return corrupt(innerValue.message());
    auto inner = base::cbor::MapReader::from(innerValue.value());
    if (!inner.ok() || !inner->hasOnlyKeys({0, 1, 2, 3}))
        return corrupt(QStringLiteral("unexpected inner fields"));
    auto signerBytes = inner->bytes(0, 32);
    auto recipientArray = inner->array(1, kMaxRecipients);
    auto body = inner->bytes(2, -1, kMaxBody);
    auto signature = inner->bytes(3, crypto_sign_BYTES);
    if (!signerBytes.ok() || !recipientArray.ok() || !body.ok() || !signature.ok())
        return corrupt(QStringLiteral("missing or wrong-typed inner field"));

    QList<PublicKey> recipients;
    bool includesUs = false;
    for (const QCborValue &v : recipientArray.value()) {
        auto k = PublicKey::fromBytes(v.toByteArray());
        if (!k.ok())
            return corrupt(QStringLiteral("bad recipient key"));
        includesUs = includesUs || k.value() == ourPublic;
        recipients.append(k.value());
    }
    const PublicKey signer = PublicKey::fromBytes(signerBytes.value()).value();
    if (!includesUs || !verifySignature(signer, signedMessage(recipients, body.value()), signature.value())) {
        return base::fail(CryptoError::BadSignature,
            QStringLiteral("the envelope's signature does not verify for sender %1").arg(signer.toHex().left(16)));
    }
    return OpenedEnvelope {signer, body.value()};
}

} // namespace cairn::crypto
