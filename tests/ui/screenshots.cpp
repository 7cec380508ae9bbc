// cairn-screenshots DIR: the desktop app with a small demo group of real
// nodes on 127.0.0.1 (the app runs the group; bob, carol and dave are
// cairnd nodes, erin waits for approval), and a PNG of each main view in
// DIR. Run by `./dev screenshots` under Xvfb.
#include "../integration/nodeprocess.h"
#include "core/engine/messaging.h"
#include "core/engine/node.h"
#include "core/transfer/transfermanager.h"
#include "ui/composedialog.h"
#include "ui/contactlist.h"
#include "ui/contactsmodel.h"
#include "ui/contactspage.h"
#include "ui/dashboardpage.h"
#include "ui/mailpage.h"
#include "ui/nodehost.h"
#include "ui/settingspage.h"
#include "ui/transferspage.h"
#include "ui/workspace.h"
#include "uitest.h"

#include <QDir>
#include <QFile>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScreen>
#include <QSettings>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QUrl>

#include <cstdio>
#include <memory>
#include <vector>

using namespace cairn;
using uitest::find;

namespace {
const QString kPass = QStringLiteral("granite river lantern 42");
QString g_outDir;
int g_failures = 0;

void fail(const QString &what)
{
    std::fprintf(stderr, "cairn-screenshots: %s\n", qPrintable(what));
    ++g_failures;
}

/// The window as the screen shows it (dialogs included, when `top` is one).
void shoot(QWidget *top, const QString &name)
{
    QTest::qWait(300); // let layouts settle and the chart repaint
    QPixmap pixmap = top->grab();
    const QString file = QDir(g_outDir).filePath(name + QStringLiteral(".png"));
    if (pixmap.isNull() || !pixmap.save(file))
        return fail(QStringLiteral("could not save %1").arg(file));
    std::printf("%s\n", qPrintable(file));
}

bool until(const std::function<bool()> &condition, int ms)
{
    return QTest::qWaitFor(condition, ms);
}

QString writeFile(const QString &path, qint64 size)
{
    if (!writePatternFile(path, size))
        fail(QStringLiteral("cannot write %1").arg(path));
    return path;
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Cairn"));
    if (argc < 2) {
        std::fprintf(stderr, "usage: cairn-screenshots DIR\n");
        return 2;
    }
    g_outDir = QDir(QString::fromLocal8Bit(argv[1])).absolutePath();
    QDir().mkpath(g_outDir);
    QTemporaryDir dir;
    const QString passFile = dir.filePath(QStringLiteral("pass"));
    writePassphraseFile(passFile, "screenshot passphrase");

    // 1. First start.
    {
        ui::MainWindow window(dir.filePath(QStringLiteral("newcomer")));
        window.resize(900, 600);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            fail(QStringLiteral("the window did not show"));
        QTest::keyClicks(find<QLineEdit>(&window, "displayName"), QStringLiteral("Olga Berg"));
        QTest::keyClicks(find<QLineEdit>(&window, "passphrase"), QStringLiteral("granite river lantern"));
        QTest::keyClicks(find<QLineEdit>(&window, "confirmPassphrase"), QStringLiteral("granite river lantern"));
        shoot(&window, QStringLiteral("1-onboarding"));
    }

    // The operator's app creates the group; it donates storage too.
    const QString profile = dir.filePath(QStringLiteral("olga"));
    uitest::writeTestSettings(profile);
    {
        QSettings s(QDir(profile).filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        s.setValue(QStringLiteral("storage/donate"), true);
        s.setValue(QStringLiteral("storage/quota"), qint64(1) << 30);
    }
    ui::MainWindow window(profile);
    window.resize(1000, 660);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        fail(QStringLiteral("the window did not show"));
    if (!uitest::createIdentity(window, QStringLiteral("Olga"), kPass))
        fail(QStringLiteral("no identity"));
    find<QRadioButton>(&window, "createChoice")->setChecked(true);
    QTest::keyClicks(find<QLineEdit>(&window, "groupName"), QStringLiteral("Hill Club"));
    QTest::mouseClick(find<QPushButton>(&window, "go"), Qt::LeftButton);
    if (!until([&] { return window.workspace() != nullptr; }, 30000)) {
        fail(QStringLiteral("the group was not created"));
        return 1;
    }
    engine::Node *node = window.host()->node();
    auto invite = node->createInvite(10, 86400);
    const QString link = invite ? invite->toLink() : QString();

    // Members: cairnd nodes that join and are approved; erin stays pending.
    std::vector<std::unique_ptr<NodeProcess>> members;
    auto addMember = [&](const QString &name, bool approve, const QStringList &extra) -> NodeProcess * {
        auto member = std::make_unique<NodeProcess>(dir.filePath(name), passFile);
        QString why;
        if (!member->init(name)
            || !member->start(QStringList {QStringLiteral("--bootstrap"), node->localEndpoint().toString(),
                                  QStringLiteral("--poll"), QStringLiteral("2s")}
                    + extra,
                &why)) {
            fail(QStringLiteral("%1 did not start: %2").arg(name, why));
            return nullptr;
        }
        member->cli(QStringLiteral("join"), {link, QStringLiteral("--username"), name});
        if (approve) {
            if (auto approved = node->approve(name); !approved)
                fail(QStringLiteral("cannot approve %1: %2").arg(name, approved.message()));
            waitFor(
                [&] { return member->status().value(QStringLiteral("state")).toString() == QLatin1String("member"); },
                30000);
        }
        members.push_back(std::move(member));
        return members.back().get();
    };
    NodeProcess *bob = addMember(QStringLiteral("bob"), true, {QStringLiteral("--donate"), QStringLiteral("512M")});
    addMember(QStringLiteral("carol"), true, {QStringLiteral("--donate"), QStringLiteral("512M")});
    addMember(QStringLiteral("dave"), true, {QStringLiteral("--donate"), QStringLiteral("512M")});
    addMember(QStringLiteral("erin"), false, {});
    if (!bob)
        return 1;

    ui::Workspace *ws = window.workspace();
    ws->contacts()->refresh();
    until([&] { return ws->contacts()->model()->rowOf(QStringLiteral("carol")) >= 0; }, 20000);

    // 2. Contacts, with files dragged over carol.
    ws->setCurrentWidget(ws->contacts());
    {
        ui::ContactList *list = ws->contacts()->list();
        const QPoint at
            = list->visualRect(ws->contacts()->model()->index(ws->contacts()->model()->rowOf(QStringLiteral("carol"))))
                  .center();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(writeFile(dir.filePath(QStringLiteral("photos.zip")), 1024 * 1024))});
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(list->viewport(), &enter);
        QDragMoveEvent move(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(list->viewport(), &move);
        shoot(&window, QStringLiteral("2-contacts-drag"));
        QDragLeaveEvent leave;
        QApplication::sendEvent(list->viewport(), &leave);
    }

    // 3. Inbox: mail from bob and carol.
    bob->cli(QStringLiteral("mail"),
        {QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("olga"), QStringLiteral("--subject"),
            QStringLiteral("Saturday walk"), QStringLiteral("--body"),
            QStringLiteral("Hi Olga,\n\nshall we take the ridge path this time? Meet at the car park at 8.\n\nBob")});
    members[1]->cli(QStringLiteral("mail"),
        {QStringLiteral("send"), QStringLiteral("--to"), QStringLiteral("olga"), QStringLiteral("--subject"),
            QStringLiteral("Maps for the trip"), QStringLiteral("--body"), QStringLiteral("The maps are on the way.")});
    ws->setCurrentWidget(ws->mail());
    ws->mail()->showFolder(mail::Folder::Inbox);
    until([&] { return find<QTreeWidget>(ws->mail(), "mailList")->topLevelItemCount() >= 2; }, 60000);
    if (auto *list = find<QTreeWidget>(ws->mail(), "mailList"); list->topLevelItemCount() > 0)
        list->setCurrentItem(list->topLevelItem(list->topLevelItemCount() - 1));
    shoot(&window, QStringLiteral("3-inbox"));

    // 4. Compose.
    ws->compose(QStringLiteral("bob"), QStringLiteral("Re: Saturday walk"));
    if (auto *compose = window.findChild<ui::ComposeDialog *>()) {
        QTest::keyClicks(
            find<QPlainTextEdit>(compose, "body"), QStringLiteral("Ridge path it is. I'll bring the map."));
        compose->addAttachments({writeFile(dir.filePath(QStringLiteral("ridge-map.pdf")), 3 * 1024 * 1024)});
        shoot(compose, QStringLiteral("4-compose"));
        compose->reject();
    } else {
        fail(QStringLiteral("no composer"));
    }

    // 5. Transfers: a finished small drop and a large one under way.
    ws->sendFiles(QStringLiteral("carol"), {dir.filePath(QStringLiteral("photos.zip"))});
    until(
        [&] {
            const auto all = node->messaging()->transfers().transfers();
            return !all.isEmpty() && all.first().state == transfer::TransferState::Done;
        },
        60000);
    ws->sendFiles(
        QStringLiteral("bob"), {writeFile(dir.filePath(QStringLiteral("holiday-video.mkv")), 200 * 1024 * 1024)});
    ws->setCurrentWidget(ws->transfers());
    until(
        [&] {
            const auto all = node->messaging()->transfers().transfers();
            for (const auto &t : all) {
                if (t.label.contains(QStringLiteral("holiday")) && t.bytesDone > t.bytesTotal / 4)
                    return true;
            }
            return false;
        },
        120000);
    ws->transfers()->refresh();
    shoot(&window, QStringLiteral("5-transfers"));

    // 6. Settings.
    ws->setCurrentWidget(ws->settings());
    QTest::qWait(2500); // the storage figure refreshes every 2 s
    shoot(&window, QStringLiteral("6-settings"));

    // 7. The dashboard: an invite, erin waiting, members, traffic.
    ws->setCurrentWidget(ws->dashboard());
    QTest::mouseClick(find<QPushButton>(ws->dashboard(), "createInvite"), Qt::LeftButton);
    ws->dashboard()->refreshPending();
    ws->dashboard()->refreshMembers();
    QTest::qWait(3000);
    shoot(&window, QStringLiteral("7-dashboard"));

    members.clear();
    return g_failures == 0 ? 0 : 1;
}
