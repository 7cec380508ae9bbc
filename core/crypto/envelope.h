#pragma once

#include "core/crypto/error.h"
#include "core/crypto/keys.h"

#include <QList>

namespace cairn::crypto {

/// What opening an envelope tells: who signed it, and what they said.
struct OpenedEnvelope {
    PublicKey signer; // Ed25519 device key of the sender
    QByteArray body;
};

/// Sign-then-encrypt for many recipients. The sender signs the body together
/// with the list of recipient keys (so a recipient cannot re-seal a signed
/// message to someone else as if it had been sent to them), the signed
/// message is encrypted once with XChaCha20-Poly1305 under a fresh key, and
/// that key is sealed (crypto_box_seal) to each recipient's X25519 key.
/// Sealed boxes are anonymous: outsiders learn neither sender nor recipients.
class Envelope {
public:
    static constexpr qsizetype kMaxRecipients = 64;
    static constexpr qsizetype kMaxBody = 8 * 1024 * 1024;

    /// recipients are X25519 keys (DeviceKey::x25519Public of each device).
    static Result<QByteArray> seal(const DeviceKey &sender, const QList<PublicKey> &recipients, QByteArrayView body);
    /// Opens with our device key. NotForUs if no sealed key is ours,
    /// BadSignature if the signature does not verify, Corrupt if malformed.
    static Result<OpenedEnvelope> open(const DeviceKey &recipient, QByteArrayView envelope);
};

} // namespace cairn::crypto
