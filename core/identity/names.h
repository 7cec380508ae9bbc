#pragma once

#include "core/identity/error.h"

#include <QByteArrayView>
#include <QStringView>

namespace cairn::identity {

/// Shared rules for the names and ids certificates, revocation lists and
/// invites carry, so that a name valid in one is valid in all of them.
namespace names {

/// A username is 1..32 characters of [a-z0-9._-] starting with a letter or
/// digit: one spelling per name (no case or Unicode look-alikes), safe in
/// file names and logs.
constexpr qsizetype kMaxUsernameLength = 32;
/// A group name is 1..64 printable Unicode characters in NFC, without
/// leading or trailing white space.
constexpr qsizetype kMaxGroupNameLength = 64;
/// UTF-16 code units a group name may take on the wire (64 characters
/// outside the BMP take two units each).
constexpr qsizetype kMaxGroupNameUnits = 2 * kMaxGroupNameLength;
/// Group ids are opaque 32-byte values chosen when the group is created.
constexpr qsizetype kGroupIdBytes = 32;
/// Latest time any format accepts: 9999-12-31T23:59:59Z. Keeps arithmetic
/// on times far from overflow.
constexpr qint64 kMaxUnixTime = 253402300799;

Result<void> validateUsername(QStringView username);
Result<void> validateGroupName(QStringView groupName);
Result<void> validateGroupId(QByteArrayView groupId);

} // namespace names
} // namespace cairn::identity
