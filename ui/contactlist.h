#pragma once

#include <QListView>

namespace cairn::ui {

class ContactsModel;

/// The contact list as a drop target: files and folders dragged from the
/// desktop onto a name are sent to that person; the name under the drag is
/// highlighted, and a drag over empty space is refused.
class ContactList : public QListView {
    Q_OBJECT
public:
    ContactList(ContactsModel *model, QWidget *parent = nullptr);

    /// Local files and folders in a drag; empty if it carries anything else.
    static QStringList localPaths(const QMimeData *mime);

Q_SIGNALS:
    void filesDropped(const QString &username, const QStringList &paths);
    /// While dragging: what a drop here would send to whom ("" when none).
    void dropHint(const QString &text);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    ContactsModel *m_model;
};

} // namespace cairn::ui
