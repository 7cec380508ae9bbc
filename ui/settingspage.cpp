#include "ui/settingspage.h"

#include "core/engine/node.h"
#include "core/identity/profile.h"
#include "ui/backupdialog.h"
#include "ui/format.h"
#include "ui/nodehost.h"
#include "ui/pagelayout.h"
#include "ui/qrcodewidget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

namespace cairn::ui {

namespace {
constexpr double kGiB = 1024.0 * 1024 * 1024;

QWidget *withBrowse(QLineEdit *edit, QWidget *parent, const QString &title)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *browse = new QPushButton(SettingsPage::tr("Choose…"), row);
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, edit, [edit, title] {
        const QString dir = QFileDialog::getExistingDirectory(edit, title, edit->text());
        if (!dir.isEmpty())
            edit->setText(QDir::toNativeSeparators(dir));
    });
    return row;
}
} // namespace

SettingsPage::SettingsPage(NodeHost &host, QWidget *parent)
    : QWidget(parent),
      m_host(host),
      m_donate(new QCheckBox(tr("&Donate storage to my group"), this)),
      m_quota(new QDoubleSpinBox(this)),
      m_used(new QLabel(this)),
      m_storageDir(new QLineEdit(this)),
      m_port(new QSpinBox(this)),
      m_reliability(new QComboBox(this)),
      m_downloads(new QLineEdit(this)),
      m_language(new QComboBox(this)),
      m_fingerprint(new QLabel(this)),
      m_qr(new QrCodeWidget(this)),
      m_message(new QLabel(this)),
      m_apply(new QPushButton(tr("&Apply"), this))
{
    setObjectName(QStringLiteral("settings"));
    m_donate->setObjectName(QStringLiteral("donate"));
    m_donate->setToolTip(tr("Keep encrypted mail and files of others while they are offline. You cannot read them."));
    m_quota->setObjectName(QStringLiteral("quota"));
    m_quota->setRange(double(AppSettings::kMinQuota) / kGiB, 16384);
    m_quota->setDecimals(1);
    m_quota->setSingleStep(0.5);
    m_quota->setSuffix(tr(" GiB"));
    m_used->setObjectName(QStringLiteral("storageUsed"));
    m_storageDir->setObjectName(QStringLiteral("storageDir"));
    m_storageDir->setPlaceholderText(tr("In the profile folder"));
    m_port->setObjectName(QStringLiteral("port"));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("Any free port"));
    m_reliability->setObjectName(QStringLiteral("reliability"));
    for (double p : {0.99, 0.999, 0.9999, 0.99999})
        m_reliability->addItem(tr("%1 %").arg(QLocale().toString(p * 100, 'g', 6)), p);
    m_reliability->setToolTip(tr("The chance that what you send can still be read when storage nodes go away. "
                                 "Higher stores more copies."));
    m_downloads->setObjectName(QStringLiteral("downloads"));
    m_language->setObjectName(QStringLiteral("language"));
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_fingerprint->setObjectName(QStringLiteral("fingerprint"));
    m_fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_fingerprint->setWordWrap(true);
    m_qr->setObjectName(QStringLiteral("fingerprintQr"));
    m_qr->setFixedSize(160, 160);
    m_message->setObjectName(QStringLiteral("settingsMessage"));
    m_message->setWordWrap(true);
    m_apply->setObjectName(QStringLiteral("apply"));

    auto *storage = new QGroupBox(tr("Storage"), this);
    auto *sf = new QFormLayout(storage);
    sf->addRow(m_donate);
    sf->addRow(tr("&Quota:"), m_quota);
    sf->addRow(tr("Used now:"), m_used);
    sf->addRow(tr("&Location:"), withBrowse(m_storageDir, this, tr("Where to keep donated storage")));

    auto *general = new QGroupBox(tr("Network and mail"), this);
    auto *gf = new QFormLayout(general);
    gf->addRow(tr("Listen &port (UDP):"), m_port);
    gf->addRow(tr("Target &reliability:"), m_reliability);
    gf->addRow(tr("&Download folder:"), withBrowse(m_downloads, this, tr("Where received files go")));
    gf->addRow(tr("Lan&guage:"), m_language);

    auto *identity = new QGroupBox(tr("Identity"), this);
    auto *il = new QHBoxLayout(identity);
    auto *idText = new QLabel(tr("Others can check that they talk to this device by comparing this fingerprint, "
                                 "or by scanning the code."),
        this);
    idText->setWordWrap(true);
    auto *exportBackup = new QPushButton(tr("E&xport backup…"), this);
    exportBackup->setObjectName(QStringLiteral("exportBackup"));
    exportBackup->setToolTip(tr("An encrypted copy of your keys and group membership, to move to a new computer"));
    connect(exportBackup, &QPushButton::clicked, this, [this] {
        // The node's keys: with the CA key once this profile made a group.
        const crypto::KeystoreContents &keys = m_host.node() ? m_host.node()->keystore() : m_host.keystore();
        auto *dialog = new BackupDialog(BackupDialog::Mode::Export, m_host.profileDir(), &keys, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this, [this] { m_message->setText(tr("Backup written.")); });
        dialog->open();
    });
    auto *idColumn = new QVBoxLayout;
    idColumn->addWidget(idText);
    idColumn->addWidget(m_fingerprint);
    idColumn->addWidget(exportBackup, 0, Qt::AlignLeft);
    idColumn->addStretch();
    il->addLayout(idColumn, 1);
    il->addWidget(m_qr);

    auto *content = new QWidget(this);
    auto *cl = new QVBoxLayout(content);
    cl->addWidget(storage);
    cl->addWidget(general);
    cl->addWidget(identity);
    cl->addWidget(m_message);
    cl->addWidget(m_apply, 0, Qt::AlignRight);
    cl->addStretch();
    setScrollingContent(this, content);

    connect(m_donate, &QCheckBox::toggled, this, &SettingsPage::updateState);
    connect(m_apply, &QPushButton::clicked, this, &SettingsPage::apply);
    auto *usage = new QTimer(this);
    usage->setInterval(2000);
    connect(usage, &QTimer::timeout, this, &SettingsPage::updateUsage);
    usage->start();
    connect(&m_host, &NodeHost::started, this, &SettingsPage::updateUsage);
    reload();
}

