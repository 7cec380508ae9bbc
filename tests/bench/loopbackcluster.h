#pragma once

#include "core/base/qt/qtscheduler.h"
#include "core/base/qt/udptransport.h"
#include "core/base/rng.h"
#include "core/crypto/keys.h"
#include "core/dht/dhtnode.h"
#include "core/identity/certificate.h"
#include "core/net/messagetransport.h"
#include "core/store/blobstore.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace cairn::bench {

/// What carries the DHT's messages between the bench's nodes.
enum class MessageLayer {
    Plain, // net::FragmentingTransport: fragments, no encryption
    Secure, // net::SecureTransport: Noise XX sessions with group certificates
};

QString describe(MessageLayer layer);

/// Where the bench's nodes run.
enum class Threading {
    Single, // every node on the main thread's event loop, one shared QtScheduler
    PerNode, // each node on a QThread of its own with its own event loop, as a node process would be
};

QString describe(Threading threading);
/// True when this build links net::SecureTransport (core/net lists its .cpp).
bool secureLayerBuilt();

/// Runs Qt's event loop until `done()` holds or `limit` passes; returns
/// whether it held.
bool waitFor(const std::function<bool()> &done, std::chrono::milliseconds limit);

/// DHT nodes in this process on 127.0.0.1, each with its own UDP socket,
/// message layer, DhtNode and SQLite store file. With Threading::Single they
/// all run on the main thread's event loop (one QtScheduler, one
/// SodiumRng); with Threading::PerNode each node's objects are created,
/// used and destroyed on a QThread of its own (its own event loop,
/// QtScheduler and SodiumRng), and the driver reaches a node only through
/// post(), getting results back through toDriver(). Crashing a node destroys
/// it without a word to anyone, so its socket closes like a killed
/// process's (and its thread ends).
class LoopbackCluster {
public:
    LoopbackCluster(MessageLayer layer, Threading threading, const dht::DhtConfig &config, const QString &storeDir,
        const store::StoreLimits &limits = {});
    ~LoopbackCluster();
    LoopbackCluster(const LoopbackCluster &) = delete;
    LoopbackCluster &operator=(const LoopbackCluster &) = delete;

    /// Adds `count` nodes. Empty on success, else why not.
    QString start(int count);
    /// Each node other than node 0 bootstraps from node 0 alone, one after
    /// another. Returns how many succeeded.
    int bootstrapAll(std::chrono::milliseconds perNode);
    /// Runs the event loop until no routing table has changed size for
    /// `quiet` (or `limit` passed); returns the seconds it took.
    double settle(std::chrono::milliseconds quiet, std::chrono::milliseconds limit);

    Threading threading() const { return m_threading; }
    /// Threads the nodes run on: 1 in single-thread mode, else one per node
    /// started (the driver's thread not counted).
    int threadCount() const;
    int size() const { return int(m_nodes.size()); }
    bool isUp(int index) const { return m_nodes[size_t(index)]->up; }
    QList<int> live() const;
    /// Runs `work` on node `index`'s DhtNode in that node's thread: queued
    /// to it with Threading::PerNode, at once with Threading::Single. Call
    /// from the driver (main) thread only, for a live node.
    void post(int index, std::function<void(dht::DhtNode &)> work);
    /// Runs `fn` on the driver (main) thread: queued to it from a node's
    /// thread with Threading::PerNode, at once with Threading::Single.
    void toDriver(std::function<void()> fn) const;
    void crash(int index);

    /// Ground truth: whether a live node's store holds `key`.
    bool liveCopyExists(const QByteArray &key) const;
    double meanTableSize() const;
    /// RPC timeouts so far, summed over the live nodes.
    quint64 rpcTimeouts() const;
    /// Session handshakes completed so far, summed over the live nodes (0
    /// on the plain layer).
    quint64 handshakes() const;
    /// Timers armed, summed over the live nodes' QtSchedulers (the one
    /// shared scheduler in single-thread mode).
    qsizetype pendingTimers() const;

private:
    struct Node {
        explicit Node(crypto::DeviceKey key) : device(std::move(key)) { }
        crypto::DeviceKey device;
        identity::Certificate certificate;
        bool up = false; // read and written by the driver thread only
        // Threading::PerNode only: the node's thread and an object living
        // in it that queued calls are addressed to.
        std::unique_ptr<QThread> thread;
        std::unique_ptr<QObject> context;
        std::unique_ptr<base::QtScheduler> ownScheduler;
        std::unique_ptr<base::SodiumRng> ownRng;
        base::QtScheduler *scheduler = nullptr;
        base::Rng *rng = nullptr;
        std::unique_ptr<store::BlobStore> store;
        std::unique_ptr<base::UdpTransport> udp;
        std::unique_ptr<net::MessageTransport> messages;
        std::unique_ptr<dht::DhtNode> dht;
    };

    QString addNode();
    /// Creates the node's objects; runs in the node's thread.
    QString buildNode(Node &node, int index);
    /// The one place the message layer is chosen.
    std::unique_ptr<net::MessageTransport> makeMessageLayer(Node &node);
    /// Sums `f(node)` over the live nodes, each evaluated in its node's
    /// thread.
    template <typename F> double sumOverLive(F f) const;

    MessageLayer m_layer;
    Threading m_threading;
    dht::DhtConfig m_config;
    store::StoreLimits m_limits;
    QString m_storeDir;
    base::QtScheduler m_scheduler; // the driver's; shared by all nodes in single-thread mode
    base::SodiumRng m_rng;
    crypto::DeviceKey m_ca; // the test group's CA (secure layer only)
    QByteArray m_groupId;
    base::Endpoint m_seed; // node 0's address
    std::vector<std::unique_ptr<Node>> m_nodes;
};

} // namespace cairn::bench
