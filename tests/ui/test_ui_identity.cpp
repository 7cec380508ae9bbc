// The desktop window on the offscreen platform: first start creates an
// identity; a later start unlocks it, and a wrong passphrase is said inline.
#include "ui/mainwindow.h"
#include "uitest.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace cairn;

using uitest::find;

class TestUiIdentity : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString profile() const { return m_dir.filePath(QStringLiteral("profile")); }

private Q_SLOTS:
    void initTestCase() { uitest::installQuietHandler(); }

    void firstStartCreatesAnIdentityWithAConfirmedPassphrase()
    {
        uitest::writeTestSettings(profile());
        ui::MainWindow window(profile());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QLineEdit *name = find<QLineEdit>(&window, "displayName");
        QLineEdit *pass = find<QLineEdit>(&window, "passphrase");
        QLineEdit *confirm = find<QLineEdit>(&window, "confirmPassphrase");
        QPushButton *create = find<QPushButton>(&window, "create");
        QVERIFY(name && pass && confirm && create);
        QLabel *hint = find<QLabel>(&window, "strengthHint");
        QVERIFY(hint);

        QTest::keyClicks(name, QStringLiteral("Alice"));
        QTest::keyClicks(pass, QStringLiteral("abc"));
        QVERIFY(hint->text().contains(QStringLiteral("Too short")));
        QVERIFY(!create->isEnabled());
        pass->clear();
        QTest::keyClicks(pass, QStringLiteral("granite river lantern 42"));
        QVERIFY(hint->text().startsWith(QStringLiteral("Strong")));
        QTest::keyClicks(confirm, QStringLiteral("granite river lantern 4"));
        QVERIFY(!create->isEnabled());
        QVERIFY(find<QLabel>(&window, "error"));
        QTest::keyClicks(confirm, QStringLiteral("2"));
        QVERIFY(create->isEnabled());

        QTest::keyClick(confirm, Qt::Key_Return); // keyboard alone is enough
        QTRY_VERIFY_WITH_TIMEOUT(identity::Profile::exists(profile()), 20000);
        // Straight on to choosing a group, with a username made from the name.
        QTRY_VERIFY_WITH_TIMEOUT(find<QWidget>(&window, "groupSetup"), 20000);
        QCOMPARE(find<QLineEdit>(&window, "username")->text(), QStringLiteral("alice"));
        QVERIFY(window.identity());
    }

    void laterStartUnlocksAndAWrongPassphraseIsSaidInline()
    {
        QVERIFY(identity::Profile::exists(profile()));
        ui::MainWindow window(profile());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QLineEdit *pass = find<QLineEdit>(&window, "passphrase");
        QVERIFY(pass);
        QVERIFY(!find<QLineEdit>(&window, "displayName"));

        QTest::keyClicks(pass, QStringLiteral("not my passphrase"));
        QTest::keyClick(pass, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(find<QLabel>(&window, "error"), 20000);
        QVERIFY(find<QLabel>(&window, "error")->text().contains(QStringLiteral("Wrong passphrase")));
        QVERIFY(!window.identity());

        pass->clear();
        QTest::keyClicks(pass, QStringLiteral("granite river lantern 42"));
        QTest::keyClick(pass, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(window.identity(), 20000);
        QCOMPARE(window.identity()->displayName, QStringLiteral("Alice"));
        QVERIFY(window.windowTitle().contains(QStringLiteral("Alice")));
        // Not in a group yet: the set-up page asks to create or join one.
        QTRY_VERIFY_WITH_TIMEOUT(find<QWidget>(&window, "groupSetup"), 20000);

        // The same identity as the command line sees.
        auto direct = identity::Profile::unlock(profile(), "granite river lantern 42");
        QVERIFY(direct.ok());
        QCOMPARE(direct->nodeId, window.identity()->nodeId);
    }
};

QTEST_MAIN(TestUiIdentity)
#include "test_ui_identity.moc"
