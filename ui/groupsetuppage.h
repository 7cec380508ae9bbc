#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QStackedWidget;

namespace cairn::ui {

class NodeHost;

/// After the identity exists but before it belongs to a group: "Create a
/// group" (this profile becomes its operator) or "Join with an invite"
/// (pasted, or opened as a cairn:// link). A join the operator must approve
/// shows as waiting; the node keeps asking, also after a restart.
class GroupSetupPage : public QWidget {
    Q_OBJECT
public:
    GroupSetupPage(NodeHost &host, QWidget *parent = nullptr);

    /// Puts an invite link into the join form (from a cairn:// link).
    void setInviteLink(const QString &link);
    /// Shows the waiting state (a join is pending at the operator).
    void showPending(const QString &message);

    /// A username made from a display name: lower case, [a-z0-9._-].
    static QString suggestUsername(const QString &displayName);

private:
    void updateState();
    void createGroup();
    void joinGroup();
    void setBusy(bool busy);
    void showError(const QString &message);

    NodeHost &m_host;
    QLineEdit *m_username;
    QRadioButton *m_createChoice;
    QRadioButton *m_joinChoice;
    QStackedWidget *m_forms;
    QLineEdit *m_groupName;
    QComboBox *m_policy;
    QSpinBox *m_quota;
    QLineEdit *m_link;
    QLabel *m_inviteInfo;
    QLabel *m_error;
    QLabel *m_pending;
    QProgressBar *m_busy;
    QPushButton *m_go;
};

} // namespace cairn::ui
