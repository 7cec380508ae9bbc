// cairn: the desktop application.
#include "core/crypto/error.h"
#include "core/engine/controlclient.h"
#include "core/engine/controlserver.h"
#include "core/engine/node.h"
#include "ui/appicon.h"
#include "ui/appsettings.h"
#include "ui/mainwindow.h"
#include "ui/translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QJsonObject>
#include <QMessageBox>
#include <QStandardPaths>

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
    cairn::ui::installTranslations(app, cairn::ui::AppSettings::load(dir).language);

    QStringList links;
    for (const QString &arg : parser.positionalArguments()) {
        if (arg.startsWith(QLatin1String("cairn:"), Qt::CaseInsensitive))
            links << arg;
    }
    // One window per profile: if it is open already, hand it the link.
    const QString socket = cairn::engine::Node::controlSocketPath(dir);
    if (cairn::engine::ControlServer::isServed(socket)) {
        if (links.isEmpty()) {
            QMessageBox::information(nullptr, QApplication::translate("main", "Cairn"),
                QApplication::translate("main", "Cairn is already running with this profile (%1).").arg(dir));
            return 0;
        }
        QJsonObject reply;
        QString error;
        if (cairn::engine::ControlClient(socket).request(
                QStringLiteral("open"), {{QStringLiteral("link"), links.first()}}, 5000, &reply, &error)) {
            if (reply.value(QStringLiteral("ok")).toBool())
                return 0;
            error = reply.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
        }
        QMessageBox::warning(nullptr, QApplication::translate("main", "Cairn"),
            QApplication::translate(
                "main", "Cairn is already running with this profile and did not take the invite: %1")
                .arg(error));
        return 1;
    }

    if (!cairn::crypto::initSodium()) {
        QMessageBox::critical(nullptr, QApplication::translate("main", "Cairn"),
            QApplication::translate("main", "The cryptography library cannot start on this computer."));
        return 1;
    }
    cairn::ui::MainWindow window(dir);
    if (!links.isEmpty())
        window.openLink(links.first());
    window.show();
    return app.exec();
}
