#include "core/dht/lookup.h"

#include <algorithm>

namespace cairn::dht {

Lookup::Lookup(Rpc &rpc, const identity::NodeId &target, const QList<Contact> &seeds, const Config &config)
    : m_rpc(rpc), m_target(target), m_config(config)
{
    for (const Contact &c : seeds)
        add(c, 0);
}

Lookup::~Lookup()
{
    *m_alive = false;
    abort();
}

void Lookup::start()
{
    if (m_started)
        return;
    m_started = true;
    m_startedAt = m_rpc.scheduler().now();
    step();
}

void Lookup::abort()
{
    if (m_finished)
        return;
    m_finished = true;
    for (Candidate &c : m_candidates) {
        if (c.txid)
            m_rpc.cancel(std::exchange(c.txid, 0));
    }
}

void Lookup::add(const Contact &contact, int depth)
{
    if (contact.id == m_rpc.self() || m_seen.contains(contact.id))
        return;
    m_seen.insert(contact.id);
    Candidate c;
    c.contact = contact;
    c.distance = contact.id.distance(m_target);
    c.depth = depth;
    auto pos = std::lower_bound(m_candidates.begin(), m_candidates.end(), c.distance,
        [](const Candidate &a, const identity::NodeId &d) { return a.distance < d; });
    if (pos - m_candidates.begin() >= m_config.maxCandidates)
        return;
    m_candidates.insert(pos, c);
    if (qsizetype(m_candidates.size()) > m_config.maxCandidates) {
        Candidate &last = m_candidates.back();
        if (last.txid)
            m_rpc.cancel(last.txid);
        if (last.state == State::Asked)
            --m_active;
        m_candidates.pop_back();
    }
}

Lookup::Candidate *Lookup::findCandidate(const identity::NodeId &id)
{
    for (Candidate &c : m_candidates) {
        if (c.contact.id == id)
            return &c;
    }
    return nullptr;
}

void Lookup::ask(Candidate &candidate)
{
    candidate.state = State::Asked;
    ++m_active;
    ++m_stats.queries;
    const identity::NodeId id = candidate.contact.id;
    std::weak_ptr<bool> alive = m_alive;
    candidate.txid = m_rpc.call(
        candidate.contact, makeRequest(),
        [this, alive, id](Result<Message> result) {
            if (!alive.expired() && *alive.lock())
                onAnswer(id, std::move(result));
        },
        [this, alive, id] {
            if (!alive.expired() && *alive.lock())
                onSlow(id);
        });
}

void Lookup::onSlow(const identity::NodeId &id)
{
    Candidate *c = findCandidate(id);
    if (!c || c->state != State::Asked || m_finished)
        return;
    c->state = State::Slow;
    --m_active;
    step();
}

void Lookup::onAnswer(const identity::NodeId &id, Result<Message> result)
{
    Candidate *c = findCandidate(id);
    if (!c || m_finished)
        return;
    c->txid = 0;
    if (c->state == State::Asked)
        --m_active;
    const bool answered = result.ok() && result->kind == Kind::Response;
    if (!answered) {
        c->state = State::Failed;
        if (!result.ok())
            ++m_stats.timeouts;
        step();
        return;
    }
    c->state = State::Responded;
    c->stores = result->free >= 0;
    ++m_stats.responses;
    const Contact from = c->contact;
    const int depth = c->depth + 1;
    const Message &response = result.value();
    for (const Contact &next : response.nodes)
        add(next, depth);
    std::weak_ptr<bool> alive = m_alive;
    if (onResponse(from, response, depth)) {
        if (!alive.expired())
            finish();
        return;
    }
    if (!alive.expired())
        step();
}

void Lookup::step()
{
    if (m_finished || m_stepping)
        return;
    m_stepping = true;
    // The window is the resultCount closest candidates that have not
    // failed; they must all answer before the lookup ends. A slow one
    // stays in it but widens by one the range asked, so a window full of
    // dead nodes does not stall the lookup until their timeouts.
    int window = 0;
    int slow = 0;
    bool allAnswered = true;
    for (Candidate &c : m_candidates) {
        if (window >= m_config.resultCount + slow)
            break;
        if (c.state == State::Failed || (c.state == State::Responded && !counts(c)))
            continue;
        ++window;
        if (c.state == State::Responded)
            continue;
        if (window <= m_config.resultCount)
            allAnswered = false;
        if (c.state == State::Slow)
            ++slow;
        else if (c.state == State::Fresh && m_active < m_config.alpha)
            ask(c);
    }
    m_stepping = false;
    if (allAnswered || (m_active == 0 && window == 0))
        finish();
}

void Lookup::finish()
{
    if (m_finished)
        return;
    abort();
    m_stats.elapsed = m_rpc.scheduler().now() - m_startedAt;
    for (const Candidate &c : m_candidates) {
        if (c.state == State::Responded && counts(c)) {
            m_stats.hops = c.depth + 1;
            break;
        }
    }
    onFinished();
}

QList<Contact> Lookup::closestResponded() const
{
    QList<Contact> out;
    for (const Candidate &c : m_candidates) {
        if (out.size() >= m_config.resultCount)
            break;
        if (c.state == State::Responded && counts(c))
            out.append(c.contact);
    }
    return out;
}

FindNodeLookup::FindNodeLookup(
    Rpc &rpc, const identity::NodeId &target, const QList<Contact> &seeds, const Config &config, Done done)
    : Lookup(rpc, target, seeds, config), m_done(std::move(done))
{ }

Message FindNodeLookup::makeRequest() const
{
    Message m;
    m.op = Op::FindNode;
    m.target = target();
    m.hasTarget = true;
    return m;
}

void FindNodeLookup::onFinished()
{
    if (m_done)
        m_done(closestResponded(), stats());
}

ValueLookup::ValueLookup(
    Rpc &rpc, Message request, const QList<Contact> &seeds, const Config &config, Accept accept, Done done)
    : Lookup(rpc, request.target, seeds, config),
      m_request(std::move(request)),
      m_accept(std::move(accept)),
      m_done(std::move(done))
{ }

bool ValueLookup::onResponse(const Contact &from, const Message &response, int hops)
{
    return response.found && m_accept && m_accept(from, response, hops);
}

void ValueLookup::onFinished()
{
    if (m_done)
        m_done(closestResponded(), stats());
}

} // namespace cairn::dht