void SettingsPage::reload()
{
    const AppSettings s = m_host.settings();
    m_donate->setChecked(s.donate);
    m_quota->setValue(double(s.quotaBytes) / kGiB);
    m_storageDir->setText(QDir::toNativeSeparators(s.storageDir));
    m_port->setValue(s.listenPort);
    int best = 0;
    for (int i = 0; i < m_reliability->count(); ++i) {
        if (qAbs(m_reliability->itemData(i).toDouble() - s.reliability)
            < qAbs(m_reliability->itemData(best).toDouble() - s.reliability))
            best = i;
    }
    m_reliability->setCurrentIndex(best);
    m_downloads->setText(QDir::toNativeSeparators(s.effectiveDownloadDir()));
    m_language->setCurrentIndex(qMax(0, m_language->findData(s.language)));
    const QString fingerprint = identity::Profile::identityOf(m_host.keystore()).fingerprint();
    m_fingerprint->setText(QStringLiteral("<tt>%1</tt>").arg(fingerprint));
    m_qr->setText(fingerprint);
    updateState();
    updateUsage();
}

AppSettings SettingsPage::fromForm() const
{
    AppSettings s = m_host.settings();
    s.donate = m_donate->isChecked();
    s.quotaBytes = qMax(AppSettings::kMinQuota, qint64(m_quota->value() * kGiB));
    s.storageDir = QDir::fromNativeSeparators(m_storageDir->text().trimmed());
    s.listenPort = m_port->value();
    s.reliability = m_reliability->currentData().toDouble();
    const QString downloads = QDir::fromNativeSeparators(m_downloads->text().trimmed());
    s.downloadDir = downloads == AppSettings().effectiveDownloadDir() ? QString() : downloads;
    s.language = m_language->currentData().toString();
    return s;
}

void SettingsPage::updateState()
{
    m_quota->setEnabled(m_donate->isChecked());
    m_storageDir->setEnabled(m_donate->isChecked());
}

void SettingsPage::updateUsage()
{
    engine::Node *node = m_host.node();
    if (!node || !isVisible()) {
        if (!node)
            m_used->setText(tr("—"));
        return;
    }
    const engine::NodeStats stats = node->stats();
    m_used->setText(stats.storageQuota > 0 ? tr("%1 of %2 (%n item(s))", nullptr, int(stats.storedItems))
                                                 .arg(formatBytes(stats.storageUsed), formatBytes(stats.storageQuota))
                                           : tr("Not donating"));
}

bool SettingsPage::apply()
{
    const AppSettings wanted = fromForm();
    if (!wanted.storageDir.isEmpty() && !QDir().mkpath(wanted.storageDir)) {
        m_message->setText(tr("Cannot use %1 for storage: the folder cannot be created.").arg(wanted.storageDir));
        return false;
    }
    if (!QDir().mkpath(wanted.effectiveDownloadDir())) {
        m_message->setText(
            tr("Cannot use %1 for downloads: the folder cannot be created.").arg(wanted.effectiveDownloadDir()));
        return false;
    }
    const QString oldLanguage = m_host.settings().language;
    QString why;
    if (!m_host.apply(wanted, &why)) {
        m_message->setText(tr("Settings not applied: %1").arg(why));
        return false;
    }
    m_message->setText(
        wanted.language != oldLanguage ? tr("Saved. The new language is used from the next start.") : tr("Saved."));
    if (wanted.language != oldLanguage)
        Q_EMIT languageChanged(wanted.language);
    updateUsage();
    return true;
}

} // namespace cairn::ui
