#pragma once

#include "core/base/result.h"

namespace cairn::store {

/// Why the blob store refused or failed. Codes a requester must tell apart
/// (full here, try elsewhere; stale; bad token) are separate; the message
/// says what exactly happened, for logs and for the requester.
enum class StoreError {
    Io, // the database could not be opened, read or written
    DiskFull, // SQLite reported SQLITE_FULL: the disk (or the file's size cap) is full
    QuotaFull, // the donor's total quota would be exceeded
    SenderQuotaFull, // this sender's share of the quota would be exceeded
    InboxFull, // the inbox key already holds perInboxEntries live entries
    TooLarge, // a value or inbox entry above its size limit
    InvalidArgument, // a key, id, hash or record field of the wrong size; a past expiry
    NotFound, // no live item under that key or id
    BadToken, // a delete token whose hash is not the stored one
    StaleRecord, // a record not newer than the one stored
    Corrupt, // the file is not a Cairn store, or SQLite found it damaged
    UnsupportedSchema, // a store written by a newer Cairn, refused untouched
};

template <typename T> using Result = base::Result<T, StoreError>;

/// A readable name for a code ("DiskFull"), for logs and test output.
QString errorName(StoreError code);

} // namespace cairn::store
