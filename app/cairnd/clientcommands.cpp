// The commands that talk to a running node through its control socket.
#include "app/cairnd/cli.h"
#include "core/engine/controlclient.h"
#include "core/engine/nodeconfig.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <functional>

namespace cairn::app {

QString humanBytes(double bytes)
{
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (bytes >= 1024 && unit < 4) {
        bytes /= 1024;
        ++unit;
    }
    return unit == 0 ? QStringLiteral("%1 B").arg(qint64(bytes))
                     : QStringLiteral("%1 %2").arg(bytes, 0, 'f', 1).arg(QLatin1String(units[unit]));
}

QString humanTime(qint64 unix)
{
    return unix > 0 ? QDateTime::fromSecsSinceEpoch(unix).toString(Qt::ISODate) : QStringLiteral("-");
}

int callNode(const QCommandLineParser &parser, const QString &cmd, const QJsonObject &args, int timeoutMs,
    const std::function<void(const QJsonObject &result)> &print)
{
    if (!parser.isSet(profileOption()))
        return error(QStringLiteral("this command needs --profile DIR"), Usage);
    const QString socket
        = QDir(QDir(parser.value(profileOption())).absolutePath()).filePath(QStringLiteral("control.sock"));
    engine::ControlClient client(socket);
    QJsonObject reply;
    QString why;
    if (!client.request(cmd, args, timeoutMs, &reply, &why))
        return error(why);
    if (!reply.value(QStringLiteral("ok")).toBool()) {
        const QJsonObject e = reply.value(QStringLiteral("error")).toObject();
        QString message = e.value(QStringLiteral("message")).toString();
        if (message.isEmpty())
            message = e.value(QStringLiteral("code")).toString();
        return error(message);
    }
    const QJsonObject result = reply.value(QStringLiteral("result")).toObject();
    if (parser.isSet(jsonOption()))
        printOut(QString::fromUtf8(QJsonDocument(result).toJson(QJsonDocument::Compact)) + QLatin1Char('\n'));
    else
        print(result);
    return Ok;
}
namespace {

constexpr int kQuickTimeoutMs = 10'000;
/// Joining and the DHT wait on the network (and on Argon2id for group create).
constexpr int kNetworkTimeoutMs = 60'000;

void printStatus(const QJsonObject &r)
{
    const QJsonObject storage = r.value(QStringLiteral("storage")).toObject();
    const QJsonObject bw = r.value(QStringLiteral("bandwidth")).toObject();
    const QJsonObject lookups = r.value(QStringLiteral("lookups")).toObject();
    QString group = r.value(QStringLiteral("group")).toString();
    const QString state = r.value(QStringLiteral("state")).toString();
    QString membership = state == QLatin1String("no-group") ? QStringLiteral("not in a group")
        : state == QLatin1String("pending")
        ? QStringLiteral("waiting for approval to join \"%1\"").arg(group)
        : QStringLiteral("\"%1\" as %2%3")
              .arg(group, r.value(QStringLiteral("username")).toString(),
                  r.value(QStringLiteral("operator")).toBool() ? QStringLiteral(" (operator)") : QString());
    QString text;
    text += QStringLiteral("Node:          %1\n").arg(r.value(QStringLiteral("nodeId")).toString());
    text += QStringLiteral("Listening on:  %1\n").arg(r.value(QStringLiteral("listen")).toString());
    text += QStringLiteral("Group:         %1\n").arg(membership);
    const double quota = storage.value(QStringLiteral("quota")).toDouble();
    text += QStringLiteral("Storage:       %1\n")
                .arg(quota > 0
                        ? QStringLiteral("%1 of %2 used, %3 items")
                              .arg(humanBytes(storage.value(QStringLiteral("used")).toDouble()), humanBytes(quota))
                              .arg(storage.value(QStringLiteral("items")).toInt())
                        : QStringLiteral("not donating"));
    text += QStringLiteral("Sessions:      %1 (%2 certified peers)\n")
                .arg(r.value(QStringLiteral("sessions")).toInt())
                .arg(r.value(QStringLiteral("peers")).toInt());
    text += QStringLiteral("Routing table: %1 nodes\n").arg(r.value(QStringLiteral("routingTable")).toInt());
    text += QStringLiteral("Traffic:       in %1 (%2/s), out %3 (%4/s)\n")
                .arg(humanBytes(bw.value(QStringLiteral("bytesIn")).toDouble()),
                    humanBytes(bw.value(QStringLiteral("rateIn")).toDouble()),
                    humanBytes(bw.value(QStringLiteral("bytesOut")).toDouble()),
                    humanBytes(bw.value(QStringLiteral("rateOut")).toDouble()));
    if (r.value(QStringLiteral("operator")).toBool())
        text += QStringLiteral("Members:       %1, %2 pending\n")
                    .arg(r.value(QStringLiteral("members")).toInt())
                    .arg(r.value(QStringLiteral("pending")).toInt());
    text += QStringLiteral("Revocations:   %1 (list version %2)\n")
                .arg(r.value(QStringLiteral("revocations")).toInt())
                .arg(qint64(r.value(QStringLiteral("crlVersion")).toDouble()));
    const double total = lookups.value(QStringLiteral("total")).toDouble();
    text += QStringLiteral("Lookups:       %1 of %2 succeeded (%3%)\n")
                .arg(qint64(lookups.value(QStringLiteral("succeeded")).toDouble()))
                .arg(qint64(total))
                .arg(lookups.value(QStringLiteral("successRate")).toDouble() * 100, 0, 'f', 1);
    if (r.contains(QStringLiteral("replication"))) {
        const QJsonObject rep = r.value(QStringLiteral("replication")).toObject();
        const double free = rep.value(QStringLiteral("groupFree")).toDouble();
        text += QStringLiteral("Replication:   %1 copies for a %2% target (storage availability %3%, %4 samples)\n")
                    .arg(rep.value(QStringLiteral("copies")).toInt())
                    .arg(rep.value(QStringLiteral("target")).toDouble() * 100, 0, 'g', 6)
                    .arg(rep.value(QStringLiteral("availability")).toDouble() * 100, 0, 'f', 1)
                    .arg(rep.value(QStringLiteral("availabilitySamples")).toInt());
        text += QStringLiteral("Group storage: %1\n")
                    .arg(free < 0 ? QStringLiteral("not measured yet")
                                  : QStringLiteral("%1 free on %2 storage nodes")
                                        .arg(humanBytes(free))
                                        .arg(rep.value(QStringLiteral("storageNodes")).toInt()));
    }
    const qint64 expires = r.value(QStringLiteral("certificateExpires")).toInteger();
    if (expires > 0)
        text += QStringLiteral("Certificate:   valid until %1\n").arg(humanTime(expires));
    printOut(text);
}

void printPeers(const QJsonObject &r)
{
    const QJsonArray peers = r.value(QStringLiteral("peers")).toArray();
    if (peers.isEmpty())
        return printOut(QStringLiteral("No open sessions.\n"));
    QString text = QStringLiteral("%1  %2  %3\n")
                       .arg(QStringLiteral("ADDRESS"), -21)
                       .arg(QStringLiteral("USER"), -16)
                       .arg(QStringLiteral("NODE"));
    for (const QJsonValue &v : peers) {
        const QJsonObject p = v.toObject();
        const QString user = p.value(QStringLiteral("certified")).toBool()
            ? p.value(QStringLiteral("username")).toString()
            : QStringLiteral("(joining)");
        text += QStringLiteral("%1  %2  %3\n")
                    .arg(p.value(QStringLiteral("endpoint")).toString(), -21)
                    .arg(user, -16)
                    .arg(p.value(QStringLiteral("nodeId")).toString().left(16));
    }
    printOut(text);
}

void printMembers(const QJsonObject &r)
{
    const QJsonArray members = r.value(QStringLiteral("members")).toArray();
    QString text;
    for (const QJsonValue &v : members) {
        const QJsonObject m = v.toObject();
        const QJsonArray devices = m.value(QStringLiteral("devices")).toArray();
        text += QStringLiteral("%1%2 (%3 device%4)\n")
                    .arg(m.value(QStringLiteral("username")).toString(),
                        m.value(QStringLiteral("revoked")).toBool() ? QStringLiteral(" [revoked]") : QString())
                    .arg(devices.size())
                    .arg(devices.size() == 1 ? QString() : QStringLiteral("s"));
        for (const QJsonValue &d : devices) {
            const QJsonObject c = d.toObject();
            text += QStringLiteral("  serial %1  node %2  valid until %3\n")
                        .arg(c.value(QStringLiteral("serial")).toString(),
                            c.value(QStringLiteral("nodeId")).toString().left(16),
                            humanTime(c.value(QStringLiteral("notAfter")).toInteger()));
        }
    }
    printOut(text.isEmpty() ? QStringLiteral("No members.\n") : text);
}

void printPending(const QJsonObject &r)
{
    const QJsonArray list = r.value(QStringLiteral("pending")).toArray();
    if (list.isEmpty())
        return printOut(QStringLiteral("No pending requests.\n"));
    QString text;
    for (const QJsonValue &v : list) {
        const QJsonObject p = v.toObject();
        text += QStringLiteral("%1%2  requested %3  device %4\n")
                    .arg(p.value(QStringLiteral("username")).toString(),
                        p.value(QStringLiteral("additionalDevice")).toBool() ? QStringLiteral(" (another device)")
                                                                             : QString(),
                        humanTime(p.value(QStringLiteral("requestedAt")).toInteger()),
                        p.value(QStringLiteral("deviceKey")).toString().left(16));
    }
    printOut(text);
}

struct Command {
    QString synopsis;
    int maxPositional = 0;
};

const QHash<QString, Command> &commands()
{
    static const QHash<QString, Command> table {
        {QStringLiteral("status"), {QStringLiteral("--profile DIR [--json]")}},
        {QStringLiteral("peers"), {QStringLiteral("--profile DIR [--json]")}},
        {QStringLiteral("group"),
            {QStringLiteral(
                 "(create --name G [--policy POLICY] [--username U] | policy POLICY) --profile DIR [--json]"),
                2}},
        {QStringLiteral("invite"), {QStringLiteral("--profile DIR [--uses N] [--expires DURATION] [--json]")}},
        {QStringLiteral("join"), {QStringLiteral("LINK --profile DIR --username U [--json]"), 1}},
        {QStringLiteral("members"), {QStringLiteral("--profile DIR [--json]")}},
        {QStringLiteral("pending"), {QStringLiteral("--profile DIR [--json]")}},
        {QStringLiteral("approve"), {QStringLiteral("USER --profile DIR [--json]"), 1}},
        {QStringLiteral("deny"), {QStringLiteral("USER --profile DIR [--json]"), 1}},
        {QStringLiteral("revoke"), {QStringLiteral("(USER | --device SERIAL) --profile DIR [--json]"), 1}},
        {QStringLiteral("put"), {QStringLiteral("(--value TEXT | --file F) --profile DIR [--ttl DURATION] [--json]")}},
        {QStringLiteral("get"), {QStringLiteral("KEY --profile DIR [--local] [--out F] [--json]"), 1}},
        {QStringLiteral("stop"), {QStringLiteral("--profile DIR [--json]")}},
        {QStringLiteral("renew"), {QStringLiteral("--profile DIR [--json]")}},
    };
    return table;
}

} // namespace

bool isClientCommand(const QString &command)
{
    return commands().contains(command);
}

int cmdClient(const QString &command, const QStringList &args)
{
    const Command &spec = commands()[command];
    QCommandLineParser parser;
    parser.addOptions({profileOption(), jsonOption()});
    const QCommandLineOption name(QStringLiteral("name"), QStringLiteral("Group name."), QStringLiteral("G"));
    const QCommandLineOption policy(QStringLiteral("policy"),
        QStringLiteral("Signing policy: auto, manual or quota:N (default auto)."), QStringLiteral("POLICY"));
    const QCommandLineOption username(
        QStringLiteral("username"), QStringLiteral("Username in the group."), QStringLiteral("U"));
    const QCommandLineOption uses(
        QStringLiteral("uses"), QStringLiteral("How many joins the invite allows (default 1)."), QStringLiteral("N"));
    const QCommandLineOption expires(QStringLiteral("expires"),
        QStringLiteral("How long the invite is valid, e.g. 30m, 2h, 7d (default 7d)."), QStringLiteral("DURATION"));
    const QCommandLineOption device(QStringLiteral("device"),
        QStringLiteral("Revoke one device by its certificate serial."), QStringLiteral("SERIAL"));
    const QCommandLineOption value(
        QStringLiteral("value"), QStringLiteral("The value to store."), QStringLiteral("TEXT"));
    const QCommandLineOption file(
        QStringLiteral("file"), QStringLiteral("Store the contents of F."), QStringLiteral("F"));
    const QCommandLineOption ttl(
        QStringLiteral("ttl"), QStringLiteral("How long to keep it (default 7d)."), QStringLiteral("DURATION"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Write the value to F."), QStringLiteral("F"));
    const QCommandLineOption local(
        QStringLiteral("local"), QStringLiteral("Only look in this node's own donated storage."));
    if (command == QLatin1String("group"))
        parser.addOptions({name, policy, username});
    else if (command == QLatin1String("invite"))
        parser.addOptions({uses, expires});
    else if (command == QLatin1String("join"))
        parser.addOption(username);
    else if (command == QLatin1String("revoke"))
        parser.addOption(device);
    else if (command == QLatin1String("put"))
        parser.addOptions({value, file, ttl});
    else if (command == QLatin1String("get"))
        parser.addOptions({out, local});
    int exit = Ok;
    if (!parseCommand(parser, command, spec.synopsis, args, &exit, spec.maxPositional))
        return exit;
    const QStringList positional = parser.positionalArguments();
    auto needPositional = [&](const QString &what) {
        return positional.isEmpty()
            ? error(QStringLiteral("%1 needs %2 (see 'cairnd %1 --help')").arg(command, what), Usage)
            : Ok;
    };
    auto say = [](const QString &text) { return [text](const QJsonObject &) { printOut(text); }; };
    auto printField = [](const char *field) {
        return
            [field](const QJsonObject &r) { printOut(r.value(QLatin1String(field)).toString() + QLatin1Char('\n')); };
    };
    // Puts a duration option into the request as seconds; Usage if malformed.
    auto addDuration = [&](const QCommandLineOption &option, const char *field, QJsonObject &request) {
        if (!parser.isSet(option))
            return int(Ok);
        const qint64 seconds = engine::parseDuration(parser.value(option));
        if (seconds <= 0)
            return error(QStringLiteral("--%1: \"%2\" is not a duration like 30m, 2h or 7d")
                             .arg(option.names().first(), parser.value(option)),
                Usage);
        request.insert(QLatin1String(field), double(seconds));
        return int(Ok);
    };

    if (command == QLatin1String("status"))
        return callNode(parser, QStringLiteral("status"), {}, kQuickTimeoutMs, printStatus);
    if (command == QLatin1String("peers"))
        return callNode(parser, QStringLiteral("peers"), {}, kQuickTimeoutMs, printPeers);
    if (command == QLatin1String("members"))
        return callNode(parser, QStringLiteral("members"), {}, kNetworkTimeoutMs, printMembers);
    if (command == QLatin1String("pending"))
        return callNode(parser, QStringLiteral("pending"), {}, kQuickTimeoutMs, printPending);
    if (command == QLatin1String("renew"))
        return callNode(parser, QStringLiteral("renew"), {}, kNetworkTimeoutMs, [](const QJsonObject &r) {
            printOut(QStringLiteral("Certificate renewed: serial %1, valid until %2.\n")
                         .arg(r.value(QStringLiteral("serial")).toString(),
                             humanTime(r.value(QStringLiteral("notAfter")).toInteger())));
        });
    if (command == QLatin1String("stop"))
        return callNode(parser, QStringLiteral("stop"), {}, kQuickTimeoutMs, say(QStringLiteral("Node stopping.\n")));

    if (command == QLatin1String("group")) {
        if (positional.value(0) == QLatin1String("policy")) {
            if (positional.size() != 2)
                return error(QStringLiteral("group policy needs a POLICY: auto, manual or quota:N"), Usage);
            return callNode(parser, QStringLiteral("group.policy"), {{QStringLiteral("policy"), positional.at(1)}},
                kQuickTimeoutMs, [](const QJsonObject &r) {
                    printOut(QStringLiteral("Signing policy is now %1.\n")
                                 .arg(r.value(QStringLiteral("policy")).toString()));
                });
        }
        if (positional.value(0) != QLatin1String("create") || positional.size() != 1)
            return error(
                QStringLiteral(
                    "group needs a subcommand: 'cairnd group create --name G' or 'cairnd group policy POLICY'"),
                Usage);
        if (!parser.isSet(name))
            return error(QStringLiteral("group create needs --name G"), Usage);
        QJsonObject a {{QStringLiteral("name"), parser.value(name)}};
        if (parser.isSet(policy))
            a.insert(QStringLiteral("policy"), parser.value(policy));
        if (parser.isSet(username))
            a.insert(QStringLiteral("username"), parser.value(username));
        return callNode(parser, QStringLiteral("group.create"), a, kNetworkTimeoutMs, [](const QJsonObject &r) {
            printOut(QStringLiteral("Created group \"%1\" (policy %2); you are its operator, \"%3\".\n")
                         .arg(r.value(QStringLiteral("group")).toString(), r.value(QStringLiteral("policy")).toString(),
                             r.value(QStringLiteral("username")).toString()));
        });
    }
    if (command == QLatin1String("invite")) {
        QJsonObject a;
        if (parser.isSet(uses)) {
            bool ok = false;
            const int n = parser.value(uses).toInt(&ok);
            if (!ok || n < 1)
                return error(QStringLiteral("--uses: \"%1\" is not a positive number").arg(parser.value(uses)), Usage);
            a.insert(QStringLiteral("uses"), n);
        }
        if (int rc = addDuration(expires, "expires", a); rc != Ok)
            return rc;
        return callNode(parser, QStringLiteral("invite"), a, kQuickTimeoutMs, printField("link"));
    }
    if (command == QLatin1String("join")) {
        if (int rc = needPositional(QStringLiteral("an invite LINK")); rc != Ok)
            return rc;
        if (!parser.isSet(username))
            return error(QStringLiteral("join needs --username U"), Usage);
        const QJsonObject a {
            {QStringLiteral("link"), positional.first()}, {QStringLiteral("username"), parser.value(username)}};
        return callNode(parser, QStringLiteral("join"), a, kNetworkTimeoutMs, [](const QJsonObject &r) {
            if (r.value(QStringLiteral("status")).toString() == QLatin1String("pending"))
                printOut(QStringLiteral("Request sent: %1.\n").arg(r.value(QStringLiteral("message")).toString()));
            else
                printOut(QStringLiteral("Joined \"%1\" as %2.\n")
                             .arg(r.value(QStringLiteral("group")).toString(),
                                 r.value(QStringLiteral("username")).toString()));
        });
    }
    if (command == QLatin1String("approve") || command == QLatin1String("deny")) {
        if (int rc = needPositional(QStringLiteral("a USER")); rc != Ok)
            return rc;
        const QString user = positional.first();
        return callNode(parser, command, {{QStringLiteral("username"), user}}, kQuickTimeoutMs,
            say(command == QLatin1String("approve") ? QStringLiteral("Approved %1.\n").arg(user)
                                                    : QStringLiteral("Denied %1.\n").arg(user)));
    }
    if (command == QLatin1String("revoke")) {
        if (positional.isEmpty() == !parser.isSet(device))
            return error(QStringLiteral("revoke needs either USER or --device SERIAL"), Usage);
        QJsonObject a;
        if (parser.isSet(device))
            a.insert(QStringLiteral("serial"), parser.value(device));
        else
            a.insert(QStringLiteral("username"), positional.first());
        const QString what
            = parser.isSet(device) ? QStringLiteral("device %1").arg(parser.value(device)) : positional.value(0);
        return callNode(parser, QStringLiteral("revoke"), a, kQuickTimeoutMs, [what](const QJsonObject &r) {
            printOut(QStringLiteral("Revoked %1 (revocation list version %2).\n")
                         .arg(what)
                         .arg(qint64(r.value(QStringLiteral("crlVersion")).toDouble())));
        });
    }
    if (command == QLatin1String("put")) {
        QByteArray data;
        if (parser.isSet(value) == parser.isSet(file))
            return error(QStringLiteral("put needs either --value TEXT or --file F"), Usage);
        if (parser.isSet(value)) {
            data = parser.value(value).toUtf8();
        } else {
            QFile f(parser.value(file));
            if (!f.open(QIODevice::ReadOnly))
                return error(QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()));
            if (f.size() > 64 * 1024)
                return error(QStringLiteral("%1 is larger than 64 KiB, the most one value holds").arg(f.fileName()));
            data = f.readAll();
        }
        if (data.isEmpty())
            return error(QStringLiteral("the value is empty"), Usage);
        QJsonObject a {{QStringLiteral("value"), QString::fromLatin1(data.toBase64())}};
        if (int rc = addDuration(ttl, "ttl", a); rc != Ok)
            return rc;
        return callNode(parser, QStringLiteral("put"), a, kNetworkTimeoutMs, printField("key"));
    }
    if (command == QLatin1String("get")) {
        if (int rc = needPositional(QStringLiteral("a KEY")); rc != Ok)
            return rc;
        const QString key = positional.first();
        if (QByteArray::fromHex(key.toLatin1()).size() != 32 || key.size() != 64)
            return error(QStringLiteral("\"%1\" is not a key (64 hex digits)").arg(key), Usage);
        const QString outPath = parser.value(out);
        int writeStatus = Ok;
        QJsonObject a {{QStringLiteral("key"), key}};
        if (parser.isSet(local))
            a.insert(QStringLiteral("local"), true);
        int rc = callNode(
            parser, QStringLiteral("get"), a, kNetworkTimeoutMs, [outPath, &writeStatus](const QJsonObject &r) {
                const QByteArray bytes = QByteArray::fromBase64(r.value(QStringLiteral("value")).toString().toLatin1());
                if (outPath.isEmpty()) {
                    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
                    std::fflush(stdout);
                    return;
                }
                QFile f(outPath);
                if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
                    writeStatus = error(QStringLiteral("cannot write %1: %2").arg(outPath, f.errorString()));
            });
        return rc != Ok ? rc : writeStatus;
    }
    return error(QStringLiteral("unknown command '%1' (see 'cairnd --help')").arg(command), Usage);
}

} // namespace cairn::app
