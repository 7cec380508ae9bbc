#include "ui/backupdialog.h"

#include "core/engine/profilebackup.h"
#include "core/identity/profile.h"
#include "ui/pagelayout.h"
#include "ui/passphrasestrength.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace cairn::ui {

BackupDialog::BackupDialog(Mode mode, QString profileDir, const crypto::KeystoreContents *keys, QWidget *parent)
    : QDialog(parent),
      m_mode(mode),
      m_profileDir(std::move(profileDir)),
      m_keys(keys ? std::make_shared<crypto::KeystoreContents>(keys->clone()) : nullptr),
      m_path(new QLineEdit(this)),
      m_passphrase(new QLineEdit(this)),
      m_confirm(new QLineEdit(this)),
      m_hint(new QLabel(this)),
      m_error(new QLabel(this)),
      m_busy(new QProgressBar(this)),
      m_ok(new QPushButton(mode == Mode::Export ? tr("&Export") : tr("&Restore"), this))
{
    const bool exporting = mode == Mode::Export;
    setObjectName(QStringLiteral("backupDialog"));
    setWindowTitle(exporting ? tr("Export a backup") : tr("Restore from a backup"));
    auto *intro = new QLabel(exporting
            ? tr("The backup holds your keys and your place in the group (and, if you run the group, everything the "
                 "group's authority knows). Keep it somewhere safe: with its passphrase, anyone can be you.")
            : tr("Restores your keys and your place in the group on this computer. Stop Cairn on the old computer "
                 "first: two computers with the same keys confuse the group."),
        this);
    intro->setWordWrap(true);
    m_path->setObjectName(QStringLiteral("backupPath"));
    m_passphrase->setObjectName(QStringLiteral("backupPassphrase"));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_confirm->setObjectName(QStringLiteral("backupConfirm"));
    m_confirm->setEchoMode(QLineEdit::Password);
    m_hint->setObjectName(QStringLiteral("backupHint"));
    makeErrorLabel(m_error, QStringLiteral("backupError"));
    makeBusyBar(m_busy);
    m_ok->setObjectName(QStringLiteral("backupOk"));
    m_ok->setDefault(true);

    auto *choose = new QPushButton(tr("Choose…"), this);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(choose);
    auto *form = new QFormLayout;
    form->addRow(tr("&File:"), pathRow);
    form->addRow(exporting ? tr("Backup &passphrase:") : tr("&Passphrase:"), m_passphrase);
    if (exporting) {
        form->addRow(QString(), m_hint);
        form->addRow(tr("Re&peat it:"), m_confirm);
    } else {
        m_confirm->hide();
        m_hint->setText(tr("It also becomes the passphrase of this profile on this computer."));
        form->addRow(QString(), m_hint);
    }
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_ok, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_busy);
    layout->addWidget(buttons);

    connect(choose, &QPushButton::clicked, this, [this, exporting] {
        const QString filter = tr("Cairn backups (*.cairn-backup);;All files (*)");
        const QString path = exporting ? QFileDialog::getSaveFileName(this, windowTitle(),
                                 QDir::home().filePath(QStringLiteral("cairn.cairn-backup")), filter)
                                       : QFileDialog::getOpenFileName(this, windowTitle(), QDir::homePath(), filter);
        if (!path.isEmpty())
            setPath(path);
    });
    for (QLineEdit *e : {m_path, m_passphrase, m_confirm})
        connect(e, &QLineEdit::textChanged, this, &BackupDialog::updateState);
    disconnect(buttons, &QDialogButtonBox::accepted, nullptr, nullptr);
    connect(m_ok, &QPushButton::clicked, this, &BackupDialog::run);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateState();
}

void BackupDialog::setPath(const QString &path)
{
    m_path->setText(QDir::toNativeSeparators(path));
}

void BackupDialog::updateState()
{
    bool ready = !m_path->text().trimmed().isEmpty() && !m_passphrase->text().isEmpty() && !m_busy->isVisible();
    if (m_mode == Mode::Export) {
        const PassphraseStrength s = PassphraseStrength::estimate(m_passphrase->text());
        m_hint->setText(s.level < PassphraseStrength::Fair
                ? tr("Use a long passphrase: the backup file may be copied and guessed at for years.")
                : tr("Good."));
        ready = ready && s.level >= PassphraseStrength::Fair && m_passphrase->text() == m_confirm->text();
    }
    m_ok->setEnabled(ready);
}

void BackupDialog::run()
{
    if (!m_ok->isEnabled())
        return;
    const QString path = QDir::fromNativeSeparators(m_path->text().trimmed());
    QByteArray typed = m_passphrase->text().toUtf8();
    auto secret = std::make_shared<crypto::SecretBytes>(crypto::SecretBytes::fromView(typed));
    crypto::wipe(typed);
    m_error->hide();
    m_busy->show();
    updateState();

    if (m_mode == Mode::Export) {
        auto *watcher = new QFutureWatcher<engine::Result<void>>(this);
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
            watcher->deleteLater();
            m_busy->hide();
            updateState();
            if (auto r = watcher->future().takeResult(); !r) {
                m_error->setText(tr("No backup was written: %1").arg(r.message()));
                m_error->show();
                return;
            }
            accept();
        });
        watcher->setFuture(QtConcurrent::run([dir = m_profileDir, keys = m_keys, secret, path] {
            return engine::ProfileBackup::write(dir, *keys, secret->view(), path);
        }));
        return;
    }
    auto *watcher = new QFutureWatcher<engine::Result<UnlockedProfilePtr>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_busy->hide();
        updateState();
        auto r = watcher->future().takeResult();
        if (!r) {
            m_error->setText(r.code() == engine::EngineError::Denied ? tr("Wrong passphrase for this backup.")
                                                                     : tr("Cannot restore: %1").arg(r.message()));
            m_error->show();
            return;
        }
        Q_EMIT restored(r.value());
        accept();
    });
    watcher->setFuture(QtConcurrent::run([dir = m_profileDir, secret, path]() -> engine::Result<UnlockedProfilePtr> {
        if (auto name = engine::ProfileBackup::restore(path, secret->view(), dir); !name)
            return name.error();
        auto opened = crypto::Keystore::open(identity::Profile::keystorePath(dir), secret->view());
        if (!opened)
            return base::fail(engine::EngineError::Storage, opened.message());
        return std::make_shared<UnlockedProfile>(UnlockedProfile {std::move(opened.value()), secret->clone()});
    }));
}

} // namespace cairn::ui
