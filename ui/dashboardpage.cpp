#include "ui/dashboardpage.h"

#include "core/engine/node.h"
#include "ui/bandwidthchart.h"
#include "ui/format.h"
#include "ui/pagelayout.h"
#include "ui/qrcodewidget.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace cairn::ui {

namespace {
constexpr int kUserRole = Qt::UserRole + 1;
constexpr int kSerialRole = Qt::UserRole + 2;

QString policyText(const rendezvous::SigningPolicy &p)
{
    switch (p.kind) {
    case rendezvous::SigningPolicy::Kind::Auto:
        return DashboardPage::tr("anyone with an invite joins at once");
    case rendezvous::SigningPolicy::Kind::Manual:
        return DashboardPage::tr("you approve each request");
    case rendezvous::SigningPolicy::Kind::Quota:
        return DashboardPage::tr("%n more join at once, then you approve", nullptr, p.quota);
    }
    return {};
}
} // namespace

DashboardPage::DashboardPage(QWidget *parent)
    : QWidget(parent),
      m_uses(new QSpinBox(this)),
      m_expiry(new QComboBox(this)),
      m_invite(new QPushButton(tr("Create &invite"), this)),
      m_link(new QLineEdit(this)),
      m_copy(new QPushButton(tr("&Copy link"), this)),
      m_qr(new QrCodeWidget(this)),
      m_pending(new QTreeWidget(this)),
      m_approve(new QPushButton(tr("&Approve"), this)),
      m_deny(new QPushButton(tr("De&ny"), this)),
      m_members(new QTreeWidget(this)),
      m_revoke(new QPushButton(tr("&Revoke…"), this)),
      m_policy(new QLabel(this)),
      m_storage(new QProgressBar(this)),
      m_network(new QLabel(this)),
      m_dht(new QLabel(this)),
      m_chart(new BandwidthChart(this)),
      m_error(new QLabel(this)),
      m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("dashboard"));
    m_uses->setObjectName(QStringLiteral("inviteUses"));
    m_uses->setRange(1, 10000);
    m_uses->setToolTip(tr("How many people can join with this invite"));
    m_expiry->setObjectName(QStringLiteral("inviteExpiry"));
    m_expiry->addItem(tr("1 hour"), 3600);
    m_expiry->addItem(tr("1 day"), 86400);
    m_expiry->addItem(tr("7 days"), 7 * 86400);
    m_expiry->addItem(tr("30 days"), 30 * 86400);
    m_expiry->setCurrentIndex(2);
    m_invite->setObjectName(QStringLiteral("createInvite"));
    m_link->setObjectName(QStringLiteral("inviteLink"));
    m_link->setReadOnly(true);
    m_link->setPlaceholderText(tr("Create an invite, then send the link or show the code"));
    m_copy->setObjectName(QStringLiteral("copyInvite"));
    m_copy->setEnabled(false);
    m_qr->setObjectName(QStringLiteral("inviteQr"));
    m_qr->setFixedSize(180, 180);
    m_pending->setObjectName(QStringLiteral("pendingList"));
    m_pending->setAccessibleName(tr("Requests waiting for approval"));
    m_pending->setRootIsDecorated(false);
    m_pending->setHeaderLabels({tr("User"), tr("Asked"), tr("Request")});
    m_pending->setMaximumHeight(130);
    m_approve->setObjectName(QStringLiteral("approve"));
    m_deny->setObjectName(QStringLiteral("deny"));
    m_members->setObjectName(QStringLiteral("memberList"));
    m_members->setAccessibleName(tr("Members and devices"));
    m_members->setHeaderLabels({tr("Member / device"), tr("Certificate valid until")});
    m_members->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_revoke->setObjectName(QStringLiteral("revoke"));
    m_policy->setObjectName(QStringLiteral("policy"));
    m_policy->setWordWrap(true);
    m_storage->setObjectName(QStringLiteral("storage"));
    m_network->setObjectName(QStringLiteral("network"));
    m_network->setWordWrap(true);
    m_dht->setObjectName(QStringLiteral("dhtHealth"));
    m_dht->setWordWrap(true);
    m_chart->setObjectName(QStringLiteral("bandwidth"));
    m_chart->setMinimumHeight(150);
    makeErrorLabel(m_error, QStringLiteral("dashboardError"));

    auto *invites = new QGroupBox(tr("Invites"), this);
    auto *ig = new QGridLayout(invites);
    auto *inviteRow = new QHBoxLayout;
    auto *usesLabel = new QLabel(tr("&Uses:"), this);
    usesLabel->setBuddy(m_uses);
    inviteRow->addWidget(usesLabel);
    inviteRow->addWidget(m_uses);
    inviteRow->addWidget(new QLabel(tr("valid for"), this));
    inviteRow->addWidget(m_expiry);
    inviteRow->addWidget(m_invite);
    inviteRow->addStretch();
    ig->addLayout(inviteRow, 0, 0);
    auto *linkRow = new QHBoxLayout;
    linkRow->addWidget(m_link, 1);
    linkRow->addWidget(m_copy);
    ig->addLayout(linkRow, 1, 0);
    ig->setRowStretch(2, 1);
    ig->addWidget(m_qr, 0, 1, 3, 1);

    auto *requests = new QGroupBox(tr("Waiting for approval"), this);
    auto *rl = new QVBoxLayout(requests);
    rl->addWidget(m_pending);
    auto *rb = new QHBoxLayout;
    rb->addStretch();
    rb->addWidget(m_approve);
    rb->addWidget(m_deny);
    rl->addLayout(rb);

    auto *members = new QGroupBox(tr("Members"), this);
    auto *ml = new QVBoxLayout(members);
    ml->addWidget(m_policy);
    ml->addWidget(m_members);
    auto *mb = new QHBoxLayout;
    mb->addStretch();
    mb->addWidget(m_revoke);
    ml->addLayout(mb);

    auto *health = new QGroupBox(tr("This node"), this);
    auto *hf = new QFormLayout(health);
    hf->addRow(tr("Donated storage:"), m_storage);
    hf->addRow(tr("Connections:"), m_network);
    hf->addRow(tr("DHT:"), m_dht);
    hf->addRow(m_chart);

    auto *content = new QWidget(this);
    auto *grid = new QGridLayout(content);
    grid->addWidget(invites, 0, 0);
    grid->addWidget(requests, 1, 0);
    grid->addWidget(members, 2, 0);
    grid->addWidget(health, 0, 1, 3, 1);
    grid->addWidget(m_error, 3, 0, 1, 2);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    setScrollingContent(this, content);

    connect(m_invite, &QPushButton::clicked, this, &DashboardPage::createInvite);
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_link->text()); });
    connect(m_approve, &QPushButton::clicked, this, [this] { approve(true); });
    connect(m_deny, &QPushButton::clicked, this, [this] { approve(false); });
    connect(m_revoke, &QPushButton::clicked, this, &DashboardPage::revoke);
    auto buttons = [this] {
        m_approve->setEnabled(m_pending->currentItem() != nullptr);
        m_deny->setEnabled(m_pending->currentItem() != nullptr);
        m_revoke->setEnabled(m_members->currentItem() != nullptr);
    };
    connect(m_pending, &QTreeWidget::currentItemChanged, this, buttons);
    connect(m_members, &QTreeWidget::currentItemChanged, this, buttons);
    buttons();
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &DashboardPage::refreshStats);
}

