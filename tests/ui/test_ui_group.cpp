// The desktop app against real `cairnd` nodes on 127.0.0.1, on the offscreen
// platform. An operator starts a group from the first start and runs it from
// the dashboard; a member joins with a pasted invite, drops a file on a
// contact, writes and reads mail, and donates storage.
#include "../integration/testgroup.h"
#include "core/engine/messaging.h"
#include "core/engine/node.h"
#include "core/mail/mailbox.h"
#include "ui/backupdialog.h"
#include "ui/composedialog.h"
#include "ui/contactlist.h"
#include "ui/contactsmodel.h"
#include "ui/contactspage.h"
#include "ui/dashboardpage.h"
#include "ui/mailpage.h"
#include "ui/nodehost.h"
#include "ui/qrcodewidget.h"
#include "ui/settingspage.h"
#include "ui/transferspage.h"
#include "ui/workspace.h"
#include "uitest.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUrl>

#include <memory>

using namespace cairn;
using uitest::find;

namespace {
const QString kPass = QStringLiteral("granite river lantern 42");

QJsonArray mails(NodeProcess &node, const QString &folder)
{
    return node
        .cli(QStringLiteral("mail"),
            {QStringLiteral("list"), QStringLiteral("--folder"), folder, QStringLiteral("--refresh")})
        .json()
        .value(QStringLiteral("mails"))
        .toArray();
}

QJsonObject findMail(NodeProcess &node, const QString &folder, const QString &subject)
{
    for (const QJsonValue &v : mails(node, folder)) {
        if (v.toObject().value(QStringLiteral("subject")).toString() == subject)
            return v.toObject();
    }
    return {};
}

/// Drags local files over a view's viewport to `pos` and, if `drop`, lets go.
void dragFiles(QWidget *viewport, const QStringList &paths, QPoint pos, bool drop)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString &p : paths)
        urls << QUrl::fromLocalFile(p);
    mime.setUrls(urls);
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport, &enter);
    QDragMoveEvent move(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport, &move);
    if (drop) {
        QDropEvent event(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport, &event);
    }
}
} // namespace

class TestUiGroup : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_passFile;
    std::unique_ptr<TestGroup> m_group;
    NodeProcess *m_bob = nullptr;
    QString m_bobDownloads;
    std::unique_ptr<ui::MainWindow> m_alice;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    ui::Workspace *aliceWorkspace() const { return m_alice ? m_alice->workspace() : nullptr; }
    engine::Node *aliceNode() const { return m_alice && m_alice->host() ? m_alice->host()->node() : nullptr; }

