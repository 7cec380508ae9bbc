#include "core/dht/rpc.h"

#include "core/base/log.h"

namespace cairn::dht {

Rpc::Rpc(net::MessageTransport &transport, base::Scheduler &scheduler, base::Rng &rng, const identity::NodeId &self,
    const Config &config)
    : m_transport(transport), m_scheduler(scheduler), m_rng(rng), m_self(self), m_config(config)
{
    m_transport.setReceiveHandler(
        [this](const base::Endpoint &from, const QByteArray &bytes) { onMessage(from, bytes); });
}

Rpc::~Rpc()
{
    m_transport.setReceiveHandler({});
    for (const Pending &p : std::as_const(m_pending)) {
        if (p.retransmitTimer)
            m_scheduler.cancel(p.retransmitTimer);
        if (p.slowTimer)
            m_scheduler.cancel(p.slowTimer);
    }
}

base::Duration Rpc::slowThreshold(const base::Endpoint &endpoint) const
{
    auto it = m_estimates.constFind(endpoint);
    return it != m_estimates.cend() ? it->slowThreshold() : m_overall.slowThreshold();
}

base::Duration Rpc::retransmitTimeout(const base::Endpoint &endpoint) const
{
    auto it = m_estimates.constFind(endpoint);
    if (it != m_estimates.cend())
        return it->retransmitTimeout();
    // A peer we have never heard from gets the overall estimate, with room
    // for it being farther than the average.
    return m_overall.hasSample() ? std::min(2 * m_overall.retransmitTimeout(), RttEstimator::kMaxTimeout)
                                 : RttEstimator::kInitialTimeout;
}

quint64 Rpc::call(const Contact &to, Message request, Done done, Slow slow)
{
    quint64 txid = 0;
    do {
        txid = m_rng.next64();
    } while (txid == 0 || m_pending.contains(txid));
    request.kind = Kind::Request;
    request.txid = txid;
    request.sender = m_self;
    Pending p;
    p.to = to;
    p.op = request.op;
    p.bytes = request.encode();
    p.done = std::move(done);
    p.slow = std::move(slow);
    m_pending.insert(txid, std::move(p));
    if (m_inFlight < m_config.maxInFlight)
        start(txid);
    else
        m_queue.push_back(txid);
    return txid;
}

void Rpc::start(quint64 txid)
{
    Pending &p = m_pending[txid];
    p.started = true;
    p.firstSent = m_scheduler.now();
    ++m_inFlight;
    if (p.slow) {
        p.slowTimer = m_scheduler.callAfter(slowThreshold(p.to.endpoint), [this, txid] {
            auto it = m_pending.find(txid);
            if (it == m_pending.end())
                return;
            it->slowTimer = 0;
            Slow slow = std::move(it->slow);
            it->slow = {};
            if (slow)
                slow();
        });
    }
    transmit(txid);
}

void Rpc::transmit(quint64 txid)
{
    Pending &p = m_pending[txid];
    const base::Duration timeout = retransmitTimeout(p.to.endpoint) * (1 << p.attempts);
    ++p.attempts;
    ++m_requestsSent;
    m_bytesSent += quint64(p.bytes.size());
    m_transport.send(p.to.endpoint, p.bytes);
    p.retransmitTimer = m_scheduler.callAfter(
        std::min(timeout, RttEstimator::kMaxTimeout), [this, txid] { onRetransmitTimer(txid); });
}

void Rpc::onRetransmitTimer(quint64 txid)
{
    auto it = m_pending.find(txid);
    if (it == m_pending.end())
        return;
    it->retransmitTimer = 0;
    if (it->attempts <= m_config.retransmits) {
        transmit(txid);
        return;
    }
    ++m_timeouts;
    const Contact to = it->to;
    finish(txid, base::fail(DhtError::Timeout, QStringLiteral("no answer from %1").arg(to.endpoint.toString())));
    if (m_onFailure && to.id != identity::NodeId())
        m_onFailure(to);
}

void Rpc::finish(quint64 txid, Result<Message> result)
{
    auto it = m_pending.find(txid);
    if (it == m_pending.end())
        return;
    Pending p = std::move(*it);
    m_pending.erase(it);
    if (p.retransmitTimer)
        m_scheduler.cancel(p.retransmitTimer);
    if (p.slowTimer)
        m_scheduler.cancel(p.slowTimer);
    if (p.started)
        --m_inFlight;
    startQueued();
    if (p.done)
        p.done(std::move(result));
}

void Rpc::cancel(quint64 txid)
{
    auto it = m_pending.find(txid);
    if (it == m_pending.end())
        return;
    it->done = {};
    if (!it->started) {
        m_queue.erase(std::remove(m_queue.begin(), m_queue.end(), txid), m_queue.end());
        m_pending.erase(it);
        return;
    }
    finish(txid, base::fail(DhtError::Cancelled, QString()));
}

void Rpc::startQueued()
{
    while (m_inFlight < m_config.maxInFlight && !m_queue.empty()) {
        const quint64 txid = m_queue.front();
        m_queue.pop_front();
        if (m_pending.contains(txid))
            start(txid);
    }
}

void Rpc::respond(const base::Endpoint &to, const Message &response)
{
    const QByteArray bytes = response.encode();
    m_bytesSent += quint64(bytes.size());
    m_transport.send(to, bytes);
}

void Rpc::sample(const base::Endpoint &endpoint, base::Duration rtt)
{
    auto it = m_estimates.find(endpoint);
    if (it == m_estimates.end()) {
        // Forget an arbitrary peer rather than grow without bound.
        if (m_estimates.size() >= m_config.maxEstimates)
            m_estimates.erase(m_estimates.begin());
        it = m_estimates.insert(endpoint, RttEstimator());
    }
    it->addSample(rtt);
    m_overall.addSample(rtt);
}

void Rpc::onMessage(const base::Endpoint &from, const QByteArray &bytes)
{
    m_bytesReceived += quint64(bytes.size());
    auto decoded = Message::decode(bytes);
    if (!decoded.ok()) {
        qCDebug(lcDht) << "dropped from" << from.toString() << ":" << decoded.message();
        return;
    }
    Message &message = decoded.value();
    if (message.sender == m_self)
        return;
    if (m_senderCheck && !m_senderCheck(from, message.sender)) {
        qCDebug(lcDht) << "dropped from" << from.toString() << ": sender id does not match its certificate";
        return;
    }
    const Contact contact {message.sender, from};
    if (message.kind == Kind::Request) {
        if (m_onContact)
            m_onContact(contact);
        if (m_onRequest)
            m_onRequest(contact, message);
        return;
    }
    auto it = m_pending.find(message.txid);
    if (it == m_pending.end() || !it->started || it->to.endpoint != from)
        return;
    if (it->to.id != identity::NodeId() && it->to.id != message.sender)
        return;
    if (message.op != it->op)
        return;
    // Karn's rule: a retransmitted request's answer says nothing certain
    // about the RTT.
    if (it->attempts == 1)
        sample(from, m_scheduler.now() - it->firstSent);
    if (m_onContact)
        m_onContact(contact);
    finish(message.txid, std::move(message));
}

} // namespace cairn::dht
