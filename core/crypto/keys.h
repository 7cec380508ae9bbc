#pragma once

#include "core/base/rng.h"
#include "core/crypto/error.h"
#include "core/crypto/secretbytes.h"

#include <QByteArray>

#include <array>

namespace cairn::crypto {

/// A 32-byte public key (Ed25519 or X25519, by context).
struct PublicKey {
    std::array<quint8, 32> bytes {};

    static Result<PublicKey> fromBytes(QByteArrayView view);
    QByteArray toByteArray() const { return QByteArray(reinterpret_cast<const char *>(bytes.data()), 32); }
    QString toHex() const { return QString::fromLatin1(toByteArray().toHex()); }
    friend bool operator==(const PublicKey &, const PublicKey &) = default;
};

/// A device's Ed25519 signing key. Its X25519 form is the Noise static key
/// and the key envelopes are sealed to. The 32-byte seed is the only secret
/// kept; it is wiped when the key is destroyed.
class DeviceKey {
public:
    static DeviceKey generate(base::Rng &rng);
    static Result<DeviceKey> fromSeed(QByteArrayView seed);

    DeviceKey(DeviceKey &&) = default;
    DeviceKey &operator=(DeviceKey &&) = default;
    DeviceKey clone() const;

    const PublicKey &publicKey() const { return m_public; }
    /// The Ed25519 seed (32 bytes), for the keystore only.
    const SecretBytes &seed() const { return m_seed; }
    QByteArray sign(QByteArrayView message) const;

    PublicKey x25519Public() const;
    /// The X25519 secret derived from the Ed25519 key.
    SecretBytes x25519Secret() const;

private:
    DeviceKey() = default;
    SecretBytes m_seed;
    SecretBytes m_secret; // libsodium's 64-byte expanded form
    PublicKey m_public;
};

bool verifySignature(const PublicKey &signer, QByteArrayView message, QByteArrayView signature);
Result<PublicKey> ed25519ToX25519(const PublicKey &ed25519);

/// BLAKE2b of the given length (16..64 bytes).
QByteArray blake2b(QByteArrayView data, int outLength = 32);

} // namespace cairn::crypto
