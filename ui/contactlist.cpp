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
    if (!index.isValid() || localPaths(event->mimeData()).isEmpty()) {
        m_model->setDropTarget(-1);
        return event->ignore();
    }
    m_model->setDropTarget(index.row());
    event->setDropAction(Qt::CopyAction);
    event->accept(visualRect(index));
}

void ContactList::dragLeaveEvent(QDragLeaveEvent *event)
{
    m_model->setDropTarget(-1);
    event->accept();
}

void ContactList::dropEvent(QDropEvent *event)
{
    m_model->setDropTarget(-1);
    const QModelIndex index = indexAt(event->position().toPoint());
    const QStringList paths = localPaths(event->mimeData());
    if (!index.isValid() || paths.isEmpty())
        return event->ignore();
    event->setDropAction(Qt::CopyAction);
    event->accept();
    Q_EMIT filesDropped(index.data(ContactsModel::UsernameRole).toString(), paths);
}

} // namespace cairn::ui
