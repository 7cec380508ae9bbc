#include "tests/sim/lib/seed.h"

#include "core/base/log.h"
#include "core/base/rng.h"

namespace cairn::sim {

quint64 seedFromEnv(quint64 fallback)
{
    const QString text = qEnvironmentVariable("CAIRN_SIM_SEED").trimmed();
    if (text.isEmpty())
        return fallback;
    if (text.compare(QLatin1String("random"), Qt::CaseInsensitive) == 0)
        return base::SodiumRng().next64();
    bool ok = false;
    quint64 seed = 0;
    if (text.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
        seed = text.mid(2).toULongLong(&ok, 16);
    else
        seed = text.toULongLong(&ok, 10);
    if (!ok) {
        qCWarning(lcSim) << "CAIRN_SIM_SEED" << text << "is not a number; using" << fallback;
        return fallback;
    }
    return seed;
}

QString replayHint(quint64 seed)
{
    return QStringLiteral("sim seed: %1 (replay with CAIRN_SIM_SEED=%1)").arg(seed);
}

} // namespace cairn::sim
