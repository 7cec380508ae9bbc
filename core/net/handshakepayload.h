#pragma once

#include "core/crypto/keys.h"
#include "core/net/error.h"

#include <QByteArray>
#include <QByteArrayView>

namespace cairn::net {

/// What each side says about itself inside the encrypted part of its Noise
/// handshake message (docs/protocol.md, "Sessions"): its Ed25519 device key
/// (whose X25519 form must be its Noise static key), its certificate unless
/// it is a joiner, and whether this handshake replaces a session the sender
/// holds with the receiver (a rekey). Canonical CBOR
/// {1: certificate, 2: device key, 3: 1 for a rekey}, keys 1 and 3 optional.
struct HandshakePayload {
    /// A certificate is at most 2048 bytes; the payload must also fit in a
    /// datagram with the Noise message around it.
    static constexpr qsizetype kMaxBytes = 1300;

    QByteArray certificate; // the wire form; empty for a joiner
    crypto::PublicKey deviceKey;
    bool rekey = false;

    QByteArray encode() const;
    /// Strict: canonical, no unknown keys, sizes checked. The certificate is
    /// only decoded (and verified) by the caller.
    static Result<HandshakePayload> decode(QByteArrayView bytes);
};

} // namespace cairn::net
