#include "core/identity/signedenvelope.h"

#include "core/base/cbor.h"

namespace cairn::identity {

namespace cbor = base::cbor;

namespace {
constexpr qint64 kTbsKey = 0;
constexpr qint64 kSignatureKey = 1;
} // namespace

QByteArray SignedEnvelope::encode() const
{
    QCborMap map;
    map.insert(kTbsKey, tbs);
    map.insert(kSignatureKey, signature);
    return cbor::encode(map);
}

Result<SignedEnvelope> SignedEnvelope::decode(QByteArrayView wire, qsizetype maxBytes, const QString &what)
{
    cbor::Limits limits;
    limits.maxBytes = maxBytes;
    limits.maxDepth = 2;
    limits.maxItems = 1 + 2 * 8; // two fields, and room to report a third as unknown
    limits.maxStringLength = maxBytes;
    auto value = cbor::decode(wire, limits);
    if (!value.ok())
        return fromCborError(value.error(), what);
    auto reader = cbor::MapReader::from(value.value());
    if (!reader.ok())
        return fromCborError(reader.error(), what);
    if (!reader->hasOnlyKeys({kTbsKey, kSignatureKey}))
        return base::fail(
            IdentityError::UnknownField, QStringLiteral("%1: unknown field in the signed envelope").arg(what));
    auto tbs = reader->bytes(kTbsKey, -1, maxBytes);
    if (!tbs.ok())
        return fromCborError(tbs.error(), what);
    auto signature = reader->bytes(kSignatureKey, kSignatureBytes);
    if (!signature.ok())
        return fromCborError(signature.error(), what);
    return SignedEnvelope {std::move(tbs).value(), std::move(signature).value()};
}

QByteArray SignedEnvelope::signingInput(QByteArrayView context, QByteArrayView tbs)
{
    QByteArray input;
    input.reserve(context.size() + 1 + tbs.size());
    input.append(context);
    input.append('\0');
    input.append(tbs);
    return input;
}

SignedEnvelope SignedEnvelope::sign(const crypto::DeviceKey &ca, QByteArrayView context, QByteArray tbs)
{
    QByteArray signature = ca.sign(signingInput(context, tbs));
    return SignedEnvelope {std::move(tbs), std::move(signature)};
}

bool SignedEnvelope::verify(const crypto::PublicKey &ca, QByteArrayView context) const
{
    return crypto::verifySignature(ca, signingInput(context, tbs), signature);
}

} // namespace cairn::identity
