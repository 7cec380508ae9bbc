#include "ui/onboardingpage.h"

#include "core/base/rng.h"
#include "ui/backupdialog.h"
#include "ui/pagelayout.h"
#include "ui/passphrasestrength.h"

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

OnboardingPage::OnboardingPage(QString profileDir, QWidget *parent)
    : QWidget(parent),
      m_profileDir(std::move(profileDir)),
      m_name(new QLineEdit(this)),
      m_passphrase(new QLineEdit(this)),
      m_confirm(new QLineEdit(this)),
      m_strength(new QLabel(this)),
      m_error(new QLabel(this)),
      m_busy(new QProgressBar(this)),
      m_create(new QPushButton(tr("&Create identity"), this))
{
    setObjectName(QStringLiteral("onboarding"));
    auto *title = new QLabel(tr("<h2>Welcome to Cairn</h2>"
                                "<p>Pick the name others in your group will see, and a passphrase "
                                "that protects your keys on this computer.</p>"),
        this);
    title->setWordWrap(true);

    m_name->setObjectName(QStringLiteral("displayName"));
    m_name->setMaxLength(int(identity::Profile::kMaxDisplayName));
    m_name->setPlaceholderText(tr("e.g. Alice"));
    m_passphrase->setObjectName(QStringLiteral("passphrase"));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_confirm->setObjectName(QStringLiteral("confirmPassphrase"));
    m_confirm->setEchoMode(QLineEdit::Password);
    m_strength->setObjectName(QStringLiteral("strengthHint"));
    makeErrorLabel(m_error, QStringLiteral("error"));
    makeBusyBar(m_busy);
    m_create->setObjectName(QStringLiteral("create"));
    m_create->setDefault(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Display &name:"), m_name);
    form->addRow(tr("&Passphrase:"), m_passphrase);
    form->addRow(QString(), m_strength);
    form->addRow(tr("&Repeat passphrase:"), m_confirm);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_busy);
    auto *restore = new QPushButton(tr("Restore from a &backup…"), this);
    restore->setObjectName(QStringLiteral("restoreBackup"));
    connect(restore, &QPushButton::clicked, this, [this] {
        auto *dialog = new BackupDialog(BackupDialog::Mode::Restore, m_profileDir, nullptr, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &BackupDialog::restored, this, &OnboardingPage::identityCreated);
        dialog->open();
    });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(restore);
    buttons->addStretch();
    buttons->addWidget(m_create);
    layout->addLayout(buttons);
    layout->addStretch();

    for (QLineEdit *e : {m_name, m_passphrase, m_confirm})
        connect(e, &QLineEdit::textChanged, this, &OnboardingPage::updateState);
    connect(m_confirm, &QLineEdit::returnPressed, this, &OnboardingPage::create);
    connect(m_create, &QPushButton::clicked, this, &OnboardingPage::create);
    updateState();
}

void OnboardingPage::updateState()
{
    const PassphraseStrength s = PassphraseStrength::estimate(m_passphrase->text());
    switch (s.level) {
    case PassphraseStrength::Empty:
        m_strength->setText(tr("Use a few words or a long sentence."));
        break;
    case PassphraseStrength::TooShort:
        m_strength->setText(tr("Too short: use at least %n characters.", nullptr, PassphraseStrength::kMinLength));
        break;
    case PassphraseStrength::Weak:
        m_strength->setText(tr("Weak: easy to guess. Add more words."));
        break;
    case PassphraseStrength::Fair:
        m_strength->setText(tr("Fair. A few more words make it strong."));
        break;
    case PassphraseStrength::Strong:
        m_strength->setText(tr("Strong."));
        break;
    }
    const bool nameOk = identity::Profile::checkDisplayName(m_name->text()).isEmpty();
    const bool match = m_passphrase->text() == m_confirm->text();
    if (!m_confirm->text().isEmpty() && !match) {
        m_error->setText(tr("The two passphrases differ."));
        m_error->show();
    } else {
        m_error->hide();
    }
    m_create->setEnabled(nameOk && match && s.level >= PassphraseStrength::Weak && !m_busy->isVisible());
}

void OnboardingPage::create()
{
    if (!m_create->isEnabled())
        return;
    m_busy->show();
    m_error->hide();
    for (QWidget *w : std::initializer_list<QWidget *> {m_name, m_passphrase, m_confirm, m_create})
        w->setEnabled(false);

    auto *watcher = new QFutureWatcher<crypto::Result<UnlockedProfilePtr>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        auto result = watcher->future().takeResult();
        m_busy->hide();
        for (QWidget *w : std::initializer_list<QWidget *> {m_name, m_passphrase, m_confirm})
            w->setEnabled(true);
        if (!result.ok()) {
            m_error->setText(tr("Could not create your identity: %1").arg(result.message()));
            m_error->show();
            updateState();
            return;
        }
        m_passphrase->clear();
        m_confirm->clear();
        Q_EMIT identityCreated(result.value());
    });
    // Profile::create waits for Argon2id; keep even that wait off the UI thread.
    const QString dir = m_profileDir;
    const QString name = m_name->text();
    auto secret = std::make_shared<crypto::SecretBytes>(crypto::SecretBytes::fromView(m_passphrase->text().toUtf8()));
    watcher->setFuture(QtConcurrent::run([dir, name, secret]() -> crypto::Result<UnlockedProfilePtr> {
        base::SodiumRng rng;
        if (auto created = identity::Profile::create(dir, name, secret->view(), rng); !created)
            return created.error();
        auto opened = crypto::Keystore::open(identity::Profile::keystorePath(dir), secret->view());
        if (!opened)
            return opened.error();
        return std::make_shared<UnlockedProfile>(UnlockedProfile {std::move(opened.value()), secret->clone()});
    }));
}

} // namespace cairn::ui
