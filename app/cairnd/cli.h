#pragma once

#include "app/cairnd/commands.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>

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

int cmdRun(const QStringList &args);
/// Every command that talks to a running node through its control socket.
int cmdClient(const QString &command, const QStringList &args);
bool isClientCommand(const QString &command);

} // namespace cairn::app
