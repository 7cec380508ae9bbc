#pragma once

#include "core/identity/profile.h"

#include <QMainWindow>

#include <memory>

class QStackedWidget;

namespace cairn::ui {

class IdentityPage;

/// The desktop window: onboarding on first start, unlock on later starts,
/// then the unlocked identity. Geometry is remembered per profile.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QString profileDir, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// The unlocked identity, or null while locked.
    const identity::LocalIdentity *identity() const { return m_identity.get(); }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void showUnlock();
    void showIdentity(std::shared_ptr<identity::LocalIdentity> identity);
    QString settingsPath() const;

    QString m_profileDir;
    QStackedWidget *m_pages;
    IdentityPage *m_identityPage;
    std::shared_ptr<identity::LocalIdentity> m_identity;
};

} // namespace cairn::ui
