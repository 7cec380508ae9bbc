#pragma once

#include <QStringList>

namespace cairn::app {

/// Exit codes: 0 success, 1 the command failed, 2 the command line was wrong.
enum ExitCode { Ok = 0, Failed = 1, Usage = 2 };

/// Runs `cairnd <command> ...`; args excludes the program name.
int runCommand(const QStringList &args);

} // namespace cairn::app
