#include "ui/workspace.h"

#include "core/engine/messaging.h"
#include "core/engine/node.h"
#include "core/mail/mailbox.h"
#include "ui/composedialog.h"
#include "ui/contactsmodel.h"
#include "ui/contactspage.h"
#include "ui/dashboardpage.h"
#include "ui/format.h"
#include "ui/mailpage.h"
#include "ui/nodehost.h"
#include "ui/settingspage.h"
#include "ui/transferspage.h"

#include <QDataStream>
#include <QFileInfo>
#include <QIODevice>
#include <QMessageBox>
#include <QPointer>
#include <QSplitter>

namespace cairn::ui {

Workspace::Workspace(NodeHost &host, QWidget *parent)
    : QTabWidget(parent),
      m_host(host),
      m_contacts(new ContactsPage(this)),
      m_mail(new MailPage(this)),
      m_transfers(new TransfersPage(this)),
      m_settings(new SettingsPage(host, this))
{
    setObjectName(QStringLiteral("workspace"));
    setDocumentMode(true);
    addTab(m_contacts, tr("&Contacts"));
    addTab(m_mail, tr("&Mail"));
    addTab(m_transfers, tr("&Transfers"));
    addTab(m_settings, tr("&Settings"));

    connect(m_contacts, &ContactsPage::sendFiles, this, &Workspace::sendFiles);
    connect(m_contacts, &ContactsPage::writeMail, this, [this](const QString &user) { compose(user); });
    connect(m_mail, &MailPage::compose, this, &Workspace::compose);
    connect(m_mail, &MailPage::unreadChanged, this, [this](qint64 unread) {
        setTabText(indexOf(m_mail), unread > 0 ? tr("&Mail (%1)").arg(unread) : tr("&Mail"));
    });
    connect(m_transfers, &TransfersPage::downloadFinished, this, [this](const QString &label, const QString &folder) {
        Q_EMIT notify(tr("Files received"), tr("%1 saved in %2").arg(label, folder));
    });
    connect(m_transfers, &TransfersPage::uploadFinished, this, [this](const QString &label) {
        Q_EMIT notify(tr("Sent"), tr("%1: it waits in the group until it is read.").arg(label));
    });
    connect(m_settings, &SettingsPage::languageChanged, this, &Workspace::languageChanged);
    connect(&host, &NodeHost::stopping, this, [this] { bind(nullptr); });
    connect(&host, &NodeHost::started, this, &Workspace::bind);
    bind(host.node());
}

Workspace::~Workspace()
{
    bind(nullptr);
}

void Workspace::bind(engine::Node *node)
{
    if (m_node)
        disconnect(m_node, nullptr, this, nullptr);
    m_node = node;
    m_contacts->bind(node);
    m_mail->bind(node);
    m_transfers->bind(node);
    updateDashboard();
    if (!node)
        return;
    auto connectMessaging = [this] {
        if (!m_node || !m_node->messaging())
            return;
        engine::Messaging *messaging = m_node->messaging();
        disconnect(messaging, nullptr, this, nullptr);
        connect(messaging, &engine::Messaging::newMail, this, [this](const QByteArray &id) {
            if (!m_node || !m_node->messaging())
                return;
            auto mail = m_node->messaging()->mailbox().get(id);
            if (!mail)
                return;
            const QString who = mail->from.isEmpty() ? tr("Cairn") : mail->from;
            Q_EMIT notify(
                mail->kind == mail::MailKind::FileDrop ? tr("Files from %1").arg(who) : tr("New mail from %1").arg(who),
                mail->subject.isEmpty() ? tr("%n file(s)", nullptr, int(mail->attachments.size())) : mail->subject);
        });
        connect(messaging, &engine::Messaging::mailFailed, this, [this](const QByteArray &, const QString &error) {
            Q_EMIT status(tr("A mail could not be sent: %1").arg(error));
        });
    };
    connect(node, &engine::Node::membershipChanged, this, [this, connectMessaging] {
        connectMessaging();
        updateDashboard();
    });
    connectMessaging();
}

void Workspace::updateDashboard()
{
    const bool wanted = m_node && m_node->isOperator();
    if (wanted && !m_dashboard) {
        m_dashboard = new DashboardPage(this);
        insertTab(3, m_dashboard, tr("&Dashboard"));
    }
    if (m_dashboard)
        m_dashboard->bind(wanted ? m_node : nullptr);
}

void Workspace::sendFiles(const QString &username, const QStringList &paths)
{
    if (!m_node || !m_node->messaging())
        return;
    mail::SendRequest request;
    request.to = {username};
    request.paths = paths;
    request.drop = true;
    const QString what
        = paths.size() == 1 ? QFileInfo(paths.first()).fileName() : tr("%n item(s)", nullptr, int(paths.size()));
    Q_EMIT status(tr("Preparing %1 for %2…").arg(what, username));
    m_node->messaging()->send(request, [this, guard = QPointer(this), username, what](engine::Result<QByteArray> id) {
        if (!guard)
            return;
        if (!id) {
            QMessageBox::warning(
                this, tr("Not sent"), tr("%1 was not sent to %2.\n\n%3").arg(what, username, id.message()));
            Q_EMIT status(QString());
            return;
        }
        Q_EMIT status(tr("Sending %1 to %2: progress is under Transfers.").arg(what, username));
    });
}

void Workspace::compose(const QString &to, const QString &subject, const QString &body)
{
    if (!m_node || !m_node->messaging())
        return;
    auto *dialog = new ComposeDialog(*m_node, m_contacts->model()->usernames(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setRecipients(to);
    dialog->setSubject(subject);
    if (!body.isEmpty())
        dialog->setBody(QStringLiteral("\n\n") + body);
    connect(dialog, &ComposeDialog::sent, this, [this] {
        Q_EMIT status(tr("Mail is being sent."));
        m_mail->refresh();
    });
    // A restart of the node would leave the dialog pointing at the old one.
    connect(&m_host, &NodeHost::stopping, dialog, &QDialog::reject);
    dialog->show();
}

QByteArray Workspace::saveState() const
{
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s << qint32(1) << qint32(currentIndex()) << m_mail->splitter()->saveState();
    return out;
}

void Workspace::restoreState(const QByteArray &state)
{
    QDataStream s(state);
    qint32 version = 0;
    qint32 tab = 0;
    QByteArray splitter;
    s >> version >> tab >> splitter;
    if (s.status() != QDataStream::Ok || version != 1)
        return;
    if (tab >= 0 && tab < count())
        setCurrentIndex(tab);
    m_mail->splitter()->restoreState(splitter);
}

} // namespace cairn::ui