void DashboardPage::bind(engine::Node *node)
{
    if (m_node)
        disconnect(m_node, nullptr, this, nullptr);
    m_node = node;
    if (!node) {
        m_timer->stop();
        return;
    }
    connect(node, &engine::Node::pendingRequest, this, &DashboardPage::refreshPending);
    connect(node, &engine::Node::membershipChanged, this, &DashboardPage::refreshMembers);
    connect(node, &engine::Node::revocationListChanged, this, &DashboardPage::refreshMembers);
    m_timer->start();
    refreshPending();
    refreshMembers();
    refreshStats();
}

void DashboardPage::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void DashboardPage::createInvite()
{
    if (!m_node)
        return;
    auto invite = m_node->createInvite(m_uses->value(), m_expiry->currentData().toLongLong());
    if (!invite)
        return showError(tr("Cannot create an invite: %1").arg(invite.message()));
    showError({});
    m_link->setText(invite->toLink());
    m_link->setCursorPosition(0);
    m_qr->setText(invite->toLink());
    m_copy->setEnabled(true);
}

void DashboardPage::refreshPending()
{
    if (!m_node || !m_node->isOperator())
        return;
    auto pending = m_node->pending();
    if (!pending)
        return showError(tr("Cannot read the requests: %1").arg(pending.message()));
    const QString keep = m_pending->currentItem() ? m_pending->currentItem()->data(0, kUserRole).toString() : QString();
    m_pending->clear();
    for (const rendezvous::PendingRequest &r : pending.value()) {
        auto *item = new QTreeWidgetItem(m_pending);
        item->setText(0, r.username);
        item->setData(0, kUserRole, r.username);
        item->setText(1, formatTime(r.requestedAt * 1000));
        item->setText(2, r.additionalDevice ? tr("another device") : tr("new member"));
        if (r.username == keep)
            m_pending->setCurrentItem(item);
    }
}

