// cairn:// invite links: the .desktop file registers the scheme; a link
// given on the command line fills the join form, also before the identity
// exists; a second `cairn LINK` on the same profile hands its link to the
// window that is open; cairnd, which has no window, refuses it.
#include "../integration/nodeprocess.h"
#include "core/base/rng.h"
#include "core/crypto/keys.h"
#include "core/engine/controlclient.h"
#include "core/engine/node.h"
#include "core/identity/invite.h"
#include "uitest.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QTemporaryDir>

using namespace cairn;
using uitest::find;

namespace {
const QString kPass = QStringLiteral("granite river lantern 42");

QString makeInvite(const QString &groupName)
{
    base::SodiumRng rng;
    const auto ca = crypto::DeviceKey::generate(rng);
    const QByteArray groupId = rng.bytes(32);
    auto invite = identity::Invite::create(groupName, groupId, ca.publicKey(),
        {base::Endpoint::parse(QStringLiteral("127.0.0.1:4000"))}, QDateTime::currentSecsSinceEpoch() + 3600, rng);
    return invite ? invite->toLink() : QString();
}

QString readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}
} // namespace

class TestUiLinks : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { uitest::installQuietHandler(); }

    void theDesktopFileRegistersTheCairnScheme()
    {
        const QString prefix = m_dir.filePath(QStringLiteral("prefix"));
        QProcess install;
        install.start(QStringLiteral("cmake"),
            {QStringLiteral("--install"), QStringLiteral(CAIRN_BINARY_DIR), QStringLiteral("--prefix"), prefix});
        QVERIFY(install.waitForFinished(120000));
        QVERIFY2(install.exitCode() == 0, install.readAllStandardError().constData());
        const QString desktop = prefix + QStringLiteral("/share/applications/cairn.desktop");
        QVERIFY(QFile::exists(prefix + QStringLiteral("/bin/cairn")));
        QVERIFY(QFile::exists(prefix + QStringLiteral("/share/icons/hicolor/scalable/apps/cairn.svg")));

        QProcess validate;
        validate.start(QStringLiteral("desktop-file-validate"), {desktop});
        QVERIFY2(validate.waitForFinished(30000), "desktop-file-validate (desktop-file-utils) is missing");
        QVERIFY2(validate.exitCode() == 0 && validate.readAll().isEmpty(), validate.readAll().constData());
        const QString text = readAll(desktop);
        QVERIFY(text.contains(QStringLiteral("\nExec=cairn %u\n")));

        // What the desktop's link handling reads: the scheme maps to us.
        QProcess database;
        database.start(QStringLiteral("update-desktop-database"), {prefix + QStringLiteral("/share/applications")});
        QVERIFY(database.waitForFinished(30000));
        QCOMPARE(database.exitCode(), 0);
        QVERIFY(readAll(prefix + QStringLiteral("/share/applications/mimeinfo.cache"))
                    .contains(QStringLiteral("x-scheme-handler/cairn=cairn.desktop")));
    }

    void aLinkOpenedBeforeTheFirstStartFillsTheJoinForm()
    {
        const QString link = makeInvite(QStringLiteral("Choir"));
        QVERIFY(!link.isEmpty());
        const QString profile = m_dir.filePath(QStringLiteral("first"));
        uitest::writeTestSettings(profile);
        ui::MainWindow window(profile);
        QVERIFY(window.openLink(link).isEmpty());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(uitest::createIdentity(window, QStringLiteral("Carol"), kPass));
        QCOMPARE(find<QLineEdit>(&window, "inviteLink")->text(), link);
        QVERIFY(find<QLabel>(&window, "inviteInfo")->text().contains(QStringLiteral("Choir")));
    }

    void aSecondStartHandsItsLinkToTheOpenWindow()
    {
        const QString profile = m_dir.filePath(QStringLiteral("open"));
        uitest::writeTestSettings(profile);
        ui::MainWindow window(profile);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(uitest::createIdentity(window, QStringLiteral("Dave"), kPass));
        QVERIFY(find<QLineEdit>(&window, "inviteLink")->text().isEmpty());

        // As the desktop runs it: Exec=cairn %u.
        const QString link = makeInvite(QStringLiteral("Allotment"));
        QProcess second;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        second.setProcessEnvironment(env);
        second.start(QStringLiteral(CAIRN_PATH), {QStringLiteral("--profile"), profile, link});
        // This process's event loop must run for the window to answer.
        QTRY_VERIFY_WITH_TIMEOUT(second.state() == QProcess::NotRunning, 30000);
        QCOMPARE(second.exitCode(), 0);
        QCOMPARE(find<QLineEdit>(&window, "inviteLink")->text(), link);
        QVERIFY(find<QLabel>(&window, "inviteInfo")->text().contains(QStringLiteral("Allotment")));
    }

    void cairndHasNoWindowAndSaysSo()
    {
        const QString pass = m_dir.filePath(QStringLiteral("pass"));
        QVERIFY(writePassphraseFile(pass, "links test passphrase"));
        NodeProcess node(m_dir.filePath(QStringLiteral("headless")), pass);
        QVERIFY(node.init(QStringLiteral("erin")));
        QString why;
        QVERIFY2(node.start({}, &why), qPrintable(why));
        QJsonObject reply;
        QString error;
        QVERIFY2(engine::ControlClient(engine::Node::controlSocketPath(node.profile()))
                     .request(QStringLiteral("open"), {{QStringLiteral("link"), makeInvite(QStringLiteral("X"))}},
                         10000, &reply, &error),
            qPrintable(error));
        QCOMPARE(reply.value(QStringLiteral("ok")).toBool(), false);
        QVERIFY(reply.value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("cairnd join")));
    }
};

QTEST_MAIN(TestUiLinks)
#include "test_ui_links.moc"
