#pragma once

#include "core/base/scheduler.h"

namespace cairn::dht {

/// How likely a storage node is to answer when asked, and how many
/// samples that rests on.
struct AvailabilityEstimate {
    double p = 0;
    int samples = 0;
};

/// The prior and memory of an AvailabilityEstimator.
struct AvailabilityConfig {
    double priorAnswered = 9;
    double priorSilent = 1;
    /// A sample this old counts half as much as a new one.
    base::Duration halfLife {24LL * 3600 * 1'000'000};
};

/// A Beta estimate of the availability p of storage nodes, fed one sample
/// per storage node per census round (answered or not). It starts from a
/// prior of 9 answered to 1 not (p = 0.9 before any data); samples lose
/// half their weight every half-life, so the estimate follows a network
/// whose churn changes and falls back towards the prior when data gets old.
/// Time comes from the caller (a Scheduler's now()).
class AvailabilityEstimator {
public:
    explicit AvailabilityEstimator(const AvailabilityConfig &config = {}) : m_config(config) { }

    void record(bool answered, base::Instant at);
    /// The posterior mean at `now`; `samples` counts every sample recorded.
    AvailabilityEstimate estimate(base::Instant now) const;

private:
    /// The weight a sample from `from` still has at `to`.
    double decay(base::Instant from, base::Instant to) const;

    AvailabilityConfig m_config;
    double m_answered = 0; // decayed weights, as of m_at
    double m_silent = 0;
    base::Instant m_at {0};
    int m_samples = 0;
};

/// The replication factor k for a target success rate p_t of a user
/// action, given the availability p of storage nodes (DESIGN.md section 5):
/// an action touches two objects, so p_t = (1 - (1 - p)^k)^2 and
/// k = ceil(log(1 - sqrt(p_t)) / log(1 - p)), clamped to
/// [minCopies, maxCopies] (minCopies is at least 1). p >= 1 or p_t <= 0
/// gives minCopies; p <= 0, p_t >= 1 (certainty, which no k reaches) or a
/// NaN gives maxCopies.
int replicasFor(double targetSuccess, double availability, int minCopies, int maxCopies);

} // namespace cairn::dht
