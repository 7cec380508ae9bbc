// A running node (real `cairnd` process on 127.0.0.1) under attack from
// this test process over real UDP: forged certificates, a stolen
// certificate with another key, a replayed datagram, 10,000 junk datagrams
// and malformed control requests. Each is refused, and the node keeps
// serving: its status still answers and a legitimate member still works.
#include "core/base/qt/qtscheduler.h"
#include "core/base/qt/udptransport.h"
#include "core/base/rng.h"
#include "core/identity/invite.h"
#include "core/net/securetransport.h"
#include "core/rendezvous/client.h"
#include "core/rendezvous/controlchannel.h"
#include "nodeprocess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include <csignal>

using namespace cairn;

namespace {

/// Records the datagrams sent through it, so one can be replayed.
class RecordingTransport final : public base::Transport {
public:
    explicit RecordingTransport(base::Transport &inner) : m_inner(inner)
    {
        m_inner.setReceiveHandler([this](const base::Endpoint &from, const QByteArray &d) { deliver(from, d); });
    }
    base::Endpoint localEndpoint() const override { return m_inner.localEndpoint(); }
    bool send(const base::Endpoint &to, const QByteArray &datagram) override
    {
        sent.append(datagram);
        return m_inner.send(to, datagram);
    }
    QList<QByteArray> sent;

private:
    base::Transport &m_inner;
};

template <typename F> bool spinUntil(F condition, int ms)
{
    const QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired()) {
        if (condition())
            return true;
        QTest::qWait(20);
    }
    return condition();
}

quint64 security(const NodeProcess &node, const char *field)
{
    return quint64(node.status().value(QStringLiteral("security")).toObject().value(QLatin1String(field)).toDouble());
}

/// An in-process peer on a real UDP socket.
struct Peer {
    base::QtScheduler scheduler;
    base::SodiumRng rng;
    base::UdpTransport udp;
    std::unique_ptr<RecordingTransport> recorder;
    std::unique_ptr<net::SecureTransport> sessions;

    Peer(crypto::DeviceKey key, identity::Certificate cert, const identity::Invite &invite)
    {
        if (!udp.bind(base::Endpoint {QHostAddress(QHostAddress::LocalHost), 0}))
            qFatal("cannot bind");
        recorder = std::make_unique<RecordingTransport>(udp);
        sessions = std::make_unique<net::SecureTransport>(*recorder, scheduler, rng,
            net::SessionIdentity {std::move(key), std::move(cert), invite.caKey(), invite.groupId()});
    }
};

} // namespace

