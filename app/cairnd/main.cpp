// cairnd: Cairn's headless node and command-line client. Links no Qt Gui.
#include "app/cairnd/commands.h"
#include "core/crypto/error.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cairnd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CAIRN_VERSION));
    if (!cairn::crypto::initSodium()) {
        std::fputs("cairnd: error: libsodium cannot initialise on this machine\n", stderr);
        return 1;
    }
    return cairn::app::runCommand(app.arguments().mid(1));
}
