#include "ui/appsettings.h"

#include <QDir>
#include <QHostAddress>
#include <QSettings>
#include <QStandardPaths>

namespace cairn::ui {

QString AppSettings::path(const QString &profileDir)
{
    return QDir(profileDir).filePath(QStringLiteral("settings.ini"));
}

AppSettings AppSettings::load(const QString &profileDir)
{
    const QSettings s(path(profileDir), QSettings::IniFormat);
    AppSettings a;
    a.donate = s.value(QStringLiteral("storage/donate"), a.donate).toBool();
    a.quotaBytes = qMax(kMinQuota, s.value(QStringLiteral("storage/quota"), a.quotaBytes).toLongLong());
    a.storageDir = s.value(QStringLiteral("storage/location")).toString();
    a.listenPort = s.value(QStringLiteral("network/port"), 0).toInt();
    if (a.listenPort < 0 || a.listenPort > 65535)
        a.listenPort = 0;
    bool ok = false;
    const double p = s.value(QStringLiteral("mail/reliability"), a.reliability).toDouble(&ok);
    if (ok && p > 0 && p < 1)
        a.reliability = p;
    a.downloadDir = s.value(QStringLiteral("mail/downloads")).toString();
    a.language = s.value(QStringLiteral("ui/language")).toString();
    a.listenHost = s.value(QStringLiteral("advanced/listen-host")).toString();
    a.pollSeconds = qBound(1, s.value(QStringLiteral("advanced/poll-seconds"), a.pollSeconds).toInt(), 24 * 3600);
    a.minCopies = qBound(1, s.value(QStringLiteral("advanced/min-copies"), a.minCopies).toInt(), 16);
    return a;
}

bool AppSettings::save(const QString &profileDir, QString *why) const
{
    QSettings s(path(profileDir), QSettings::IniFormat);
    s.setValue(QStringLiteral("storage/donate"), donate);
    s.setValue(QStringLiteral("storage/quota"), quotaBytes);
    s.setValue(QStringLiteral("storage/location"), storageDir);
    s.setValue(QStringLiteral("network/port"), listenPort);
    s.setValue(QStringLiteral("mail/reliability"), reliability);
    s.setValue(QStringLiteral("mail/downloads"), downloadDir);
    s.setValue(QStringLiteral("ui/language"), language);
    s.sync();
    if (s.status() != QSettings::NoError) {
        if (why)
            *why = QStringLiteral("cannot write %1").arg(path(profileDir));
        return false;
    }
    return true;
}

QString AppSettings::effectiveDownloadDir() const
{
    if (!downloadDir.isEmpty())
        return downloadDir;
    const QString standard = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    return standard.isEmpty() ? QDir::homePath() : standard;
}

engine::NodeConfig AppSettings::toNodeConfig(const QString &profileDir) const
{
    engine::NodeConfig c;
    c.profileDir = profileDir;
    if (!listenHost.isEmpty() && !QHostAddress(listenHost).isNull())
        c.listen.address = QHostAddress(listenHost);
    c.listen.port = quint16(listenPort);
    c.mailPollSeconds = pollSeconds;
    c.minCopies = minCopies;
    c.donateBytes = donate ? quotaBytes : 0;
    c.storeDir = storageDir;
    c.targetSuccess = reliability;
    c.downloadDir = effectiveDownloadDir();
    // A drop dragged onto your name lands in your download folder by itself:
    // that is what a desktop user expects of "send".
    c.autoReceive = true;
    return c;
}

} // namespace cairn::ui
