#include "core/dht/record.h"

#include <QtEndian>

namespace cairn::dht::record {

QByteArray keyOf(const QByteArray &owner, const QByteArray &salt)
{
    return crypto::blake2b(owner + salt, 32);
}

QByteArray signingInput(const RecordData &record)
{
    QByteArray input = QByteArrayLiteral("cairn-record-v1");
    input.append(char(record.salt.size()));
    input.append(record.salt);
    char sequence[8];
    qToBigEndian<quint64>(record.sequence, sequence);
    input.append(sequence, 8);
    input.append(record.value);
    return input;
}

RecordData sign(const crypto::DeviceKey &owner, const QByteArray &salt, quint64 sequence, const QByteArray &value)
{
    RecordData r;
    r.owner = owner.publicKey().toByteArray();
    r.salt = salt;
    r.sequence = sequence;
    r.value = value;
    r.signature = owner.sign(signingInput(r));
    return r;
}

bool isValid(const RecordData &record, const QByteArray &key)
{
    if (record.salt.size() > Message::kMaxSalt || record.value.size() > Message::kMaxValue)
        return false;
    if (keyOf(record.owner, record.salt) != key)
        return false;
    auto owner = crypto::PublicKey::fromBytes(record.owner);
    return owner.ok() && crypto::verifySignature(owner.value(), signingInput(record), record.signature);
}

} // namespace cairn::dht::record
