#include "core/engine/nodeconfig.h"

#include <QRegularExpression>

namespace cairn::engine {

namespace {

// Digits then an optional unit; the unit's factor, or -1 if unknown.
qint64 parseWithUnits(const QString &text, const QList<std::pair<QString, qint64>> &units)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d{1,15})\\s*([A-Za-z]*)\\s*$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return -1;
    const qint64 number = match.captured(1).toLongLong();
    const QString unit = match.captured(2).toLower();
    for (const auto &[name, factor] : units) {
        if (unit == name) {
            if (factor != 0 && number > std::numeric_limits<qint64>::max() / factor)
                return -1;
            return number * factor;
        }
    }
    return -1;
}

} // namespace

qint64 parseSize(const QString &text)
{
    const qint64 k = 1024;
    return parseWithUnits(text,
        {{QString(), 1}, {QStringLiteral("b"), 1}, {QStringLiteral("k"), k}, {QStringLiteral("kb"), k},
            {QStringLiteral("kib"), k}, {QStringLiteral("m"), k * k}, {QStringLiteral("mb"), k * k},
            {QStringLiteral("mib"), k * k}, {QStringLiteral("g"), k * k * k}, {QStringLiteral("gb"), k * k * k},
            {QStringLiteral("gib"), k * k * k}, {QStringLiteral("t"), k * k * k * k},
            {QStringLiteral("tb"), k * k * k * k}, {QStringLiteral("tib"), k * k * k * k}});
}

qint64 parseDuration(const QString &text)
{
    return parseWithUnits(text,
        {{QString(), 1}, {QStringLiteral("s"), 1}, {QStringLiteral("m"), 60}, {QStringLiteral("min"), 60},
            {QStringLiteral("h"), 3600}, {QStringLiteral("d"), 86400}, {QStringLiteral("w"), 7 * 86400}});
}

} // namespace cairn::engine
