#pragma once

#include "core/base/rng.h"
#include "core/base/scheduler.h"

#include <QList>

#include <unordered_map>
#include <vector>

namespace cairn::sim {

/// Index of a node in its World (0, 1, 2, ... in the order they were added).
using NodeId = quint32;
inline constexpr NodeId kNoNode = ~NodeId(0);

/// How datagrams cross one link. Latency is log-normal around `median`
/// (a stable per-pair factor times a per-datagram jitter factor) with a
/// rare Pareto-tailed spike on top, because real paths are mostly steady
/// but now and then a datagram sits in a bloated buffer.
struct LinkParams {
    base::Duration median {40'000};
    /// Sigma of the per-pair log-normal factor: some pairs are near, some far.
    double pairSpread = 0.5;
    /// Sigma of the per-datagram log-normal factor.
    double jitter = 0.25;
    /// Chance that a datagram is multiplied by a Pareto(spikeAlpha) factor.
    double spikeProbability = 0.01;
    double spikeAlpha = 1.2;
    base::Duration min {1'000};
    base::Duration max {3'000'000};
    /// Probability that a datagram is silently lost.
    double loss = 0.0;
    /// Serialization delay on the link, bytes per second; 0 means none.
    qint64 bytesPerSecond = 0;
};

/// The network between nodes: per-link parameters (a default plus
/// symmetric per-pair overrides), partitions, and the latency/loss draws.
/// It holds no clock and no randomness of its own: the World passes its
/// seeded generator in, so the draws are part of the replayable run.
class LinkModel {
public:
    explicit LinkModel(quint64 salt);

    void setDefaults(const LinkParams &params) { m_defaults = params; }
    const LinkParams &defaults() const { return m_defaults; }
    /// Overrides the parameters between a and b (both directions).
    void setLink(NodeId a, NodeId b, const LinkParams &params);
    void clearLink(NodeId a, NodeId b);
    const LinkParams &params(NodeId a, NodeId b) const;

    /// Splits the network: nodes in the same group (or both in no group)
    /// can talk; any other pair cannot. Replaces an earlier partition.
    void partition(const QList<QList<NodeId>> &groups);
    void heal();
    bool isPartitioned() const { return !m_group.empty(); }
    bool connected(NodeId a, NodeId b) const;

    /// Transit time of one datagram of `bytes` from a to b.
    base::Duration sampleLatency(
        NodeId a, NodeId b, qsizetype bytes, const LinkParams &params, base::SeededRng &rng) const;
    bool sampleLoss(const LinkParams &params, base::SeededRng &rng) const;

private:
    static quint64 pairKey(NodeId a, NodeId b);
    double pairNormal(NodeId a, NodeId b) const;
    quint32 groupOf(NodeId n) const { return n < m_group.size() ? m_group[n] : 0; }

    quint64 m_salt;
    LinkParams m_defaults;
    std::unordered_map<quint64, LinkParams> m_links;
    std::vector<quint32> m_group;
};

} // namespace cairn::sim
