#include "ui/mailpage.h"

#include "core/engine/messaging.h"
#include "core/engine/node.h"
#include "core/transfer/transfermanager.h"
#include "ui/format.h"
#include "ui/pagelayout.h"

#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace cairn::ui {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
const mail::Folder kFolders[] = {mail::Folder::Inbox, mail::Folder::Outbox, mail::Folder::Sent, mail::Folder::Trash};

QString folderTitle(mail::Folder folder)
{
    switch (folder) {
    case mail::Folder::Inbox:
        return MailPage::tr("Inbox");
    case mail::Folder::Outbox:
        return MailPage::tr("Sending");
    case mail::Folder::Sent:
        return MailPage::tr("Sent");
    case mail::Folder::Trash:
        return MailPage::tr("Trash");
    }
    return {};
}

QString attachmentState(const mail::AttachmentRecord &a)
{
    switch (a.state) {
    case mail::AttachmentState::Pending:
        return MailPage::tr("not downloaded");
    case mail::AttachmentState::Downloading:
        return MailPage::tr("downloading");
    case mail::AttachmentState::Done:
        return MailPage::tr("saved");
    case mail::AttachmentState::Failed:
        return MailPage::tr("failed");
    }
    return {};
}
} // namespace

MailPage::MailPage(QWidget *parent)
    : QWidget(parent),
      m_splitter(new QSplitter(this)),
      m_folders(new QListWidget(this)),
      m_search(new QLineEdit(this)),
      m_list(new QTreeWidget(this)),
      m_header(new QLabel(this)),
      m_body(new QTextBrowser(this)),
      m_attachments(new QListWidget(this)),
      m_reply(new QPushButton(tr("&Reply"), this)),
      m_delete(new QPushButton(tr("&Delete"), this)),
      m_receive(new QPushButton(tr("Do&wnload files"), this)),
      m_openFolder(new QPushButton(tr("Show in &folder"), this)),
      m_error(new QLabel(this))
{
    setObjectName(QStringLiteral("mail"));
    m_splitter->setObjectName(QStringLiteral("mailSplitter"));
    m_folders->setObjectName(QStringLiteral("folders"));
    m_folders->setAccessibleName(tr("Folders"));
    for (mail::Folder f : kFolders) {
        auto *item = new QListWidgetItem(folderTitle(f), m_folders);
        item->setData(kIdRole, int(f));
    }
    m_folders->setCurrentRow(0);

    m_search->setObjectName(QStringLiteral("search"));
    m_search->setPlaceholderText(tr("Search sender or subject"));
    m_search->setClearButtonEnabled(true);
    m_list->setObjectName(QStringLiteral("mailList"));
    m_list->setAccessibleName(tr("Messages"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setHeaderLabels({tr("From"), tr("Subject"), tr("Date")});
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(1, QHeaderView::Stretch);

    m_header->setObjectName(QStringLiteral("mailHeader"));
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_body->setObjectName(QStringLiteral("mailBody"));
    m_body->setOpenLinks(false);
    m_attachments->setObjectName(QStringLiteral("attachments"));
    m_attachments->setAccessibleName(tr("Attachments"));
    m_attachments->setMaximumHeight(90);
    m_reply->setObjectName(QStringLiteral("reply"));
    m_delete->setObjectName(QStringLiteral("delete"));
    m_receive->setObjectName(QStringLiteral("receive"));
    m_openFolder->setObjectName(QStringLiteral("openFolder"));
    makeErrorLabel(m_error, QStringLiteral("mailError"));

    auto *middle = new QWidget(this);
    auto *ml = new QVBoxLayout(middle);
    ml->setContentsMargins(0, 0, 0, 0);
    ml->addWidget(m_search);
    ml->addWidget(m_list);

    auto *reader = new QWidget(this);
    auto *rl = new QVBoxLayout(reader);
    rl->setContentsMargins(0, 0, 0, 0);
    rl->addWidget(m_header);
    rl->addWidget(m_body, 1);
    rl->addWidget(m_attachments);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_receive);
    buttons->addWidget(m_openFolder);
    buttons->addStretch();
    buttons->addWidget(m_reply);
    buttons->addWidget(m_delete);
    rl->addLayout(buttons);
    rl->addWidget(m_error);

    m_splitter->addWidget(m_folders);
    m_splitter->addWidget(middle);
    m_splitter->addWidget(reader);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 2);
    m_splitter->setSizes({140, 380, 480}); // until the user's own are restored
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);

    connect(m_folders, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            showFolder(mail::Folder(m_folders->item(row)->data(kIdRole).toInt()));
    });
    connect(m_search, &QLineEdit::textChanged, this, &MailPage::loadList);
    connect(m_list, &QTreeWidget::currentItemChanged, this,
        [this](QTreeWidgetItem *item) { showMail(item ? item->data(0, kIdRole).toByteArray() : QByteArray()); });
    connect(m_reply, &QPushButton::clicked, this, &MailPage::reply);
    connect(m_delete, &QPushButton::clicked, this, &MailPage::deleteCurrent);
    connect(m_receive, &QPushButton::clicked, this, &MailPage::receiveAttachments);
    connect(m_openFolder, &QPushButton::clicked, this, &MailPage::openAttachmentFolder);
    auto *del = new QShortcut(QKeySequence::Delete, m_list);
    del->setContext(Qt::WidgetShortcut);
    connect(del, &QShortcut::activated, this, &MailPage::deleteCurrent);
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, m_search, [this] { m_search->setFocus(Qt::ShortcutFocusReason); });
    showMail({});
}

