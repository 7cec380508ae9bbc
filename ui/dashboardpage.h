#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;
class QTreeWidget;

namespace cairn::engine {
class Node;
}

namespace cairn::ui {

class BandwidthChart;
class QrCodeWidget;

/// The operator's view of the group their node runs: invites (as a link
/// and a QR code), requests waiting for approval, members and their
/// devices with revoke, the signing policy and revocation list version,
/// donated storage, sessions, bandwidth over the last hour and DHT health.
class DashboardPage : public QWidget {
    Q_OBJECT
public:
    explicit DashboardPage(QWidget *parent = nullptr);

    void bind(engine::Node *node);
    void refreshPending();
    void refreshMembers();
    void refreshStats();
    QLineEdit *inviteLink() const { return m_link; }

private:
    void createInvite();
    void approve(bool yes);
    void revoke();
    void showError(const QString &message);

    engine::Node *m_node = nullptr;
    QSpinBox *m_uses;
    QComboBox *m_expiry;
    QPushButton *m_invite;
    QLineEdit *m_link;
    QPushButton *m_copy;
    QrCodeWidget *m_qr;
    QTreeWidget *m_pending;
    QPushButton *m_approve;
    QPushButton *m_deny;
    QTreeWidget *m_members;
    QPushButton *m_revoke;
    QLabel *m_policy;
    QProgressBar *m_storage;
    QLabel *m_network;
    QLabel *m_dht;
    BandwidthChart *m_chart;
    QLabel *m_error;
    QTimer *m_timer;
};

} // namespace cairn::ui
