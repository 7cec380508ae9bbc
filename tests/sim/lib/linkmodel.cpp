#include "tests/sim/lib/linkmodel.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace cairn::sim {

namespace {

quint64 mix64(quint64 z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Uniform in (0, 1]: never 0, so log() below stays finite.
double openUnit(quint64 bits)
{
    return double((bits >> 11) + 1) * (1.0 / double(quint64(1) << 53));
}

// Box-Muller from two uniforms; only one of the pair is used, which keeps
// the number of draws per datagram fixed and the code obvious.
double normalFrom(quint64 a, quint64 b)
{
    return std::sqrt(-2.0 * std::log(openUnit(a))) * std::cos(2.0 * std::numbers::pi * openUnit(b));
}

} // namespace

LinkModel::LinkModel(quint64 salt) : m_salt(salt)
{ }

quint64 LinkModel::pairKey(NodeId a, NodeId b)
{
    if (a > b)
        std::swap(a, b);
    return (quint64(a) << 32) | b;
}

void LinkModel::setLink(NodeId a, NodeId b, const LinkParams &params)
{
    m_links[pairKey(a, b)] = params;
}

void LinkModel::clearLink(NodeId a, NodeId b)
{
    m_links.erase(pairKey(a, b));
}

const LinkParams &LinkModel::params(NodeId a, NodeId b) const
{
    if (m_links.empty())
        return m_defaults;
    const auto it = m_links.find(pairKey(a, b));
    return it == m_links.end() ? m_defaults : it->second;
}

void LinkModel::partition(const QList<QList<NodeId>> &groups)
{
    m_group.clear();
    for (qsizetype g = 0; g < groups.size(); ++g) {
        for (NodeId n : groups[g]) {
            if (n == kNoNode)
                continue;
            if (n >= m_group.size())
                m_group.resize(size_t(n) + 1, 0);
            m_group[n] = quint32(g + 1);
        }
    }
}

void LinkModel::heal()
{
    m_group.clear();
}

bool LinkModel::connected(NodeId a, NodeId b) const
{
    return m_group.empty() || groupOf(a) == groupOf(b);
}

double LinkModel::pairNormal(NodeId a, NodeId b) const
{
    // Derived from a hash rather than stored, so a pair keeps its distance
    // for the whole run without a table of n^2 entries.
    const quint64 h = mix64(m_salt ^ mix64(pairKey(a, b)));
    return normalFrom(h, mix64(h + 0x9e3779b97f4a7c15ULL));
}

base::Duration LinkModel::sampleLatency(
    NodeId a, NodeId b, qsizetype bytes, const LinkParams &params, base::SeededRng &rng) const
{
    double us = double(params.median.count());
    if (params.pairSpread > 0.0)
        us *= std::exp(params.pairSpread * pairNormal(a, b));
    if (params.jitter > 0.0)
        us *= std::exp(params.jitter * normalFrom(rng.nextRaw(), rng.nextRaw()));
    if (params.spikeProbability > 0.0 && openUnit(rng.nextRaw()) <= params.spikeProbability) {
        const double alpha = params.spikeAlpha > 0.0 ? params.spikeAlpha : 1.0;
        us *= std::pow(openUnit(rng.nextRaw()), -1.0 / alpha);
    }
    const double lo = double(params.min.count());
    const double hi = double(std::max(params.max, params.min).count());
    qint64 latency = qint64(std::clamp(us, lo, hi));
    if (params.bytesPerSecond > 0)
        latency += qint64(bytes) * 1'000'000 / params.bytesPerSecond;
    return base::Duration(latency);
}

bool LinkModel::sampleLoss(const LinkParams &params, base::SeededRng &rng) const
{
    if (params.loss <= 0.0)
        return false;
    return openUnit(rng.nextRaw()) <= params.loss;
}

} // namespace cairn::sim
