#pragma once

#include "core/identity/profile.h"
#include "ui/unlockedprofile.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace cairn::ui {

/// First start: choose a display name and a passphrase (with a strength
/// hint and a confirmation), then the identity is created off the main thread.
class OnboardingPage : public QWidget {
    Q_OBJECT
public:
    explicit OnboardingPage(QString profileDir, QWidget *parent = nullptr);

Q_SIGNALS:
    void identityCreated(cairn::ui::UnlockedProfilePtr profile);

private:
    void updateState();
    void create();

    QString m_profileDir;
    QLineEdit *m_name;
    QLineEdit *m_passphrase;
    QLineEdit *m_confirm;
    QLabel *m_strength;
    QLabel *m_error;
    QProgressBar *m_busy;
    QPushButton *m_create;
};

} // namespace cairn::ui
