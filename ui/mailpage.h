#pragma once

#include "core/mail/mailbox.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSplitter;
class QTextBrowser;
class QTreeWidget;

namespace cairn::engine {
class Node;
}

namespace cairn::ui {

/// Mail: the folders (Inbox, Outbox while sending, Sent, Trash) with unread
/// counts, the list of the chosen folder with search by sender and
/// subject, and a reading pane with the attachments. Opening a mail marks
/// it read.
class MailPage : public QWidget {
    Q_OBJECT
public:
    explicit MailPage(QWidget *parent = nullptr);

    void bind(engine::Node *node);
    /// Reloads the counts, the list and the open mail.
    void refresh();
    void showFolder(mail::Folder folder);
    /// Opens a mail by id (e.g. from a notification).
    void openMail(const QByteArray &id);
    QByteArray currentMailId() const { return m_current; }
    QSplitter *splitter() const { return m_splitter; }

Q_SIGNALS:
    void compose(const QString &to, const QString &subject, const QString &quote);
    void unreadChanged(qint64 inboxUnread);

private:
    mail::Mailbox *mailbox() const;
    void connectMessaging();
    void loadList();
    void showMail(const QByteArray &id);
    void reply();
    void deleteCurrent();
    void receiveAttachments();
    void openAttachmentFolder();
    void reportError(const QString &what, const QString &message);

    engine::Node *m_node = nullptr;
    mail::Folder m_folder = mail::Folder::Inbox;
    QByteArray m_current;
    QSplitter *m_splitter;
    QListWidget *m_folders;
    QLineEdit *m_search;
    QTreeWidget *m_list;
    QLabel *m_header;
    QTextBrowser *m_body;
    QListWidget *m_attachments;
    QPushButton *m_reply;
    QPushButton *m_delete;
    QPushButton *m_receive;
    QPushButton *m_openFolder;
    QLabel *m_error;
};

} // namespace cairn::ui
