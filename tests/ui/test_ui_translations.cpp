// The German translation is complete, is loaded when the profile's language
// setting picks it, and the windows then speak German.
#include "ui/appsettings.h"
#include "ui/translations.h"
#include "ui/workspace.h"
#include "uitest.h"

#include <QFile>
#include <QRadioButton>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QXmlStreamReader>

using namespace cairn;
using uitest::find;

class TestUiTranslations : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { uitest::installQuietHandler(); }

    void theGermanTranslationIsComplete()
    {
        QFile ts(QStringLiteral(CAIRN_SOURCE_DIR "/translations/cairn_de.ts"));
        QVERIFY(ts.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&ts);
        int messages = 0;
        QStringList missing;
        QString source;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == QLatin1String("source")) {
                source = xml.readElementText();
            } else if (xml.name() == QLatin1String("translation")) {
                ++messages;
                const bool unfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                if (unfinished || text.trimmed().isEmpty())
                    missing << source;
            }
        }
        QVERIFY(!xml.hasError());
        QVERIFY2(messages > 250, qPrintable(QString::number(messages)));
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("untranslated: ") + missing.join(QStringLiteral(" | "))));
    }

    void theLanguageSettingLoadsGerman()
    {
        const QString profile = m_dir.filePath(QStringLiteral("anna"));
        uitest::writeTestSettings(profile);
        {
            QSettings s(ui::AppSettings::path(profile), QSettings::IniFormat);
            s.setValue(QStringLiteral("ui/language"), QStringLiteral("de"));
        }
        QCOMPARE(ui::AppSettings::load(profile).language, QStringLiteral("de"));
        // What the app's main() does with it.
        QVERIFY(ui::installTranslations(*QCoreApplication::instance(), ui::AppSettings::load(profile).language));

        ui::MainWindow window(profile);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(find<QPushButton>(&window, "create")->text(), QStringLiteral("&Identität erstellen"));
        QVERIFY(uitest::createIdentity(window, QStringLiteral("Anna"), QStringLiteral("granite river lantern 42")));
        // The group page and, once in a group, the tabs are German too.
        QVERIFY(find<QRadioButton>(&window, "createChoice")->text().contains(QStringLiteral("Gruppe")));
        find<QRadioButton>(&window, "createChoice")->setChecked(true);
        QTest::keyClicks(find<QLineEdit>(&window, "groupName"), QStringLiteral("Chor"));
        QTest::mouseClick(find<QPushButton>(&window, "go"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.workspace(), 30000);
        QStringList tabs;
        for (int i = 0; i < window.workspace()->count(); ++i)
            tabs << window.workspace()->tabText(i).remove(QLatin1Char('&'));
        QCOMPARE(tabs,
            (QStringList {QStringLiteral("Kontakte"), QStringLiteral("Mail"), QStringLiteral("Übertragungen"),
                QStringLiteral("Übersicht"), QStringLiteral("Einstellungen")}));
        // Plurals come out right in both languages.
        QCOMPARE(QCoreApplication::translate("cairn::ui::ContactList", "%n item(s)", nullptr, 1),
            QStringLiteral("1 Element"));
        QCOMPARE(QCoreApplication::translate("cairn::ui::ContactList", "%n item(s)", nullptr, 3),
            QStringLiteral("3 Elemente"));
    }
};

QTEST_MAIN(TestUiTranslations)
#include "test_ui_translations.moc"
