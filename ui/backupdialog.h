#pragma once

#include "ui/unlockedprofile.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace cairn::ui {

/// Export or restore an encrypted backup of the profile (keys, group
/// membership, the CA database of an operator, settings), under a
/// passphrase chosen for it. The slow part (Argon2id) runs off the window's
/// thread; errors are said in the dialog, which stays open.
class BackupDialog : public QDialog {
    Q_OBJECT
public:
    enum class Mode { Export, Restore };

    /// Export: of `profileDir` with the unlocked `keys`. Restore: into
    /// `profileDir`, which holds no profile yet (`keys` is unused).
    BackupDialog(Mode mode, QString profileDir, const crypto::KeystoreContents *keys, QWidget *parent = nullptr);

    void setPath(const QString &path);

Q_SIGNALS:
    /// Restore: the profile is back and unlocked.
    void restored(cairn::ui::UnlockedProfilePtr profile);

private:
    void updateState();
    void run();

    Mode m_mode;
    QString m_profileDir;
    std::shared_ptr<crypto::KeystoreContents> m_keys;
    QLineEdit *m_path;
    QLineEdit *m_passphrase;
    QLineEdit *m_confirm;
    QLabel *m_hint;
    QLabel *m_error;
    QProgressBar *m_busy;
    QPushButton *m_ok;
};

} // namespace cairn::ui
