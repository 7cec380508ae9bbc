#pragma once

#include "core/identity/profile.h"
#include "ui/unlockedprofile.h"

#include <QMainWindow>

#include <memory>

class QStackedWidget;
class QSystemTrayIcon;

namespace cairn::ui {

class GroupSetupPage;
class NodeHost;
class Workspace;

/// The desktop window: onboarding on first start, unlock on later starts,
/// then the group set-up until this profile is a member, then the
/// workspace. The unlocked node serves the same control socket as
/// `cairnd`. Geometry and view state are remembered per profile.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QString profileDir, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// The unlocked identity, or null while locked.
    const identity::LocalIdentity *identity() const { return m_identity.get(); }
    NodeHost *host() const { return m_host.get(); }
    Workspace *workspace() const { return m_workspace; }
    /// A cairn://join/… link from the command line or the desktop: it fills
    /// the join form now, or once the profile is unlocked. Why it cannot be
    /// used (this profile is in a group already), or empty.
    QString openLink(const QString &link);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void showUnlock();
    void unlocked(UnlockedProfilePtr profile);
    void showForMembership();
    void showPage(QWidget *page);
    void setUpTray();
    void saveState();
    QString settingsPath() const;

    QString m_profileDir;
    QStackedWidget *m_pages;
    std::unique_ptr<NodeHost> m_host;
    std::shared_ptr<identity::LocalIdentity> m_identity;
    GroupSetupPage *m_setup = nullptr;
    Workspace *m_workspace = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QString m_pendingLink;
};

} // namespace cairn::ui
