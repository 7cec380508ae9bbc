#pragma once

#include "core/identity/nodeid.h"

#include <QByteArray>
#include <QList>

namespace cairn::dht {

/// Where the k copies of a key live. Replica: copy i at the node closest to
/// H(K || i), so the copies scatter over the id space and no single region
/// (or a few colluding or crashing neighbours) holds all of them. Closest:
/// classic Kademlia, all copies at the k nodes closest to K, kept for
/// comparison.
enum class Placement { Replica, Closest };

/// The lookup targets of key K: k of them for Replica (index i = copy i),
/// one for Closest (K's own position: its first 160 bits).
QList<identity::NodeId> placementTargets(const QByteArray &key, int k, Placement placement);
identity::NodeId replicaTarget(const QByteArray &key, int index);
identity::NodeId keyPosition(const QByteArray &key);

} // namespace cairn::dht
