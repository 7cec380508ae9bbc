#pragma once

#include "core/base/result.h"

namespace cairn::crypto {

enum class CryptoError {
    InvalidKey, // wrong size or not a valid curve point
    BadSignature,
    DecryptFailed, // authentication tag did not verify
    NotForUs, // an envelope sealed to none of our keys
    WrongPassphrase,
    Corrupt, // a file or message that does not parse
    TooLarge,
    Truncated, // a stream ended before its final chunk
    Io, // reading or writing a file failed
    Exists, // refusing to overwrite
    InvalidState, // an operation out of order (Noise, streams)
    Unsupported,
};

template <typename T> using Result = base::Result<T, CryptoError>;

/// Initialises libsodium; idempotent and thread-safe. Returns false only if
/// the library cannot work on this machine.
bool initSodium();

} // namespace cairn::crypto
