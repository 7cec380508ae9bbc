#include "ui/mainwindow.h"

#include "core/engine/node.h"
#include "ui/appicon.h"
#include "ui/groupsetuppage.h"
#include "ui/mailpage.h"
#include "ui/nodehost.h"
#include "ui/onboardingpage.h"
#include "ui/unlockpage.h"
#include "ui/workspace.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>

namespace cairn::ui {

MainWindow::MainWindow(QString profileDir, QWidget *parent)
    : QMainWindow(parent), m_profileDir(std::move(profileDir)), m_pages(new QStackedWidget(this))
{
    setWindowTitle(tr("Cairn"));
    setWindowIcon(appIcon());
    setCentralWidget(m_pages);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newMail = file->addAction(tr("&New mail…"), QKeySequence::New, this, [this] {
        if (m_workspace)
            m_workspace->compose(QString());
    });
    newMail->setObjectName(QStringLiteral("newMail"));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Cairn"), this, [this] {
        QMessageBox::about(this, tr("About Cairn"),
            tr("<h3>Cairn %1</h3><p>Private mail and file drops inside your group, end-to-end encrypted, with no "
               "central server.</p>")
                .arg(QApplication::applicationVersion()));
    });

    resize(900, 600);
    QSettings settings(settingsPath(), QSettings::IniFormat);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());

    if (identity::Profile::exists(m_profileDir)) {
        showUnlock();
    } else {
        auto *onboarding = new OnboardingPage(m_profileDir, this);
        showPage(onboarding);
        connect(onboarding, &OnboardingPage::identityCreated, this, &MainWindow::unlocked);
    }
}

MainWindow::~MainWindow()
{
    // Pages hold pointers into the node: they go first.
    delete m_workspace;
    m_workspace = nullptr;
    m_host.reset();
}

QString MainWindow::settingsPath() const
{
    return QDir(m_profileDir).filePath(QStringLiteral("window.ini"));
}

void MainWindow::showPage(QWidget *page)
{
    // One page at a time: the previous one (onboarding, unlock) is done.
    while (m_pages->count() > 0) {
        QWidget *old = m_pages->widget(0);
        m_pages->removeWidget(old);
        if (old != page)
            old->deleteLater();
    }
    m_pages->addWidget(page);
    m_pages->setCurrentWidget(page);
    page->setFocus();
}

void MainWindow::showUnlock()
{
    auto *unlock = new UnlockPage(m_profileDir, this);
    showPage(unlock);
    connect(unlock, &UnlockPage::unlocked, this, &MainWindow::unlocked);
}

void MainWindow::unlocked(UnlockedProfilePtr profile)
{
    m_identity = std::make_shared<identity::LocalIdentity>(identity::Profile::identityOf(profile->keystore));
    m_host = std::make_unique<NodeHost>(m_profileDir, std::move(profile->keystore), std::move(profile->passphrase));
    profile.reset();
    QString why;
    if (!m_host->start(&why)) {
        QMessageBox::critical(this, tr("Cairn cannot start"),
            tr("Your profile is unlocked, but its node cannot start: %1\n\nIs Cairn (or cairnd) already running with "
               "this profile? Close it and start Cairn again.")
                .arg(why));
        auto *error = new QLabel(tr("The node did not start: %1").arg(why.toHtmlEscaped()), this);
        error->setObjectName(QStringLiteral("startError"));
        error->setWordWrap(true);
        error->setAlignment(Qt::AlignCenter);
        showPage(error);
        return;
    }
    setWindowTitle(tr("Cairn — %1").arg(m_identity->displayName));
    // A second `cairn cairn://join/…` hands its link to this window over
    // the control socket.
    auto follow = [this](engine::Node *node) {
        connect(node, &engine::Node::membershipChanged, this, &MainWindow::showForMembership);
        node->setLinkHandler([this](const QString &link) { return openLink(link); });
    };
    connect(m_host.get(), &NodeHost::started, this, follow);
    follow(m_host->node());
    showForMembership();
    setUpTray();
}

void MainWindow::showForMembership()
{
    engine::Node *node = m_host ? m_host->node() : nullptr;
    if (!node)
        return;
    if (node->isMember()) {
        if (m_workspace)
            return;
        m_setup = nullptr;
        m_workspace = new Workspace(*m_host, this);
        connect(m_workspace, &Workspace::status, this,
            [this](const QString &message) { statusBar()->showMessage(message, 10000); });
        connect(m_workspace, &Workspace::notify, this, [this](const QString &title, const QString &message) {
            statusBar()->showMessage(tr("%1: %2").arg(title, message), 10000);
            if (m_tray && !isActiveWindow())
                m_tray->showMessage(title, message, QSystemTrayIcon::Information, 8000);
        });
        showPage(m_workspace);
        m_workspace->restoreState(
            QSettings(settingsPath(), QSettings::IniFormat).value(QStringLiteral("window/workspace")).toByteArray());
        setWindowTitle(tr("Cairn — %1 in %2").arg(node->membership().username, node->membership().groupName));
        if (!m_pendingLink.isEmpty()) {
            statusBar()->showMessage(
                tr("You are already in group “%1”; the invite was not used.").arg(node->membership().groupName), 10000);
            m_pendingLink.clear();
        }
        return;
    }
    if (!m_setup) {
        m_setup = new GroupSetupPage(*m_host, this);
        showPage(m_setup);
    }
    if (!m_pendingLink.isEmpty()) {
        m_setup->setInviteLink(m_pendingLink);
        m_pendingLink.clear();
    }
    if (!node->membership().pendingInvite.isEmpty())
        m_setup->showPending(tr("Your request to join “%1” as %2 is waiting.")
                                 .arg(node->membership().groupName, node->membership().username));
}

QString MainWindow::openLink(const QString &link)
{
    raise();
    activateWindow();
    engine::Node *node = m_host ? m_host->node() : nullptr;
    if (node && node->isMember()) {
        const QString why
            = tr("This profile is already in group “%1”; the invite was not used.").arg(node->membership().groupName);
        statusBar()->showMessage(why, 10000);
        return why;
    }
    m_pendingLink = link.trimmed();
    if (m_setup) {
        m_setup->setInviteLink(m_pendingLink);
        m_pendingLink.clear();
    }
    return {};
}

void MainWindow::setUpTray()
{
    if (m_tray || !QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(windowIcon(), this);
    m_tray->setToolTip(tr("Cairn"));
    auto *menu = new QMenu(this);
    menu->addAction(tr("&Show Cairn"), this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    menu->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger) {
            showNormal();
            raise();
            activateWindow();
        }
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    m_tray->show();
}

void MainWindow::saveState()
{
    // Only once a profile directory exists: never create one as a side
    // effect of closing the onboarding window.
    if (!QDir(m_profileDir).exists())
        return;
    QSettings settings(settingsPath(), QSettings::IniFormat);
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    if (m_workspace)
        settings.setValue(QStringLiteral("window/workspace"), m_workspace->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    event->accept();
}

} // namespace cairn::ui
