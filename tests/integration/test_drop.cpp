// File drops between real `cairnd` processes on 127.0.0.1: an operator and
// three storage members, alice and bob. Alice drops a 1 GiB file on bob and
// is killed with SIGKILL half way; after a restart her upload resumes from
// its journal without sending the stored chunks again, and bob's node
// receives the file byte for byte, next to (not over) a file of the same
// name. A drop bigger than the group's free space fails before anything is
// sent. CAIRN_DROP_BYTES sets another size (the default is 1 GiB).
#include "core/base/rng.h"
#include "testgroup.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr qint64 kMiB = 1024 * 1024;

} // namespace

class TestDrop : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<TestGroup> m_group;
    NodeProcess *m_alice = nullptr;
    NodeProcess *m_bob = nullptr;
    QString m_downloads;
    QString m_file;
    QByteArray m_hash;
    qint64 m_size = dropBytesFromEnv();

    /// alice's or bob's transfers, by direction.
    static QJsonObject transfer(NodeProcess &node, const QString &direction)
    {
        for (const QJsonValue &t :
            node.cli(QStringLiteral("transfers")).json().value(QStringLiteral("transfers")).toArray()) {
            if (t.toObject().value(QStringLiteral("direction")).toString() == direction)
                return t.toObject();
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString pass = m_dir.filePath(QStringLiteral("pass"));
        QVERIFY(writePassphraseFile(pass, "drop test passphrase"));
        // k = 3: with the first census's availability (0.9), a target of
        // 0.999 needs three copies.
        m_group = std::make_unique<TestGroup>(m_dir.path(), pass,
            QStringList {QStringLiteral("--min-copies"), QStringLiteral("3"), QStringLiteral("--reliability"),
                QStringLiteral("0.999"), QStringLiteral("--poll"), QStringLiteral("2s")});
        QString why;
        const QString donate = QString::number(m_size * 3 / kMiB + 256) + QStringLiteral("M");
        QVERIFY2(m_group->create(QStringLiteral("Big Files"), donate, 10, &why), qPrintable(why));
        for (int i = 1; i <= 3; ++i)
            QVERIFY2(m_group->add(QStringLiteral("s%1").arg(i), donate, &why), qPrintable(why));
        m_alice = m_group->add(QStringLiteral("alice"), {}, &why);
        QVERIFY2(m_alice, qPrintable(why));
        m_downloads = m_dir.filePath(QStringLiteral("bob-downloads"));
        m_bob = m_group->add(QStringLiteral("bob"), {}, &why,
            {QStringLiteral("--downloads"), m_downloads, QStringLiteral("--auto-receive")});
        QVERIFY2(m_bob, qPrintable(why));
        QVERIFY(waitFor([&] { return m_alice->status().value(QStringLiteral("routingTable")).toInt() >= 5; }, 20'000));

        // The file, of random bytes, written (and hashed) in 4 MiB blocks.
        m_file = m_dir.filePath(QStringLiteral("expedition-footage.bin"));
        QFile f(m_file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        cairn::base::SodiumRng rng;
        QCryptographicHash h(QCryptographicHash::Sha256);
        for (qint64 left = m_size; left > 0;) {
            const QByteArray block = rng.bytes(int(qMin(left, 4 * kMiB)));
            QCOMPARE(f.write(block), block.size());
            h.addData(block);
            left -= block.size();
        }
        f.close();
        m_hash = h.result();
    }

    void aDropBiggerThanTheGroupCanHoldFailsUpFront()
    {
        // A sparse file: 64 GiB to the group, no space on this disk.
        const QString huge = m_dir.filePath(QStringLiteral("disk-image.raw"));
        QFile f(huge);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(64 * 1024 * kMiB));
        f.close();
        const CliResult sent
            = m_alice->cliText(QStringLiteral("send"), {huge, QStringLiteral("--to"), QStringLiteral("bob")});
        QVERIFY(sent.exitCode != 0);
        QVERIFY2(sent.err.contains(QStringLiteral("the group cannot hold this")), qPrintable(sent.err));
        QCOMPARE(sent.err.trimmed().count(QLatin1Char('\n')), 0); // one line
        QVERIFY(transfer(*m_alice, QStringLiteral("upload")).isEmpty());
        QVERIFY(QFile::remove(huge));
    }

    void aOneGigabyteDropSurvivesTheSenderBeingKilledHalfWay()
    {
        // A file of the same name already waits in bob's download folder.
        QVERIFY(QDir().mkpath(m_downloads));
        const QString clash = QDir(m_downloads).filePath(QStringLiteral("expedition-footage.bin"));
        {
            QFile c(clash);
            QVERIFY(c.open(QIODevice::WriteOnly));
            c.write("bob's own file\n");
        }
        const int copies
            = m_alice->status().value(QStringLiteral("replication")).toObject().value(QStringLiteral("copies")).toInt();
        QCOMPARE(copies, 3);

        const CliResult sent
            = m_alice->cli(QStringLiteral("send"), {m_file, QStringLiteral("--to"), QStringLiteral("bob")});
        QVERIFY2(sent.exitCode == 0, qPrintable(sent.err));
        qint64 doneAtKill = 0;
        QVERIFY(waitFor(
            [&] {
                doneAtKill = qint64(
                    transfer(*m_alice, QStringLiteral("upload")).value(QStringLiteral("bytesDone")).toDouble());
                return doneAtKill >= m_size / 2;
            },
            30 * 60'000));
        m_alice->kill9();
        qInfo("alice killed with %lld of %lld bytes sent", doneAtKill, m_size);

        QString why;
        QVERIFY2(m_alice->start(m_group->nodeArgs({}), &why), qPrintable(why));
        const qint64 resumedAt
            = qint64(transfer(*m_alice, QStringLiteral("upload")).value(QStringLiteral("bytesDone")).toDouble());
        // The journal's checkpoint trails the confirmed chunks by at most a
        // batch; nothing before it is sent again.
        QVERIFY2(resumedAt >= doneAtKill - 16 * kMiB,
            qPrintable(QStringLiteral("resumed at %1 of %2").arg(resumedAt).arg(doneAtKill)));
        QJsonObject upload;
        QVERIFY(waitFor(
            [&] {
                upload = transfer(*m_alice, QStringLiteral("upload"));
                return upload.value(QStringLiteral("state")).toString() == QLatin1String("done");
            },
            30 * 60'000));
        // What the restarted alice sent: k copies of what was left, plus
        // session and message overhead; sending it all again would be
        // about twice as much.
        const qint64 bytesOut = qint64(m_alice->status()
                                           .value(QStringLiteral("bandwidth"))
                                           .toObject()
                                           .value(QStringLiteral("bytesOut"))
                                           .toDouble());
        const qint64 left = m_size - doneAtKill;
        qInfo("after the restart alice sent %lld bytes for %lld bytes left at k=%d (%.2f x k x left)", bytesOut, left,
            copies, double(bytesOut) / double(copies * left));
        QVERIFY(bytesOut > 0);
        QVERIFY2(bytesOut <= qint64(double(copies * (left + 16 * kMiB)) * 1.25),
            qPrintable(QStringLiteral("%1 bytes out").arg(bytesOut)));

        // Bob's node takes it into the download folder by itself.
        QJsonObject download;
        QVERIFY(waitFor(
            [&] {
                download = transfer(*m_bob, QStringLiteral("download"));
                const QString state = download.value(QStringLiteral("state")).toString();
                return state == QLatin1String("done") || state == QLatin1String("failed");
            },
            30 * 60'000));
        QCOMPARE(download.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        const QJsonArray saved = download.value(QStringLiteral("saved")).toArray();
        QCOMPARE(saved.size(), 1);
        const QString received = saved.first().toString();
        QVERIFY2(received != clash && QFileInfo(received).dir() == QDir(m_downloads), qPrintable(received));
        QCOMPARE(QFileInfo(received).size(), m_size);
        QVERIFY(sha256Of(received) == m_hash);
        QFile c(clash);
        QVERIFY(c.open(QIODevice::ReadOnly));
        QCOMPARE(c.readAll(), QByteArray("bob's own file\n"));
    }
};

int main(int argc, char **argv)
{
    allowLongTestFunctions();
    QCoreApplication app(argc, argv);
    TestDrop test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_drop.moc"
