#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTimer;

namespace cairn::engine {
class Node;
}

namespace cairn::ui {

class ContactList;
class ContactsModel;

/// The group's members with their online state. Dropping files on a name,
/// or "Send files…" in its context menu, sends them; "Write mail…" opens
/// the composer addressed to them.
class ContactsPage : public QWidget {
    Q_OBJECT
public:
    explicit ContactsPage(QWidget *parent = nullptr);

    /// Follows this node (null: none, while it restarts).
    void bind(engine::Node *node);
    /// Asks the group for its members again.
    void refresh();
    ContactsModel *model() const { return m_model; }
    ContactList *list() const { return m_list; }

Q_SIGNALS:
    void sendFiles(const QString &username, const QStringList &paths);
    void writeMail(const QString &username);

private:
    void refreshOnline();
    QString currentUsername() const;
    void chooseFiles(const QString &username);
    void showMenu(const QPoint &pos);

    engine::Node *m_node = nullptr;
    ContactsModel *m_model;
    ContactList *m_list;
    QLabel *m_status;
    QPushButton *m_send;
    QPushButton *m_mail;
    QTimer *m_onlineTimer;
};

} // namespace cairn::ui
