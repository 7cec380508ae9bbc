#include "ui/groupsetuppage.h"

#include "core/engine/node.h"
#include "core/identity/invite.h"
#include "core/identity/names.h"
#include "ui/nodehost.h"
#include "ui/pagelayout.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace cairn::ui {

GroupSetupPage::GroupSetupPage(NodeHost &host, QWidget *parent)
    : QWidget(parent),
      m_host(host),
      m_username(new QLineEdit(this)),
      m_createChoice(new QRadioButton(tr("&Create a group: you will run it and approve who joins"), this)),
      m_joinChoice(new QRadioButton(tr("&Join with an invite someone gave you"), this)),
      m_forms(new QStackedWidget(this)),
      m_groupName(new QLineEdit(this)),
      m_policy(new QComboBox(this)),
      m_quota(new QSpinBox(this)),
      m_link(new QLineEdit(this)),
      m_inviteInfo(new QLabel(this)),
      m_error(new QLabel(this)),
      m_pending(new QLabel(this)),
      m_busy(new QProgressBar(this)),
      m_go(new QPushButton(this))
{
    setObjectName(QStringLiteral("groupSetup"));
    auto *title = new QLabel(tr("<h2>Your group</h2><p>Cairn works inside a group of people who trust one "
                                "operator. Start one, or join one with an invite.</p>"),
        this);
    title->setWordWrap(true);

    m_username->setObjectName(QStringLiteral("username"));
    m_username->setMaxLength(int(identity::names::kMaxUsernameLength));
    m_username->setText(suggestUsername(host.keystore().displayName));
    m_username->setToolTip(tr("Lower-case letters, digits, dots, dashes and underscores"));
    m_createChoice->setObjectName(QStringLiteral("createChoice"));
    m_joinChoice->setObjectName(QStringLiteral("joinChoice"));
    auto *choices = new QButtonGroup(this);
    choices->addButton(m_createChoice);
    choices->addButton(m_joinChoice);
    m_joinChoice->setChecked(true);

    auto *createForm = new QWidget(this);
    auto *cf = new QFormLayout(createForm);
    m_groupName->setObjectName(QStringLiteral("groupName"));
    m_groupName->setMaxLength(int(identity::names::kMaxGroupNameLength));
    m_groupName->setPlaceholderText(tr("e.g. Family, Lab 4"));
    m_policy->setObjectName(QStringLiteral("policy"));
    m_policy->addItem(tr("I approve each request"), QStringLiteral("manual"));
    m_policy->addItem(tr("Anyone with an invite joins at once"), QStringLiteral("auto"));
    m_policy->addItem(tr("The first few join at once, then I approve"), QStringLiteral("quota"));
    m_quota->setObjectName(QStringLiteral("policyQuota"));
    m_quota->setRange(1, 10000);
    m_quota->setValue(10);
    m_quota->setSuffix(tr(" people"));
    cf->addRow(tr("Group &name:"), m_groupName);
    cf->addRow(tr("Who may &join:"), m_policy);
    cf->addRow(tr("Joining at &once:"), m_quota);

    auto *joinForm = new QWidget(this);
    auto *jf = new QFormLayout(joinForm);
    m_link->setObjectName(QStringLiteral("inviteLink"));
    m_link->setPlaceholderText(tr("Paste the cairn://join/… link here"));
    m_inviteInfo->setObjectName(QStringLiteral("inviteInfo"));
    m_inviteInfo->setWordWrap(true);
    jf->addRow(tr("&Invite:"), m_link);
    jf->addRow(QString(), m_inviteInfo);

    m_forms->addWidget(createForm);
    m_forms->addWidget(joinForm);

    makeErrorLabel(m_error, QStringLiteral("error"));
    m_pending->setObjectName(QStringLiteral("pending"));
    m_pending->setWordWrap(true);
    m_pending->hide();
    makeBusyBar(m_busy);
    m_go->setObjectName(QStringLiteral("go"));
    m_go->setDefault(true);

    auto *userForm = new QFormLayout;
    userForm->addRow(tr("Your &username:"), m_username);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(userForm);
    layout->addWidget(m_joinChoice);
    layout->addWidget(m_createChoice);
    layout->addWidget(m_forms);
    layout->addWidget(m_error);
    layout->addWidget(m_pending);
    layout->addWidget(m_busy);
    layout->addWidget(m_go, 0, Qt::AlignRight);
    layout->addStretch();

    connect(m_createChoice, &QRadioButton::toggled, this, &GroupSetupPage::updateState);
    for (QLineEdit *e : {m_username, m_groupName, m_link})
        connect(e, &QLineEdit::textChanged, this, &GroupSetupPage::updateState);
    connect(m_policy, &QComboBox::currentIndexChanged, this, &GroupSetupPage::updateState);
    connect(m_go, &QPushButton::clicked, this, [this] { m_createChoice->isChecked() ? createGroup() : joinGroup(); });
    for (QLineEdit *e : {m_groupName, m_link})
        connect(e, &QLineEdit::returnPressed, m_go, &QPushButton::click);
    updateState();
}

