#pragma once

#include "app/cairnd/commands.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace cairn::app {

/// Writes to stdout and flushes (tests read it through a pipe).
void printOut(const QString &text);
/// One line "cairnd: error: ..." on stderr; returns `code`.
int error(const QString &message, int code = Failed);

/// Parses a command's options, handling --help. Accepts up to
/// `maxPositional` positional arguments. On failure (or after printing
/// help) prints what is needed, sets *exit and returns false.
bool parseCommand(QCommandLineParser &parser, const QString &command, const QString &synopsis, const QStringList &args,
    int *exit, int maxPositional = 0);

const QCommandLineOption &profileOption();
const QCommandLineOption &passphraseFileOption();
const QCommandLineOption &jsonOption();

/// Sends one control request to the node of --profile and prints the
/// reply: JSON with --json, else through `print`. Errors are one line.
int callNode(const QCommandLineParser &parser, const QString &cmd, const QJsonObject &args, int timeoutMs,
    const std::function<void(const QJsonObject &result)> &print);
QString humanBytes(double bytes);
/// A unix time as ISO 8601 local time, "-" for 0.
QString humanTime(qint64 unix);

int cmdRun(const QStringList &args);
/// mail send|list|read|delete, send, transfers, receive (mailcommands.cpp).
int cmdMail(const QString &command, const QStringList &args);
bool isMailCommand(const QString &command);
/// Every command that talks to a running node through its control socket.
int cmdClient(const QString &command, const QStringList &args);
bool isClientCommand(const QString &command);

} // namespace cairn::app
