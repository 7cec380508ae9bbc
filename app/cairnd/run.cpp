// `cairnd run`: the node in the foreground until SIGINT or SIGTERM.
#include "app/cairnd/cli.h"
#include "app/cairnd/passphrase.h"
#include "core/crypto/keystore.h"
#include "core/engine/node.h"
#include "core/identity/profile.h"

#include <QCoreApplication>
#include <QDir>
#include <QSocketNotifier>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace cairn::app {

namespace {

int g_signalPipe[2] = {-1, -1};

// Async-signal-safe: only write(2) a byte; the event loop does the rest.
void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] auto n = ::write(g_signalPipe[1], &byte, 1);
}

bool installSignalHandlers()
{
    if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    struct sigaction action { };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

} // namespace

int cmdRun(const QStringList &args)
{
    QCommandLineParser parser;
    const QCommandLineOption listen(QStringLiteral("listen"),
        QStringLiteral("UDP address to listen on (default 0.0.0.0:0, any free port)."), QStringLiteral("HOST:PORT"));
    const QCommandLineOption donate(QStringLiteral("donate"),
        QStringLiteral("Disk space donated to the group's storage, e.g. 500M or 2G (default: none)."),
        QStringLiteral("SIZE"));
    const QCommandLineOption bootstrap(QStringLiteral("bootstrap"),
        QStringLiteral("A node to contact first; may be repeated."), QStringLiteral("HOST:PORT"));
    const QCommandLineOption reliability(QStringLiteral("reliability"),
        QStringLiteral("Wanted chance that what you send can be read back, e.g. 0.9999 (the default); with the "
                       "measured availability of storage nodes it sets how many copies are stored."),
        QStringLiteral("P"));
    const QCommandLineOption minCopies(QStringLiteral("min-copies"),
        QStringLiteral("Never store fewer copies than this (default 3)."), QStringLiteral("N"));
    const QCommandLineOption downloads(QStringLiteral("downloads"),
        QStringLiteral("Folder for received files (default: ~/Downloads if it exists)."), QStringLiteral("DIR"));
    const QCommandLineOption autoReceive(
        QStringLiteral("auto-receive"), QStringLiteral("Download dropped files into the download folder by itself."));
    const QCommandLineOption poll(QStringLiteral("poll"),
        QStringLiteral("How often to check the inbox, e.g. 30s (the default) or 5m."), QStringLiteral("DURATION"));
    parser.addOptions({profileOption(), listen, donate, bootstrap, reliability, minCopies, downloads, autoReceive, poll,
        passphraseFileOption()});
    int exit = Ok;
    if (!parseCommand(parser, QStringLiteral("run"),
            QStringLiteral("--profile DIR [--listen HOST:PORT] [--donate SIZE] [--bootstrap HOST:PORT]... "
                           "[--reliability P] [--min-copies N] [--downloads DIR] [--auto-receive] [--poll DURATION] "
                           "[--passphrase-file F]"),
            args, &exit))
        return exit;
    if (!parser.isSet(profileOption()))
        return error(QStringLiteral("run needs --profile DIR"), Usage);

    engine::NodeConfig config;
    config.profileDir = parser.value(profileOption());
    if (parser.isSet(listen)) {
        // Port 0 (any free port) is fine for listening, unlike for a peer's address.
        QString text = parser.value(listen);
        const bool anyPort = text.endsWith(QLatin1String(":0"));
        if (anyPort)
            text.replace(text.size() - 1, 1, QStringLiteral("1"));
        config.listen = base::Endpoint::parse(text);
        if (anyPort)
            config.listen.port = 0;
        if (config.listen.address.isNull())
            return error(QStringLiteral("--listen: \"%1\" is not HOST:PORT").arg(parser.value(listen)), Usage);
    }
    if (parser.isSet(donate)) {
        config.donateBytes = engine::parseSize(parser.value(donate));
        if (config.donateBytes < 0)
            return error(
                QStringLiteral("--donate: \"%1\" is not a size like 500M or 2G").arg(parser.value(donate)), Usage);
    }
    for (const QString &text : parser.values(bootstrap)) {
        const base::Endpoint e = base::Endpoint::parse(text);
        if (!e.isValid())
            return error(QStringLiteral("--bootstrap: \"%1\" is not HOST:PORT").arg(text), Usage);
        config.bootstrap.append(e);
    }
    if (parser.isSet(reliability)) {
        bool ok = false;
        config.targetSuccess = parser.value(reliability).toDouble(&ok);
        if (!ok || config.targetSuccess <= 0 || config.targetSuccess >= 1)
            return error(QStringLiteral("--reliability: \"%1\" is not a probability between 0 and 1, like 0.9999")
                             .arg(parser.value(reliability)),
                Usage);
    }
    if (parser.isSet(minCopies)) {
        bool ok = false;
        config.minCopies = parser.value(minCopies).toInt(&ok);
        if (!ok || config.minCopies < 1 || config.minCopies > 16)
            return error(QStringLiteral("--min-copies: give a number from 1 to 16"), Usage);
    }
    config.downloadDir = parser.isSet(downloads)
        ? QDir(parser.value(downloads)).absolutePath()
        : (QDir::home().exists(QStringLiteral("Downloads")) ? QDir::home().filePath(QStringLiteral("Downloads"))
                                                            : QString());
    config.autoReceive = parser.isSet(autoReceive);
    if (config.autoReceive && config.downloadDir.isEmpty())
        return error(QStringLiteral("--auto-receive needs a download folder: add --downloads DIR"), Usage);
    if (parser.isSet(poll)) {
        const qint64 seconds = engine::parseDuration(parser.value(poll));
        if (seconds < 1 || seconds > 24 * 3600)
            return error(
                QStringLiteral("--poll: \"%1\" is not a duration from 1s to 24h").arg(parser.value(poll)), Usage);
        config.mailPollSeconds = int(seconds);
    }
    if (!identity::Profile::exists(config.profileDir))
        return error(QStringLiteral("no profile in %1 (create one with 'cairnd init')").arg(config.profileDir));

    QString why;
    auto pass = PassphraseSource {parser.value(passphraseFileOption())}.read(false, &why);
    if (!pass)
        return error(why);
    auto contents = crypto::Keystore::open(identity::Profile::keystorePath(config.profileDir), pass->view());
    if (!contents)
        return error(contents.message());

    if (!installSignalHandlers())
        return error(QStringLiteral("cannot install signal handlers"));
    engine::Node node(config, std::move(contents.value()), std::move(*pass));
    if (auto started = node.start(); !started)
        return error(started.message());

    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, [] {
        char buffer[16];
        while (::read(g_signalPipe[0], buffer, sizeof buffer) > 0) { }
        QCoreApplication::quit();
    });
    QObject::connect(&node, &engine::Node::stopRequested, [] { QCoreApplication::quit(); });

    printOut(QStringLiteral("cairnd: node %1 listening on %2 (control socket %3)\n")
                 .arg(node.nodeId().toHex().left(16), node.localEndpoint().toString(), node.controlSocketPath()));
    QCoreApplication::exec();
    node.stop();
    printOut(QStringLiteral("cairnd: stopped\n"));
    return Ok;
}

} // namespace cairn::app
