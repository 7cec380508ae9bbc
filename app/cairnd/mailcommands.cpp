// cairnd's mail and file commands: mail send|list|read|delete, send,
// transfers, receive. Each talks to the running node (docs/control-api.md).
#include "app/cairnd/cli.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

namespace cairn::app {

namespace {

constexpr int kQuickTimeoutMs = 10'000;
/// Sending first asks the group how much it can hold; a refresh polls the
/// inbox replicas.
constexpr int kNetworkTimeoutMs = 120'000;

QString when(qint64 unixMs)
{
    return unixMs > 0 ? QDateTime::fromMSecsSinceEpoch(unixMs).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                      : QStringLiteral("-");
}

QString shortId(const QString &id)
{
    return id.left(12);
}

void printList(const QJsonObject &r)
{
    const QJsonArray mails = r.value(QStringLiteral("mails")).toArray();
    const QString folder = r.value(QStringLiteral("folder")).toString();
    if (mails.isEmpty())
        return printOut(QStringLiteral("No mail in %1.\n").arg(folder));
    QString text = QStringLiteral("   %1  %2  %3  %4\n")
                       .arg(QStringLiteral("ID"), -12)
                       .arg(QStringLiteral("DATE"), -16)
                       .arg(folder == QLatin1String("inbox") ? QStringLiteral("FROM") : QStringLiteral("TO"), -16)
                       .arg(QStringLiteral("SUBJECT"));
    for (const QJsonValue &v : mails) {
        const QJsonObject m = v.toObject();
        const QString kind = m.value(QStringLiteral("kind")).toString();
        const QString who = folder == QLatin1String("inbox")
            ? (kind == QLatin1String("notice") ? QStringLiteral("(Cairn)") : m.value(QStringLiteral("from")).toString())
            : m.value(QStringLiteral("to")).toVariant().toStringList().join(QStringLiteral(", "));
        QString marks = m.value(QStringLiteral("read")).toBool() ? QStringLiteral(" ") : QStringLiteral("*");
        marks += kind == QLatin1String("notice")                 ? QStringLiteral("!")
            : m.value(QStringLiteral("attachments")).toInt() > 0 ? QStringLiteral("@")
                                                                 : QStringLiteral(" ");
        QString subject = m.value(QStringLiteral("subject")).toString();
        if (kind == QLatin1String("drop"))
            subject = QStringLiteral("[files] ") + subject;
        if (m.contains(QStringLiteral("sendState")))
            subject += QStringLiteral("  (%1%2)")
                           .arg(m.value(QStringLiteral("sendState")).toString(),
                               m.contains(QStringLiteral("sendError"))
                                   ? QStringLiteral(": ") + m.value(QStringLiteral("sendError")).toString()
                                   : QString());
        text += QStringLiteral("%1 %2  %3  %4  %5\n")
                    .arg(marks)
                    .arg(shortId(m.value(QStringLiteral("id")).toString()), -12)
                    .arg(when(m.value(QStringLiteral("sentAt")).toInteger()), -16)
                    .arg(who.left(16), -16)
                    .arg(subject);
    }
    text += QStringLiteral("(* unread, @ attachments, ! notice from Cairn; %1 unread)\n")
                .arg(r.value(QStringLiteral("unread")).toInt());
    printOut(text);
}

void printMail(const QJsonObject &m)
{
    QString text;
    text += QStringLiteral("From:    %1\n")
                .arg(m.value(QStringLiteral("kind")).toString() == QLatin1String("notice")
                        ? QStringLiteral("Cairn")
                        : m.value(QStringLiteral("from")).toString());
    text += QStringLiteral("To:      %1\n")
                .arg(m.value(QStringLiteral("to")).toVariant().toStringList().join(QStringLiteral(", ")));
    text += QStringLiteral("Date:    %1\n").arg(when(m.value(QStringLiteral("sentAt")).toInteger()));
    text += QStringLiteral("Subject: %1\n").arg(m.value(QStringLiteral("subject")).toString());
    text += QStringLiteral("Id:      %1\n").arg(m.value(QStringLiteral("id")).toString());
    const QJsonArray files = m.value(QStringLiteral("attachments")).toArray();
    for (const QJsonValue &v : files) {
        const QJsonObject a = v.toObject();
        const QString state = a.value(QStringLiteral("state")).toString();
        text += QStringLiteral("Attached: %1 (%2)%3\n")
                    .arg(a.value(QStringLiteral("name")).toString(),
                        humanBytes(a.value(QStringLiteral("size")).toDouble()),
                        state == QLatin1String("done")
                            ? QStringLiteral(" -> ") + a.value(QStringLiteral("path")).toString()
                            : QStringLiteral(" [%1]").arg(state));
    }
    text += QLatin1Char('\n') + m.value(QStringLiteral("body")).toString();
    if (!text.endsWith(QLatin1Char('\n')))
        text += QLatin1Char('\n');
    printOut(text);
}

QString eta(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("-");
    const qint64 s = qint64(seconds);
    return s >= 3600 ? QStringLiteral("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

void printTransfers(const QJsonObject &r)
{
    const QJsonArray list = r.value(QStringLiteral("transfers")).toArray();
    const QJsonArray incoming = r.value(QStringLiteral("incoming")).toArray();
    QString text;
    if (list.isEmpty())
        text += QStringLiteral("No transfers.\n");
    for (const QJsonValue &v : list) {
        const QJsonObject t = v.toObject();
        const double total = t.value(QStringLiteral("bytesTotal")).toDouble();
        const double done = t.value(QStringLiteral("bytesDone")).toDouble();
        QString line = QStringLiteral("%1  %2 %3  %4%  %5 of %6")
                           .arg(t.value(QStringLiteral("id")).toString(), -8)
                           .arg(t.value(QStringLiteral("direction")).toString() == QLatin1String("upload")
                                   ? QStringLiteral("up  ")
                                   : QStringLiteral("down"))
                           .arg(t.value(QStringLiteral("state")).toString(), -9)
                           .arg(total > 0 ? int(done * 100 / total) : 100, 3)
                           .arg(humanBytes(done), humanBytes(total));
        if (t.value(QStringLiteral("state")).toString() == QLatin1String("running"))
            line += QStringLiteral(", %1/s, %2 left")
                        .arg(humanBytes(t.value(QStringLiteral("rate")).toDouble()),
                            eta(t.value(QStringLiteral("eta")).toDouble()));
        line += QStringLiteral("  %1").arg(t.value(QStringLiteral("label")).toString());
        const QString err = t.value(QStringLiteral("error")).toString();
        if (!err.isEmpty())
            line += QStringLiteral(" (%1)").arg(err);
        text += line + QLatin1Char('\n');
    }
    if (!incoming.isEmpty()) {
        text += QStringLiteral("\nWaiting to be received ('cairnd receive ID'):\n");
        for (const QJsonValue &v : incoming) {
            const QJsonObject d = v.toObject();
            text += QStringLiteral("  %1  from %2: %3 file(s), %4  %5\n")
                        .arg(shortId(d.value(QStringLiteral("id")).toString()),
                            d.value(QStringLiteral("from")).toString())
                        .arg(d.value(QStringLiteral("files")).toInt())
                        .arg(humanBytes(d.value(QStringLiteral("bytes")).toDouble()),
                            d.value(QStringLiteral("subject")).toString());
        }
    }
    printOut(text);
}

QJsonArray absolutePaths(const QStringList &paths, QString *missing)
{
    QJsonArray out;
    for (const QString &p : paths) {
        const QFileInfo info(p);
        if (!info.exists() && missing->isEmpty())
            *missing = p;
        out.append(info.absoluteFilePath());
    }
    return out;
}

} // namespace

bool isMailCommand(const QString &command)
{
    return command == QLatin1String("mail") || command == QLatin1String("send") || command == QLatin1String("transfers")
        || command == QLatin1String("receive");
}

int cmdMail(const QString &command, const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOptions({profileOption(), jsonOption()});
    const QCommandLineOption to(
        QStringLiteral("to"), QStringLiteral("Recipients, comma separated."), QStringLiteral("USER"));
    const QCommandLineOption subject(QStringLiteral("subject"), QStringLiteral("Subject."), QStringLiteral("S"));
    const QCommandLineOption body(
        QStringLiteral("body"), QStringLiteral("The text of the mail."), QStringLiteral("TEXT"));
    const QCommandLineOption bodyFile(
        QStringLiteral("body-file"), QStringLiteral("Read the text from F (UTF-8)."), QStringLiteral("F"));
    const QCommandLineOption attach(
        QStringLiteral("attach"), QStringLiteral("Attach a file; may be repeated."), QStringLiteral("FILE"));
    const QCommandLineOption folder(
        QStringLiteral("folder"), QStringLiteral("inbox (default), sent, trash or outbox."), QStringLiteral("NAME"));
    const QCommandLineOption search(QStringLiteral("search"),
        QStringLiteral("Only mail whose sender or subject contains TEXT."), QStringLiteral("TEXT"));
    const QCommandLineOption refresh(QStringLiteral("refresh"), QStringLiteral("Check the inbox in the group first."));
    const QCommandLineOption dest(
        QStringLiteral("to"), QStringLiteral("Save into DIR (default: the download folder)."), QStringLiteral("DIR"));

    int exit = Ok;
    if (command == QLatin1String("mail")) {
        const QString sub = args.value(0);
        const QStringList rest = args.mid(1);
        if (sub == QLatin1String("send")) {
            parser.addOptions({to, subject, body, bodyFile, attach});
            if (!parseCommand(parser, QStringLiteral("mail send"),
                    QStringLiteral("--to USER[,USER] --subject S (--body TEXT | --body-file F) [--attach FILE]... "
                                   "--profile DIR [--json]"),
                    rest, &exit))
                return exit;
            if (!parser.isSet(to))
                return error(QStringLiteral("mail send needs --to USER"), Usage);
            if (parser.isSet(body) == parser.isSet(bodyFile))
                return error(QStringLiteral("mail send needs exactly one of --body TEXT and --body-file F"), Usage);
            QString text = parser.value(body);
            if (parser.isSet(bodyFile)) {
                QFile f(parser.value(bodyFile));
                if (!f.open(QIODevice::ReadOnly))
                    return error(QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()));
                const QByteArray bytes = f.read(64 * 1024 + 1);
                if (bytes.size() > 64 * 1024)
                    return error(
                        QStringLiteral("%1 is too long for a mail body (at most 32 KiB of text; attach it instead)")
                            .arg(f.fileName()));
                text = QString::fromUtf8(bytes);
            }
            QString missing;
            const QJsonArray files = absolutePaths(parser.values(attach), &missing);
            if (!missing.isEmpty())
                return error(QStringLiteral("%1: no such file").arg(missing));
            QJsonObject a {{QStringLiteral("to"), parser.value(to)}, {QStringLiteral("subject"), parser.value(subject)},
                {QStringLiteral("body"), text}, {QStringLiteral("attachments"), files}};
            return callNode(parser, QStringLiteral("mail.send"), a, kNetworkTimeoutMs, [](const QJsonObject &r) {
                printOut(QStringLiteral("Queued mail %1; it is delivered in the background (see 'cairnd mail list "
                                        "--folder outbox').\n")
                             .arg(shortId(r.value(QStringLiteral("id")).toString())));
            });
        }
        if (sub == QLatin1String("list")) {
            parser.addOptions({folder, search, refresh});
            if (!parseCommand(parser, QStringLiteral("mail list"),
                    QStringLiteral("[--folder NAME] [--search TEXT] [--refresh] --profile DIR [--json]"), rest, &exit))
                return exit;
            QJsonObject a;
            if (parser.isSet(folder))
                a.insert(QStringLiteral("folder"), parser.value(folder));
            if (parser.isSet(search))
                a.insert(QStringLiteral("search"), parser.value(search));
            if (parser.isSet(refresh))
                a.insert(QStringLiteral("refresh"), true);
            return callNode(parser, QStringLiteral("mail.list"), a,
                parser.isSet(refresh) ? kNetworkTimeoutMs : kQuickTimeoutMs, printList);
        }
        if (sub == QLatin1String("read") || sub == QLatin1String("delete")) {
            if (!parseCommand(
                    parser, QStringLiteral("mail ") + sub, QStringLiteral("ID --profile DIR [--json]"), rest, &exit, 1))
                return exit;
            if (parser.positionalArguments().isEmpty())
                return error(QStringLiteral("mail %1 needs the mail's ID (see 'cairnd mail list')").arg(sub), Usage);
            const QJsonObject a {{QStringLiteral("id"), parser.positionalArguments().first()}};
            if (sub == QLatin1String("read"))
                return callNode(parser, QStringLiteral("mail.read"), a, kQuickTimeoutMs, printMail);
            return callNode(parser, QStringLiteral("mail.delete"), a, kQuickTimeoutMs, [](const QJsonObject &r) {
                printOut(QStringLiteral("Mail %1 %2.\n")
                             .arg(shortId(r.value(QStringLiteral("id")).toString()),
                                 r.value(QStringLiteral("deleted")).toString() == QLatin1String("forever")
                                     ? QStringLiteral("deleted for ever")
                                     : QStringLiteral("moved to the trash")));
            });
        }
        return error(sub.isEmpty() ? QStringLiteral("mail needs a subcommand: send, list, read or delete")
                                   : QStringLiteral("unknown mail subcommand '%1' (send, list, read, delete)").arg(sub),
            Usage);
    }
    if (command == QLatin1String("send")) {
        parser.addOption(to);
        if (!parseCommand(
                parser, command, QStringLiteral("PATH... --to USER --profile DIR [--json]"), args, &exit, 1000))
            return exit;
        if (parser.positionalArguments().isEmpty())
            return error(QStringLiteral("send needs at least one file or folder"), Usage);
        if (!parser.isSet(to))
            return error(QStringLiteral("send needs --to USER"), Usage);
        QString missing;
        const QJsonArray paths = absolutePaths(parser.positionalArguments(), &missing);
        if (!missing.isEmpty())
            return error(QStringLiteral("%1: no such file or folder").arg(missing));
        const QJsonObject a {{QStringLiteral("to"), parser.value(to)}, {QStringLiteral("paths"), paths}};
        return callNode(parser, QStringLiteral("send"), a, kNetworkTimeoutMs, [](const QJsonObject &r) {
            printOut(QStringLiteral("Sending as drop %1 (transfer %2; see 'cairnd transfers').\n")
                         .arg(shortId(r.value(QStringLiteral("id")).toString()),
                             r.value(QStringLiteral("transfer")).toString()));
        });
    }
    if (command == QLatin1String("transfers")) {
        if (!parseCommand(parser, command, QStringLiteral("--profile DIR [--json]"), args, &exit))
            return exit;
        return callNode(parser, QStringLiteral("transfers"), {}, kQuickTimeoutMs, printTransfers);
    }
    // receive
    parser.addOption(dest);
    if (!parseCommand(parser, command, QStringLiteral("ID [--to DIR] --profile DIR [--json]"), args, &exit, 1))
        return exit;
    if (parser.positionalArguments().isEmpty())
        return error(QStringLiteral("receive needs the drop's ID (see 'cairnd transfers')"), Usage);
    QJsonObject a {{QStringLiteral("id"), parser.positionalArguments().first()}};
    if (parser.isSet(dest))
        a.insert(QStringLiteral("to"), QDir(parser.value(dest)).absolutePath());
    return callNode(parser, QStringLiteral("receive"), a, kQuickTimeoutMs, [](const QJsonObject &r) {
        printOut(QStringLiteral("Receiving (transfer %1; see 'cairnd transfers').\n")
                     .arg(r.value(QStringLiteral("transfer")).toString()));
    });
}

} // namespace cairn::app
