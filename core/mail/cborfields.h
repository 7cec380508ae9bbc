#pragma once

// Internal to core/mail: the steps every mail format decoder shares.

#include "core/base/cbor.h"
#include "core/mail/error.h"

#include <initializer_list>

namespace cairn::mail::detail {

/// Strictly decodes one canonical, integer-keyed CBOR map whose key 1 is
/// the format version. The version is checked before the keys, so a newer
/// format is reported as UnsupportedVersion rather than as unknown fields.
Result<base::cbor::MapReader> openVersionedMap(QByteArrayView bytes, const base::cbor::Limits &limits, qint64 version,
    std::initializer_list<qint64> knownKeys, const QString &what);

/// A field's CBOR error, prefixed with the format and the field's name.
base::Error<MailError> fieldError(const QString &what, const char *field, const base::Error<base::cbor::CborError> &e);

/// Malformed, with the format as prefix.
base::Error<MailError> malformed(const QString &what, const QString &why);

} // namespace cairn::mail::detail
