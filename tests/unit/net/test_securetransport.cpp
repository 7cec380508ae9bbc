// SecureTransport: certified peers, both channels, large messages,
// certificate checks, revocation, closing, and joiners without a
// certificate, on the simulator's network.
#include "tests/unit/net/sessionfixture.h"

#include <QTest>

using namespace cairn;
using namespace cairn::net;
using namespace cairn::net::testing;

class TestSecureTransport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qInfo().noquote() << sim::replayHint(sim::seedFromEnv(7)); }

    void certifiedPeersExchangeMessagesBothWaysOnBothChannels()
    {
        SessionNet net(sim::seedFromEnv(7));
        Member &a = net.add(QStringLiteral("alice"));
        Member &b = net.add(QStringLiteral("bob"));
        QVERIFY(a.st().send(net.endpoint(b), "a to b"));
        QVERIFY(a.st().sendControl(net.endpoint(b), "a to b, control"));
        net.world.runFor(2s);
        QVERIFY(b.st().send(net.endpoint(a), "b to a"));
        QVERIFY(b.st().sendControl(net.endpoint(a), "b to a, control"));
        net.world.runFor(2s);

        QCOMPARE(b.messages, QList<QByteArray> {"a to b"});
        QCOMPARE(b.messageFrom.value(0), net.endpoint(a));
        QCOMPARE(b.control, QList<QByteArray> {"a to b, control"});
        QCOMPARE(a.messages, QList<QByteArray> {"b to a"});
        QCOMPARE(a.control, QList<QByteArray> {"b to a, control"});
        QCOMPARE(a.st().sessionCount(), 1);
        QCOMPARE(b.st().sessionCount(), 1);
        QCOMPARE(a.ups.size(), 1);
        QCOMPARE(b.ups.size(), 1);
        QVERIFY(a.downs.isEmpty() && b.downs.isEmpty());
        QCOMPARE(a.stats().handshakesCompleted, quint64(1));
        QCOMPARE(b.stats().handshakesCompleted, quint64(1));
        QCOMPARE(a.stats().junkRejected + b.stats().junkRejected, quint64(0));
    }

    void peerInfoNamesTheAuthenticatedPeerAndTheHandshake()
    {
        SessionNet net(sim::seedFromEnv(8));
        Member &a = net.add(QStringLiteral("alice"));
        Member &b = net.add(QStringLiteral("bob"));
        QVERIFY(net.connect(a, b));
        const PeerInfo seenByA = *a.st().peer(net.endpoint(b));
        const PeerInfo seenByB = *b.st().peer(net.endpoint(a));
        QCOMPARE(seenByA.deviceKey, b.key.publicKey());
        QCOMPARE(seenByA.nodeId, identity::NodeId::fromDeviceKey(b.key.publicKey()));
        QCOMPARE(seenByA.certificate, b.certificate);
        QCOMPARE(seenByA.endpoint, net.endpoint(b));
        QVERIFY(seenByA.initiatedByUs);
        QVERIFY(!seenByB.initiatedByUs);
        QCOMPARE(seenByB.deviceKey, a.key.publicKey());
        // The channel binding is the same Noise handshake hash on both ends.
        QCOMPARE(seenByA.handshakeHash.size(), 64);
        QCOMPARE(seenByA.handshakeHash, seenByB.handshakeHash);
        QCOMPARE(a.st().peers().size(), 1);
        QCOMPARE(a.ups.value(0).handshakeHash, seenByA.handshakeHash);
        // A control message names the keys that carried it.
        QVERIFY(b.st().sendControl(net.endpoint(a), "proof"));
        net.world.runFor(1s);
        QCOMPARE(a.controlFrom.value(0).handshakeHash, seenByA.handshakeHash);
        QVERIFY(!a.st().peer(net.endpoint(a)));
    }

    void largeMessagesArriveWholeDespiteReordering()
    {
        SessionNet net(sim::seedFromEnv(9));
        sim::LinkParams jittery;
        jittery.jitter = 1.0; // datagrams overtake each other
        net.world.links().setDefaults(jittery);
        Member &a = net.add(QStringLiteral("alice"));
        Member &b = net.add(QStringLiteral("bob"));
        QList<QByteArray> toB, toA, controlToB, controlToA;
        for (int i = 0; i < 3; ++i) {
            toB.append(net.rng.bytes(MessageTransport::kMaxMessage - i * 1000));
            toA.append(net.rng.bytes(64 * 1024 + i));
            controlToB.append(net.rng.bytes(MessageTransport::kMaxMessage - i));
            controlToA.append(net.rng.bytes(1 + i * 20'000));
        }
        for (int i = 0; i < 3; ++i) {
            QVERIFY(a.st().send(net.endpoint(b), toB[i]));
            QVERIFY(a.st().sendControl(net.endpoint(b), controlToB[i]));
            QVERIFY(b.st().send(net.endpoint(a), toA[i]));
            QVERIFY(b.st().sendControl(net.endpoint(a), controlToA[i]));
        }
        net.world.runFor(10s);
        auto sorted = [](QList<QByteArray> list) {
            std::sort(list.begin(), list.end());
            return list;
        };
        QCOMPARE(sorted(b.messages), sorted(toB));
        QCOMPARE(sorted(a.messages), sorted(toA));
        QCOMPARE(sorted(b.control), sorted(controlToB));
        QCOMPARE(sorted(a.control), sorted(controlToA));
        QCOMPARE(a.st().sessionCount(), 1);
        QCOMPARE(b.st().sessionCount(), 1);
        QVERIFY(!a.st().send(net.endpoint(b), QByteArray(MessageTransport::kMaxMessage + 1, 'x')));
        QVERIFY(!a.st().send(net.endpoint(b), QByteArray()));
        QCOMPARE(net.world.stats().datagramsRefused, quint64(0)); // nothing over 1,400 bytes
    }

    void largeMessagesOverALossyLinkArriveWholeOrNotAtAll()
    {
        SessionNet net(sim::seedFromEnv(10));
        sim::LinkParams lossy;
        lossy.jitter = 1.0;
        lossy.loss = 0.02;
        net.world.links().setDefaults(lossy);
        Member &a = net.add(QStringLiteral("alice"));
        Member &b = net.add(QStringLiteral("bob"));
        // Like the RPC above it: send again until it arrives.
        const QByteArray big = net.rng.bytes(64 * 1024);
        const QByteArray back = net.rng.bytes(60 * 1024);
        for (int attempt = 0; attempt < 20 && (b.messages.isEmpty() || a.control.isEmpty()); ++attempt) {
            if (b.messages.isEmpty())
                QVERIFY(a.st().send(net.endpoint(b), big));
            if (a.control.isEmpty())
                QVERIFY(b.st().sendControl(net.endpoint(a), back));
            net.world.runFor(7s);
        }
        QVERIFY(!b.messages.isEmpty());
        QVERIFY(!a.control.isEmpty());
        for (const QByteArray &m : std::as_const(b.messages))
            QCOMPARE(m, big);
        for (const QByteArray &m : std::as_const(a.control))
            QCOMPARE(m, back);
        QCOMPARE(a.st().sessionCount(), 1);
    }

    void plaintextsArePaddedToFixedSizes()
    {
        SessionNet net(sim::seedFromEnv(11));
        Member &a = net.add(QStringLiteral("alice"));
        Member &b = net.add(QStringLiteral("bob"));
        QVERIFY(net.connect(a, b));
        for (int size : {1, 40, 53, 54, 100, 300, 700, 1200, 1360, 1361, 5000})
            QVERIFY(a.st().send(net.endpoint(b), QByteArray(size, 'p')));
        net.world.runFor(2s);
        const QList<QByteArray> sent = net.dataSent(a, b);
        QVERIFY(sent.size() > 10);
        for (const QByteArray &datagram : sent) {
            const qsizetype plaintext = datagram.size() - sessionwire::kDataHeader - sessionwire::kTagBytes;
            QVERIFY2(std::find(sessionwire::kPaddedSizes.begin(), sessionwire::kPaddedSizes.end(), plaintext)
                    != sessionwire::kPaddedSizes.end(),
                qPrintable(QString::number(datagram.size())));
            QVERIFY(datagram.size() <= base::Transport::kMaxDatagram);
        }
        QCOMPARE(b.messages.size(), 12);
        // Every UDP byte is counted, both ways.
        quint64 out = 0;
        for (const auto &[to, datagram] : a.tap->sent)
            out += quint64(datagram.size());
        QCOMPARE(a.stats().bytesOut, out);
        QCOMPARE(a.stats().datagramsOut, quint64(a.tap->sent.size()));
        QCOMPARE(b.stats().bytesIn, out);
    }

    void messagesWaitForTheSessionWithinTheQueueBound()
    {
        SessionNet net(sim::seedFromEnv(12));
        SessionConfig config;
        config.maxQueuedPerPeer = 3;
        Member &a = net.add(QStringLiteral("alice"), config);
        Member &b = net.add(QStringLiteral("bob"));
        QVERIFY(a.st().send(net.endpoint(b), "1"));
        QVERIFY(a.st().sendControl(net.endpoint(b), "2"));
        QVERIFY(a.st().send(net.endpoint(b), "3"));
        QVERIFY(!a.st().send(net.endpoint(b), "4")); // the queue is full
        QCOMPARE(a.st().sessionCount(), 0);
        net.world.runFor(2s);
        std::sort(b.messages.begin(), b.messages.end()); // best effort, like datagrams: any order
        QCOMPARE(b.messages, (QList<QByteArray> {"1", "3"}));
        QCOMPARE(b.control, QList<QByteArray> {"2"});
        QVERIFY(a.st().send(net.endpoint(b), "5"));
        net.world.runFor(1s);
        QCOMPARE(b.messages.size(), 3);
    }

    void anUnreachablePeerFailsTheHandshakeAndDropsTheQueue()
    {
        SessionNet net(sim::seedFromEnv(13));
        Member &a = net.add(QStringLiteral("alice"));
        Member &b = net.add(QStringLiteral("bob"));
        net.world.crash(b.node);
        QVERIFY(a.st().send(net.endpoint(b), "lost"));
        net.world.runFor(a.st().config().handshakeTimeout + 2s);
        QCOMPARE(a.downReasons(), QList<CloseReason> {CloseReason::HandshakeFailed});
        QCOMPARE(a.downs.value(0).first.endpoint, net.endpoint(b));
        QCOMPARE(a.st().sessionCount(), 0);
        // Retransmitted every second until the timeout: about five initiations.
        int initiations = 0;
        for (const auto &[to, datagram] : a.tap->sent)
            initiations += sessionwire::typeOf(datagram) == sessionwire::Type::Initiation ? 1 : 0;
        QVERIFY2(initiations >= 4 && initiations <= 6, qPrintable(QString::number(initiations)));
        QCOMPARE(a.tap->sent.value(0).second.size(), sessionwire::kInitiationSize);
    }

    void aCertificateFromAnotherCaIsRefused()
    {
        SessionNet net(sim::seedFromEnv(14));
        Member &a = net.add(QStringLiteral("alice"));
        Member &forger = net.add(QStringLiteral("mallory"));
        forger.certificate = net.issue(forger.key.publicKey(), QStringLiteral("mallory"), 99, SessionNet::kNow - 60,
            SessionNet::kNow + 86400, &net.otherCa);
        net.start(forger);
        // Both ways: the forger initiating, and the forger answering.
        QVERIFY(forger.st().send(net.endpoint(a), "let me in"));
        net.world.runFor(8s);
        QVERIFY(a.messages.isEmpty());
        QCOMPARE(a.st().sessionCount(), 0);
        QCOMPARE(a.stats().handshakesRejected, quint64(1));
        QVERIFY(a.ups.isEmpty());
        QCOMPARE(forger.downReasons(), QList<CloseReason> {CloseReason::HandshakeFailed});

        QVERIFY(a.st().send(net.endpoint(forger), "who are you"));
        net.world.runFor(8s);
        QVERIFY(forger.messages.isEmpty());
        QCOMPARE(a.stats().handshakesRejected, quint64(2));
        QCOMPARE(a.downReasons(), QList<CloseReason> {CloseReason::HandshakeFailed});
        QCOMPARE(a.st().sessionCount(), 0);
    }

    void aValidCertificateWithAnotherDeviceKeyIsRefused()
    {
        SessionNet net(sim::seedFromEnv(15));
        Member &a = net.add(QStringLiteral("alice"));
        Member &b = net.add(QStringLiteral("bob"));
        Member &thief = net.add(QStringLiteral("trudy"));
        thief.certificate = b.certificate; // bob's, valid, but not for the thief's key
        net.start(thief);
        QVERIFY(thief.st().send(net.endpoint(a), "I am bob"));
        net.world.runFor(8s);
        QVERIFY(a.messages.isEmpty());
        QCOMPARE(a.stats().handshakesRejected, quint64(1));
        QCOMPARE(a.st().sessionCount(), 0);
        QVERIFY(a.st().send(net.endpoint(thief), "prove it"));
        net.world.runFor(8s);
        QCOMPARE(a.stats().handshakesRejected, quint64(2));
        QCOMPARE(a.st().sessionCount(), 0);
    }

    void anExpiredCertificateIsRefused()
    {
        SessionNet net(sim::seedFromEnv(16));
        Member &a = net.add(QStringLiteral("alice"));
        Member &old = net.add(QStringLiteral("olga"));
        old.certificate = net.issue(
            old.key.publicKey(), QStringLiteral("olga"), 77, SessionNet::kNow - 86400, SessionNet::kNow - 60);
        net.start(old);
        QVERIFY(old.st().send(net.endpoint(a), "still me"));
        net.world.runFor(8s);
        QVERIFY(a.messages.isEmpty());
        QCOMPARE(a.stats().handshakesRejected, quint64(1));
        QCOMPARE(a.st().sessionCount(), 0);
        QVERIFY(a.st().send(net.endpoint(old), "hello"));
        net.world.runFor(8s);
        QCOMPARE(a.stats().handshakesRejected, quint64(2));
        QVERIFY(old.messages.isEmpty());
    }

    void aRevokedPeerIsCutOffAtOnceAndRefusedAfterwards()
    {
        SessionNet net(sim::seedFromEnv(17));
        Member &a = net.add(QStringLiteral("alice"));
        Member &b = net.add(QStringLiteral("bob"));
        Member &c = net.add(QStringLiteral("carol"));
        QVERIFY(net.connect(a, b));
        QVERIFY(net.connect(a, c));
        a.st().setRevocationList(net.revoke({QStringLiteral("bob")}, 2));
        QCOMPARE(a.st().revocationList().version(), quint64(2));
        QCOMPARE(a.downReasons(), QList<CloseReason> {CloseReason::Revoked}); // at once, before any time passes
        QCOMPARE(a.downs.value(0).first.deviceKey, b.key.publicKey());
        QCOMPARE(a.st().sessionCount(), 1);
        net.world.runFor(1s);
        QCOMPARE(b.downReasons(), QList<CloseReason> {CloseReason::PeerClosed});
        QCOMPARE(b.st().sessionCount(), 0);

        // Bob tries again, and alice calls bob: both refused.
        QVERIFY(b.st().send(net.endpoint(a), "let me back"));
        net.world.runFor(8s);
        QVERIFY(a.st().send(net.endpoint(b), "are you there"));
        net.world.runFor(8s);
        QCOMPARE(a.stats().handshakesRejected, quint64(2));
        QCOMPARE(a.st().sessionCount(), 1); // carol only
        QCOMPARE(a.messages.size(), 0);
        QCOMPARE(b.messages.size(), 1); // the first hello only

        // An older or equal list changes nothing; carol is unaffected.
        a.st().setRevocationList(net.revoke({QStringLiteral("carol")}, 1));
        a.st().setRevocationList(net.revoke({QStringLiteral("carol")}, 2));
        QCOMPARE(a.st().revocationList().version(), quint64(2));
        QVERIFY(a.st().send(net.endpoint(c), "still here"));
        net.world.runFor(1s);
        QCOMPARE(c.messages.size(), 2);
    }

    void closingTellsThePeer()
    {
        SessionNet net(sim::seedFromEnv(18));
        Member &a = net.add(QStringLiteral("alice"));
        Member &b = net.add(QStringLiteral("bob"));
        Member &c = net.add(QStringLiteral("carol"));
        QVERIFY(net.connect(a, b));
        QVERIFY(net.connect(a, c));
        a.st().close(net.endpoint(b));
        QCOMPARE(a.downReasons(), QList<CloseReason> {CloseReason::Closed});
        net.world.runFor(1s);
        QCOMPARE(b.downReasons(), QList<CloseReason> {CloseReason::PeerClosed});
        QCOMPARE(b.st().sessionCount(), 0);
        QCOMPARE(a.st().sessionCount(), 1);
        a.st().closeAll();
        QCOMPARE(a.downReasons(), (QList<CloseReason> {CloseReason::Closed, CloseReason::Shutdown}));
        net.world.runFor(1s);
        QCOMPARE(c.downReasons(), QList<CloseReason> {CloseReason::PeerClosed});
        QCOMPARE(a.st().sessionCount(), 0);
        // A new session can start afterwards.
        QVERIFY(net.connect(b, a));
    }

    void aJoinerReachesTheControlChannelOnly()
    {
        SessionNet net(sim::seedFromEnv(19));
        SessionConfig rendezvousConfig;
        rendezvousConfig.acceptUncertified = true;
        Member &rendezvous = net.add(QStringLiteral("operator"), rendezvousConfig);
        Member &joiner = net.add(QString()); // no certificate yet
        QVERIFY(joiner.certificate.isNull());
        QVERIFY(!joiner.st().send(net.endpoint(rendezvous), "dht request")); // refused locally
        QVERIFY(joiner.st().sendControl(net.endpoint(rendezvous), "join request"));
        net.world.runFor(2s);
        QCOMPARE(rendezvous.control, QList<QByteArray> {"join request"});
        const PeerInfo from = rendezvous.controlFrom.value(0);
        QVERIFY(!from.certified());
        QCOMPARE(from.deviceKey, joiner.key.publicKey());
        QCOMPARE(from.handshakeHash, joiner.st().peer(net.endpoint(rendezvous))->handshakeHash);
        QVERIFY(joiner.st().peer(net.endpoint(rendezvous))->certified()); // the joiner checked the rendezvous

        QVERIFY(rendezvous.st().sendControl(net.endpoint(joiner), "certificate"));
        QVERIFY(!rendezvous.st().send(net.endpoint(joiner), "dht answer")); // the peer is uncertified
        net.world.runFor(1s);
        QCOMPARE(joiner.control, QList<QByteArray> {"certificate"});
        QVERIFY(joiner.messages.isEmpty());
        QVERIFY(rendezvous.messages.isEmpty());

        // Joined: the certificate reaches the rendezvous by a rekey of the
        // same session, which opens the message channel.
        joiner.certificate = net.issue(joiner.key.publicKey(), QStringLiteral("jo"), 500);
        joiner.st().setCertificate(joiner.certificate);
        net.world.runFor(1s);
        QCOMPARE(rendezvous.st().peer(net.endpoint(joiner))->certificate, joiner.certificate);
        QVERIFY(joiner.st().send(net.endpoint(rendezvous), "dht request"));
        QVERIFY(rendezvous.st().send(net.endpoint(joiner), "dht answer"));
        net.world.runFor(1s);
        QCOMPARE(rendezvous.messages, QList<QByteArray> {"dht request"});
        QCOMPARE(joiner.messages, QList<QByteArray> {"dht answer"});
        QCOMPARE(rendezvous.ups.size(), 1);
        QVERIFY(rendezvous.downs.isEmpty() && joiner.downs.isEmpty());
        QCOMPARE(rendezvous.stats().rekeys, quint64(1));
    }

    void aJoinerCannotConnectToANodeThatAcceptsNoJoiners()
    {
        SessionNet net(sim::seedFromEnv(20));
        Member &member = net.add(QStringLiteral("alice"));
        Member &joiner = net.add(QString());
        QVERIFY(joiner.st().sendControl(net.endpoint(member), "join request"));
        net.world.runFor(10s);
        QVERIFY(member.control.isEmpty());
        QCOMPARE(member.st().sessionCount(), 0);
        QCOMPARE(member.stats().handshakesRejected, quint64(1));
        QVERIFY(member.ups.isEmpty());
        QCOMPARE(joiner.downReasons(), QList<CloseReason> {CloseReason::HandshakeFailed});
        QCOMPARE(joiner.st().sessionCount(), 0);
    }

    void aJoinerChecksTheRendezvousAgainstTheInvitesTrustAnchor()
    {
        SessionNet net(sim::seedFromEnv(21));
        SessionConfig rendezvousConfig;
        rendezvousConfig.acceptUncertified = true;
        Member &rendezvous = net.add(QStringLiteral("operator"), rendezvousConfig);
        Member &joiner = net.add(QString());
        joiner.st().setTrustAnchor(net.otherCa.publicKey(), net.groupId); // a different CA
        QVERIFY(joiner.st().sendControl(net.endpoint(rendezvous), "join request"));
        net.world.runFor(10s);
        QVERIFY(rendezvous.control.isEmpty());
        QCOMPARE(joiner.stats().handshakesRejected, quint64(1));
        QCOMPARE(joiner.st().sessionCount(), 0);

        // With the right anchor it works, and after joining the certificate
        // opens the message channel on the next session.
        joiner.st().setTrustAnchor(net.ca.publicKey(), net.groupId);
        QVERIFY(joiner.st().sendControl(net.endpoint(rendezvous), "join request"));
        net.world.runFor(2s);
        QCOMPARE(rendezvous.control.size(), 1);
        joiner.certificate = net.issue(joiner.key.publicKey(), QStringLiteral("jo"), 500);
        joiner.st().setCertificate(joiner.certificate);
        QCOMPARE(joiner.st().identity().certificate, joiner.certificate);
        Member &other = net.add(QStringLiteral("bob"));
        QVERIFY(net.connect(joiner, other));
    }
};

QTEST_GUILESS_MAIN(TestSecureTransport)
#include "test_securetransport.moc"
