#pragma once

#include "core/dht/availability.h"
#include "core/dht/rpc.h"

#include <QHash>
#include <QList>

#include <functional>
#include <memory>

namespace cairn::dht {

/// What one census round found. `asked` nodes were pinged and `answered`
/// of them replied; `storageNodes` of those said how much they can still
/// store (they donate storage), `freeBytes` adds that up, plus this node's
/// own free space when it stores. `availability` is the estimate after the
/// round and `availabilitySamples` the samples it rests on.
struct Census {
    int asked = 0;
    int answered = 0;
    int storageNodes = 0;
    qint64 freeBytes = 0;
    double availability = 0;
    int availabilitySamples = 0;
};

struct CensusConfig {
    /// Pings out at once during a round.
    int maxInFlight = 16;
    /// Storage nodes remembered after they drop out of the routing table,
    /// so that a crashed one keeps counting as down instead of vanishing
    /// from the sample: for `memory` since it last answered, at most
    /// `maxRemembered` of them (the longest silent is forgotten first).
    int maxRemembered = 1000;
    base::Duration memory {24LL * 3600 * 1'000'000};
    AvailabilityConfig availability;
};

/// Counts the storage nodes this node can reach and their free space, and
/// samples their availability. A round pings every contact it is given
/// plus every remembered storage node not among them, and records one
/// sample per known storage node: answered or not. Only rounds sample, so
/// a dead node that lookups ask a hundred times still counts once per
/// round. Rounds overlap nothing: a request while one is under way joins it.
class CensusTaker {
public:
    CensusTaker(Rpc &rpc, base::Scheduler &scheduler, const CensusConfig &config = {});
    ~CensusTaker();
    CensusTaker(const CensusTaker &) = delete;
    CensusTaker &operator=(const CensusTaker &) = delete;

    /// Starts a round over `contacts` (or joins the one under way); `done`
    /// gets its result, freeBytes counting the nodes asked only. With
    /// nothing to ask, `done` runs at once.
    void run(const QList<Contact> &contacts, std::function<void(const Census &)> done);
    /// A message came from `contact`: a remembered storage node is alive
    /// (and may have moved).
    void seen(const Contact &contact);

    AvailabilityEstimate availability() const;
    /// Storage nodes remembered now (in the routing table or not).
    int remembered() const { return int(m_known.size()); }
    bool remembers(const identity::NodeId &id) const { return m_known.contains(id); }

private:
    struct Known {
        Contact contact;
        base::Instant lastSeen {0};
    };
    struct Round {
        QList<Contact> targets;
        QList<bool> wasKnown; // per target: a storage node when the round began
        int next = 0;
        int pending = 0;
        Census result;
        QList<std::function<void(const Census &)>> waiting;
    };

    void forgetStale();
    void pump();
    void onAnswer(int index, const Result<Message> &r);
    void finish();
    void remember(const Contact &contact);

    Rpc &m_rpc;
    base::Scheduler &m_scheduler;
    CensusConfig m_config;
    AvailabilityEstimator m_availability;
    QHash<identity::NodeId, Known> m_known;
    std::unique_ptr<Round> m_round;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace cairn::dht
