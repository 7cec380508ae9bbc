#include "core/identity/nodeid.h"

#include <bit>
#include <cstring>

namespace cairn::identity {

NodeId NodeId::fromDeviceKey(const crypto::PublicKey &ed25519)
{
    const QByteArray h = crypto::blake2b(ed25519.toByteArray(), kBytes);
    Bytes b;
    std::memcpy(b.data(), h.constData(), kBytes);
    return NodeId(b);
}

std::optional<NodeId> NodeId::fromBytes(QByteArrayView bytes)
{
    if (bytes.size() != kBytes)
        return std::nullopt;
    Bytes b;
    std::memcpy(b.data(), bytes.data(), kBytes);
    return NodeId(b);
}

std::optional<NodeId> NodeId::fromHex(QStringView hex)
{
    if (hex.size() != 2 * kBytes)
        return std::nullopt;
    // Only ASCII hex: QChar::isDigit() also accepts other scripts' digits,
    // which toLatin1() would turn into '?' and fromHex() would skip.
    for (QChar c : hex) {
        const char16_t u = c.unicode();
        if (!((u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F')))
            return std::nullopt;
    }
    return fromBytes(QByteArray::fromHex(hex.toLatin1()));
}

QByteArray NodeId::toByteArray() const
{
    return QByteArray(reinterpret_cast<const char *>(m_bytes.data()), kBytes);
}

QString NodeId::toHex() const
{
    return QString::fromLatin1(toByteArray().toHex());
}

NodeId NodeId::distance(const NodeId &other) const
{
    Bytes d;
    for (int i = 0; i < kBytes; ++i)
        d[i] = m_bytes[i] ^ other.m_bytes[i];
    return NodeId(d);
}

int NodeId::leadingZeros() const
{
    for (int i = 0; i < kBytes; ++i) {
        if (m_bytes[i] != 0)
            return i * 8 + std::countl_zero(m_bytes[i]);
    }
    return kBits;
}

int NodeId::bucketIndex(const NodeId &other) const
{
    return kBits - 1 - distance(other).leadingZeros();
}

bool NodeId::closer(const NodeId &a, const NodeId &b) const
{
    return distance(a) < distance(b);
}

} // namespace cairn::identity
