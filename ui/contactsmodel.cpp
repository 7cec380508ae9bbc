#include "ui/contactsmodel.h"

#include <QApplication>
#include <QIcon>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

#include <algorithm>

namespace cairn::ui {

namespace {
QIcon makeDot(const QColor &colour)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawEllipse(QRectF(3, 3, 10, 10));
    return QIcon(pixmap);
}
} // namespace

// Made once: data() runs for every row on every repaint.
ContactsModel::ContactsModel(QObject *parent)
    : QAbstractListModel(parent),
      m_onlineIcon(makeDot(QColor(0x2e, 0x9d, 0x4f))),
      m_offlineIcon(makeDot(QColor(0x9e, 0x9e, 0x9e)))
{ }

void ContactsModel::setContacts(QList<Contact> contacts)
{
    std::sort(
        contacts.begin(), contacts.end(), [](const Contact &a, const Contact &b) { return a.username < b.username; });
    beginResetModel();
    m_contacts = std::move(contacts);
    for (Contact &c : m_contacts)
        c.online = m_online.contains(c.username);
    m_dropTarget = -1;
    endResetModel();
}

void ContactsModel::setOnline(const QSet<QString> &usernames)
{
    m_online = usernames;
    for (int row = 0; row < m_contacts.size(); ++row) {
        const bool online = m_online.contains(m_contacts[row].username);
        if (online != m_contacts[row].online) {
            m_contacts[row].online = online;
            Q_EMIT dataChanged(index(row), index(row));
        }
    }
}

void ContactsModel::setDropTarget(int row)
{
    if (row == m_dropTarget)
        return;
    const int old = m_dropTarget;
    m_dropTarget = row;
    if (old >= 0 && old < m_contacts.size())
        Q_EMIT dataChanged(index(old), index(old));
    if (row >= 0 && row < m_contacts.size())
        Q_EMIT dataChanged(index(row), index(row));
}

QStringList ContactsModel::usernames() const
{
    QStringList out;
    for (const Contact &c : m_contacts)
        out << c.username;
    return out;
}

int ContactsModel::rowOf(const QString &username) const
{
    for (int row = 0; row < m_contacts.size(); ++row) {
        if (m_contacts[row].username == username)
            return row;
    }
    return -1;
}

int ContactsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_contacts.size());
}

QVariant ContactsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_contacts.size())
        return {};
    const Contact &c = m_contacts[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return c.online ? c.username : tr("%1 (offline)").arg(c.username);
    case Qt::DecorationRole:
        return c.online ? m_onlineIcon : m_offlineIcon;
    case Qt::ToolTipRole:
        return (c.online ? tr("%1 is online.") : tr("%1 is offline: what you send waits in the group for them."))
                   .arg(c.username)
            + QLatin1Char('\n') + tr("Drop files here to send them.");
    case Qt::AccessibleDescriptionRole:
        return c.online ? tr("online") : tr("offline");
    case Qt::BackgroundRole:
        if (index.row() == m_dropTarget)
            return QApplication::palette().color(QPalette::Highlight);
        return {};
    case Qt::ForegroundRole:
        if (index.row() == m_dropTarget)
            return QApplication::palette().color(QPalette::HighlightedText);
        return {};
    case UsernameRole:
        return c.username;
    case OnlineRole:
        return c.online;
    case DevicesRole:
        return c.devices;
    default:
        return {};
    }
}

} // namespace cairn::ui
