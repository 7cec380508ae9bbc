#include "ui/mainwindow.h"

#include "ui/identitypage.h"
#include "ui/onboardingpage.h"
#include "ui/unlockpage.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QMenuBar>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>

namespace cairn::ui {

MainWindow::MainWindow(QString profileDir, QWidget *parent)
    : QMainWindow(parent),
      m_profileDir(std::move(profileDir)),
      m_pages(new QStackedWidget(this)),
      m_identityPage(new IdentityPage(this))
{
    setWindowTitle(tr("Cairn"));
    setCentralWidget(m_pages);
    m_pages->addWidget(m_identityPage);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);

    resize(640, 420);
    QSettings settings(settingsPath(), QSettings::IniFormat);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());

    if (identity::Profile::exists(m_profileDir)) {
        showUnlock();
    } else {
        auto *onboarding = new OnboardingPage(m_profileDir, this);
        m_pages->addWidget(onboarding);
        m_pages->setCurrentWidget(onboarding);
        connect(onboarding, &OnboardingPage::identityCreated, this, [this, onboarding] {
            m_pages->removeWidget(onboarding);
            onboarding->deleteLater();
            statusBar()->showMessage(tr("Identity created. Unlock it with your new passphrase."), 8000);
            showUnlock();
        });
    }
}

MainWindow::~MainWindow() = default;

QString MainWindow::settingsPath() const
{
    return QDir(m_profileDir).filePath(QStringLiteral("window.ini"));
}

void MainWindow::showUnlock()
{
    auto *unlock = new UnlockPage(m_profileDir, this);
    m_pages->addWidget(unlock);
    m_pages->setCurrentWidget(unlock);
    unlock->setFocus();
    connect(unlock, &UnlockPage::unlocked, this, [this, unlock](std::shared_ptr<identity::LocalIdentity> id) {
        m_pages->removeWidget(unlock);
        unlock->deleteLater();
        showIdentity(std::move(id));
    });
}

void MainWindow::showIdentity(std::shared_ptr<identity::LocalIdentity> identity)
{
    m_identity = std::move(identity);
    m_identityPage->setIdentity(*m_identity);
    m_pages->setCurrentWidget(m_identityPage);
    setWindowTitle(tr("Cairn — %1").arg(m_identity->displayName));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Only remember geometry once a profile directory exists: never create
    // one as a side effect of closing the onboarding window.
    if (QDir(m_profileDir).exists()) {
        QSettings settings(settingsPath(), QSettings::IniFormat);
        settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    }
    event->accept();
}

} // namespace cairn::ui
