#pragma once

#include "core/base/qt/qtscheduler.h"
#include "core/base/qt/udptransport.h"
#include "core/base/rng.h"
#include "core/crypto/keys.h"
#include "core/dht/dhtnode.h"
#include "core/identity/certificate.h"
#include "core/net/messagetransport.h"
#include "core/store/blobstore.h"

#include <QString>

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
/// True when this build links net::SecureTransport (core/net lists its .cpp).
bool secureLayerBuilt();

/// Runs Qt's event loop until `done()` holds or `limit` passes; returns
/// whether it held.
bool waitFor(const std::function<bool()> &done, std::chrono::milliseconds limit);

/// DHT nodes in this process on 127.0.0.1, each with its own UDP socket,
/// message layer, DhtNode and SQLite store file, all on the real Qt event
/// loop (one QtScheduler, one SodiumRng). Crashing a node destroys it
/// without a word to anyone, so its socket closes like a killed process's.
class LoopbackCluster {
public:
    LoopbackCluster(MessageLayer layer, const dht::DhtConfig &config, const QString &storeDir);
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

    int size() const { return int(m_nodes.size()); }
    bool isUp(int index) const { return m_nodes[size_t(index)]->dht != nullptr; }
    QList<int> live() const;
    dht::DhtNode &node(int index) { return *m_nodes[size_t(index)]->dht; }
    void crash(int index);

    /// Ground truth: whether a live node's store holds `key`.
    bool liveCopyExists(const QByteArray &key) const;
    double meanTableSize() const;
    /// RPC timeouts so far, summed over the live nodes.
    quint64 rpcTimeouts() const;
    /// Session handshakes completed so far, summed over the live nodes (0
    /// on the plain layer).
    quint64 handshakes() const;
    /// Timers armed on the one QtScheduler all nodes share.
    qsizetype pendingTimers() const { return m_scheduler.pendingCount(); }

private:
    struct Node {
        explicit Node(crypto::DeviceKey key) : device(std::move(key)) { }
        crypto::DeviceKey device;
        identity::Certificate certificate;
        std::unique_ptr<store::BlobStore> store;
        std::unique_ptr<base::UdpTransport> udp;
        std::unique_ptr<net::MessageTransport> messages;
        std::unique_ptr<dht::DhtNode> dht;
    };

    QString addNode();
    /// The one place the message layer is chosen.
    std::unique_ptr<net::MessageTransport> makeMessageLayer(Node &node);

    MessageLayer m_layer;
    dht::DhtConfig m_config;
    QString m_storeDir;
    base::QtScheduler m_scheduler;
    base::SodiumRng m_rng;
    crypto::DeviceKey m_ca; // the test group's CA (secure layer only)
    QByteArray m_groupId;
    std::vector<std::unique_ptr<Node>> m_nodes;
};

} // namespace cairn::bench
