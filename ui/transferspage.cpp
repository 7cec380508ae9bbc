#include "ui/transferspage.h"

#include "core/engine/messaging.h"
#include "core/engine/node.h"
#include "core/transfer/transfermanager.h"
#include "ui/format.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace cairn::ui {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
enum Column { NameColumn, ProgressColumn, SpeedColumn, StateColumn };

QString stateText(const transfer::TransferInfo &t)
{
    switch (t.state) {
    case transfer::TransferState::Running:
        if (t.bytesDone == 0 && t.rate <= 0)
            return TransfersPage::tr("starting");
        return t.etaSeconds >= 0 ? TransfersPage::tr("%1 left").arg(formatDuration(t.etaSeconds))
                                 : TransfersPage::tr("running");
    case transfer::TransferState::Paused:
        return TransfersPage::tr("paused");
    case transfer::TransferState::Done:
        return t.direction == transfer::Direction::Upload ? TransfersPage::tr("sent") : TransfersPage::tr("received");
    case transfer::TransferState::Failed:
        return TransfersPage::tr("failed: %1").arg(t.error);
    case transfer::TransferState::Cancelled:
        return TransfersPage::tr("cancelled");
    }
    return {};
}
} // namespace

TransfersPage::TransfersPage(QWidget *parent)
    : QWidget(parent),
      m_list(new QTreeWidget(this)),
      m_pause(new QPushButton(tr("&Pause"), this)),
      m_resume(new QPushButton(tr("&Resume"), this)),
      m_cancel(new QPushButton(tr("&Cancel"), this)),
      m_show(new QPushButton(tr("Show in &folder"), this)),
      m_clear(new QPushButton(tr("C&lear finished"), this)),
      m_coalesce(new QTimer(this))
{
    setObjectName(QStringLiteral("transfers"));
    m_list->setObjectName(QStringLiteral("transferList"));
    m_list->setAccessibleName(tr("Transfers"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setHeaderLabels({tr("Name"), tr("Progress"), tr("Speed"), tr("State")});
    m_list->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    m_list->header()->setStretchLastSection(false);
    m_list->setColumnWidth(ProgressColumn, 220);
    m_pause->setObjectName(QStringLiteral("pause"));
    m_resume->setObjectName(QStringLiteral("resume"));
    m_cancel->setObjectName(QStringLiteral("cancel"));
    m_show->setObjectName(QStringLiteral("showInFolder"));
    m_clear->setObjectName(QStringLiteral("clearFinished"));

    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_pause, m_resume, m_cancel, m_show})
        buttons->addWidget(b);
    buttons->addStretch();
    buttons->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list);
    layout->addLayout(buttons);

    // Progress arrives per chunk; redraw at most a few times a second.
    m_coalesce->setSingleShot(true);
    m_coalesce->setInterval(250);
    connect(m_coalesce, &QTimer::timeout, this, &TransfersPage::refresh);
    connect(m_list, &QTreeWidget::currentItemChanged, this, &TransfersPage::updateButtons);
    connect(m_pause, &QPushButton::clicked, this, [this] { act(QStringLiteral("pause")); });
    connect(m_resume, &QPushButton::clicked, this, [this] { act(QStringLiteral("resume")); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { act(QStringLiteral("cancel")); });
    connect(m_show, &QPushButton::clicked, this, [this] { act(QStringLiteral("show")); });
    connect(m_clear, &QPushButton::clicked, this, [this] {
        if (!m_node || !m_node->messaging())
            return;
        auto &transfers = m_node->messaging()->transfers();
        for (const transfer::TransferInfo &t : transfers.transfers()) {
            if (t.state == transfer::TransferState::Done || t.state == transfer::TransferState::Cancelled)
                (void)transfers.remove(t.id);
        }
        refresh();
    });
    updateButtons();
}

void TransfersPage::bind(engine::Node *node)
{
    if (m_node)
        disconnect(m_node, nullptr, this, nullptr);
    m_node = node;
    if (node)
        connect(node, &engine::Node::membershipChanged, this, &TransfersPage::connectTransfers);
    connectTransfers();
}

void TransfersPage::connectTransfers()
{
    refresh();
    if (!m_node || !m_node->messaging())
        return;
    auto *transfers = &m_node->messaging()->transfers();
    disconnect(transfers, nullptr, this, nullptr);
    connect(transfers, &transfer::TransferManager::changed, this, [this] {
        if (!m_coalesce->isActive())
            m_coalesce->start();
    });
    connect(transfers, &transfer::TransferManager::downloadFinished, this,
        [this, transfers](const QString &id, const QStringList &paths) {
            const auto info = transfers->info(id);
            Q_EMIT downloadFinished(
                info ? info->label : QString(), paths.isEmpty() ? QString() : QFileInfo(paths.first()).absolutePath());
        });
    connect(transfers, &transfer::TransferManager::uploadFinished, this, [this, transfers](const QString &id) {
        const auto info = transfers->info(id);
        Q_EMIT uploadFinished(info ? info->label : QString());
    });
}

