#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace cairn::engine {
class Node;
}

namespace cairn::ui {

/// Writing a mail: To (completing the group's member names), subject,
/// body, and attachments added with a button or by dragging files in. It
/// warns, and will not send, when the attachments are more than the group
/// can store; sending errors are shown in the dialog, which stays open.
class ComposeDialog : public QDialog {
    Q_OBJECT
public:
    ComposeDialog(engine::Node &node, const QStringList &members, QWidget *parent = nullptr);

    void setRecipients(const QString &to);
    void setSubject(const QString &subject);
    void setBody(const QString &body);
    void addAttachments(const QStringList &paths);
    QStringList attachments() const;

Q_SIGNALS:
    /// The mail was handed to the outbox (it is being sent).
    void sent(const QByteArray &id);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void updateState();
    void send();
    QStringList recipients() const;

    engine::Node &m_node;
    QStringList m_members;
    QLineEdit *m_to;
    QLineEdit *m_subject;
    QPlainTextEdit *m_body;
    QListWidget *m_attachments;
    QPushButton *m_attach;
    QPushButton *m_remove;
    QLabel *m_size;
    QLabel *m_warning;
    QPushButton *m_send;
    bool m_sending = false;
};

} // namespace cairn::ui