void DashboardPage::refreshMembers()
{
    if (!m_node || !m_node->isOperator())
        return;
    if (auto policy = m_node->policy())
        m_policy->setText(tr("Who may join: %1. Revocation list version %2.")
                              .arg(policyText(policy.value()))
                              .arg(m_node->stats().crlVersion));
    m_node->members([this, guard = QPointer(this)](auto result) {
        if (!guard)
            return;
        if (!result)
            return showError(tr("Cannot read the members: %1").arg(result.message()));
        m_members->clear();
        for (const rendezvous::Member &m : result.value()) {
            auto *user = new QTreeWidgetItem(m_members);
            user->setText(0, m.revoked ? tr("%1 (revoked)").arg(m.username) : m.username);
            user->setData(0, kUserRole, m.username);
            user->setDisabled(m.revoked);
            for (const identity::Certificate &c : m.devices) {
                auto *device = new QTreeWidgetItem(user);
                device->setText(0, tr("device %1").arg(c.serial()));
                device->setData(0, kUserRole, m.username);
                device->setData(0, kSerialRole, c.serial());
                device->setText(1, formatTime(c.notAfter() * 1000));
            }
            user->setExpanded(m.devices.size() > 1);
        }
        refreshPending();
    });
}

void DashboardPage::refreshStats()
{
    if (!m_node || !isVisible())
        return;
    const engine::NodeStats s = m_node->stats();
    if (s.storageQuota > 0) {
        m_storage->setRange(0, 1000);
        m_storage->setValue(int(1000 * s.storageUsed / qMax<qint64>(1, s.storageQuota)));
        m_storage->setFormat(tr("%1 of %2").arg(formatBytes(s.storageUsed), formatBytes(s.storageQuota)));
    } else {
        m_storage->setRange(0, 1);
        m_storage->setValue(0);
        m_storage->setFormat(tr("not donating (Settings)"));
    }
    m_network->setText(tr("%n session(s), %1 with certified members; in %2, out %3", nullptr, s.sessions)
                           .arg(s.certifiedPeers)
                           .arg(formatBytesRate(s.rateIn), formatBytesRate(s.rateOut)));
    m_dht->setText(s.lookups == 0
            ? tr("%n node(s) in the routing table", nullptr, s.routingTableSize)
            : tr("%n node(s) in the routing table; %1 % of %2 lookups succeeded", nullptr, s.routingTableSize)
                  .arg(QLocale().toString(100.0 * s.lookupSuccessRate(), 'f', 1))
                  .arg(s.lookups));
    // The chart: rates between consecutive one-second samples.
    const auto &history = m_node->rates().history();
    QList<BandwidthChart::Point> points;
    points.reserve(history.size());
    for (qsizetype i = 1; i < history.size(); ++i) {
        const auto &a = history[i - 1];
        const auto &b = history[i];
        const double seconds = qMax<qint64>(1, b.atMs - a.atMs) / 1000.0;
        points.append({b.atMs, double(b.bytesIn - a.bytesIn) / seconds, double(b.bytesOut - a.bytesOut) / seconds});
    }
    m_chart->setSeries(points);
}

void DashboardPage::approve(bool yes)
{
    QTreeWidgetItem *item = m_pending->currentItem();
    if (!m_node || !item)
        return;
    const QString user = item->data(0, kUserRole).toString();
    if (yes) {
        auto r = m_node->approve(user);
        if (!r)
            return showError(tr("Cannot approve %1: %2").arg(user, r.message()));
    } else {
        auto r = m_node->deny(user);
        if (!r)
            return showError(tr("Cannot deny %1: %2").arg(user, r.message()));
    }
    showError({});
    refreshMembers();
}

void DashboardPage::revoke()
{
    QTreeWidgetItem *item = m_members->currentItem();
    if (!m_node || !item)
        return;
    const QString user = item->data(0, kUserRole).toString();
    const bool device = item->data(0, kSerialRole).isValid();
    const quint64 serial = item->data(0, kSerialRole).toULongLong();
    const QString question = device
        ? tr("Revoke device %1 of %2? It is cut off from the group at once.").arg(serial).arg(user)
        : tr("Revoke %1 and all their devices? They are cut off from the group at once and cannot join again "
             "under this name.")
              .arg(user);
    if (QMessageBox::question(this, tr("Revoke"), question) != QMessageBox::Yes)
        return;
    auto r = device ? m_node->revokeSerial(serial) : m_node->revokeUser(user);
    if (!r)
        return showError(tr("Cannot revoke: %1").arg(r.message()));
    showError({});
    refreshMembers();
}

} // namespace cairn::ui
