#include "core/dht/placement.h"

#include "core/crypto/keys.h"

namespace cairn::dht {

identity::NodeId keyPosition(const QByteArray &key)
{
    if (key.size() < identity::NodeId::kBytes)
        return identity::NodeId();
    return *identity::NodeId::fromBytes(QByteArrayView(key).first(identity::NodeId::kBytes));
}

identity::NodeId replicaTarget(const QByteArray &key, int index)
{
    QByteArray input = key;
    input.append(char(quint8(index)));
    return *identity::NodeId::fromBytes(crypto::blake2b(input, identity::NodeId::kBytes));
}

QList<identity::NodeId> placementTargets(const QByteArray &key, int k, Placement placement)
{
    if (placement == Placement::Closest)
        return {keyPosition(key)};
    QList<identity::NodeId> targets;
    targets.reserve(k);
    for (int i = 0; i < k; ++i)
        targets.append(replicaTarget(key, i));
    return targets;
}

} // namespace cairn::dht
