#include "ui/format.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace cairn::ui {

QString formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(qMax<qint64>(0, bytes), 1, QLocale::DataSizeIecFormat);
}

QString formatBytesRate(double bytesPerSecond)
{
    double v = std::isfinite(bytesPerSecond) ? std::max(bytesPerSecond, 0.0) : 0.0;
    QLocale locale; // the decimal comma where it belongs; no "1,023"
    locale.setNumberOptions(QLocale::OmitGroupSeparator);
    if (v < 1024)
        return QCoreApplication::translate("Format", "%1 B/s").arg(locale.toString(std::round(v), 'f', 0));
    static const char *const units[]
        = {QT_TRANSLATE_NOOP("Format", "%1 KiB/s"), QT_TRANSLATE_NOOP("Format", "%1 MiB/s"),
            QT_TRANSLATE_NOOP("Format", "%1 GiB/s"), QT_TRANSLATE_NOOP("Format", "%1 TiB/s")};
    int unit = -1;
    while (v >= 1024 && unit < 3) {
        v /= 1024;
        ++unit;
    }
    const int decimals = v < 10 ? 2 : v < 100 ? 1 : 0;
    return QCoreApplication::translate("Format", units[unit]).arg(locale.toString(v, 'f', decimals));
}

QString formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return QCoreApplication::translate("Format", "%1 s").arg(seconds);
    if (seconds < 3600)
        return QCoreApplication::translate("Format", "%1 min").arg((seconds + 30) / 60);
    return QCoreApplication::translate("Format", "%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

QString formatTime(qint64 unixMs)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(unixMs);
    // Minutes are enough in a list; some locales' short format has seconds.
    QString time = QLocale().timeFormat(QLocale::ShortFormat);
    time.remove(QStringLiteral(":ss"));
    if (t.date() == QDate::currentDate())
        return QLocale().toString(t.time(), time);
    return QLocale().toString(t.date(), QLocale::ShortFormat) + QLatin1Char(' ') + QLocale().toString(t.time(), time);
}

} // namespace cairn::ui
