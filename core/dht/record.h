#pragma once

#include "core/crypto/keys.h"
#include "core/dht/message.h"

namespace cairn::dht {

/// Signed mutable records (docs/protocol.md, "Mutable records"): the key
/// is H(owner || salt), the owner signs "cairn-record-v1" || len(salt) ||
/// salt || sequence || value, and a higher sequence replaces a lower one.
namespace record {

QByteArray keyOf(const QByteArray &owner, const QByteArray &salt);
QByteArray signingInput(const RecordData &record);
RecordData sign(const crypto::DeviceKey &owner, const QByteArray &salt, quint64 sequence, const QByteArray &value);
/// The signature verifies and `key` is the record's key.
bool isValid(const RecordData &record, const QByteArray &key);

} // namespace record
} // namespace cairn::dht
