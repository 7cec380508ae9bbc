#include "ui/format.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

namespace cairn::ui {

QString formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(qMax<qint64>(0, bytes), 1, QLocale::DataSizeIecFormat);
}

QString formatBytesRate(double bytesPerSecond)
{
    if (bytesPerSecond <= 0)
        return QStringLiteral("—");
    return QCoreApplication::translate("Format", "%1/s").arg(formatBytes(qint64(bytesPerSecond)));
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
