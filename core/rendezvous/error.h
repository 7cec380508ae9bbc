#pragma once

#include "core/base/result.h"

#include <QString>

namespace cairn::rendezvous {

/// Why the rendezvous refused or failed. The numbers travel in join and
/// renewal responses (docs/protocol.md, "Rendezvous"), so they never change;
/// new codes get new numbers.
enum class RendezvousError : quint8 {
    InvalidArgument = 1, // a malformed request or argument (username syntax, sizes)
    BadToken = 2, // the token matches no invite
    InviteExpired = 3,
    InviteUsedUp = 4, // every use of the invite went to other devices
    UsernameTaken = 5, // another new user holds (or asked for) the name, or it was revoked
    BadProof = 6, // the join proof does not verify, or is for another device or session
    NotFound = 7, // no such user, serial, certificate or pending request
    Denied = 8, // the operator denied the request, or the request is not allowed
    NotOperator = 9, // the database belongs to another CA key
    Storage = 10, // the database could not be read or written
    Corrupt = 11, // the database is damaged or not a rendezvous database
    TooLarge = 12, // a message or a revocation list over its limit
    Unreachable = 13, // the rendezvous did not answer
    Revoked = 14, // the certificate, device or user is revoked
    AlreadyExists = 15, // create() on an existing file
    Malformed = 16, // a control message that does not decode
    BadResponse = 17, // the rendezvous answered with something that does not verify
    Cancelled = 18, // the client was stopped
};

template <typename T> using Result = base::Result<T, RendezvousError>;

/// A readable name for a code ("InviteUsedUp"), for logs and test output.
QString errorName(RendezvousError code);
/// The code for a number received on the wire, or false for an unknown one.
bool errorFromWire(quint64 value, RendezvousError &code);

} // namespace cairn::rendezvous
