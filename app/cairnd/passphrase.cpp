#include "app/cairnd/passphrase.h"

#include <QFile>

#include <cstdio>
#include <cstring>

#ifdef Q_OS_UNIX
#include <termios.h>
#include <unistd.h>
#endif

namespace cairn::app {

namespace {

constexpr qsizetype kMaxPassphrase = 1024;

void stripNewline(QByteArray &line)
{
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
}

// Reads one line from the terminal with echo off when stdin is a terminal;
// from a pipe, reads a line as is (scripts feed passphrases that way).
std::optional<QByteArray> promptLine(const char *prompt)
{
#ifdef Q_OS_UNIX
    const bool tty = isatty(STDIN_FILENO);
    termios saved {};
    if (tty) {
        std::fputs(prompt, stderr);
        std::fflush(stderr);
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
#else
    std::fputs(prompt, stderr);
#endif
    char buffer[kMaxPassphrase + 2];
    const bool got = std::fgets(buffer, sizeof buffer, stdin) != nullptr;
#ifdef Q_OS_UNIX
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::fputc('\n', stderr);
    }
#endif
    if (!got)
        return std::nullopt;
    QByteArray line(buffer);
    std::memset(buffer, 0, sizeof buffer);
    stripNewline(line);
    return line;
}

} // namespace

std::optional<crypto::SecretBytes> PassphraseSource::read(bool confirm, QString *error) const
{
    QByteArray pass;
    if (!file.isEmpty()) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the passphrase file %1: %2").arg(file, f.errorString());
            return std::nullopt;
        }
        pass = f.read(kMaxPassphrase + 1);
        stripNewline(pass);
    } else {
        auto first = promptLine("Passphrase: ");
        if (!first) {
            *error = QStringLiteral("no passphrase given (use --passphrase-file or type it at the prompt)");
            return std::nullopt;
        }
        pass = *first;
        if (confirm && !pass.isEmpty()) {
            auto second = promptLine("Repeat passphrase: ");
            const bool same = second && *second == pass;
            if (second)
                crypto::wipe(*second);
            if (!same) {
                crypto::wipe(pass);
                *error = QStringLiteral("the two passphrases differ");
                return std::nullopt;
            }
        }
    }
    if (pass.size() > kMaxPassphrase) {
        crypto::wipe(pass);
        *error = QStringLiteral("the passphrase is longer than %1 bytes").arg(kMaxPassphrase);
        return std::nullopt;
    }
    if (pass.isEmpty()) {
        *error = QStringLiteral("the passphrase is empty");
        return std::nullopt;
    }
    auto secret = crypto::SecretBytes::fromView(pass);
    crypto::wipe(pass);
    return secret;
}

} // namespace cairn::app
