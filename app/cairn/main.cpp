// cairn: the desktop application.
#include "core/crypto/error.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QMessageBox>
#include <QStandardPaths>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Cairn"));
    QApplication::setOrganizationName(QStringLiteral("Cairn"));
    QApplication::setApplicationVersion(QStringLiteral(CAIRN_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("cairn"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Private peer-to-peer mail and file drops."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profile(QStringLiteral("profile"),
        QApplication::translate("main", "Profile directory (default: %1).")
            .arg(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)),
        QStringLiteral("DIR"));
    parser.addOption(profile);
    parser.process(app);

    if (!cairn::crypto::initSodium()) {
        QMessageBox::critical(nullptr, QApplication::translate("main", "Cairn"),
            QApplication::translate("main", "The cryptography library cannot start on this computer."));
        return 1;
    }
    const QString dir = parser.isSet(profile) ? parser.value(profile)
                                              : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    cairn::ui::MainWindow window(QDir::cleanPath(dir));
    window.show();
    return app.exec();
}
