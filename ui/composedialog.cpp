#include "ui/composedialog.h"

#include "core/engine/messaging.h"
#include "core/engine/node.h"
#include "ui/contactlist.h"
#include "ui/format.h"
#include "ui/pagelayout.h"

#include <QCompleter>
#include <QDialogButtonBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QStringListModel>
#include <QVBoxLayout>

namespace cairn::ui {

namespace {
/// Completes the last name of a comma-separated list.
class RecipientCompleter : public QCompleter {
public:
    using QCompleter::QCompleter;
    QStringList splitPath(const QString &path) const override { return {path.section(QLatin1Char(','), -1).trimmed()}; }
    QString pathFromIndex(const QModelIndex &index) const override
    {
        auto *edit = qobject_cast<QLineEdit *>(widget());
        QString before = edit ? edit->text().section(QLatin1Char(','), 0, -2) : QString();
        if (!before.isEmpty())
            before += QStringLiteral(", ");
        return before + index.data().toString();
    }
};
} // namespace

ComposeDialog::ComposeDialog(engine::Node &node, const QStringList &members, QWidget *parent)
    : QDialog(parent),
      m_node(node),
      m_members(members),
      m_to(new QLineEdit(this)),
      m_subject(new QLineEdit(this)),
      m_body(new QPlainTextEdit(this)),
      m_attachments(new QListWidget(this)),
      m_attach(new QPushButton(tr("&Attach…"), this)),
      m_remove(new QPushButton(tr("Re&move"), this)),
      m_size(new QLabel(this)),
      m_warning(new QLabel(this)),
      m_send(new QPushButton(tr("&Send"), this))
{
    setObjectName(QStringLiteral("compose"));
    setWindowTitle(tr("New mail"));
    setAcceptDrops(true);
    m_to->setObjectName(QStringLiteral("to"));
    m_to->setPlaceholderText(tr("Names, separated by commas"));
    auto *completer = new RecipientCompleter(new QStringListModel(members, this), this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_to->setCompleter(completer);
    m_subject->setObjectName(QStringLiteral("subject"));
    m_body->setObjectName(QStringLiteral("body"));
    m_body->setTabChangesFocus(true);
    // Ctrl+Enter sends: the text edit would otherwise take it as a new line.
    m_body->installEventFilter(this);
    m_attachments->setObjectName(QStringLiteral("attachments"));
    m_attachments->setAccessibleName(tr("Attachments"));
    m_attachments->setMaximumHeight(80);
    m_attachments->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_attach->setObjectName(QStringLiteral("attach"));
    m_remove->setObjectName(QStringLiteral("removeAttachment"));
    m_size->setObjectName(QStringLiteral("attachmentSize"));
    makeErrorLabel(m_warning, QStringLiteral("warning"));
    m_send->setObjectName(QStringLiteral("send"));
    m_send->setDefault(false);
    m_send->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_send->setToolTip(tr("Send (Ctrl+Enter)"));

    auto *form = new QFormLayout;
    form->addRow(tr("&To:"), m_to);
    form->addRow(tr("S&ubject:"), m_subject);
    auto *attachRow = new QHBoxLayout;
    attachRow->addWidget(m_attach);
    attachRow->addWidget(m_remove);
    attachRow->addWidget(m_size, 1);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_send, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_body, 1);
    layout->addWidget(m_attachments);
    layout->addLayout(attachRow);
    layout->addWidget(m_warning);
    layout->addWidget(buttons);
    resize(560, 480);

    connect(m_to, &QLineEdit::textChanged, this, &ComposeDialog::updateState);
    connect(m_attach, &QPushButton::clicked, this,
        [this] { addAttachments(QFileDialog::getOpenFileNames(this, tr("Attach files"))); });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        qDeleteAll(m_attachments->selectedItems());
        updateState();
    });
    connect(m_attachments, &QListWidget::itemSelectionChanged, this, &ComposeDialog::updateState);
    disconnect(buttons, &QDialogButtonBox::accepted, nullptr, nullptr);
    connect(m_send, &QPushButton::clicked, this, &ComposeDialog::send);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateState();
}

