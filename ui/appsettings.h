#pragma once

#include "core/engine/nodeconfig.h"

#include <QString>

namespace cairn::ui {

/// What the desktop user chose in Settings, kept in `settings.ini` in the
/// profile (so a second profile has its own), and the NodeConfig it gives.
struct AppSettings {
    static constexpr qint64 kDefaultQuota = qint64(2) << 30;
    static constexpr qint64 kMinQuota = qint64(64) << 20;

    bool donate = false;
    qint64 quotaBytes = kDefaultQuota;
    QString storageDir; // empty: the profile directory
    int listenPort = 0; // 0: any free port
    double reliability = 0.9999;
    QString downloadDir; // empty: ~/Downloads (or home)
    QString language; // empty: the system's; "en", "de"

    // Only in the file ([advanced]), for servers and tests.
    QString listenHost; // empty: every interface
    int pollSeconds = 30;
    int minCopies = 3;

    static QString path(const QString &profileDir);
    static AppSettings load(const QString &profileDir);
    /// False (with the reason) when the file cannot be written.
    bool save(const QString &profileDir, QString *why = nullptr) const;

    /// The download folder to use now.
    QString effectiveDownloadDir() const;
    engine::NodeConfig toNodeConfig(const QString &profileDir) const;
};

} // namespace cairn::ui
