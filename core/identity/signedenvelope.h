#pragma once

#include "core/crypto/keys.h"
#include "core/identity/error.h"

#include <QByteArray>

namespace cairn::identity {

/// The outer wire form shared by certificates and revocation lists:
/// canonical CBOR {0: tbs (byte string), 1: Ed25519 signature (64 bytes)}.
/// The signature covers a per-format context string, a zero byte, then the
/// tbs bytes exactly as sent, so a verifier never re-encodes anything and a
/// signature over one format can never be replayed as another.
struct SignedEnvelope {
    static constexpr qsizetype kSignatureBytes = 64;

    QByteArray tbs;
    QByteArray signature;

    QByteArray encode() const;
    /// Strict: at most maxBytes, exactly the two fields, canonical.
    static Result<SignedEnvelope> decode(QByteArrayView wire, qsizetype maxBytes, const QString &what);

    /// context || 0x00 || tbs: what the CA signs.
    static QByteArray signingInput(QByteArrayView context, QByteArrayView tbs);
    static SignedEnvelope sign(const crypto::DeviceKey &ca, QByteArrayView context, QByteArray tbs);
    bool verify(const crypto::PublicKey &ca, QByteArrayView context) const;
};

} // namespace cairn::identity
