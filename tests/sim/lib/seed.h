#pragma once

#include <QString>
#include <QtGlobal>

namespace cairn::sim {

/// The seed for a simulated run: CAIRN_SIM_SEED if set (decimal, 0x-hex,
/// or "random" for a fresh one from the OS), else `fallback`. A value that
/// does not parse is reported on the log and the fallback is used.
quint64 seedFromEnv(quint64 fallback);

/// "sim seed: N (replay with CAIRN_SIM_SEED=N)", for logs and failure messages.
QString replayHint(quint64 seed);

} // namespace cairn::sim
