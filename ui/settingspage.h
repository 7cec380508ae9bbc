#pragma once

#include "ui/appsettings.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QDoubleSpinBox;

namespace cairn::ui {

class NodeHost;
class QrCodeWidget;

/// Settings: donated storage (on/off, quota, what is used now, where),
/// the listen port, the wanted reliability, the download folder and the
/// language; and the identity (fingerprint, as text and QR code).
/// "Apply" saves them in the profile and restarts the node when needed.
class SettingsPage : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPage(NodeHost &host, QWidget *parent = nullptr);

    /// Shows the saved settings and the node's figures again.
    void reload();
    /// Applies what the form says; false (and the reason shown) on failure.
    bool apply();

Q_SIGNALS:
    void languageChanged(const QString &language);

private:
    AppSettings fromForm() const;
    void updateState();
    void updateUsage();

    NodeHost &m_host;
    QCheckBox *m_donate;
    QDoubleSpinBox *m_quota;
    QLabel *m_used;
    QLineEdit *m_storageDir;
    QSpinBox *m_port;
    QComboBox *m_reliability;
    QLineEdit *m_downloads;
    QComboBox *m_language;
    QLabel *m_fingerprint;
    QrCodeWidget *m_qr;
    QLabel *m_message;
    QPushButton *m_apply;
};

} // namespace cairn::ui
