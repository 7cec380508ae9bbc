#pragma once

#include <QAbstractListModel>
#include <QIcon>
#include <QSet>

namespace cairn::ui {

/// The group's other members, online or not, for the contact list. Online
/// means one of their devices has a certified session with us now.
class ContactsModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { UsernameRole = Qt::UserRole + 1, OnlineRole, DevicesRole };

    struct Contact {
        QString username;
        int devices = 0;
        bool online = false;
    };

    explicit ContactsModel(QObject *parent = nullptr);

    /// Replaces the members (sorted by name; revoked ones are left out by the caller).
    void setContacts(QList<Contact> contacts);
    void setOnline(const QSet<QString> &usernames);
    /// The row a drag hovers over, highlighted; -1: none.
    void setDropTarget(int row);
    int dropTarget() const { return m_dropTarget; }
    QStringList usernames() const;
    int rowOf(const QString &username) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

private:
    QList<Contact> m_contacts;
    QSet<QString> m_online;
    int m_dropTarget = -1;
    QIcon m_onlineIcon;
    QIcon m_offlineIcon;
};

} // namespace cairn::ui