mail::Mailbox *MailPage::mailbox() const
{
    return m_node && m_node->messaging() ? &m_node->messaging()->mailbox() : nullptr;
}

void MailPage::bind(engine::Node *node)
{
    if (m_node)
        disconnect(m_node, nullptr, this, nullptr);
    m_node = node;
    m_current.clear();
    if (node)
        connect(node, &engine::Node::membershipChanged, this, &MailPage::connectMessaging);
    connectMessaging();
}

void MailPage::connectMessaging()
{
    refresh();
    if (!m_node || !m_node->messaging())
        return;
    engine::Messaging *messaging = m_node->messaging();
    disconnect(messaging, nullptr, this, nullptr);
    connect(messaging, &engine::Messaging::newMail, this, &MailPage::refresh);
    connect(messaging, &engine::Messaging::mailSent, this, &MailPage::refresh);
    connect(messaging, &engine::Messaging::mailFailed, this, &MailPage::refresh);
    connect(&messaging->transfers(), &transfer::TransferManager::downloadFinished, this, &MailPage::refresh);
    connect(&messaging->transfers(), &transfer::TransferManager::failed, this, &MailPage::refresh);
}

void MailPage::refresh()
{
    mail::Mailbox *box = mailbox();
    setEnabled(box != nullptr);
    if (!box)
        return;
    if (auto counts = box->counts()) {
        for (int row = 0; row < m_folders->count(); ++row) {
            const auto folder = mail::Folder(m_folders->item(row)->data(kIdRole).toInt());
            const mail::FolderCounts c = counts->value(folder);
            QString text = folderTitle(folder);
            if (folder == mail::Folder::Inbox && c.unread > 0)
                text = tr("%1 (%2)").arg(text).arg(c.unread);
            else if (folder == mail::Folder::Outbox && c.total > 0)
                text = tr("%1 (%2)").arg(text).arg(c.total);
            m_folders->item(row)->setText(text);
            QFont font = m_folders->font();
            font.setBold(folder == mail::Folder::Inbox && c.unread > 0);
            m_folders->item(row)->setFont(font);
        }
        Q_EMIT unreadChanged(counts->value(mail::Folder::Inbox).unread);
    }
    loadList();
}

void MailPage::showFolder(mail::Folder folder)
{
    m_folder = folder;
    for (int row = 0; row < m_folders->count(); ++row) {
        if (m_folders->item(row)->data(kIdRole).toInt() == int(folder) && m_folders->currentRow() != row)
            m_folders->setCurrentRow(row);
    }
    m_list->headerItem()->setText(
        0, folder == mail::Folder::Sent || folder == mail::Folder::Outbox ? tr("To") : tr("From"));
    loadList();
}

void MailPage::loadList()
{
    mail::Mailbox *box = mailbox();
    if (!box)
        return;
    auto mails = box->list(m_folder, m_search->text().trimmed(), mail::Mailbox::kMaxListLimit);
    if (!mails)
        return reportError(tr("Cannot read your mailbox"), mails.message());
    const QByteArray keep = m_current;
    const QSignalBlocker block(m_list);
    m_list->clear();
    QTreeWidgetItem *select = nullptr;
    const bool outgoing = m_folder == mail::Folder::Sent || m_folder == mail::Folder::Outbox;
    for (const mail::MailRecord &m : mails.value()) {
        auto *item = new QTreeWidgetItem(m_list);
        const QString who
            = m.kind == mail::MailKind::Notice ? tr("Cairn") : (outgoing ? m.to.join(QStringLiteral(", ")) : m.from);
        QString subject = m.subject.isEmpty()
            ? (m.kind == mail::MailKind::FileDrop ? tr("%n file(s)", nullptr, int(m.attachments.size()))
                                                  : tr("(no subject)"))
            : m.subject;
        if (m.folder == mail::Folder::Outbox)
            subject = m.sendState == mail::SendState::Failed ? tr("%1 — not sent: %2").arg(subject, m.sendError)
                                                             : tr("%1 — sending…").arg(subject);
        item->setText(0, who);
        item->setText(1, subject);
        item->setText(2, formatTime(m.sentAt));
        item->setData(0, kIdRole, m.id);
        item->setToolTip(1, subject);
        if (!m.read && !outgoing) {
            for (int c = 0; c < 3; ++c) {
                QFont f = item->font(c);
                f.setBold(true);
                item->setFont(c, f);
            }
        }
        if (m.id == keep)
            select = item;
    }
    for (int c = 0; c < 3; ++c)
        m_list->resizeColumnToContents(c);
    if (select)
        m_list->setCurrentItem(select);
    showMail(select ? keep : QByteArray());
}

