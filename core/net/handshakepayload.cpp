#include "core/net/handshakepayload.h"

#include "core/base/cbor.h"
#include "core/identity/certificate.h"

#include <QCborMap>

namespace cairn::net {
namespace {

enum Key : qint64 { Certificate = 1, DeviceKey = 2, Rekey = 3 };

} // namespace

QByteArray HandshakePayload::encode() const
{
    QCborMap map;
    if (!certificate.isEmpty())
        map.insert(Certificate, certificate);
    map.insert(DeviceKey, deviceKey.toByteArray());
    if (rekey)
        map.insert(Rekey, 1);
    return base::cbor::encode(map);
}

Result<HandshakePayload> HandshakePayload::decode(QByteArrayView bytes)
{
    const base::cbor::Limits limits {kMaxBytes, 2, 8, identity::Certificate::kMaxBytes};
    auto value = base::cbor::decode(bytes, limits);
    if (!value)
        return base::fail(NetError::Malformed, QStringLiteral("handshake payload: %1").arg(value.message()));
    auto reader = base::cbor::MapReader::from(value.value());
    if (!reader || !reader->hasOnlyKeys({Certificate, DeviceKey, Rekey}))
        return base::fail(NetError::Malformed, QStringLiteral("handshake payload: not a map of known fields"));
    HandshakePayload payload;
    if (reader->has(Certificate)) {
        auto cert = reader->bytes(Certificate, -1, identity::Certificate::kMaxBytes);
        if (!cert || cert->isEmpty())
            return base::fail(NetError::Malformed, QStringLiteral("handshake payload: certificate field"));
        payload.certificate = cert.value();
    }
    auto key = reader->bytes(DeviceKey, 32);
    if (!key)
        return base::fail(NetError::Malformed, QStringLiteral("handshake payload: device key: %1").arg(key.message()));
    payload.deviceKey = crypto::PublicKey::fromBytes(key.value()).value();
    if (reader->has(Rekey)) {
        // Present only as 1, so the flag has one encoding.
        auto flag = reader->integer(Rekey, 1, 1);
        if (!flag)
            return base::fail(NetError::Malformed, QStringLiteral("handshake payload: rekey flag"));
        payload.rekey = true;
    }
    return payload;
}

} // namespace cairn::net
