#include "ui/contactspage.h"

#include "core/engine/node.h"
#include "ui/contactlist.h"
#include "ui/contactsmodel.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace cairn::ui {

ContactsPage::ContactsPage(QWidget *parent)
    : QWidget(parent),
      m_model(new ContactsModel(this)),
      m_list(new ContactList(m_model, this)),
      m_status(new QLabel(this)),
      m_send(new QPushButton(tr("&Send files…"), this)),
      m_mail(new QPushButton(tr("&Write mail…"), this)),
      m_onlineTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("contacts"));
    m_list->setObjectName(QStringLiteral("contactList"));
    m_list->setAccessibleName(tr("Contacts"));
    m_status->setObjectName(QStringLiteral("contactsStatus"));
    m_status->setWordWrap(true);
    m_send->setObjectName(QStringLiteral("sendFiles"));
    m_mail->setObjectName(QStringLiteral("writeMail"));

    auto *hint = new QLabel(tr("Drag files or folders onto a name to send them, end-to-end encrypted. People who "
                               "are offline get them when they come back."),
        this);
    hint->setWordWrap(true);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_send);
    buttons->addWidget(m_mail);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(hint);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_status);
    layout->addLayout(buttons);

    connect(m_list, &ContactList::filesDropped, this, &ContactsPage::sendFiles);
    auto *dropHint = new QLabel(this);
    dropHint->setObjectName(QStringLiteral("dropHint"));
    dropHint->setStyleSheet(QStringLiteral("font-weight: bold"));
    dropHint->hide();
    layout->insertWidget(2, dropHint);
    connect(m_list, &ContactList::dropHint, dropHint, [dropHint](const QString &text) {
        dropHint->setText(text);
        dropHint->setVisible(!text.isEmpty());
    });
    connect(m_list, &QWidget::customContextMenuRequested, this, &ContactsPage::showMenu);
    connect(m_list, &QAbstractItemView::activated, this,
        [this](const QModelIndex &index) { Q_EMIT writeMail(index.data(ContactsModel::UsernameRole).toString()); });
    connect(m_send, &QPushButton::clicked, this, [this] {
        if (const QString user = currentUsername(); !user.isEmpty())
            chooseFiles(user);
    });
    connect(m_mail, &QPushButton::clicked, this, [this] { Q_EMIT writeMail(currentUsername()); });
    auto updateButtons = [this] { m_send->setEnabled(!currentUsername().isEmpty()); };
    connect(m_model, &QAbstractItemModel::modelReset, this, updateButtons);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, updateButtons);
    updateButtons();

    m_onlineTimer->setInterval(2000);
    connect(m_onlineTimer, &QTimer::timeout, this, &ContactsPage::refreshOnline);
}

void ContactsPage::bind(engine::Node *node)
{
    if (m_node)
        disconnect(m_node, nullptr, this, nullptr);
    m_node = node;
    if (!node) {
        m_onlineTimer->stop();
        return;
    }
    connect(node, &engine::Node::membershipChanged, this, &ContactsPage::refresh);
    connect(node, &engine::Node::revocationListChanged, this, &ContactsPage::refresh);
    m_onlineTimer->start();
    refresh();
}

void ContactsPage::refresh()
{
    if (!m_node || !m_node->isMember())
        return;
    const QString self = m_node->membership().username;
    m_node->members([this, self, guard = QPointer(this), node = QPointer(m_node)](auto result) {
        if (!guard || node != m_node)
            return;
        if (!result) {
            m_status->setText(tr("Cannot load the member list: %1. Retrying.").arg(result.message()));
            QTimer::singleShot(5000, this, &ContactsPage::refresh);
            return;
        }
        QList<ContactsModel::Contact> contacts;
        for (const rendezvous::Member &m : result.value()) {
            if (m.revoked || m.username == self)
                continue;
            contacts.append({m.username, int(m.devices.size()), false});
        }
        const QString current = currentUsername();
        m_model->setContacts(contacts);
        if (const int row = m_model->rowOf(current); row >= 0)
            m_list->setCurrentIndex(m_model->index(row));
        m_status->setText(contacts.isEmpty() ? tr("Nobody else is in the group yet. Invite people from the "
                                                  "Dashboard (operators) or ask your operator for an invite.")
                                             : QString());
        refreshOnline();
    });
}

void ContactsPage::refreshOnline()
{
    if (!m_node)
        return;
    QSet<QString> online;
    for (const net::PeerInfo &peer : m_node->peers()) {
        if (peer.certified())
            online.insert(peer.certificate.username());
    }
    m_model->setOnline(online);
}

QString ContactsPage::currentUsername() const
{
    return m_list->currentIndex().data(ContactsModel::UsernameRole).toString();
}

void ContactsPage::chooseFiles(const QString &username)
{
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Send files to %1").arg(username));
    if (!files.isEmpty())
        Q_EMIT sendFiles(username, files);
}

void ContactsPage::showMenu(const QPoint &pos)
{
    const QModelIndex index = m_list->indexAt(pos);
    if (!index.isValid())
        return;
    const QString user = index.data(ContactsModel::UsernameRole).toString();
    QMenu menu(this);
    menu.addAction(tr("Send &files…"), this, [this, user] { chooseFiles(user); });
    menu.addAction(tr("Send a f&older…"), this, [this, user] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Send a folder to %1").arg(user));
        if (!dir.isEmpty())
            Q_EMIT sendFiles(user, {dir});
    });
    menu.addAction(tr("Write &mail…"), this, [this, user] { Q_EMIT writeMail(user); });
    menu.exec(m_list->viewport()->mapToGlobal(pos));
}

} // namespace cairn::ui
