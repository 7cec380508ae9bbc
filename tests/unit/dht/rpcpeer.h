#pragma once

// A simulated node with a bare Rpc, for the Rpc and Lookup tests.
#include "core/dht/rpc.h"
#include "core/net/fragmentingtransport.h"
#include "tests/sim/lib/world.h"

namespace cairn::dht::testing {

/// One simulated node whose Rpc answers every request with a response
/// (GET_BLOB with `value` when it holds one), or, with `answer` off,
/// stays silent like a crashed node.
struct RpcPeer {
    explicit RpcPeer(sim::World &world, Rpc::Config config = {})
        : simId(world.addNode()),
          id(*identity::NodeId::fromBytes(world.node(simId).rng().bytes(20))),
          transport(world.node(simId).transport(), world.node(simId).scheduler(), world.node(simId).rng()),
          rpc(transport, world.node(simId).scheduler(), world.node(simId).rng(), id, config)
    {
        rpc.setRequestHandler([this](const Contact &from, const Message &request) {
            ++requests;
            if (!answer)
                return;
            Message response = Message::responseTo(request, id);
            if (!value.isEmpty() && request.op == Op::GetBlob) {
                response.found = true;
                response.value = value;
            }
            rpc.respond(from.endpoint, response);
        });
    }
    Contact contact(sim::World &world) const { return Contact {id, world.node(simId).endpoint()}; }

    sim::NodeId simId;
    identity::NodeId id;
    net::FragmentingTransport transport;
    Rpc rpc;
    int requests = 0;
    bool answer = true;
    QByteArray value;
};

} // namespace cairn::dht::testing
