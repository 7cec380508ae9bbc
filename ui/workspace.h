#pragma once

#include <QTabWidget>

class QSystemTrayIcon;

namespace cairn::engine {
class Node;
}

namespace cairn::ui {

class ContactsPage;
class DashboardPage;
class MailPage;
class NodeHost;
class SettingsPage;
class TransfersPage;

/// The unlocked member's window content: Contacts, Mail, Transfers,
/// Settings, and the Dashboard when this profile runs the group. It turns
/// the pages' requests (send these files, write to her) into engine calls
/// and says what happened, in the status bar or a dialog.
class Workspace : public QTabWidget {
    Q_OBJECT
public:
    Workspace(NodeHost &host, QWidget *parent = nullptr);
    ~Workspace() override;

    ContactsPage *contacts() const { return m_contacts; }
    MailPage *mail() const { return m_mail; }
    TransfersPage *transfers() const { return m_transfers; }
    SettingsPage *settings() const { return m_settings; }
    /// Null unless this profile runs the group.
    DashboardPage *dashboard() const { return m_dashboard; }

    /// Sends files and folders to one member as a drop.
    void sendFiles(const QString &username, const QStringList &paths);
    /// Opens the composer; it is non-modal, several may be open.
    void compose(const QString &to, const QString &subject = {}, const QString &body = {});

    QByteArray saveState() const;
    void restoreState(const QByteArray &state);

Q_SIGNALS:
    /// A short message for the status bar.
    void status(const QString &message);
    /// Something worth a desktop notification (new mail, a finished download).
    void notify(const QString &title, const QString &message);
    void languageChanged(const QString &language);

private:
    void bind(engine::Node *node);
    void updateDashboard();

    NodeHost &m_host;
    engine::Node *m_node = nullptr;
    ContactsPage *m_contacts;
    MailPage *m_mail;
    TransfersPage *m_transfers;
    SettingsPage *m_settings;
    DashboardPage *m_dashboard = nullptr;
};

} // namespace cairn::ui
