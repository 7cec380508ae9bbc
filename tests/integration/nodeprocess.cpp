#include "nodeprocess.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>

#include <csignal>
#include <cstring>
#include <sys/prctl.h>

bool writePassphraseFile(const QString &path, const QByteArray &passphrase)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(passphrase + '\n') == passphrase.size() + 1;
}

bool writePatternFile(const QString &path, qint64 size, quint64 seed)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    QByteArray block(4 * 1024 * 1024, Qt::Uninitialized);
    quint64 x = seed ? seed : 1;
    for (qint64 done = 0; done < size; done += block.size()) {
        for (qsizetype i = 0; i + 8 <= block.size(); i += 8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            memcpy(block.data() + i, &x, 8);
        }
        const qint64 n = qMin<qint64>(block.size(), size - done);
        if (f.write(block.constData(), n) != n)
            return false;
    }
    return f.flush();
}

qint64 dropBytesFromEnv()
{
    bool ok = false;
    const qint64 n = qEnvironmentVariable("CAIRN_DROP_BYTES").toLongLong(&ok);
    return ok && n > 0 ? n : qint64(1) << 30;
}

void allowLongTestFunctions()
{
    if (!qEnvironmentVariableIsSet("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", "1800000");
}

QByteArray sha256Of(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result();
}

CliResult runCairnd(const QStringList &args, int timeoutMs)
{
    // Wait in an event loop, not in waitForFinished(): a node in this very
    // process (the desktop app under test) must keep answering the command.
    QProcess p;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&p, &QProcess::errorOccurred, &loop, &QEventLoop::quit);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    p.start(QStringLiteral(CAIRND_PATH), args);
    p.closeWriteChannel();
    timer.start(timeoutMs);
    if (p.state() != QProcess::NotRunning)
        loop.exec();
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
        return {-3, QString::fromUtf8(p.readAllStandardOutput()), QStringLiteral("timed out")};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, QString::fromUtf8(p.readAllStandardOutput()),
        QString::fromUtf8(p.readAllStandardError())};
}

NodeProcess::NodeProcess(QString profileDir, QString passphraseFile)
    : m_profile(std::move(profileDir)), m_passFile(std::move(passphraseFile))
{ }

NodeProcess::~NodeProcess()
{
    if (isRunning())
        kill9();
}

bool NodeProcess::init(const QString &name)
{
    const CliResult r = runCairnd({QStringLiteral("init"), QStringLiteral("--profile"), m_profile,
        QStringLiteral("--name"), name, QStringLiteral("--passphrase-file"), m_passFile});
    return r.exitCode == 0;
}

bool NodeProcess::start(const QStringList &extra, QString *why)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    // If the test dies (a crash, Qt Test's watchdog), its nodes die with it
    // instead of running on as orphans.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    const QString listen = m_port ? QStringLiteral("127.0.0.1:%1").arg(m_port) : QStringLiteral("127.0.0.1:0");
    m_process->start(QStringLiteral(CAIRND_PATH),
        QStringList {QStringLiteral("run"), QStringLiteral("--profile"), m_profile, QStringLiteral("--listen"), listen,
            QStringLiteral("--passphrase-file"), m_passFile}
            + extra);
    m_output.clear();
    static const QRegularExpression listening(QStringLiteral("listening on [^ ]+:(\\d+)"));
    const QDeadlineTimer deadline(30'000);
    while (!deadline.hasExpired()) {
        if (!m_process->waitForReadyRead(200) && m_process->state() == QProcess::NotRunning)
            break;
        m_output += m_process->readAll();
        const auto match = listening.match(QString::fromUtf8(m_output));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
    }
    *why = QString::fromUtf8(m_output + m_process->readAll());
    return false;
}

int NodeProcess::stop(int signal)
{
    if (!isRunning())
        return -1;
    ::kill(pid_t(m_process->processId()), signal);
    if (!m_process->waitForFinished(15'000)) {
        m_process->kill();
        m_process->waitForFinished();
        return -3;
    }
    m_output += m_process->readAll();
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -2;
}

void NodeProcess::kill9()
{
    if (!isRunning())
        return;
    ::kill(pid_t(m_process->processId()), SIGKILL);
    m_process->waitForFinished(10'000);
}

bool NodeProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QString NodeProcess::output() const
{
    return QString::fromUtf8(m_output + (m_process ? m_process->readAll() : QByteArray()));
}

CliResult NodeProcess::cli(const QString &command, const QStringList &args, int timeoutMs) const
{
    QStringList full = command.split(QLatin1Char(' '));
    full << args << QStringLiteral("--profile") << m_profile << QStringLiteral("--json");
    return runCairnd(full, timeoutMs);
}

CliResult NodeProcess::cliText(const QString &command, const QStringList &args) const
{
    QStringList full = command.split(QLatin1Char(' '));
    full << args << QStringLiteral("--profile") << m_profile;
    return runCairnd(full);
}