private Q_SLOTS:
    void initTestCase()
    {
        uitest::installQuietHandler();
        QVERIFY(m_dir.isValid());
        m_passFile = path(QStringLiteral("pass"));
        QVERIFY(writePassphraseFile(m_passFile, "correct horse battery staple"));
    }

    void anOperatorCreatesAGroupAndRunsItFromTheDashboard()
    {
        const QString profile = path(QStringLiteral("olga"));
        uitest::writeTestSettings(profile);
        ui::MainWindow window(profile);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(uitest::createIdentity(window, QStringLiteral("Olga"), kPass));

        // "Create a group", with the keyboard: choice, name, Enter.
        auto *create = find<QRadioButton>(&window, "createChoice");
        QVERIFY(create);
        create->setFocus();
        QTest::keyClick(create, Qt::Key_Space);
        QVERIFY(create->isChecked());
        auto *groupName = find<QLineEdit>(&window, "groupName");
        QVERIFY(groupName);
        QTest::keyClicks(groupName, QStringLiteral("Hill Club"));
        QCOMPARE(find<QComboBox>(&window, "policy")->currentData().toString(), QStringLiteral("manual"));
        QTest::keyClick(groupName, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(window.workspace(), 30000);
        engine::Node *node = window.host()->node();
        QVERIFY(node->isOperator());
        ui::DashboardPage *dashboard = window.workspace()->dashboard();
        QVERIFY(dashboard);
        window.workspace()->setCurrentWidget(dashboard);
        QTRY_VERIFY(find<QLabel>(dashboard, "policy")->text().contains(QStringLiteral("approve")));

        // An invite as a link and as a QR code.
        QTest::mouseClick(find<QPushButton>(dashboard, "createInvite"), Qt::LeftButton);
        const QString link = dashboard->inviteLink()->text();
        QVERIFY2(link.startsWith(QStringLiteral("cairn://join/")), qPrintable(link));
        auto *qr = find<ui::QrCodeWidget>(dashboard, "inviteQr");
        QVERIFY(qr && qr->isValid());
        QCOMPARE(qr->text(), link);

        // Bob asks to join; the request shows on the dashboard.
        NodeProcess bob(path(QStringLiteral("bob-op")), m_passFile);
        QVERIFY(bob.init(QStringLiteral("bob")));
        QString why;
        QVERIFY2(bob.start({QStringLiteral("--bootstrap"), node->localEndpoint().toString()}, &why), qPrintable(why));
        const CliResult asked
            = bob.cli(QStringLiteral("join"), {link, QStringLiteral("--username"), QStringLiteral("bob")});
        QVERIFY2(asked.json().value(QStringLiteral("status")).toString() == QLatin1String("pending"),
            qPrintable(asked.out + asked.err));
        auto *pending = find<QTreeWidget>(dashboard, "pendingList");
        QTRY_COMPARE_WITH_TIMEOUT(pending->topLevelItemCount(), 1, 10000);
        QCOMPARE(pending->topLevelItem(0)->text(0), QStringLiteral("bob"));

        // Approve: bob becomes a member.
        pending->setCurrentItem(pending->topLevelItem(0));
        QTest::mouseClick(find<QPushButton>(dashboard, "approve"), Qt::LeftButton);
        QVERIFY(waitFor([&] { return TestGroup::isMember(bob); }, 30000));
        QTRY_COMPARE(pending->topLevelItemCount(), 0);
        auto *members = find<QTreeWidget>(dashboard, "memberList");
        QTreeWidgetItem *bobItem = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                bobItem = nullptr;
                for (int i = 0; i < members->topLevelItemCount(); ++i) {
                    if (members->topLevelItem(i)->text(0) == QLatin1String("bob"))
                        bobItem = members->topLevelItem(i);
                }
                return bobItem != nullptr;
            }(),
            10000);
        // Bob is connected to us, certified.
        auto bobConnected = [&] {
            for (const net::PeerInfo &p : node->peers()) {
                if (p.certified() && p.certificate.username() == QLatin1String("bob"))
                    return true;
            }
            return false;
        };
        QVERIFY(waitFor(bobConnected, 20000));

        // Revoke him: his session drops at once, and the list says so.
        members->setCurrentItem(bobItem);
        uitest::acceptNextDialog();
        QTest::mouseClick(find<QPushButton>(dashboard, "revoke"), Qt::LeftButton);
        QVERIFY(waitFor([&] { return !bobConnected(); }, 2000));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (int i = 0; i < members->topLevelItemCount(); ++i) {
                    if (members->topLevelItem(i)->text(0).contains(QStringLiteral("revoked")))
                        return true;
                }
                return false;
            }(),
            10000);
        const quint64 crlVersion = node->stats().crlVersion;
        QVERIFY(crlVersion >= 1);
        QVERIFY2(find<QLabel>(dashboard, "policy")->text().contains(QStringLiteral("version %1").arg(crlVersion)),
            qPrintable(find<QLabel>(dashboard, "policy")->text()));
        bob.stop();

        // A backup from Settings, restored on "another computer" (a new
        // profile): the group comes back with its dashboard.
        window.workspace()->setCurrentWidget(window.workspace()->settings());
        QTest::mouseClick(find<QPushButton>(window.workspace()->settings(), "exportBackup"), Qt::LeftButton);
        ui::BackupDialog *exporting = nullptr;
        QTRY_VERIFY((exporting = window.findChild<ui::BackupDialog *>()) && exporting->isVisible());
        const QString backup = path(QStringLiteral("olga.cairn-backup"));
        exporting->setPath(backup);
        QTest::keyClicks(find<QLineEdit>(exporting, "backupPassphrase"), QStringLiteral("a long backup sentence 7"));
        QTest::keyClicks(find<QLineEdit>(exporting, "backupConfirm"), QStringLiteral("a long backup sentence 7"));
        QTest::mouseClick(find<QPushButton>(exporting, "backupOk"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!window.findChild<ui::BackupDialog *>(), 30000);
        QVERIFY(QFile::exists(backup));
        window.close();
        window.host()->stop();

        ui::MainWindow restored(path(QStringLiteral("olga-new")));
        restored.show();
        QVERIFY(QTest::qWaitForWindowExposed(&restored));
        QTest::mouseClick(find<QPushButton>(&restored, "restoreBackup"), Qt::LeftButton);
        ui::BackupDialog *restoring = nullptr;
        QTRY_VERIFY((restoring = restored.findChild<ui::BackupDialog *>()) && restoring->isVisible());
        restoring->setPath(backup);
        QTest::keyClicks(find<QLineEdit>(restoring, "backupPassphrase"), QStringLiteral("not it"));
        QTest::mouseClick(find<QPushButton>(restoring, "backupOk"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(find<QLabel>(restoring, "backupError"), 30000);
        QVERIFY(find<QLabel>(restoring, "backupError")->text().contains(QStringLiteral("Wrong passphrase")));
        find<QLineEdit>(restoring, "backupPassphrase")->clear();
        QTest::keyClicks(find<QLineEdit>(restoring, "backupPassphrase"), QStringLiteral("a long backup sentence 7"));
        QTest::mouseClick(find<QPushButton>(restoring, "backupOk"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(restored.workspace(), 30000);
        QVERIFY(restored.host()->node()->isOperator());
        QVERIFY(restored.workspace()->dashboard());
        QCOMPARE(restored.host()->node()->membership().groupName, QStringLiteral("Hill Club"));
        QCOMPARE(restored.host()->node()->stats().crlVersion, crlVersion);
    }

    void aMemberJoinsWithAPastedInvite()
    {
        m_group = std::make_unique<TestGroup>(path(QStringLiteral("g")), m_passFile,
            QStringList {
                QStringLiteral("--min-copies"), QStringLiteral("3"), QStringLiteral("--poll"), QStringLiteral("2s")});
        QString why;
        QVERIFY2(m_group->create(QStringLiteral("Ridge Walkers"), QStringLiteral("512M"), 10, &why), qPrintable(why));
        for (const char *name : {"s1", "s2", "s3"})
            QVERIFY2(m_group->add(QString::fromLatin1(name), QStringLiteral("512M"), &why), qPrintable(why));
        m_bobDownloads = path(QStringLiteral("bob-downloads"));
        QVERIFY(QDir().mkpath(m_bobDownloads));
        m_bob = m_group->add(QStringLiteral("bob"), {}, &why,
            {QStringLiteral("--downloads"), m_bobDownloads, QStringLiteral("--auto-receive")});
        QVERIFY2(m_bob, qPrintable(why));

        const QString profile = path(QStringLiteral("alice"));
        uitest::writeTestSettings(profile);
        m_alice = std::make_unique<ui::MainWindow>(profile);
        m_alice->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_alice.get()));
        QVERIFY(uitest::createIdentity(*m_alice, QStringLiteral("Alice"), kPass));

        auto *link = find<QLineEdit>(m_alice.get(), "inviteLink");
        QVERIFY(link);
        link->setFocus();
        link->setText(m_group->link()); // as a paste does
        QTRY_VERIFY(find<QLabel>(m_alice.get(), "inviteInfo")->text().contains(QStringLiteral("Ridge Walkers")));
        QTest::keyClick(link, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(aliceWorkspace(), 30000);
        QVERIFY(m_alice->windowTitle().contains(QStringLiteral("Ridge Walkers")));

        // Every other member is a contact; the operator, our bootstrap, is online.
        ui::ContactsModel *contacts = aliceWorkspace()->contacts()->model();
        QTRY_COMPARE_WITH_TIMEOUT(contacts->usernames(),
            (QStringList {QStringLiteral("bob"), QStringLiteral("op"), QStringLiteral("s1"), QStringLiteral("s2"),
                QStringLiteral("s3")}),
            20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            contacts->index(contacts->rowOf(QStringLiteral("op"))).data(ui::ContactsModel::OnlineRole).toBool(), 20000);
    }

    void droppingAFileOnAContactSendsIt()
    {
        QVERIFY(aliceWorkspace() && m_bob);
        const QString file = path(QStringLiteral("trail-map.bin"));
        QVERIFY(writePatternFile(file, 3 * 1024 * 1024 + 123));
        ui::ContactsPage *page = aliceWorkspace()->contacts();
        aliceWorkspace()->setCurrentWidget(page);
        ui::ContactList *list = page->list();
        const int row = page->model()->rowOf(QStringLiteral("bob"));
        QVERIFY(row >= 0);
        const QPoint onBob = list->visualRect(page->model()->index(row)).center();

        // While dragging, bob's row lights up; over empty space, nothing does.
        dragFiles(list->viewport(), {file}, onBob, false);
        QCOMPARE(page->model()->dropTarget(), row);
        QCOMPARE(page->model()->index(row).data(Qt::BackgroundRole).value<QColor>(),
            QApplication::palette().color(QPalette::Highlight));
        dragFiles(
            list->viewport(), {file}, QPoint(list->viewport()->width() / 2, list->viewport()->height() - 2), false);
        QCOMPARE(page->model()->dropTarget(), -1);

        dragFiles(list->viewport(), {file}, onBob, true);
        QCOMPARE(page->model()->dropTarget(), -1);
        const QString received = QDir(m_bobDownloads).filePath(QStringLiteral("trail-map.bin"));
        QVERIFY2(waitFor([&] { return QFile::exists(received) && sha256Of(received) == sha256Of(file); }, 120000),
            qPrintable(m_bob->output().right(3000)));

        // The transfer shows as sent.
        QTreeWidget *transfers = aliceWorkspace()->transfers()->list();
        aliceWorkspace()->transfers()->refresh();
        QVERIFY(transfers->topLevelItemCount() >= 1);
        QTRY_COMPARE_WITH_TIMEOUT(transfers->topLevelItem(0)->text(3), QStringLiteral("sent"), 10000);
    }

    void composingSendingAndReadingMail()
    {
        QVERIFY(aliceWorkspace() && m_bob);
        // Alice writes to bob from the composer.
        aliceWorkspace()->compose(QStringLiteral("bob"));
        ui::ComposeDialog *compose = nullptr;
        QTRY_VERIFY((compose = m_alice->findChild<ui::ComposeDialog *>()) && compose->isVisible());
        QCOMPARE(find<QLineEdit>(compose, "to")->text(), QStringLiteral("bob"));
        QTest::keyClicks(find<QLineEdit>(compose, "subject"), QStringLiteral("Saturday"));
        QTest::keyClicks(find<QPlainTextEdit>(compose, "body"), QStringLiteral("Meet at the trailhead at 8."));
        // A name outside the group is caught before sending.
        find<QLineEdit>(compose, "to")->setText(QStringLiteral("bob, mallory"));
        QVERIFY(find<QLabel>(compose, "warning")->text().contains(QStringLiteral("mallory")));
        QVERIFY(!find<QPushButton>(compose, "send")->isEnabled());
        find<QLineEdit>(compose, "to")->setText(QStringLiteral("bob"));
        QVERIFY(find<QPushButton>(compose, "send")->isEnabled());
        QTest::keyClick(find<QPlainTextEdit>(compose, "body"), Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!m_alice->findChild<ui::ComposeDialog *>(), 10000);

        QJsonObject listed;
        QVERIFY(waitFor(
            [&] {
                listed = findMail(*m_bob, QStringLiteral("inbox"), QStringLiteral("Saturday"));
                return !listed.isEmpty();
            },
            60000));
        QCOMPARE(listed.value(QStringLiteral("from")).toString(), QStringLiteral("alice"));
        const QJsonObject read
            = m_bob->cli(
                       QStringLiteral("mail"), {QStringLiteral("read"), listed.value(QStringLiteral("id")).toString()})
                  .json();
        QCOMPARE(read.value(QStringLiteral("body")).toString(), QStringLiteral("Meet at the trailhead at 8."));

        // Bob answers; alice sees it as unread in her inbox and reads it.
        const CliResult answer = m_bob->cli(QStringLiteral("mail"),
            {QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("alice"), QStringLiteral("--subject"),
                QStringLiteral("Re: Saturday"), QStringLiteral("--body"), QStringLiteral("See you there.")});
        QVERIFY2(answer.exitCode == 0, qPrintable(answer.err));
        ui::MailPage *mail = aliceWorkspace()->mail();
        aliceWorkspace()->setCurrentWidget(mail);
        mail->showFolder(mail::Folder::Inbox);
        auto *folders = find<QListWidget>(mail, "folders");
        QTRY_COMPARE_WITH_TIMEOUT(folders->item(0)->text(), QStringLiteral("Inbox (1)"), 60000);
        auto *list = find<QTreeWidget>(mail, "mailList");
        QTRY_COMPARE(list->topLevelItemCount(), 1);
        QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral("Re: Saturday"));
        QVERIFY(list->topLevelItem(0)->font(1).bold());
        list->setFocus();
        list->setCurrentItem(list->topLevelItem(0));
        QCOMPARE(find<QTextBrowser>(mail, "mailBody")->toPlainText(), QStringLiteral("See you there."));
        QTRY_COMPARE(folders->item(0)->text(), QStringLiteral("Inbox"));
        QCOMPARE(aliceNode()->messaging()->mailbox().unreadCount(mail::Folder::Inbox).value(), 0);
        // Her sent mail is in Sent.
        mail->showFolder(mail::Folder::Sent);
        QTRY_VERIFY(list->topLevelItemCount() >= 1);
        QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral("Saturday"));

        // Search finds by subject; a miss shows nothing.
        mail->showFolder(mail::Folder::Inbox);
        auto *search = find<QLineEdit>(mail, "search");
        QTest::keyClicks(search, QStringLiteral("saturday"));
        QCOMPARE(list->topLevelItemCount(), 1);
        search->clear();
        QTest::keyClicks(search, QStringLiteral("nothing like this"));
        QCOMPARE(list->topLevelItemCount(), 0);
        search->clear();
    }

    void tooBigADropIsCaughtInTheComposer()
    {
        QVERIFY(aliceWorkspace());
        // 64 GiB (sparse) cannot fit into the 2 GiB the group donates.
        const QString huge = path(QStringLiteral("huge.img"));
        {
            QFile f(huge);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.resize(qint64(64) << 30));
        }
        // The census has answered by now (the drop above needed it).
        QVERIFY(aliceNode()->messaging()->replication().groupFreeBytes > 0);
        aliceWorkspace()->compose(QStringLiteral("bob"));
        ui::ComposeDialog *compose = nullptr;
        QTRY_VERIFY((compose = m_alice->findChild<ui::ComposeDialog *>()) && compose->isVisible());
        compose->addAttachments({huge});
        QVERIFY(find<QLabel>(compose, "warning")->text().contains(QStringLiteral("Too big")));
        QVERIFY(!find<QPushButton>(compose, "send")->isEnabled());
        compose->reject();
        QTRY_VERIFY(!m_alice->findChild<ui::ComposeDialog *>());
    }

    void donatingStorageChangesTheQuotaAndSurvivesARestart()
    {
        QVERIFY(aliceWorkspace());
        QCOMPARE(aliceNode()->stats().storageQuota, 0);
        ui::SettingsPage *settings = aliceWorkspace()->settings();
        aliceWorkspace()->setCurrentWidget(settings);
        auto *donate = find<QCheckBox>(settings, "donate");
        auto *quota = find<QDoubleSpinBox>(settings, "quota");
        QVERIFY(!quota->isEnabled());
        donate->setFocus();
        QTest::keyClick(donate, Qt::Key_Space);
        QVERIFY(quota->isEnabled());
        quota->setValue(1.5);
        QTest::mouseClick(find<QPushButton>(settings, "apply"), Qt::LeftButton);
        const qint64 wanted = qint64(1.5 * 1024 * 1024 * 1024);
        QTRY_VERIFY_WITH_TIMEOUT(aliceNode() && aliceNode()->stats().storageQuota == wanted, 10000);
        QVERIFY(aliceNode()->isMember());
        QTRY_VERIFY_WITH_TIMEOUT(find<QLabel>(settings, "storageUsed")->text().contains(QStringLiteral("1.5")), 5000);

        // Quit and start again: the quota is still given, and the window
        // comes back as it was left (size, open tab).
        const QString profile = path(QStringLiteral("alice"));
        m_alice->resize(1111, 666);
        QVERIFY(m_alice->close());
        m_alice.reset();
        m_alice = std::make_unique<ui::MainWindow>(profile);
        m_alice->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_alice.get()));
        QVERIFY(uitest::unlock(*m_alice, kPass));
        QTRY_VERIFY_WITH_TIMEOUT(aliceWorkspace(), 10000);
        QCOMPARE(aliceNode()->stats().storageQuota, wanted);
        settings = aliceWorkspace()->settings();
        QCOMPARE(aliceWorkspace()->currentWidget(), settings);
        QCOMPARE(m_alice->size(), QSize(1111, 666));
        QVERIFY(uitest::findAny<QCheckBox>(settings, "donate")->isChecked());
        QCOMPARE(uitest::findAny<QDoubleSpinBox>(settings, "quota")->value(), 1.5);
    }

    void aJoinWaitingForApprovalOpensOnceApproved()
    {
        QVERIFY(m_group);
        const CliResult manual
            = m_group->op().cli(QStringLiteral("group"), {QStringLiteral("policy"), QStringLiteral("manual")});
        QVERIFY2(manual.exitCode == 0, qPrintable(manual.err));
        const QString profile = path(QStringLiteral("frank"));
        uitest::writeTestSettings(profile);
        {
            ui::MainWindow window(profile);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(uitest::createIdentity(window, QStringLiteral("Frank"), kPass));
            auto *link = find<QLineEdit>(&window, "inviteLink");
            link->setText(m_group->link());
            QTest::keyClick(link, Qt::Key_Return);
            QTRY_VERIFY_WITH_TIMEOUT(find<QLabel>(&window, "pending"), 30000);
            QVERIFY(find<QLabel>(&window, "pending")->text().contains(QStringLiteral("Waiting")));
            QVERIFY(!find<QPushButton>(&window, "go")->isEnabled());
        }
        // Closed and started again: still waiting, and it opens once approved.
        ui::MainWindow window(profile);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(uitest::unlock(window, kPass));
        QTRY_VERIFY_WITH_TIMEOUT(find<QLabel>(&window, "pending"), 10000);
        const CliResult approved = m_group->op().cli(QStringLiteral("approve"), {QStringLiteral("frank")});
        QVERIFY2(approved.exitCode == 0, qPrintable(approved.err));
        QTRY_VERIFY_WITH_TIMEOUT(window.workspace(), 60000);
        QVERIFY(window.host()->node()->isMember());
    }

    void aTransferPausesResumesAndCancelsFromItsButtons()
    {
        QVERIFY(aliceWorkspace());
        const QString file = path(QStringLiteral("big-upload.bin"));
        QVERIFY(writePatternFile(file, qint64(256) << 20));
        aliceWorkspace()->sendFiles(QStringLiteral("bob"), {file});
        ui::TransfersPage *page = aliceWorkspace()->transfers();
        aliceWorkspace()->setCurrentWidget(page);
        QTreeWidget *list = page->list();
        auto row = [&]() -> QTreeWidgetItem * {
            page->refresh();
            for (int i = 0; i < list->topLevelItemCount(); ++i) {
                if (list->topLevelItem(i)->text(0).contains(QStringLiteral("big-upload.bin")))
                    return list->topLevelItem(i);
            }
            return nullptr;
        };
        QTRY_VERIFY_WITH_TIMEOUT(row(), 20000);
        list->setCurrentItem(row());
        auto *pause = find<QPushButton>(page, "pause");
        auto *resume = find<QPushButton>(page, "resume");
        auto *cancel = find<QPushButton>(page, "cancel");
        QTRY_VERIFY(pause->isEnabled());
        QTest::mouseClick(pause, Qt::LeftButton);
        QTRY_COMPARE(row()->text(3), QStringLiteral("paused"));
        QVERIFY(resume->isEnabled() && !pause->isEnabled());
        QTest::mouseClick(resume, Qt::LeftButton);
        QTRY_VERIFY(row()->text(3) != QLatin1String("paused"));
        uitest::acceptNextDialog();
        QTest::mouseClick(cancel, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(row()->text(3), QStringLiteral("cancelled"), 10000);
        QVERIFY(!pause->isEnabled() && !resume->isEnabled() && !cancel->isEnabled());
        // The drop it belonged to says it was not sent, and why.
        auto cancelledDropFailed = [&] {
            // Kept in a local: a loop over a temporary Result's value() would dangle.
            const auto sending = aliceNode()->messaging()->mailbox().list(mail::Folder::Outbox);
            if (!sending.ok())
                return false;
            for (const mail::MailRecord &m : sending.value()) {
                if (!m.attachments.isEmpty() && m.attachments.first().name == QLatin1String("big-upload.bin"))
                    return m.sendState == mail::SendState::Failed && m.sendError.contains(QStringLiteral("cancelled"));
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(cancelledDropFailed(), 10000);
        // Clear finished takes it away.
        QTest::mouseClick(find<QPushButton>(page, "clearFinished"), Qt::LeftButton);
        QVERIFY(!row());
    }

    void cleanupTestCase()
    {
        m_alice.reset();
        m_group.reset();
    }
};

QTEST_MAIN(TestUiGroup)
#include "test_ui_group.moc"
