#pragma once

#include <QString>

namespace cairn::ui {

/// "0 B", "12.3 KiB", "4.56 GiB".
QString formatBytes(qint64 bytes);
/// "0 B/s", "512 B/s", "12.3 KiB/s", "4.56 MiB/s": three significant
/// digits once past bytes, the locale's decimal sign.
QString formatBytesRate(double bytesPerSecond);
/// "45 s", "3 min", "2 h 5 min"; empty if unknown (negative).
QString formatDuration(qint64 seconds);
/// A local date and time for unix milliseconds; today's show only the time.
QString formatTime(qint64 unixMs);

} // namespace cairn::ui
