#pragma once
// A real `cairnd run` process on 127.0.0.1, and the CLI commands that talk
// to it, for integration tests.

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QThread>

#include <csignal>
#include <memory>

struct CliResult {
    int exitCode = -1;
    QString out;
    QString err;
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

/// Writes a passphrase file for `--passphrase-file`; false if it cannot.
bool writePassphraseFile(const QString &path, const QByteArray &passphrase);

/// Writes `size` bytes that do not compress (xorshift from `seed`), in 4 MiB
/// blocks; false if the file cannot be written.
bool writePatternFile(const QString &path, qint64 size, quint64 seed = 0x9e3779b97f4a7c15ull);
/// Bytes of the large drop a test sends: CAIRN_DROP_BYTES, or 1 GiB.
qint64 dropBytesFromEnv();
/// Qt Test stops a test function after five minutes; moving a gigabyte
/// through several processes takes longer (ctest's TIMEOUT still holds).
void allowLongTestFunctions();

/// SHA-256 of a file's bytes; empty if it cannot be read.
QByteArray sha256Of(const QString &path);

/// Runs `cairnd args...` to completion.
CliResult runCairnd(const QStringList &args, int timeoutMs = 90'000);

class NodeProcess {
public:
    NodeProcess(QString profileDir, QString passphraseFile);
    ~NodeProcess();

    /// `cairnd init` with the given display name.
    bool init(const QString &name);
    /// Starts `cairnd run` and waits until it listens; extra args such as
    /// --donate, --bootstrap. Returns false (with the output in *why) if it
    /// did not come up.
    bool start(const QStringList &extra, QString *why);
    /// The signal (SIGTERM, or SIGINT as from Ctrl-C), then wait; returns the exit code (-2 if it crashed).
    int stop(int signal = SIGTERM);
    /// SIGKILL: no chance to clean up.
    void kill9();
    bool isRunning() const;
    /// The running process's id (0 when not running).
    qint64 pid() const { return m_process ? m_process->processId() : 0; }

    /// `cairnd <command> --profile DIR --json args...`
    CliResult cli(const QString &command, const QStringList &args = {}, int timeoutMs = 90'000) const;
    /// The same without --json (what a person sees).
    CliResult cliText(const QString &command, const QStringList &args = {}) const;
    QJsonObject status() const { return cli(QStringLiteral("status")).json(); }

    const QString &profile() const { return m_profile; }
    quint16 port() const { return m_port; }
    QString endpoint() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }
    QString output() const;

private:
    QString m_profile;
    QString m_passFile;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QByteArray m_output;
};

/// Polls `condition` every 100 ms until it holds or `ms` pass.
template <typename F> bool waitFor(F condition, int ms)
{
    const QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired()) {
        if (condition())
            return true;
        // Events, not a sleep: the nodes' output pipes are drained here, so a
        // chatty node never blocks on a full pipe and output() stays current.
        QCoreApplication::processEvents(QEventLoop::AllEvents, 100);
        QThread::msleep(50);
    }
    return condition();
}
