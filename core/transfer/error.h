#pragma once

#include "core/base/cbor.h"
#include "core/base/result.h"

namespace cairn::transfer {

/// Why a file drop, a stream reference or a transfer was refused or failed.
/// The message says what exactly happened and names the file involved.
enum class TransferError {
    // Decoding a StreamRef or Manifest
    TooLarge, // input, a list or a size above its limit
    Malformed, // not well-formed CBOR, wrong types, missing fields
    NotCanonical, // well formed but not the one deterministic encoding
    UnknownField, // a map key this version does not define
    InvalidField, // a field that parses but breaks a rule (sizes, counts)
    InvalidPath, // a relative path that is absolute, climbs out or has bad characters
    // Transfers
    InvalidArgument, // a bad call: copies, TTL, destination, unknown id
    NotFound, // a source path that does not exist; a transfer id nobody knows
    Unreadable, // a source that exists but cannot be read
    SourceChanged, // a source file whose size or mtime changed before a resume
    Io, // reading or writing a local file failed
    DiskFull, // writing a local file failed for lack of space
    Network, // the DHT could not store a chunk after the retries
    Missing, // no replica holds a chunk or index blob
    Corrupt, // a chunk failed authentication, or the file's size or hash is wrong
    Journal, // the transfer journal could not be read or written
    InvalidState, // an operation that does not apply in the transfer's state
};

template <typename T> using Result = base::Result<T, TransferError>;

/// Maps a CBOR decoding failure onto TransferError, prefixing the message
/// with what was being decoded ("stream reference", "manifest").
base::Error<TransferError> fromCborError(const base::Error<base::cbor::CborError> &error, const QString &what);

/// A readable name for a code ("DiskFull"), for logs and test output.
QString errorName(TransferError code);

} // namespace cairn::transfer