void MailPage::openMail(const QByteArray &id)
{
    mail::Mailbox *box = mailbox();
    if (!box)
        return;
    auto mail = box->get(id);
    if (!mail)
        return;
    m_search->clear();
    m_current = id;
    showFolder(mail->folder);
}

void MailPage::showMail(const QByteArray &id)
{
    mail::Mailbox *box = mailbox();
    m_current = id;
    m_attachments->clear();
    m_error->hide();
    std::optional<mail::MailRecord> mail;
    if (box && !id.isEmpty()) {
        if (auto found = box->get(id))
            mail = std::move(found.value());
    }
    const bool shown = mail.has_value();
    for (QWidget *w : std::initializer_list<QWidget *> {m_reply, m_delete})
        w->setEnabled(shown);
    m_receive->setVisible(false);
    m_openFolder->setVisible(false);
    m_attachments->setVisible(shown && !mail->attachments.isEmpty());
    if (!shown) {
        m_header->setText(tr("<i>No message selected.</i>"));
        m_body->clear();
        return;
    }
    const mail::MailRecord &m = *mail;
    m_header->setText(tr("<b>%1</b><br>From: %2<br>To: %3<br>%4")
                          .arg(m.subject.toHtmlEscaped(), (m.from.isEmpty() ? tr("Cairn") : m.from).toHtmlEscaped(),
                              m.to.join(QStringLiteral(", ")).toHtmlEscaped(), formatTime(m.sentAt)));
    m_body->setPlainText(m.body);
    m_reply->setEnabled(m.kind != mail::MailKind::Notice && !m.from.isEmpty());
    bool pending = false;
    bool saved = false;
    for (const mail::AttachmentRecord &a : m.attachments) {
        auto *item = new QListWidgetItem(
            tr("%1 — %2, %3").arg(a.name, formatBytes(a.size), attachmentState(a)), m_attachments);
        item->setToolTip(a.localPath);
        pending = pending || a.state == mail::AttachmentState::Pending || a.state == mail::AttachmentState::Failed;
        saved = saved || a.state == mail::AttachmentState::Done;
    }
    const bool incoming = m.folder == mail::Folder::Inbox || m.folder == mail::Folder::Trash;
    m_receive->setVisible(incoming && pending);
    m_openFolder->setVisible(saved);
    if (!m.read && m.folder == mail::Folder::Inbox) {
        if (auto r = box->setRead(m.id); r.ok()) {
            // Counts and bold rows change; the list keeps this mail selected.
            QMetaObject::invokeMethod(this, &MailPage::refresh, Qt::QueuedConnection);
        }
    }
}

void MailPage::reply()
{
    mail::Mailbox *box = mailbox();
    if (!box || m_current.isEmpty())
        return;
    auto m = box->get(m_current);
    if (!m || m->from.isEmpty())
        return;
    QString subject = m->subject;
    if (!subject.startsWith(QLatin1String("Re:"), Qt::CaseInsensitive))
        subject = tr("Re: %1").arg(subject);
    QString quote;
    for (const QString &line : m->body.split(QLatin1Char('\n')))
        quote += QStringLiteral("> ") + line + QLatin1Char('\n');
    Q_EMIT compose(m->from, subject, tr("%1 wrote:").arg(m->from) + QLatin1Char('\n') + quote);
}

void MailPage::deleteCurrent()
{
    mail::Mailbox *box = mailbox();
    if (!box || m_current.isEmpty())
        return;
    QTreeWidgetItem *below = m_list->itemBelow(m_list->currentItem());
    if (!below)
        below = m_list->itemAbove(m_list->currentItem());
    const QByteArray next = below ? below->data(0, kIdRole).toByteArray() : QByteArray();
    if (auto r = box->remove(m_current); !r)
        return reportError(tr("Cannot delete this message"), r.message());
    m_current = next;
    refresh();
}

void MailPage::receiveAttachments()
{
    if (!m_node || !m_node->messaging() || m_current.isEmpty())
        return;
    auto started = m_node->messaging()->receive(QString::fromLatin1(m_current.toHex()), QString());
    if (!started)
        return reportError(tr("Cannot download the files"), started.message());
    refresh();
}

void MailPage::openAttachmentFolder()
{
    mail::Mailbox *box = mailbox();
    if (!box || m_current.isEmpty())
        return;
    auto m = box->get(m_current);
    if (!m)
        return;
    for (const mail::AttachmentRecord &a : m->attachments) {
        if (a.state == mail::AttachmentState::Done && !a.localPath.isEmpty()) {
            QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(a.localPath).absolutePath()));
            return;
        }
    }
}

void MailPage::reportError(const QString &what, const QString &message)
{
    m_error->setText(tr("%1: %2").arg(what, message));
    m_error->show();
}

} // namespace cairn::ui