void ComposeDialog::setRecipients(const QString &to)
{
    m_to->setText(to);
    (to.isEmpty() ? static_cast<QWidget *>(m_to) : m_subject)->setFocus();
}

void ComposeDialog::setSubject(const QString &subject)
{
    m_subject->setText(subject);
    if (!subject.isEmpty() && !m_to->text().isEmpty())
        m_body->setFocus();
}

void ComposeDialog::setBody(const QString &body)
{
    m_body->setPlainText(body);
    m_body->moveCursor(QTextCursor::Start);
}

void ComposeDialog::addAttachments(const QStringList &paths)
{
    const QStringList have = attachments();
    for (const QString &path : paths) {
        if (have.contains(path))
            continue;
        auto *item = new QListWidgetItem(QFileInfo(path).fileName(), m_attachments);
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
    }
    updateState();
}

QStringList ComposeDialog::attachments() const
{
    QStringList out;
    for (int i = 0; i < m_attachments->count(); ++i)
        out << m_attachments->item(i)->data(Qt::UserRole).toString();
    return out;
}

QStringList ComposeDialog::recipients() const
{
    QStringList out;
    for (const QString &part : m_to->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString name = part.trimmed().toLower();
        if (!name.isEmpty() && !out.contains(name))
            out << name;
    }
    return out;
}

void ComposeDialog::updateState()
{
    const QStringList files = attachments();
    m_attachments->setVisible(!files.isEmpty());
    m_remove->setEnabled(!m_attachments->selectedItems().isEmpty());
    QString problem;
    QStringList unknown;
    for (const QString &name : recipients()) {
        if (!m_members.contains(name))
            unknown << name;
    }
    if (!unknown.isEmpty())
        problem = tr("Not in your group: %1.").arg(unknown.join(QStringLiteral(", ")));
    const qint64 size = engine::Messaging::filesSize(files);
    m_size->setText(files.isEmpty()
            ? QString()
            : tr("%n file(s), %1", nullptr, int(files.size())).arg(formatBytes(qMax<qint64>(0, size))));
    if (size < 0) {
        problem = tr("An attached file is gone. Remove it and attach it again.");
    } else if (m_node.messaging()) {
        if (const QString full = m_node.messaging()->capacityProblem(size); !full.isEmpty())
            problem
                = tr("Too big to send: %1. Ask people in your group to donate more storage, or send less.").arg(full);
    }
    m_warning->setText(problem);
    m_warning->setVisible(!problem.isEmpty());
    m_send->setEnabled(!m_sending && !recipients().isEmpty() && problem.isEmpty());
}

void ComposeDialog::send()
{
    engine::Messaging *messaging = m_node.messaging();
    if (!messaging || !m_send->isEnabled())
        return;
    mail::SendRequest request;
    request.to = recipients();
    request.subject = m_subject->text();
    request.body = m_body->toPlainText();
    request.paths = attachments();
    m_sending = true;
    updateState();
    messaging->send(request, [this, guard = QPointer(this)](engine::Result<QByteArray> id) {
        if (!guard)
            return;
        m_sending = false;
        if (!id) {
            m_warning->setText(tr("Not sent: %1").arg(id.message()));
            m_warning->show();
            m_send->setEnabled(true);
            return;
        }
        Q_EMIT sent(id.value());
        accept();
    });
}

bool ComposeDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_body && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && key->modifiers().testFlag(Qt::ControlModifier)) {
            send();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void ComposeDialog::dragEnterEvent(QDragEnterEvent *event)
{
    if (!ContactList::localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void ComposeDialog::dropEvent(QDropEvent *event)
{
    const QStringList paths = ContactList::localPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    addAttachments(paths);
}

} // namespace cairn::ui
