#include "uitest.h"

#include <QDir>
#include <QMessageBox>
#include <QSettings>

namespace uitest {

namespace {
QtMessageHandler g_previous = nullptr;

void quiet(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(QLatin1String("does not support propagateSizeHints"))
        || message.contains(QLatin1String("does not support raise()")))
        return;
    g_previous(type, context, message);
}
} // namespace

void installQuietHandler()
{
    g_previous = qInstallMessageHandler(quiet);
}

bool createIdentity(cairn::ui::MainWindow &window, const QString &name, const QString &passphrase)
{
    QLineEdit *nameEdit = find<QLineEdit>(&window, "displayName");
    QLineEdit *pass = find<QLineEdit>(&window, "passphrase");
    QLineEdit *confirm = find<QLineEdit>(&window, "confirmPassphrase");
    if (!nameEdit || !pass || !confirm)
        return false;
    QTest::keyClicks(nameEdit, name);
    QTest::keyClicks(pass, passphrase);
    QTest::keyClicks(confirm, passphrase);
    QTest::keyClick(confirm, Qt::Key_Return);
    return QTest::qWaitFor(
        [&] { return find<QWidget>(&window, "groupSetup") || find<QWidget>(&window, "workspace"); }, 30000);
}

bool joinWithInvite(cairn::ui::MainWindow &window, const QString &link)
{
    auto *edit = find<QLineEdit>(&window, "inviteLink");
    if (!edit)
        return false;
    edit->setFocus();
    edit->setText(link); // as a paste does
    QTest::keyClick(edit, Qt::Key_Return);
    return QTest::qWaitFor([&] { return window.workspace() != nullptr; }, 30000);
}

bool unlock(cairn::ui::MainWindow &window, const QString &passphrase)
{
    QLineEdit *pass = find<QLineEdit>(&window, "passphrase");
    if (!pass)
        return false;
    QTest::keyClicks(pass, passphrase);
    QTest::keyClick(pass, Qt::Key_Return);
    return QTest::qWaitFor([&] { return window.identity() != nullptr && window.host(); }, 30000);
}

void acceptNextDialog()
{
    QTimer::singleShot(0, [] {
        // The dialog opens in a nested event loop: look for it until it shows.
        auto *poll = new QTimer;
        QObject::connect(poll, &QTimer::timeout, [poll] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                if (QAbstractButton *yes = box->button(QMessageBox::Yes))
                    yes->click();
                else
                    box->accept();
                poll->deleteLater();
            }
        });
        poll->start(20);
    });
}

void writeTestSettings(const QString &profileDir, int minCopies, double reliability)
{
    QDir().mkpath(profileDir);
    QSettings s(QDir(profileDir).filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    s.setValue(QStringLiteral("advanced/listen-host"), QStringLiteral("127.0.0.1"));
    s.setValue(QStringLiteral("advanced/poll-seconds"), 2);
    s.setValue(QStringLiteral("advanced/min-copies"), minCopies);
    s.setValue(QStringLiteral("mail/reliability"), reliability);
}

} // namespace uitest
