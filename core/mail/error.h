#pragma once

#include "core/base/cbor.h"
#include "core/base/result.h"

namespace cairn::mail {

/// Why a mail format was refused or a mailbox operation failed. The codes a
/// caller acts on differently are separate (an inbox entry for another
/// device is skipped quietly, a malformed one is logged); the message says
/// what exactly happened.
enum class MailError {
    // Formats
    Malformed, // input that does not decode: CBOR, types, sizes, unknown fields, bad names
    UnsupportedVersion, // a format version this code does not speak
    TooLarge, // a message or field over its limit
    InvalidField, // the encoder was given a field that breaks a rule (a bad username, an id of the wrong size)
    NotForUs, // a sealed inbox entry that this device's key does not open
    CryptoFailed, // sealing failed (the recipient key is not a usable X25519 key)
    // Mailbox
    NotFound, // no stored mail with that id or prefix
    Ambiguous, // an id prefix that matches more than one mail
    InvalidArgument, // an id, prefix, folder or attachment index that cannot be right
    Io, // the database or an attachment file could not be opened, read or written
    DiskFull, // SQLite reported SQLITE_FULL; nothing was changed
    Corrupt, // the file is not a Cairn mailbox, or SQLite found it damaged
    UnsupportedSchema, // a mailbox written by a newer Cairn, refused untouched
};

template <typename T> using Result = base::Result<T, MailError>;

/// A readable name for a code ("NotForUs"), for logs and test output.
QString errorName(MailError code);

/// Maps a CBOR decoding failure onto MailError (TooLarge for a size or
/// count limit, Malformed for the rest), prefixing the message with what
/// was being decoded ("mail message", "inbox header").
base::Error<MailError> fromCborError(const base::Error<base::cbor::CborError> &error, const QString &what);

} // namespace cairn::mail
