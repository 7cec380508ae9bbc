#include "core/dht/message.h"

#include <QtEndian>

namespace cairn::dht {

QByteArray encodeEndpoint(const base::Endpoint &endpoint)
{
    QByteArray out;
    bool isV4 = false;
    const quint32 v4 = endpoint.address.toIPv4Address(&isV4);
    if (isV4) {
        out.resize(6);
        qToBigEndian<quint32>(v4, out.data());
    } else {
        const Q_IPV6ADDR v6 = endpoint.address.toIPv6Address();
        out = QByteArray(reinterpret_cast<const char *>(v6.c), 16);
        out.resize(18);
    }
    qToBigEndian<quint16>(endpoint.port, out.data() + out.size() - 2);
    return out;
}

std::optional<base::Endpoint> decodeEndpoint(QByteArrayView bytes)
{
    base::Endpoint e;
    if (bytes.size() == 6) {
        e.address = QHostAddress(qFromBigEndian<quint32>(bytes.data()));
    } else if (bytes.size() == 18) {
        e.address = QHostAddress(reinterpret_cast<const quint8 *>(bytes.data()));
    } else {
        return std::nullopt;
    }
    e.port = qFromBigEndian<quint16>(bytes.data() + bytes.size() - 2);
    if (!e.isValid())
        return std::nullopt;
    return e;
}

Message Message::responseTo(const Message &request, const identity::NodeId &self)
{
    Message m;
    m.kind = Kind::Response;
    m.op = request.op;
    m.txid = request.txid;
    m.sender = self;
    return m;
}

Message Message::errorTo(const Message &request, const identity::NodeId &self, RemoteError code, QString text)
{
    Message m = responseTo(request, self);
    m.kind = Kind::Error;
    m.error = code;
    m.errorText = text.left(kMaxErrorText);
    return m;
}

} // namespace cairn::dht
