#include "app/cairnd/commands.h"

#include "app/cairnd/cli.h"
#include "app/cairnd/passphrase.h"
#include "core/base/rng.h"
#include "core/identity/profile.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace cairn::app {

namespace {

constexpr qsizetype kMinNewPassphrase = 8;

QString commandList()
{
    return QStringLiteral(
        "Usage: cairnd <command> [options]\n"
        "\n"
        "Cairn's headless node and command-line client.\n"
        "\n"
        "Profile and node:\n"
        "  init --profile DIR --name NAME   Create a profile: a new device key in an encrypted keystore.\n"
        "  id --profile DIR                 Show the profile's NodeId, public keys and fingerprint.\n"
        "  run --profile DIR [--listen HOST:PORT] [--donate SIZE] [--bootstrap HOST:PORT]...\n"
        "      [--reliability P] [--min-copies N] [--downloads DIR] [--auto-receive] [--poll DURATION]\n"
        "                                   Run the node in the foreground until SIGINT or SIGTERM.\n"
        "\n"
        "Talking to the running node (each takes --profile DIR, most take --json):\n"
        "  status                           Storage, sessions, bandwidth, members, lookups.\n"
        "  peers                            Open sessions.\n"
        "  group create --name G [--policy auto|manual|quota:N] [--username U]\n"
        "                                   Create a group and become its operator.\n"
        "  group policy auto|manual|quota:N Change the signing policy (operator).\n"
        "  invite [--uses N] [--expires DURATION]\n"
        "                                   Print an invite link (operator).\n"
        "  join LINK --username U           Join a group with an invite link.\n"
        "  members                          The group's members and their devices.\n"
        "  pending                          Join requests waiting for approval (operator).\n"
        "  approve USER | deny USER         Decide a pending request (operator).\n"
        "  revoke USER | revoke --device SERIAL\n"
        "                                   Revoke a user or one device (operator).\n"
        "  put (--value TEXT | --file F) | get KEY\n"
        "                                   Store a value in the group's DHT, or read one.\n"
        "  renew                            Renew this device's certificate now (also automatic).\n"
        "  stop                             Stop the node.\n"
        "\n"
        "Mail and files:\n"
        "  mail send --to USER[,USER] --subject S (--body TEXT | --body-file F) [--attach FILE]...\n"
        "                                   Send a mail; it waits for recipients who are offline.\n"
        "  mail list [--folder inbox|sent|trash|outbox] [--search TEXT] [--refresh]\n"
        "                                   List mail, newest first.\n"
        "  mail read ID | mail delete ID    Show a mail (ID or a unique prefix), or delete it.\n"
        "  send PATH... --to USER           Drop files or folders on a member.\n"
        "  transfers                        Uploads, downloads and drops waiting to be received.\n"
        "  receive ID [--to DIR]            Download a received drop.\n"
        "\n"
        "The passphrase is read from --passphrase-file or asked for with echo off.\n"
        "Run 'cairnd <command> --help' for a command's options.\n");
}

bool parse(
    QCommandLineParser &parser, const QString &command, const QString &synopsis, const QStringList &args, int *exit)
{
    return parseCommand(parser, command, synopsis, args, exit);
}

const QCommandLineOption &kProfile = profileOption();
const QCommandLineOption &kPassFile = passphraseFileOption();
const QCommandLineOption &kJson = jsonOption();

void printIdentity(const identity::LocalIdentity &id, bool json)
{
    if (json) {
        QJsonObject o;
        o.insert(QStringLiteral("name"), id.displayName);
        o.insert(QStringLiteral("nodeId"), id.nodeId.toHex());
        o.insert(QStringLiteral("ed25519"), id.deviceKey.publicKey().toHex());
        o.insert(QStringLiteral("x25519"), id.deviceKey.x25519Public().toHex());
        o.insert(QStringLiteral("fingerprint"), id.fingerprint());
        printOut(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)) + QLatin1Char('\n'));
        return;
    }
    printOut(QStringLiteral("Name:         %1\n"
                            "NodeId:       %2\n"
                            "Device key:   %3 (Ed25519)\n"
                            "Session key:  %4 (X25519)\n"
                            "Fingerprint:  %5\n")
                 .arg(id.displayName, id.nodeId.toHex(), id.deviceKey.publicKey().toHex(),
                     id.deviceKey.x25519Public().toHex(), id.fingerprint()));
}