void TransfersPage::refresh()
{
    if (!m_node || !m_node->messaging()) {
        m_list->clear();
        updateButtons();
        return;
    }
    QList<transfer::TransferInfo> all = m_node->messaging()->transfers().transfers();
    std::sort(all.begin(), all.end(), [](const auto &a, const auto &b) { return a.createdAt > b.createdAt; });
    const QString keep = currentId();
    // Update rows in place (a rebuild would flicker and lose the keyboard focus).
    QHash<QString, QTreeWidgetItem *> rows;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        rows.insert(m_list->topLevelItem(i)->data(0, kIdRole).toString(), m_list->topLevelItem(i));
    QSet<QString> seen;
    for (int index = 0; index < all.size(); ++index) {
        const transfer::TransferInfo &t = all[index];
        seen.insert(t.id);
        QTreeWidgetItem *item = rows.value(t.id);
        if (!item) {
            item = new QTreeWidgetItem;
            item->setData(0, kIdRole, t.id);
            m_list->insertTopLevelItem(index, item);
            auto *bar = new QProgressBar;
            bar->setRange(0, 1000);
            m_list->setItemWidget(item, ProgressColumn, bar);
        }
        const QString arrow = t.direction == transfer::Direction::Upload ? QStringLiteral("↑ ") : QStringLiteral("↓ ");
        item->setText(NameColumn, arrow + (t.label.isEmpty() ? tr("%n file(s)", nullptr, t.fileCount) : t.label));
        item->setToolTip(NameColumn, t.savedPaths.join(QLatin1Char('\n')));
        if (auto *bar = qobject_cast<QProgressBar *>(m_list->itemWidget(item, ProgressColumn))) {
            bar->setValue(t.bytesTotal > 0 ? int(1000 * t.bytesDone / t.bytesTotal) : 0);
            bar->setFormat(tr("%1 of %2").arg(formatBytes(t.bytesDone), formatBytes(t.bytesTotal)));
            bar->setAccessibleName(bar->format());
        }
        item->setText(SpeedColumn, t.state == transfer::TransferState::Running ? formatBytesRate(t.rate) : QString());
        item->setText(StateColumn, stateText(t));
        item->setData(StateColumn, kIdRole, int(t.state));
        item->setData(SpeedColumn, kIdRole, int(t.direction));
    }
    for (auto it = rows.begin(); it != rows.end(); ++it) {
        if (!seen.contains(it.key()))
            delete it.value();
    }
    if (!keep.isEmpty()) {
        for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
            if (m_list->topLevelItem(i)->data(0, kIdRole).toString() == keep)
                m_list->setCurrentItem(m_list->topLevelItem(i));
        }
    }
    updateButtons();
}

QString TransfersPage::currentId() const
{
    QTreeWidgetItem *item = m_list->currentItem();
    return item ? item->data(0, kIdRole).toString() : QString();
}

void TransfersPage::updateButtons()
{
    QTreeWidgetItem *item = m_list->currentItem();
    const auto state
        = item ? transfer::TransferState(item->data(StateColumn, kIdRole).toInt()) : transfer::TransferState::Cancelled;
    const bool download = item && item->data(SpeedColumn, kIdRole).toInt() == int(transfer::Direction::Download);
    m_pause->setEnabled(item && state == transfer::TransferState::Running);
    m_resume->setEnabled(
        item && (state == transfer::TransferState::Paused || state == transfer::TransferState::Failed));
    m_cancel->setEnabled(item
        && (state == transfer::TransferState::Running || state == transfer::TransferState::Paused
            || state == transfer::TransferState::Failed));
    m_show->setEnabled(item && download && state == transfer::TransferState::Done);
}

void TransfersPage::act(const QString &what)
{
    if (!m_node || !m_node->messaging())
        return;
    auto &transfers = m_node->messaging()->transfers();
    const QString id = currentId();
    if (id.isEmpty())
        return;
    transfer::Result<void> result;
    if (what == QLatin1String("pause")) {
        result = transfers.pause(id);
    } else if (what == QLatin1String("resume")) {
        result = transfers.resume(id);
    } else if (what == QLatin1String("cancel")) {
        if (QMessageBox::question(this, tr("Cancel transfer"), tr("Stop this transfer for good?")) != QMessageBox::Yes)
            return;
        result = transfers.cancel(id);
    } else if (what == QLatin1String("show")) {
        const auto info = transfers.info(id);
        if (info && !info->savedPaths.isEmpty())
            QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(info->savedPaths.first()).absolutePath()));
        return;
    }
    if (!result)
        QMessageBox::warning(this, tr("Transfer"), result.message());
    refresh();
}

} // namespace cairn::ui
