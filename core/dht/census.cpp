#include "core/dht/census.h"

#include "core/base/log.h"

#include <QSet>

namespace cairn::dht {

CensusTaker::CensusTaker(Rpc &rpc, base::Scheduler &scheduler, const CensusConfig &config)
    : m_rpc(rpc), m_scheduler(scheduler), m_config(config), m_availability(config.availability)
{ }

CensusTaker::~CensusTaker()
{
    *m_alive = false;
}

AvailabilityEstimate CensusTaker::availability() const
{
    return m_availability.estimate(m_scheduler.now());
}

void CensusTaker::seen(const Contact &contact)
{
    auto it = m_known.find(contact.id);
    if (it == m_known.end())
        return;
    it->contact = contact;
    it->lastSeen = m_scheduler.now();
}

void CensusTaker::remember(const Contact &contact)
{
    if (!m_known.contains(contact.id) && m_known.size() >= m_config.maxRemembered) {
        auto oldest = m_known.begin();
        for (auto it = m_known.begin(); it != m_known.end(); ++it) {
            if (it->lastSeen < oldest->lastSeen)
                oldest = it;
        }
        if (oldest != m_known.end())
            m_known.erase(oldest);
    }
    if (m_config.maxRemembered > 0)
        m_known.insert(contact.id, Known {contact, m_scheduler.now()});
}

void CensusTaker::forgetStale()
{
    const base::Instant cutoff = m_scheduler.now() - m_config.memory;
    m_known.removeIf([&](const auto &it) { return it.value().lastSeen < cutoff; });
}

void CensusTaker::run(const QList<Contact> &contacts, std::function<void(const Census &)> done)
{
    if (m_round) {
        m_round->waiting.append(std::move(done));
        return;
    }
    forgetStale();
    m_round = std::make_unique<Round>();
    m_round->waiting.append(std::move(done));
    QSet<identity::NodeId> asked;
    for (const Contact &c : contacts) {
        if (c.id == m_rpc.self() || asked.contains(c.id))
            continue;
        asked.insert(c.id);
        m_round->targets.append(c);
        m_round->wasKnown.append(m_known.contains(c.id));
    }
    // Storage nodes that left the table (crashed, or pushed out) are still
    // asked while we remember them: their silence is what availability is.
    for (const Known &k : std::as_const(m_known)) {
        if (asked.contains(k.contact.id))
            continue;
        m_round->targets.append(k.contact);
        m_round->wasKnown.append(true);
    }
    m_round->result.asked = int(m_round->targets.size());
    if (m_round->targets.isEmpty()) {
        finish();
        return;
    }
    pump();
}

void CensusTaker::pump()
{
    // m_round is checked each time: should an answer ever come back from
    // inside call(), the round could finish under us.
    while (m_round && m_round->pending < m_config.maxInFlight && m_round->next < m_round->targets.size()) {
        const int index = m_round->next++;
        ++m_round->pending;
        Message ping;
        ping.op = Op::Ping;
        std::weak_ptr<bool> alive = m_alive;
        m_rpc.call(m_round->targets[index], ping, [this, alive, index](Result<Message> r) {
            if (!alive.expired())
                onAnswer(index, r);
        });
    }
}

void CensusTaker::onAnswer(int index, const Result<Message> &r)
{
    if (!m_round)
        return;
    Round &round = *m_round;
    --round.pending;
    const Contact &target = round.targets[index];
    const bool answered = r.ok() && r->kind == Kind::Response;
    const bool stores = answered && r->free >= 0;
    if (answered)
        ++round.result.answered;
    if (stores) {
        ++round.result.storageNodes;
        round.result.freeBytes += r->free;
        remember(target);
    } else if (answered) {
        m_known.remove(target.id); // it stopped donating: not a storage node now
    }
    // One sample per storage node per round: the ones we knew, and the ones
    // that just said they store.
    if (stores || (!answered && round.wasKnown[index]))
        m_availability.record(stores, m_scheduler.now());
    if (round.pending == 0 && round.next >= round.targets.size())
        finish();
    else
        pump();
}

void CensusTaker::finish()
{
    std::unique_ptr<Round> round = std::move(m_round);
    const AvailabilityEstimate estimate = m_availability.estimate(m_scheduler.now());
    round->result.availability = estimate.p;
    round->result.availabilitySamples = estimate.samples;
    qCDebug(lcDht) << "census:" << round->result.answered << "of" << round->result.asked << "answered,"
                   << round->result.storageNodes << "storage nodes," << round->result.freeBytes
                   << "bytes free; availability" << estimate.p << "from" << estimate.samples << "samples";
    // A callback may start the next round: m_round is free already.
    for (const auto &done : std::as_const(round->waiting))
        done(round->result);
}

} // namespace cairn::dht
