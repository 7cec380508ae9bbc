#pragma once

#include "core/base/scheduler.h"

#include <QtGlobal>

namespace cairn::sim {

/// Settings of a ping storm (see PingStorm).
struct PingStormConfig {
    quint32 nodes = 10'000;
    quint32 pingsPerNode = 10;
    quint64 seed = 1;
    double loss = 0.0;
    qsizetype payloadBytes = 64;
    /// Each node starts pinging at a uniform random instant in [0, spread).
    base::Duration startSpread {1'000'000};
};

/// What a ping storm did, and how fast.
struct PingStormResult {
    quint64 pingsSent = 0;
    quint64 pingsReceived = 0;
    quint64 pongsReceived = 0;
    quint64 events = 0;
    quint64 traceHash = 0;
    base::Instant virtualEnd {0};
    qint64 setupNanoseconds = 0;
    qint64 runNanoseconds = 0;

    double eventsPerSecond() const { return runNanoseconds > 0 ? double(events) * 1e9 / double(runNanoseconds) : 0.0; }
};

/// The simulator's load test, shared by test_sim_ping_storm and
/// cairn-bench-sim: N nodes each ping P distinct random others at a random
/// start time; every ping is answered by a pong carrying the same bytes.
/// With loss 0 every one of the N*P pongs arrives.
class PingStorm {
public:
    explicit PingStorm(const PingStormConfig &config) : m_config(config) { }
    PingStormResult run() const;

private:
    PingStormConfig m_config;
};

} // namespace cairn::sim
