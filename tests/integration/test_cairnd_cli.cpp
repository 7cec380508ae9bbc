// `cairnd init` and `cairnd id`, run as real processes on real profile directories.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {
struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run cairnd(const QStringList &args, const QByteArray &stdinData = {})
{
    QProcess p;
    p.start(QStringLiteral(CAIRND_PATH), args);
    p.waitForStarted();
    if (!stdinData.isNull())
        p.write(stdinData);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, QString::fromUtf8(p.readAllStandardOutput()),
        QString::fromUtf8(p.readAllStandardError())};
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

// Every error is exactly one line on stderr.
bool isOneErrorLine(const QString &err)
{
    return err.startsWith(QStringLiteral("cairnd: error: ")) && err.count(QLatin1Char('\n')) == 1;
}
} // namespace

class TestCairndCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(QStringLiteral(CAIRND_PATH)));
        writeFile(path(QStringLiteral("pass")), "correct horse battery staple\n");
        writeFile(path(QStringLiteral("wrong")), "incorrect horse\n");
        writeFile(path(QStringLiteral("short")), "abc\n");
    }

    void helpListsTheCommands()
    {
        const Run r = cairnd({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("init --profile DIR --name NAME")));
        QVERIFY(r.out.contains(QStringLiteral("id --profile DIR")));
        QVERIFY(r.err.isEmpty());
    }

    void initCreatesAPrivateProfileAndIdShowsTheSameIdentity()
    {
        const QString profile = path(QStringLiteral("alice"));
        const Run init = cairnd({QStringLiteral("init"), QStringLiteral("--profile"), profile, QStringLiteral("--name"),
            QStringLiteral("Alice"), QStringLiteral("--passphrase-file"), path(QStringLiteral("pass")),
            QStringLiteral("--json")});
        QCOMPARE(init.exitCode, 0);
        QVERIFY2(init.err.isEmpty(), qPrintable(init.err));
        const QJsonObject created = QJsonDocument::fromJson(init.out.toUtf8()).object();
        QCOMPARE(created.value(QStringLiteral("name")).toString(), QStringLiteral("Alice"));
        QCOMPARE(created.value(QStringLiteral("nodeId")).toString().size(), 40);

        const QFile::Permissions secret = QFile::permissions(profile + QStringLiteral("/keystore.cairn"));
        QVERIFY(!(secret & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther)));
        QVERIFY(!(QFile::permissions(profile) & (QFile::ReadOther | QFile::ExeOther)));

        const Run id = cairnd({QStringLiteral("id"), QStringLiteral("--profile"), profile,
            QStringLiteral("--passphrase-file"), path(QStringLiteral("pass")), QStringLiteral("--json")});
        QCOMPARE(id.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(id.out.toUtf8()).object(), created);

        // Human-readable by default, passphrase from a pipe.
        const Run human
            = cairnd({QStringLiteral("id"), QStringLiteral("--profile"), profile}, "correct horse battery staple\n");
        QCOMPARE(human.exitCode, 0);
        QVERIFY(human.out.contains(created.value(QStringLiteral("nodeId")).toString()));
        QVERIFY(human.out.contains(QStringLiteral("Fingerprint:")));
    }

    void initRefusesAnExistingProfile()
    {
        const QString profile = path(QStringLiteral("alice"));
        const QByteArray before = [&] {
            QFile f(profile + QStringLiteral("/keystore.cairn"));
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        const Run r = cairnd({QStringLiteral("init"), QStringLiteral("--profile"), profile, QStringLiteral("--name"),
            QStringLiteral("Mallory"), QStringLiteral("--passphrase-file"), path(QStringLiteral("pass"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(isOneErrorLine(r.err), qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("already exists")));
        QFile f(profile + QStringLiteral("/keystore.cairn"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
    }

    void wrongPassphraseIsOneClearLine()
    {
        const Run r = cairnd({QStringLiteral("id"), QStringLiteral("--profile"), path(QStringLiteral("alice")),
            QStringLiteral("--passphrase-file"), path(QStringLiteral("wrong"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(isOneErrorLine(r.err), qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("wrong passphrase")));
        QVERIFY(r.out.isEmpty());
    }

    void missingOrUnreadableProfilesAreReported()
    {
        Run r = cairnd({QStringLiteral("id"), QStringLiteral("--profile"), path(QStringLiteral("nobody")),
            QStringLiteral("--passphrase-file"), path(QStringLiteral("pass"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(isOneErrorLine(r.err) && r.err.contains(QStringLiteral("no profile")), qPrintable(r.err));

        // A keystore that cannot be read as a file (root ignores permission
        // bits, so use a directory in its place).
        QVERIFY(QDir().mkpath(path(QStringLiteral("broken/keystore.cairn"))));
        r = cairnd({QStringLiteral("id"), QStringLiteral("--profile"), path(QStringLiteral("broken")),
            QStringLiteral("--passphrase-file"), path(QStringLiteral("pass"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(isOneErrorLine(r.err), qPrintable(r.err));

        QVERIFY(QDir().mkpath(path(QStringLiteral("garbled"))));
        writeFile(path(QStringLiteral("garbled/keystore.cairn")), "not a keystore at all");
        r = cairnd({QStringLiteral("id"), QStringLiteral("--profile"), path(QStringLiteral("garbled")),
            QStringLiteral("--passphrase-file"), path(QStringLiteral("pass"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(isOneErrorLine(r.err) && r.err.contains(QStringLiteral("not a valid keystore")), qPrintable(r.err));

        r = cairnd({QStringLiteral("id"), QStringLiteral("--profile"), path(QStringLiteral("alice")),
            QStringLiteral("--passphrase-file"), path(QStringLiteral("no-such-file"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(isOneErrorLine(r.err) && r.err.contains(QStringLiteral("passphrase file")), qPrintable(r.err));
    }

    void badCommandLinesExitWithTwo()
    {
        for (const QStringList &args : {QStringList {}, QStringList {QStringLiteral("frobnicate")},
                 QStringList {QStringLiteral("init"), QStringLiteral("--bogus")},
                 QStringList {QStringLiteral("init"), QStringLiteral("--name"), QStringLiteral("x")},
                 QStringList {QStringLiteral("id")}}) {
            const Run r = cairnd(args);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(isOneErrorLine(r.err), qPrintable(r.err));
        }
    }

    void weakOrEmptyNewPassphrasesAreRefused()
    {
        Run r = cairnd(
            {QStringLiteral("init"), QStringLiteral("--profile"), path(QStringLiteral("bob")), QStringLiteral("--name"),
                QStringLiteral("Bob"), QStringLiteral("--passphrase-file"), path(QStringLiteral("short"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(isOneErrorLine(r.err) && r.err.contains(QStringLiteral("too short")), qPrintable(r.err));
        QVERIFY(!QFile::exists(path(QStringLiteral("bob/keystore.cairn"))));

        r = cairnd({QStringLiteral("init"), QStringLiteral("--profile"), path(QStringLiteral("bob")),
                       QStringLiteral("--name"), QStringLiteral("Bob")},
            QByteArray("\n"));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(isOneErrorLine(r.err) && r.err.contains(QStringLiteral("empty")), qPrintable(r.err));

        // Prompted twice with different answers.
        r = cairnd({QStringLiteral("init"), QStringLiteral("--profile"), path(QStringLiteral("bob")),
                       QStringLiteral("--name"), QStringLiteral("Bob")},
            QByteArray("first passphrase\nsecond passphrase\n"));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(isOneErrorLine(r.err) && r.err.contains(QStringLiteral("differ")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCairndCli)
#include "test_cairnd_cli.moc"
