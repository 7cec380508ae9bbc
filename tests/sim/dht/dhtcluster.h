#pragma once

#include "core/dht/dhtnode.h"
#include "core/net/fragmentingtransport.h"
#include "core/store/blobstore.h"
#include "tests/sim/lib/world.h"

#include <QSet>

#include <memory>
#include <optional>
#include <vector>

namespace cairn::sim {

/// Settings of a simulated DHT.
struct DhtClusterConfig {
    int nodes = 100;
    quint64 seed = 1;
    dht::DhtConfig dht;
    /// Every node donates storage (an in-memory SQLite store per node).
    bool storage = true;
    /// Nodes that route but store nothing (e.g. a reader that stays up).
    QSet<int> withoutStorage;
    store::StoreLimits limits;
    LinkParams link;
};

/// A World whose nodes run the real DHT over the real fragmenting
/// transport and the real SQLite store. A crash destroys a node's DHT and
/// transport state but keeps its store (its disk); restart() brings the
/// node back with the same id and data and bootstraps it again; leave()
/// takes a node away for good, data included; join() adds a fresh node.
class DhtCluster {
public:
    explicit DhtCluster(const DhtClusterConfig &config);
    ~DhtCluster();
    DhtCluster(const DhtCluster &) = delete;
    DhtCluster &operator=(const DhtCluster &) = delete;

    World &world() { return m_world; }
    int size() const { return int(m_nodes.size()); }
    const DhtClusterConfig &config() const { return m_config; }

    /// Nodes join one after another (a few per virtual second), each
    /// bootstrapping from node 0 and two random nodes already in. Returns
    /// how many bootstraps succeeded.
    int bootstrapAll();
    /// A fresh node with an empty store joins the running network, with
    /// the given overlay id if there is one.
    int join(std::optional<identity::NodeId> id = std::nullopt);
    void crash(int index);
    void restart(int index);
    void leave(int index);
    bool isUp(int index) const;
    QList<int> liveNodes() const;

    dht::DhtNode *node(int index) { return m_nodes[size_t(index)]->dht.get(); }
    store::BlobStore *storeOf(int index) { return m_nodes[size_t(index)]->store.get(); }
    const identity::NodeId &idOf(int index) const { return m_nodes[size_t(index)]->id; }
    base::Endpoint endpointOf(int index) const;
    /// The live node closest to `target`, by brute force, leaving out `except`.
    int closestLive(const identity::NodeId &target, int except = -1) const;
    /// The live nodes whose store holds `key` as `kind`.
    QList<int> holdersOf(const QByteArray &key, store::KeyKind kind);
    /// A random live node.
    int randomLive();

    /// Runs the world until `done()` holds or `limit` of virtual time passed.
    /// Returns whether it held.
    bool runUntil(const std::function<bool()> &done, base::Duration limit);

private:
    struct Member {
        NodeId simId = kNoNode;
        identity::NodeId id;
        std::unique_ptr<store::BlobStore> store;
        std::unique_ptr<net::FragmentingTransport> transport;
        std::unique_ptr<dht::DhtNode> dht;
        bool gone = false;
    };

    int addMember(std::optional<identity::NodeId> id = std::nullopt);
    void start(Member &member);
    void bootstrap(int index, std::function<void(bool)> done);

    DhtClusterConfig m_config;
    World m_world;
    std::vector<std::unique_ptr<Member>> m_nodes;
};

} // namespace cairn::sim
