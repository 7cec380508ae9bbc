#include "core/crypto/keys.h"

#include <cstring>
#include <sodium.h>

namespace cairn::crypto {

bool initSodium()
{
    return sodium_init() >= 0;
}

Result<PublicKey> PublicKey::fromBytes(QByteArrayView view)
{
    if (view.size() != 32)
        return base::fail(CryptoError::InvalidKey, QStringLiteral("a public key is 32 bytes, got %1").arg(view.size()));
    PublicKey key;
    std::memcpy(key.bytes.data(), view.data(), 32);
    return key;
}

DeviceKey DeviceKey::generate(base::Rng &rng)
{
    SecretBytes seed(crypto_sign_SEEDBYTES);
    rng.fill(seed.span());
    return std::move(fromSeed(seed.view()).value());
}

Result<DeviceKey> DeviceKey::fromSeed(QByteArrayView seed)
{
    if (seed.size() != crypto_sign_SEEDBYTES)
        return base::fail(CryptoError::InvalidKey, QStringLiteral("a device key seed is 32 bytes"));
    initSodium();
    DeviceKey key;
    key.m_seed = SecretBytes::fromView(seed);
    key.m_secret = SecretBytes(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(key.m_public.bytes.data(), key.m_secret.data(), key.m_seed.data());
    return key;
}

DeviceKey DeviceKey::clone() const
{
    return std::move(fromSeed(m_seed.view()).value());
}

QByteArray DeviceKey::sign(QByteArrayView message) const
{
    QByteArray sig(crypto_sign_BYTES, Qt::Uninitialized);
    crypto_sign_detached(reinterpret_cast<unsigned char *>(sig.data()), nullptr,
        reinterpret_cast<const unsigned char *>(message.data()), size_t(message.size()), m_secret.data());
    return sig;
}

PublicKey DeviceKey::x25519Public() const
{
    PublicKey out;
    // Our own public key is always a valid point.
    [[maybe_unused]] const int rc = crypto_sign_ed25519_pk_to_curve25519(out.bytes.data(), m_public.bytes.data());
    return out;
}

SecretBytes DeviceKey::x25519Secret() const
{
    SecretBytes out(crypto_scalarmult_curve25519_BYTES);
    crypto_sign_ed25519_sk_to_curve25519(out.data(), m_secret.data());
    return out;
}

bool verifySignature(const PublicKey &signer, QByteArrayView message, QByteArrayView signature)
{
    if (signature.size() != crypto_sign_BYTES)
        return false;
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char *>(signature.data()),
               reinterpret_cast<const unsigned char *>(message.data()), size_t(message.size()), signer.bytes.data())
        == 0;
}

Result<PublicKey> ed25519ToX25519(const PublicKey &ed25519)
{
    PublicKey out;
    if (crypto_sign_ed25519_pk_to_curve25519(out.bytes.data(), ed25519.bytes.data()) != 0)
        return base::fail(CryptoError::InvalidKey, QStringLiteral("not a valid Ed25519 public key"));
    return out;
}

QByteArray blake2b(QByteArrayView data, int outLength)
{
    QByteArray out(outLength, Qt::Uninitialized);
    crypto_generichash(reinterpret_cast<unsigned char *>(out.data()), size_t(outLength),
        reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size()), nullptr, 0);
    return out;
}

} // namespace cairn::crypto
