#include "ui/contactlist.h"

#include "ui/contactsmodel.h"

#include <QDragEnterEvent>
#include <QFileInfo>
#include <QMimeData>

namespace cairn::ui {

ContactList::ContactList(ContactsModel *model, QWidget *parent) : QListView(parent), m_model(model)
{
    setModel(model);
    setAcceptDrops(true);
    viewport()->setAcceptDrops(true);
    setDragDropMode(QAbstractItemView::DropOnly);
    setDropIndicatorShown(false); // the whole row lights up instead
    setIconSize(QSize(16, 16));
    setSpacing(2);
    setUniformItemSizes(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setContextMenuPolicy(Qt::CustomContextMenu);
}

QStringList ContactList::localPaths(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    QStringList paths;
    for (const QUrl &url : mime->urls()) {
        if (!url.isLocalFile() || !QFileInfo::exists(url.toLocalFile()))
            return {};
        paths << url.toLocalFile();
    }
    return paths;
}

void ContactList::dragEnterEvent(QDragEnterEvent *event)
{
    if (localPaths(event->mimeData()).isEmpty())
        return event->ignore();
    event->acceptProposedAction();
}

void ContactList::dragMoveEvent(QDragMoveEvent *event)
{
    const QModelIndex index = indexAt(event->position().toPoint());
    const QStringList paths = localPaths(event->mimeData());
    if (!index.isValid() || paths.isEmpty()) {
        m_model->setDropTarget(-1);
        Q_EMIT dropHint(QString());
        return event->ignore();
    }
    if (m_model->dropTarget() != index.row()) {
        const QString what
            = paths.size() == 1 ? QFileInfo(paths.first()).fileName() : tr("%n item(s)", nullptr, int(paths.size()));
        Q_EMIT dropHint(tr("Drop to send %1 to %2, end-to-end encrypted.")
                            .arg(what, index.data(ContactsModel::UsernameRole).toString()));
    }
    m_model->setDropTarget(index.row());
    event->setDropAction(Qt::CopyAction);
    event->accept(visualRect(index));
}

void ContactList::dragLeaveEvent(QDragLeaveEvent *event)
{
    m_model->setDropTarget(-1);
    Q_EMIT dropHint(QString());
    event->accept();
}

void ContactList::dropEvent(QDropEvent *event)
{
    m_model->setDropTarget(-1);
    Q_EMIT dropHint(QString());
    const QModelIndex index = indexAt(event->position().toPoint());
    const QStringList paths = localPaths(event->mimeData());
    if (!index.isValid() || paths.isEmpty())
        return event->ignore();
    event->setDropAction(Qt::CopyAction);
    event->accept();
    Q_EMIT filesDropped(index.data(ContactsModel::UsernameRole).toString(), paths);
}

} // namespace cairn::ui
