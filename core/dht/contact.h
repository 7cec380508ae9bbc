#pragma once

#include "core/base/endpoint.h"
#include "core/identity/nodeid.h"

namespace cairn::dht {

/// A node as the DHT knows it: its overlay id and where it answers.
struct Contact {
    identity::NodeId id;
    base::Endpoint endpoint;

    friend bool operator==(const Contact &, const Contact &) = default;
};

} // namespace cairn::dht
