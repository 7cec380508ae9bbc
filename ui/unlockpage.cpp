#include "ui/unlockpage.h"

#include "ui/pagelayout.h"

#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace cairn::ui {

UnlockPage::UnlockPage(QString profileDir, QWidget *parent)
    : QWidget(parent),
      m_profileDir(std::move(profileDir)),
      m_passphrase(new QLineEdit(this)),
      m_error(new QLabel(this)),
      m_busy(new QProgressBar(this)),
      m_unlock(new QPushButton(tr("&Unlock"), this))
{
    setObjectName(QStringLiteral("unlock"));
    auto *title = new QLabel(tr("<h2>Unlock Cairn</h2><p>Enter the passphrase that protects your keys.</p>"), this);
    title->setWordWrap(true);
    m_passphrase->setObjectName(QStringLiteral("passphrase"));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setPlaceholderText(tr("Passphrase"));
    makeErrorLabel(m_error, QStringLiteral("error"));
    makeBusyBar(m_busy);
    m_unlock->setObjectName(QStringLiteral("unlockButton"));
    m_unlock->setDefault(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_passphrase);
    layout->addWidget(m_error);
    layout->addWidget(m_busy);
    layout->addWidget(m_unlock, 0, Qt::AlignRight);
    layout->addStretch();

    connect(m_passphrase, &QLineEdit::returnPressed, this, &UnlockPage::unlock);
    connect(m_unlock, &QPushButton::clicked, this, &UnlockPage::unlock);
    setFocusProxy(m_passphrase);
}

void UnlockPage::unlock()
{
    if (m_passphrase->text().isEmpty() || m_busy->isVisible())
        return;
    m_error->hide();
    m_busy->show();
    m_passphrase->setEnabled(false);
    m_unlock->setEnabled(false);

    auto *watcher = new QFutureWatcher<crypto::Result<crypto::KeystoreContents>>(this);
    QByteArray typed = m_passphrase->text().toUtf8();
    auto secret = std::make_shared<crypto::SecretBytes>(crypto::SecretBytes::fromView(typed));
    crypto::wipe(typed);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, secret] {
        watcher->deleteLater();
        auto result = watcher->future().takeResult();
        m_busy->hide();
        m_passphrase->setEnabled(true);
        m_unlock->setEnabled(true);
        if (!result.ok()) {
            m_error->setText(result.code() == crypto::CryptoError::WrongPassphrase
                    ? tr("Wrong passphrase. Try again.")
                    : tr("Cannot open your profile: %1").arg(result.message()));
            m_error->show();
            m_passphrase->selectAll();
            m_passphrase->setFocus();
            return;
        }
        m_passphrase->clear();
        Q_EMIT unlocked(
            std::make_shared<UnlockedProfile>(UnlockedProfile {std::move(result).value(), secret->clone()}));
    });
    watcher->setFuture(crypto::Keystore::openAsync(identity::Profile::keystorePath(m_profileDir), secret->view()));
}

} // namespace cairn::ui
