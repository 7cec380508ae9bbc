// An operator and six members as real `cairnd` processes on 127.0.0.1:
// they join under the three signing policies, form one overlay, store and
// read each other's values; a revoked member is cut off; a storage node
// killed with SIGKILL still has its data after a restart.
#include "core/base/rng.h"
#include "core/identity/invite.h"
#include "nodeprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <vector>

class TestGroup : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_pass;
    std::unique_ptr<NodeProcess> m_operator;
    std::vector<std::unique_ptr<NodeProcess>> m_members; // m1..m6
    QStringList m_keys; // values stored by each node, by index (operator first)

    NodeProcess &member(int i) { return *m_members.at(size_t(i - 1)); }

    std::unique_ptr<NodeProcess> makeNode(const QString &name)
    {
        auto node = std::make_unique<NodeProcess>(m_dir.filePath(name), m_pass);
        if (!node->init(name))
            return nullptr;
        return node;
    }

    QString invite(int uses = 1)
    {
        const CliResult r
            = m_operator->cli(QStringLiteral("invite"), {QStringLiteral("--uses"), QString::number(uses)});
        return r.json().value(QStringLiteral("link")).toString();
    }

    QString join(NodeProcess &node, const QString &link, const QString &username)
    {
        const CliResult r = node.cli(QStringLiteral("join"), {link, QStringLiteral("--username"), username});
        if (r.exitCode != 0)
            return QStringLiteral("error: ") + r.err.trimmed();
        return r.json().value(QStringLiteral("status")).toString();
    }

    bool isMember(NodeProcess &node)
    {
        return node.status().value(QStringLiteral("state")).toString() == QLatin1String("member");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pass = m_dir.filePath(QStringLiteral("pass"));
        QVERIFY(writePassphraseFile(m_pass, "integration test passphrase"));

        m_operator = makeNode(QStringLiteral("operator"));
        QVERIFY(m_operator);
        QString why;
        QVERIFY2(m_operator->start({QStringLiteral("--donate"), QStringLiteral("64M")}, &why), qPrintable(why));
        for (int i = 1; i <= 6; ++i) {
            auto node = makeNode(QStringLiteral("m%1").arg(i));
            QVERIFY(node);
            QVERIFY2(node->start({QStringLiteral("--donate"), QStringLiteral("16M")}, &why), qPrintable(why));
            m_members.push_back(std::move(node));
        }
    }

    void operatorCreatesTheGroup()
    {
        const CliResult r = m_operator->cli(QStringLiteral("group create"),
            {QStringLiteral("--name"), QStringLiteral("Loopback Club"), QStringLiteral("--username"),
                QStringLiteral("op")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject status = m_operator->status();
        QCOMPARE(status.value(QStringLiteral("state")).toString(), QStringLiteral("member"));
        QVERIFY(status.value(QStringLiteral("operator")).toBool());
        // A second group on the same profile is refused in one line.
        const CliResult again
            = m_operator->cli(QStringLiteral("group create"), {QStringLiteral("--name"), QStringLiteral("Other")});
        QCOMPARE(again.exitCode, 1);
        QVERIFY(again.err.startsWith(QStringLiteral("cairnd: error: ")));
    }

    void membersJoinUnderAutoPolicy()
    {
        const QString link = invite(2);
        QCOMPARE(join(member(1), link, QStringLiteral("alice")), QStringLiteral("joined"));
        QCOMPARE(join(member(2), link, QStringLiteral("bob")), QStringLiteral("joined"));
        // The invite allowed two joins: a third is refused, in one line.
        const CliResult used
            = member(3).cli(QStringLiteral("join"), {link, QStringLiteral("--username"), QStringLiteral("carol")});
        QCOMPARE(used.exitCode, 1);
        QCOMPARE(used.err.count(QLatin1Char('\n')), 1);
        QVERIFY2(used.err.contains(QStringLiteral("used")), qPrintable(used.err));
        // So is an expired one (invites are not signed: the same trust anchor with an old expiry).
        auto real = cairn::identity::Invite::parse(link, QDateTime::currentSecsSinceEpoch());
        QVERIFY(real.ok());
        cairn::base::SodiumRng rng;
        auto expired = cairn::identity::Invite::create(real->groupName(), real->groupId(), real->caKey(),
            real->rendezvous(), QDateTime::currentSecsSinceEpoch() - 60, rng);
        QVERIFY(expired.ok());
        const CliResult old = member(3).cli(
            QStringLiteral("join"), {expired->toLink(), QStringLiteral("--username"), QStringLiteral("carol")});
        QCOMPARE(old.exitCode, 1);
        QCOMPARE(old.err.count(QLatin1Char('\n')), 1);
        QVERIFY2(old.err.contains(QStringLiteral("expired")), qPrintable(old.err));
        // And a malformed one.
        const CliResult junk = member(3).cli(QStringLiteral("join"),
            {QStringLiteral("cairn://join/AAAA"), QStringLiteral("--username"), QStringLiteral("carol")});
        QCOMPARE(junk.exitCode, 1);
        QCOMPARE(junk.err.count(QLatin1Char('\n')), 1);
    }

    void membersJoinUnderManualPolicy()
    {
        QCOMPARE(m_operator->cli(QStringLiteral("group policy"), {QStringLiteral("manual")}).exitCode, 0);
        QCOMPARE(join(member(3), invite(), QStringLiteral("carol")), QStringLiteral("pending"));
        QCOMPARE(join(member(4), invite(), QStringLiteral("dave")), QStringLiteral("pending"));
        const QJsonArray pending
            = m_operator->cli(QStringLiteral("pending")).json().value(QStringLiteral("pending")).toArray();
        QCOMPARE(pending.size(), 2);
        QVERIFY(!isMember(member(3)));
        QCOMPARE(m_operator->cli(QStringLiteral("approve"), {QStringLiteral("carol")}).exitCode, 0);
        QCOMPARE(m_operator->cli(QStringLiteral("approve"), {QStringLiteral("dave")}).exitCode, 0);
        QVERIFY(waitFor([&] { return isMember(member(3)) && isMember(member(4)); }, 15'000));
    }

    void membersJoinUnderQuotaPolicy()
    {
        QCOMPARE(m_operator->cli(QStringLiteral("group policy"), {QStringLiteral("quota:1")}).exitCode, 0);
        QCOMPARE(join(member(5), invite(), QStringLiteral("erin")), QStringLiteral("joined"));
        QCOMPARE(join(member(6), invite(), QStringLiteral("frank")), QStringLiteral("pending"));
        // A name already taken is refused.
        QCOMPARE(m_operator->cli(QStringLiteral("approve"), {QStringLiteral("frank")}).exitCode, 0);
        QVERIFY(waitFor([&] { return isMember(member(6)); }, 15'000));
        const QJsonArray members
            = m_operator->cli(QStringLiteral("members")).json().value(QStringLiteral("members")).toArray();
        QCOMPARE(members.size(), 7);
    }

    void allFormOneOverlayAndShareValues()
    {
        std::vector<NodeProcess *> all {m_operator.get()};
        for (auto &m : m_members)
            all.push_back(m.get());
        // Routing tables fill as members meet each other.
        QVERIFY(waitFor(
            [&] {
                for (NodeProcess *n : all) {
                    if (n->status().value(QStringLiteral("routingTable")).toInt() < 3)
                        return false;
                }
                return true;
            },
            20'000));
        for (size_t i = 0; i < all.size(); ++i) {
            const CliResult put = all[i]->cli(
                QStringLiteral("put"), {QStringLiteral("--value"), QStringLiteral("value from node %1").arg(i)});
            QVERIFY2(put.exitCode == 0, qPrintable(put.err));
            m_keys.append(put.json().value(QStringLiteral("key")).toString());
        }
        for (size_t reader = 0; reader < all.size(); ++reader) {
            for (int k = 0; k < m_keys.size(); ++k) {
                const CliResult got = all[reader]->cliText(QStringLiteral("get"), {m_keys[k]});
                QVERIFY2(got.exitCode == 0,
                    qPrintable(QStringLiteral("node %1 reading key %2: %3").arg(reader).arg(k).arg(got.err)));
                QCOMPARE(got.out, QStringLiteral("value from node %1").arg(k));
            }
        }
        // Members read the directory from the rendezvous.
        const QJsonArray directory
            = member(1).cli(QStringLiteral("members")).json().value(QStringLiteral("members")).toArray();
        QCOMPARE(directory.size(), 7);
        const QJsonObject status = m_operator->status();
        QCOMPARE(status.value(QStringLiteral("members")).toInt(), 7);
        QVERIFY(status.value(QStringLiteral("storage")).toObject().value(QStringLiteral("items")).toInt() > 0);
        QVERIFY(status.value(QStringLiteral("bandwidth")).toObject().value(QStringLiteral("bytesIn")).toDouble() > 0);
    }

    void certificatesAreRenewed()
    {
        const QJsonObject before = member(2).status();
        const CliResult renewed = member(2).cli(QStringLiteral("renew"));
        QVERIFY2(renewed.exitCode == 0, qPrintable(renewed.err));
        const QJsonObject cert = renewed.json();
        QCOMPARE(cert.value(QStringLiteral("username")).toString(), QStringLiteral("bob"));
        QVERIFY(cert.value(QStringLiteral("notAfter")).toInteger()
            >= before.value(QStringLiteral("certificateExpires")).toInteger());
        QCOMPARE(member(2).status().value(QStringLiteral("certificateExpires")).toInteger(),
            cert.value(QStringLiteral("notAfter")).toInteger());
        // The renewed certificate works in the overlay.
        const CliResult got = member(2).cliText(QStringLiteral("get"), {m_keys.first()});
        QVERIFY2(got.exitCode == 0, qPrintable(got.err));
    }

    void peopleReadableStatus()
    {
        const CliResult text = m_operator->cliText(QStringLiteral("status"));
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains(QStringLiteral("\"Loopback Club\" as op (operator)")));
        QVERIFY(text.out.contains(QStringLiteral("Members:       7, 0 pending")));
        const CliResult peers = m_operator->cliText(QStringLiteral("peers"));
        QCOMPARE(peers.exitCode, 0);
        QVERIFY(peers.out.contains(QStringLiteral("alice")));
    }

    void revokedMemberIsCutOffWithinTwoSeconds()
    {
        NodeProcess &frank = member(6);
        NodeProcess &erin = member(5);
        QVERIFY(frank.status().value(QStringLiteral("sessions")).toInt() > 0);
        // erin is offline while frank is revoked.
        QCOMPARE(erin.stop(), 0);
        QCOMPARE(m_operator->cli(QStringLiteral("revoke"), {QStringLiteral("frank")}).exitCode, 0);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(waitFor([&] { return frank.status().value(QStringLiteral("sessions")).toInt() == 0; }, 2'000));
        qInfo("revoked member's sessions closed after %lld ms", qint64(timer.elapsed()));
        // Nobody keeps a session with frank.
        for (int i = 1; i <= 5; ++i) {
            const QJsonArray peers
                = member(i).cli(QStringLiteral("peers")).json().value(QStringLiteral("peers")).toArray();
            for (const QJsonValue &p : peers)
                QVERIFY(p.toObject().value(QStringLiteral("username")).toString() != QLatin1String("frank"));
        }
        // frank can no longer store or read.
        const CliResult put
            = frank.cli(QStringLiteral("put"), {QStringLiteral("--value"), QStringLiteral("after revocation")}, 60'000);
        QVERIFY(put.exitCode != 0);
        const CliResult get = frank.cli(QStringLiteral("get"), {m_keys.first()}, 60'000);
        QVERIFY(get.exitCode != 0);
        QVERIFY(frank.status().value(QStringLiteral("sessions")).toInt() == 0);
        // Everybody else knows the new list, and the directory leaves frank out.
        QVERIFY(waitFor([&] { return member(1).status().value(QStringLiteral("crlVersion")).toInt() >= 2; }, 5'000));
        const QJsonArray directory
            = member(1).cli(QStringLiteral("members")).json().value(QStringLiteral("members")).toArray();
        QCOMPARE(directory.size(), 6);
        // One device of dave's, by its serial.
        QString daveSerial;
        for (const QJsonValue &m :
            m_operator->cli(QStringLiteral("members")).json().value(QStringLiteral("members")).toArray()) {
            if (m.toObject().value(QStringLiteral("username")).toString() == QLatin1String("dave"))
                daveSerial = m.toObject()
                                 .value(QStringLiteral("devices"))
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(QStringLiteral("serial"))
                                 .toString();
        }
        QVERIFY(!daveSerial.isEmpty());
        QCOMPARE(m_operator->cli(QStringLiteral("revoke"), {QStringLiteral("--device"), daveSerial}).exitCode, 0);
        QVERIFY(waitFor([&] { return member(4).status().value(QStringLiteral("sessions")).toInt() == 0; }, 2'000));
        QVERIFY(waitFor([&] { return member(1).status().value(QStringLiteral("crlVersion")).toInt() >= 3; }, 5'000));
        // erin learns of both when she comes back.
        QCOMPARE(erin.status().value(QStringLiteral("crlVersion")).toInt(), 0); // not running: no answer
        QString why;
        QVERIFY2(erin.start({QStringLiteral("--donate"), QStringLiteral("16M")}, &why), qPrintable(why));
        QVERIFY(waitFor([&] { return erin.status().value(QStringLiteral("crlVersion")).toInt() >= 3; }, 5'000));
    }

    void storageNodeKeepsItsDataAfterKill9()
    {
        NodeProcess &alice = member(1);
        const int items
            = alice.status().value(QStringLiteral("storage")).toObject().value(QStringLiteral("items")).toInt();
        QVERIFY(items > 0);
        // The values alice's own disk holds now.
        QMap<QString, QString> held;
        for (const QString &key : std::as_const(m_keys)) {
            const CliResult got = alice.cliText(QStringLiteral("get"), {key, QStringLiteral("--local")});
            if (got.exitCode == 0)
                held.insert(key, got.out);
        }
        QVERIFY(!held.isEmpty());
        alice.kill9();
        QVERIFY(!alice.isRunning());
        // Everyone else goes away too: whatever alice answers comes from her own disk.
        m_operator->stop();
        for (int i = 2; i <= 6; ++i)
            member(i).stop();
        QString why;
        QVERIFY2(alice.start({QStringLiteral("--donate"), QStringLiteral("16M")}, &why), qPrintable(why));
        QCOMPARE(
            alice.status().value(QStringLiteral("storage")).toObject().value(QStringLiteral("items")).toInt(), items);
        for (auto it = held.cbegin(); it != held.cend(); ++it) {
            const CliResult got = alice.cliText(QStringLiteral("get"), {it.key(), QStringLiteral("--local")});
            QVERIFY2(got.exitCode == 0, qPrintable(got.err));
            QCOMPARE(got.out, it.value());
        }
        // Alone, she does not pretend to reach the group.
        const CliResult remote = alice.cli(QStringLiteral("get"), {held.firstKey()});
        QCOMPARE(remote.exitCode, 1);
        QCOMPARE(alice.stop(), 0);
    }

    void cleanupTestCase()
    {
        if (m_operator)
            m_operator->stop();
        for (auto &m : m_members)
            m->stop();
    }
};

QTEST_GUILESS_MAIN(TestGroup)
#include "test_group.moc"
