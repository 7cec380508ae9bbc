#include "app/cairnd/cli.h"

#include <cstdio>

namespace cairn::app {

void printOut(const QString &text)
{
    std::fputs(text.toUtf8().constData(), stdout);
    std::fflush(stdout);
}

int error(const QString &message, int code)
{
    QString line = message.simplified();
    std::fprintf(stderr, "cairnd: error: %s\n", line.toUtf8().constData());
    return code;
}

bool parseCommand(QCommandLineParser &parser, const QString &command, const QString &synopsis, const QStringList &args,
    int *exit, int maxPositional)
{
    const QCommandLineOption help(
        QStringList {QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show help."));
    parser.addOption(help);
    if (!parser.parse(QStringList {QStringLiteral("cairnd ") + command} + args)) {
        QString text = parser.errorText();
        if (text.endsWith(QLatin1Char('.')))
            text.chop(1);
        *exit = error(QStringLiteral("%1 (see 'cairnd %2 --help')").arg(text, command), Usage);
        return false;
    }
    if (parser.isSet(help)) {
        const QString options = parser.helpText();
        printOut(QStringLiteral("Usage: cairnd %1 %2\n\n").arg(command, synopsis)
            + options.mid(options.indexOf(QStringLiteral("Options:"))).trimmed() + QLatin1Char('\n'));
        *exit = Ok;
        return false;
    }
    if (parser.positionalArguments().size() > maxPositional) {
        *exit = error(QStringLiteral("unexpected argument '%1' (see 'cairnd %2 --help')")
                          .arg(parser.positionalArguments().at(maxPositional), command),
            Usage);
        return false;
    }
    return true;
}

const QCommandLineOption &profileOption()
{
    static const QCommandLineOption option(
        QStringLiteral("profile"), QStringLiteral("Profile directory."), QStringLiteral("DIR"));
    return option;
}

const QCommandLineOption &passphraseFileOption()
{
    static const QCommandLineOption option(
        QStringLiteral("passphrase-file"), QStringLiteral("Read the passphrase from F."), QStringLiteral("F"));
    return option;
}

const QCommandLineOption &jsonOption()
{
    static const QCommandLineOption option(QStringLiteral("json"), QStringLiteral("Print JSON."));
    return option;
}

} // namespace cairn::app