class TestAttacks : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<NodeProcess> m_operator;
    std::unique_ptr<NodeProcess> m_member;
    identity::Invite m_invite;
    base::Endpoint m_target;
    base::SodiumRng m_rng;
    QString m_key;

    QString inviteLink()
    {
        return m_operator->cli(QStringLiteral("invite"), {QStringLiteral("--uses"), QStringLiteral("5")})
            .json()
            .value(QStringLiteral("link"))
            .toString();
    }

    bool stillServing()
    {
        const QJsonObject s = m_operator->status();
        if (s.value(QStringLiteral("state")).toString() != QLatin1String("member"))
            return false;
        const CliResult got = m_member->cliText(QStringLiteral("get"), {m_key});
        return got.exitCode == 0 && got.out == QLatin1String("still here");
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString pass = m_dir.filePath(QStringLiteral("pass"));
        QVERIFY(writePassphraseFile(pass, "attack test passphrase"));
        QString why;
        m_operator = std::make_unique<NodeProcess>(m_dir.filePath(QStringLiteral("op")), pass);
        QVERIFY(m_operator->init(QStringLiteral("op")));
        QVERIFY2(m_operator->start({QStringLiteral("--donate"), QStringLiteral("16M")}, &why), qPrintable(why));
        QCOMPARE(m_operator->cli(QStringLiteral("group create"), {QStringLiteral("--name"), QStringLiteral("Fortress")})
                     .exitCode,
            0);
        m_member = std::make_unique<NodeProcess>(m_dir.filePath(QStringLiteral("m")), pass);
        QVERIFY(m_member->init(QStringLiteral("m")));
        QVERIFY2(m_member->start({QStringLiteral("--donate"), QStringLiteral("16M")}, &why), qPrintable(why));
        const QString link = inviteLink();
        auto invite = identity::Invite::parse(link, QDateTime::currentSecsSinceEpoch());
        QVERIFY(invite.ok());
        m_invite = invite.value();
        m_target = base::Endpoint::parse(m_operator->endpoint());
        QCOMPARE(
            m_member->cli(
                        QStringLiteral("join"), {link, QStringLiteral("--username"), QStringLiteral("mallory-victim")})
                .exitCode,
            0);
        const CliResult put
            = m_member->cli(QStringLiteral("put"), {QStringLiteral("--value"), QStringLiteral("still here")});
        QVERIFY2(put.exitCode == 0, qPrintable(put.err));
        m_key = put.json().value(QStringLiteral("key")).toString();
        QVERIFY(stillServing());
    }

    void forgedCertificateIsRefused()
    {
        // Same group id and names, but signed by a CA of our own.
        crypto::DeviceKey fakeCa = crypto::DeviceKey::generate(m_rng);
        crypto::DeviceKey device = crypto::DeviceKey::generate(m_rng);
        identity::CertificateFields fields;
        fields.groupId = m_invite.groupId();
        fields.groupName = m_invite.groupName();
        fields.username = QStringLiteral("forger");
        fields.deviceKey = device.publicKey();
        fields.roles = identity::Role::Member | identity::Role::Storage;
        fields.notBefore = QDateTime::currentSecsSinceEpoch() - 60;
        fields.notAfter = fields.notBefore + 86400;
        fields.serial = 999;
        auto forged = identity::Certificate::issue(fakeCa, fields);
        QVERIFY(forged.ok());
        const quint64 before = security(*m_operator, "handshakesRejected");
        Peer peer(std::move(device), forged.value(), m_invite);
        QVERIFY(peer.sessions->send(m_target, QByteArrayLiteral("hello")));
        QTest::qWait(1500);
        QVERIFY(!peer.sessions->peer(m_target).has_value());
        QVERIFY(security(*m_operator, "handshakesRejected") > before);
        QVERIFY(stillServing());
    }

    void certificateWithAnotherKeyIsRefused()
    {
        // The member's real certificate, presented by a device that does
        // not hold its key.
        QFile file(m_member->profile() + QStringLiteral("/membership.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject membership = QJsonDocument::fromJson(file.readAll()).object();
        auto stolen = identity::Certificate::decode(
            QByteArray::fromBase64(membership.value(QStringLiteral("certificate")).toString().toLatin1()));
        QVERIFY(stolen.ok());
        const quint64 before = security(*m_operator, "handshakesRejected");
        Peer peer(crypto::DeviceKey::generate(m_rng), stolen.value(), m_invite);
        QVERIFY(peer.sessions->send(m_target, QByteArrayLiteral("hello")));
        QTest::qWait(1500);
        QVERIFY(!peer.sessions->peer(m_target).has_value());
        QVERIFY(security(*m_operator, "handshakesRejected") > before);
        QVERIFY(stillServing());
    }

    void replayedDatagramIsRefused()
    {
        // A legitimate member of our own, joined through the rendezvous.
        Peer peer(crypto::DeviceKey::generate(m_rng), identity::Certificate(), m_invite);
        rendezvous::SecureControlChannel channel(*peer.sessions);
        rendezvous::JoinClient client(
            channel, peer.scheduler, m_invite, QStringLiteral("replayer"), peer.sessions->identity().deviceKey);
        std::optional<rendezvous::Result<rendezvous::JoinResponse>> result;
        client.start([](const rendezvous::JoinResponse &) {},
            [&](rendezvous::Result<rendezvous::JoinResponse> r) { result = std::move(r); });
        QVERIFY(spinUntil([&] { return result.has_value(); }, 15'000));
        QVERIFY2(result->ok(), result->ok() ? "" : qPrintable(result->message()));
        peer.sessions->setCertificate(result->value().certificate);
        peer.sessions->close(m_target);
        QTest::qWait(100);
        QVERIFY(peer.sessions->send(m_target, QByteArray(100, 'x')));
        QVERIFY(spinUntil([&] { return peer.sessions->peer(m_target).has_value(); }, 5'000));
        QTest::qWait(200);
        peer.recorder->sent.clear();
        QVERIFY(peer.sessions->send(m_target, QByteArray(100, 'y')));
        QTest::qWait(200);
        QVERIFY(!peer.recorder->sent.isEmpty());
        const QByteArray captured = peer.recorder->sent.last();
        const quint64 before = security(*m_operator, "replaysRejected");
        for (int i = 0; i < 3; ++i)
            peer.udp.send(m_target, captured);
        QVERIFY(spinUntil([&] { return security(*m_operator, "replaysRejected") >= before + 3; }, 3'000));
        QVERIFY(stillServing());
    }

    void tenThousandJunkDatagramsChangeNothing()
    {
        QUdpSocket socket;
        QVERIFY(socket.bind(QHostAddress::LocalHost, 0));
        const quint64 before = security(*m_operator, "junkRejected");
        for (int i = 0; i < 10'000; ++i) {
            const qsizetype size = qsizetype(m_rng.uniform(1400)) + 1;
            socket.writeDatagram(m_rng.bytes(size), m_target.address, m_target.port);
            if (i % 500 == 0)
                QTest::qWait(5); // do not overrun the socket buffers; this is junk, not a bandwidth test
        }
        QVERIFY(spinUntil([&] { return security(*m_operator, "junkRejected") > before; }, 5'000));
        qInfo("junk rejected: %llu (some may be dropped by the kernel or rate limiter)",
            security(*m_operator, "junkRejected") - before);
        QVERIFY(stillServing());
    }

    void malformedControlRequestsAreAnswered()
    {
        QLocalSocket socket;
        socket.connectToServer(m_operator->profile() + QStringLiteral("/control.sock"));
        QVERIFY(socket.waitForConnected(2000));
        auto roundTrip = [&](const QByteArray &line) {
            socket.write(line);
            QDeadlineTimer deadline(3000);
            while (!socket.canReadLine() && !deadline.hasExpired())
                socket.waitForReadyRead(100);
            return QJsonDocument::fromJson(socket.readLine()).object();
        };
        for (const QByteArray &bad : {QByteArrayLiteral("{not json\n"), QByteArrayLiteral("[1,2,3]\n"),
                 QByteArrayLiteral("{\"cmd\": 5}\n"), QByteArrayLiteral("{\"cmd\": \"no-such\"}\n"),
                 QByteArrayLiteral("{\"cmd\": \"get\", \"args\": {\"key\": \"zz\"}}\n"),
                 QByteArray("\xff\xfe\x00garbage\n", 11)}) {
            const QJsonObject reply = roundTrip(bad);
            QCOMPARE(reply.value(QStringLiteral("ok")).toBool(true), false);
            QVERIFY(
                !reply.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().isEmpty());
        }
        // The same connection still works.
        const QJsonObject ok = roundTrip(QByteArrayLiteral("{\"id\": 42, \"cmd\": \"status\"}\n"));
        QCOMPARE(ok.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(ok.value(QStringLiteral("id")).toInt(), 42);
        QVERIFY(stillServing());
    }

    void onlyTheOwnerCanConnect()
    {
        QFileInfo socket(m_operator->profile() + QStringLiteral("/control.sock"));
        QVERIFY(socket.exists());
        QCOMPARE(socket.permissions()
                & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther | QFileDevice::WriteOther),
            QFileDevice::Permissions());
        QFileInfo dir(m_operator->profile());
        QCOMPARE(dir.permissions() & (QFileDevice::ExeGroup | QFileDevice::ExeOther), QFileDevice::Permissions());
    }

    void aSecondNodeOnTheSameProfileIsRefused()
    {
        NodeProcess twin(m_operator->profile(), m_dir.filePath(QStringLiteral("pass")));
        QString why;
        QVERIFY(!twin.start({}, &why));
        QVERIFY2(why.contains(QStringLiteral("already running")), qPrintable(why));
        QVERIFY(stillServing());
    }

    void unreachableNodeIsOneLine()
    {
        const CliResult r = runCairnd(
            {QStringLiteral("status"), QStringLiteral("--profile"), m_dir.filePath(QStringLiteral("nowhere"))});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        QVERIFY(r.err.startsWith(QStringLiteral("cairnd: error: no node is running")));
    }

    void cleanupTestCase()
    {
        if (m_member) // as after Ctrl-C
            QCOMPARE(m_member->stop(SIGINT), 0);
        if (m_operator)
            QCOMPARE(m_operator->stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAttacks)
#include "test_attacks.moc"
