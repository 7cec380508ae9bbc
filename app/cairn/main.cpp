// cairn: the desktop application.
#include "core/crypto/error.h"
#include "ui/appicon.h"
#include "ui/appsettings.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTranslator>

namespace {
/// Cairn's own strings (compiled into the binary) and Qt's, in the
/// profile's language or the system's.
void installTranslations(QApplication &app, const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    auto *own = new QTranslator(&app);
    if (own->load(locale, QStringLiteral("cairn"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(own);
    auto *qt = new QTranslator(&app);
    if (qt->load(
            locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qt);
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Cairn"));
    QApplication::setOrganizationName(QStringLiteral("Cairn"));
    QApplication::setApplicationVersion(QStringLiteral(CAIRN_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("cairn"));
    QApplication::setWindowIcon(cairn::ui::appIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Private peer-to-peer mail and file drops."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profile(QStringLiteral("profile"),
        QApplication::translate("main", "Profile directory (default: %1).")
            .arg(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)),
        QStringLiteral("DIR"));
    parser.addOption(profile);
    parser.addPositionalArgument(QStringLiteral("link"),
        QApplication::translate("main", "An invite link (cairn://join/…) to join a group with."),
        QStringLiteral("[link]"));
    parser.process(app);

    const QString dir
        = QDir::cleanPath(parser.isSet(profile) ? parser.value(profile)
                                                : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    installTranslations(app, cairn::ui::AppSettings::load(dir).language);

    if (!cairn::crypto::initSodium()) {
        QMessageBox::critical(nullptr, QApplication::translate("main", "Cairn"),
            QApplication::translate("main", "The cryptography library cannot start on this computer."));
        return 1;
    }
    cairn::ui::MainWindow window(dir);
    for (const QString &arg : parser.positionalArguments()) {
        if (arg.startsWith(QLatin1String("cairn:"), Qt::CaseInsensitive))
            window.openLink(arg);
    }
    window.show();
    return app.exec();
}