int cmdInit(const QStringList &args)
{
    QCommandLineParser parser;
    const QCommandLineOption name(QStringLiteral("name"), QStringLiteral("Display name."), QStringLiteral("NAME"));
    parser.addOptions({kProfile, name, kPassFile, kJson});
    int exit = Ok;
    if (!parse(parser, QStringLiteral("init"),
            QStringLiteral("--profile DIR --name NAME [--passphrase-file F] [--json]"), args, &exit))
        return exit;
    if (!parser.isSet(kProfile))
        return error(QStringLiteral("init needs --profile DIR"), Usage);
    if (!parser.isSet(name))
        return error(QStringLiteral("init needs --name NAME"), Usage);
    const QString dir = parser.value(kProfile);
    if (const QString why = identity::Profile::checkDisplayName(parser.value(name)); !why.isEmpty())
        return error(why, Usage);
    if (identity::Profile::exists(dir))
        return error(QStringLiteral("a profile already exists in %1").arg(dir));

    QString why;
    const auto pass = PassphraseSource {parser.value(kPassFile)}.read(true, &why);
    if (!pass)
        return error(why);
    if (pass->size() < kMinNewPassphrase)
        return error(QStringLiteral("the passphrase is too short: use at least %1 characters").arg(kMinNewPassphrase));

    base::SodiumRng rng;
    auto created = identity::Profile::create(dir, parser.value(name), pass->view(), rng);
    if (!created.ok())
        return error(created.message());
    if (!parser.isSet(kJson))
        printOut(QStringLiteral("Created profile in %1\n").arg(dir));
    printIdentity(created.value(), parser.isSet(kJson));
    return Ok;
}

int cmdId(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOptions({kProfile, kPassFile, kJson});
    int exit = Ok;
    if (!parse(
            parser, QStringLiteral("id"), QStringLiteral("--profile DIR [--passphrase-file F] [--json]"), args, &exit))
        return exit;
    if (!parser.isSet(kProfile))
        return error(QStringLiteral("id needs --profile DIR"), Usage);
    const QString dir = parser.value(kProfile);
    if (!identity::Profile::exists(dir))
        return error(QStringLiteral("no profile in %1 (create one with 'cairnd init')").arg(dir));
    QString why;
    const auto pass = PassphraseSource {parser.value(kPassFile)}.read(false, &why);
    if (!pass)
        return error(why);
    auto id = identity::Profile::unlock(dir, pass->view());
    if (!id.ok())
        return error(id.message());
    printIdentity(id.value(), parser.isSet(kJson));
    return Ok;
}

} // namespace

int runCommand(const QStringList &args)
{
    if (args.isEmpty())
        return error(QStringLiteral("no command given (see 'cairnd --help')"), Usage);
    const QString command = args.first();
    const QStringList rest = args.mid(1);
    if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
        printOut(commandList());
        return Ok;
    }
    if (command == QLatin1String("--version")) {
        printOut(QStringLiteral("cairnd %1\n").arg(QStringLiteral(CAIRN_VERSION)));
        return Ok;
    }
    if (command == QLatin1String("init"))
        return cmdInit(rest);
    if (command == QLatin1String("id"))
        return cmdId(rest);
    if (command == QLatin1String("run"))
        return cmdRun(rest);
    if (isClientCommand(command))
        return cmdClient(command, rest);
    if (isMailCommand(command))
        return cmdMail(command, rest);
    return error(QStringLiteral("unknown command '%1' (see 'cairnd --help')").arg(command), Usage);
}

} // namespace cairn::app
