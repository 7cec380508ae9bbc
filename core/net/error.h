#pragma once

#include "core/base/result.h"

#include <QString>

namespace cairn::net {

/// Why a session datagram or handshake was refused. Refusals are counted in
/// SessionStats and logged at debug level only: they are what an attacker
/// controls.
enum class NetError {
    Malformed, // wrong size, unknown type, a field out of range, non-zero padding
    DecryptFailed, // a Noise handshake message or data datagram did not authenticate
    Replay, // a counter the replay window has seen (or is too old)
    BadCertificate, // the certificate does not decode or verify (the message says why)
    DeviceKeyMismatch, // the Noise static key is not the X25519 form of the presented device key
    Uncertified, // no certificate, and we do not accept joiners
    SelfConnection, // the peer's static key is our own
    TooLarge, // our own payload would not fit in a datagram
    Internal, // a Noise state error that should not happen
};

template <typename T> using Result = base::Result<T, NetError>;

/// A readable name for a code ("Replay"), for logs and test output.
QString errorName(NetError code);

} // namespace cairn::net