QString GroupSetupPage::suggestUsername(const QString &displayName)
{
    QString out;
    for (const QChar c : displayName.trimmed().toLower()) {
        if ((c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'))
            || c == QLatin1Char('.') || c == QLatin1Char('-') || c == QLatin1Char('_'))
            out += c;
        else if (c.isSpace() && !out.endsWith(QLatin1Char('.')))
            out += QLatin1Char('.');
    }
    while (!out.isEmpty() && !out.front().isLetterOrNumber())
        out.remove(0, 1);
    return out.left(identity::names::kMaxUsernameLength);
}

void GroupSetupPage::setInviteLink(const QString &link)
{
    m_joinChoice->setChecked(true);
    m_link->setText(link.trimmed());
}

void GroupSetupPage::updateState()
{
    const bool create = m_createChoice->isChecked();
    m_forms->setCurrentIndex(create ? 0 : 1);
    m_go->setText(create ? tr("C&reate group") : tr("J&oin group"));
    m_quota->setEnabled(m_policy->currentData().toString() == QLatin1String("quota"));

    QString problem;
    if (auto valid = identity::names::validateUsername(m_username->text()); !valid)
        problem
            = m_username->text().isEmpty() ? QString() : tr("That username cannot be used: %1").arg(valid.message());
    bool ready = problem.isEmpty() && !m_username->text().isEmpty();
    if (create) {
        ready = ready && identity::names::validateGroupName(m_groupName->text()).ok();
    } else {
        const QString link = m_link->text().trimmed();
        m_inviteInfo->clear();
        if (!link.isEmpty()) {
            auto invite = identity::Invite::parse(link, QDateTime::currentSecsSinceEpoch());
            if (!invite) {
                m_inviteInfo->setText(tr("This is not a valid invite: %1").arg(invite.message()));
                ready = false;
            } else {
                m_inviteInfo->setText(tr("An invite to “%1”, valid until %2.")
                                          .arg(invite->groupName(),
                                              QLocale().toString(QDateTime::fromSecsSinceEpoch(invite->expiresAt()),
                                                  QLocale::ShortFormat)));
            }
        } else {
            ready = false;
        }
    }
    if (!problem.isEmpty())
        showError(problem);
    else if (!m_busy->isVisible())
        m_error->hide();
    m_go->setEnabled(ready && !m_busy->isVisible() && !m_pending->isVisible());
}

void GroupSetupPage::setBusy(bool busy)
{
    m_busy->setVisible(busy);
    for (QWidget *w : std::initializer_list<QWidget *> {
             m_username, m_createChoice, m_joinChoice, m_groupName, m_policy, m_quota, m_link})
        w->setEnabled(!busy);
    updateState();
}

void GroupSetupPage::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

void GroupSetupPage::showPending(const QString &message)
{
    m_pending->setText(tr("<b>Waiting for approval.</b> %1<br>You can close Cairn: it keeps asking whenever it "
                          "runs, and opens your group once you are let in.")
                           .arg(message.toHtmlEscaped()));
    m_pending->show();
    for (QWidget *w : std::initializer_list<QWidget *> {m_username, m_createChoice, m_joinChoice, m_forms, m_go})
        w->setEnabled(false);
}

void GroupSetupPage::createGroup()
{
    engine::Node *node = m_host.node();
    if (!node || !m_go->isEnabled())
        return;
    QString policyText = m_policy->currentData().toString();
    if (policyText == QLatin1String("quota"))
        policyText = QStringLiteral("quota:%1").arg(m_quota->value());
    auto policy = rendezvous::SigningPolicy::parse(policyText);
    if (!policy)
        return showError(policy.message());
    setBusy(true);
    node->createGroup(
        m_groupName->text().trimmed(), policy.value(), m_username->text(), [this, guard = QPointer(this)](auto r) {
            if (!guard)
                return;
            setBusy(false);
            if (!r)
                showError(tr("Could not create the group: %1").arg(r.message()));
            // Success shows as Node::membershipChanged: the window moves on.
        });
}

void GroupSetupPage::joinGroup()
{
    engine::Node *node = m_host.node();
    if (!node || !m_go->isEnabled())
        return;
    setBusy(true);
    node->join(m_link->text().trimmed(), m_username->text(), [this, guard = QPointer(this)](auto r) {
        if (!guard)
            return;
        setBusy(false);
        if (r.ok())
            return; // membershipChanged moves the window on
        if (r.code() == engine::EngineError::Pending)
            showPending(r.message());
        else if (r.code() == engine::EngineError::Network)
            showError(tr("The group's operator did not answer: %1. Check that you are online and that the "
                         "invite is recent, then try again.")
                          .arg(r.message()));
        else
            showError(tr("Could not join: %1").arg(r.message()));
    });
}

} // namespace cairn::ui
