#include "core/engine/nodestats.h"

namespace cairn::engine {

void RateMeter::record(qint64 atMs, quint64 bytesIn, quint64 bytesOut)
{
    m_samples.append({atMs, bytesIn, bytesOut});
    while (m_samples.size() > kHistorySeconds + 1)
        m_samples.removeFirst();
}

double RateMeter::rate(bool in) const
{
    if (m_samples.size() < 2)
        return 0;
    const Sample &last = m_samples.last();
    const Sample &first = m_samples.at(std::max<qsizetype>(0, m_samples.size() - 1 - kRateWindow));
    const qint64 ms = last.atMs - first.atMs;
    if (ms <= 0)
        return 0;
    const quint64 bytes = in ? last.bytesIn - first.bytesIn : last.bytesOut - first.bytesOut;
    return double(bytes) * 1000.0 / double(ms);
}

double RateMeter::rateIn() const
{
    return rate(true);
}
double RateMeter::rateOut() const
{
    return rate(false);
}

QJsonObject NodeStats::toJson() const
{
    return QJsonObject {
        {QStringLiteral("state"), state},
        {QStringLiteral("group"), groupName},
        {QStringLiteral("username"), username},
        {QStringLiteral("operator"), isOperator},
        {QStringLiteral("listen"), listen},
        {QStringLiteral("nodeId"), nodeId},
        {QStringLiteral("storage"),
            QJsonObject {{QStringLiteral("used"), storageUsed}, {QStringLiteral("quota"), storageQuota},
                {QStringLiteral("items"), storedItems}}},
        {QStringLiteral("sessions"), sessions},
        {QStringLiteral("peers"), certifiedPeers},
        {QStringLiteral("routingTable"), routingTableSize},
        {QStringLiteral("bandwidth"),
            QJsonObject {{QStringLiteral("bytesIn"), double(bytesIn)}, {QStringLiteral("bytesOut"), double(bytesOut)},
                {QStringLiteral("rateIn"), rateIn}, {QStringLiteral("rateOut"), rateOut}}},
        {QStringLiteral("members"), members},
        {QStringLiteral("pending"), pending},
        {QStringLiteral("revocations"), revocations},
        {QStringLiteral("crlVersion"), double(crlVersion)},
        {QStringLiteral("lookups"),
            QJsonObject {{QStringLiteral("total"), double(lookups)},
                {QStringLiteral("succeeded"), double(lookupsSucceeded)},
                {QStringLiteral("successRate"), lookupSuccessRate()}}},
        {QStringLiteral("security"),
            QJsonObject {{QStringLiteral("handshakesCompleted"), double(handshakesCompleted)},
                {QStringLiteral("handshakesRejected"), double(handshakesRejected)},
                {QStringLiteral("replaysRejected"), double(replaysRejected)},
                {QStringLiteral("junkRejected"), double(junkRejected)},
                {QStringLiteral("rateLimited"), double(rateLimited)},
                {QStringLiteral("cookiesSent"), double(cookiesSent)}}},
        {QStringLiteral("certificateExpires"), certificateExpires},
    };
}

} // namespace cairn::engine
