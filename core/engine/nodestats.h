#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>

namespace cairn::engine {

/// Bytes-per-second rates from cumulative counters: a sample every second,
/// the last hour kept (the dashboard charts it), rates over the last 5 s.
class RateMeter {
public:
    static constexpr int kHistorySeconds = 3600;
    static constexpr int kRateWindow = 5;

    struct Sample {
        qint64 atMs = 0; // monotonic
        quint64 bytesIn = 0;
        quint64 bytesOut = 0;
    };

    void record(qint64 atMs, quint64 bytesIn, quint64 bytesOut);
    double rateIn() const;
    double rateOut() const;
    const QList<Sample> &history() const { return m_samples; }

private:
    double rate(bool in) const;
    QList<Sample> m_samples;
};

/// One snapshot of what the operator watches.
struct NodeStats {
    QString state; // "no-group", "pending", "member"
    QString groupName;
    QString username;
    bool isOperator = false;
    QString listen;
    QString nodeId;

    qint64 storageUsed = 0;
    qint64 storageQuota = 0;
    qint64 storedItems = 0;

    int sessions = 0;
    int certifiedPeers = 0;
    int routingTableSize = 0;

    quint64 bytesIn = 0;
    quint64 bytesOut = 0;
    double rateIn = 0;
    double rateOut = 0;

    int members = 0;
    int pending = 0;
    int revocations = 0;
    quint64 crlVersion = 0;

    quint64 lookups = 0;
    quint64 lookupsSucceeded = 0;
    double lookupSuccessRate() const { return lookups ? double(lookupsSucceeded) / double(lookups) : 1.0; }

    quint64 handshakesCompleted = 0;
    quint64 handshakesRejected = 0;
    quint64 replaysRejected = 0;
    quint64 junkRejected = 0;
    quint64 rateLimited = 0;
    quint64 cookiesSent = 0;

    qint64 certificateExpires = 0;

    QJsonObject toJson() const;
};

} // namespace cairn::engine
