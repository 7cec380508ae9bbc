#pragma once

#include "core/crypto/keys.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <array>
#include <optional>

namespace cairn::identity {

/// A 160-bit overlay position: BLAKE2b-160 of a device's Ed25519 public key,
/// so one certificate binds exactly one position. Kademlia's metric is XOR.
class NodeId {
public:
    static constexpr int kBytes = 20;
    static constexpr int kBits = 160;
    using Bytes = std::array<quint8, kBytes>;

    NodeId() = default;
    explicit NodeId(const Bytes &bytes) : m_bytes(bytes) { }
    static NodeId fromDeviceKey(const crypto::PublicKey &ed25519);
    /// Exactly 20 bytes, or nullopt.
    static std::optional<NodeId> fromBytes(QByteArrayView bytes);
    static std::optional<NodeId> fromHex(QStringView hex);

    const Bytes &bytes() const { return m_bytes; }
    QByteArray toByteArray() const;
    QString toHex() const;

    NodeId distance(const NodeId &other) const;
    /// Index of the k-bucket `other` falls in as seen from this id:
    /// 159 for the farthest half of the space, 0 for the closest; -1 if equal.
    int bucketIndex(const NodeId &other) const;
    /// Number of leading zero bits.
    int leadingZeros() const;
    /// True if a is strictly closer to this id than b.
    bool closer(const NodeId &a, const NodeId &b) const;

    friend bool operator==(const NodeId &, const NodeId &) = default;
    friend auto operator<=>(const NodeId &, const NodeId &) = default;

private:
    Bytes m_bytes {};
};

inline size_t qHash(const NodeId &id, size_t seed = 0)
{
    return qHashBits(id.bytes().data(), NodeId::kBytes, seed);
}

} // namespace cairn::identity
