#pragma once

#include "core/identity/profile.h"
#include "ui/unlockedprofile.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace cairn::ui {

/// Later starts: the passphrase unlocks the profile's keystore. Argon2id runs
/// on a worker thread; a wrong passphrase is said inline.
class UnlockPage : public QWidget {
    Q_OBJECT
public:
    explicit UnlockPage(QString profileDir, QWidget *parent = nullptr);

Q_SIGNALS:
    void unlocked(cairn::ui::UnlockedProfilePtr profile);

private:
    void unlock();

    QString m_profileDir;
    QLineEdit *m_passphrase;
    QLabel *m_error;
    QProgressBar *m_busy;
    QPushButton *m_unlock;
};

} // namespace cairn::ui
