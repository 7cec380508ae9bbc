// SecureTransport under stress: replays, junk, handshake floods (cookies,
// rate limits), lost handshake messages, rekeying under traffic,
// simultaneous opens, restarts and idle timeouts, on the simulator.
#include "tests/unit/net/sessionfixture.h"

#include <QTest>
#include <QtEndian>

#include <set>

using namespace cairn;
using namespace cairn::net;
using namespace cairn::net::testing;

namespace {

/// A well-formed initiation with a random ephemeral key, as a flood sends.
QByteArray floodInitiation(base::Rng &rng)
{
    sessionwire::Initiation initiation;
    initiation.senderIndex = quint32(rng.uniform(0xfffffffe)) + 1;
    initiation.noise = rng.bytes(sessionwire::kKeyBytes);
    initiation.noise.append(sessionwire::kInitiationNoise - sessionwire::kKeyBytes, '\0');
    return sessionwire::encode(initiation);
}

std::set<std::pair<quint32, quint64>> indexCounterPairs(const QList<QByteArray> &datagrams, bool *repeated)
{
    std::set<std::pair<quint32, quint64>> seen;
    *repeated = false;
    for (const QByteArray &d : datagrams) {
        auto data = sessionwire::decodeData(d);
        if (data.ok() && !seen.insert({data.value().receiverIndex, data.value().counter}).second)
            *repeated = true;
    }
    return seen;
}

QList<QByteArray> sorted(QList<QByteArray> list)
{
    std::sort(list.begin(), list.end());
    return list;
}

} // namespace

class TestSecureTransportRobustness : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qInfo().noquote() << sim::replayHint(sim::seedFromEnv(31)); }

    void aReplayedDatagramIsRefusedAndCounted()
    {
        SessionNet net(sim::seedFromEnv(31));
        Member &a = net.add(QStringLiteral("alice"));
        Member &b = net.add(QStringLiteral("bob"));
        QVERIFY(net.connect(a, b));
        QVERIFY(a.st().send(net.endpoint(b), "pay bob 10"));
        net.world.runFor(1s);
        QCOMPARE(b.messages.size(), 2);
        const QByteArray captured = net.dataSent(a, b).last();
        // Injected again from alice's own address, twice.
        net.world.node(a.node).transport().send(net.endpoint(b), captured);
        net.world.node(a.node).transport().send(net.endpoint(b), captured);
        net.world.runFor(1s);
        QCOMPARE(b.messages.size(), 2);
        QCOMPARE(b.stats().replaysRejected, quint64(2));
        QCOMPARE(b.stats().junkRejected, quint64(0));
        // From another address it is not even a replay: the index is alice's.
        Member &c = net.add(QStringLiteral("carol"));
        net.world.node(c.node).transport().send(net.endpoint(b), captured);
        net.world.runFor(1s);
        QCOMPARE(b.stats().replaysRejected, quint64(2));
        QCOMPARE(b.stats().junkRejected, quint64(1));
        QCOMPARE(b.messages.size(), 2);
    }

    void tenThousandJunkDatagramsChangeNothing()
    {
        SessionNet net(sim::seedFromEnv(32));
        Member &a = net.add(QStringLiteral("alice"));
        Member &b = net.add(QStringLiteral("bob"));
        Member &stranger = net.add(QStringLiteral("sam"));
        QVERIFY(net.connect(a, b));
        const QByteArray hash = b.st().peer(net.endpoint(a))->handshakeHash;
        const QByteArray realHeader = net.dataSent(a, b).last().first(sessionwire::kDataHeader);
        base::SeededRng &rng = net.world.rng();
        for (int i = 0; i < 10'000; ++i) {
            QByteArray junk = rng.bytes(qsizetype(1 + rng.uniform(base::Transport::kMaxDatagram)));
            const quint64 shape = rng.uniform(4);
            if (shape == 1) {
                junk[0] = char(1 + rng.uniform(5)); // a known type
            } else if (shape == 2) {
                // A data datagram for the live session's index, at a padded size.
                const qsizetype pad = sessionwire::kPaddedSizes[rng.uniform(sessionwire::kPaddedSizes.size())];
                junk = realHeader + rng.bytes(pad + sessionwire::kTagBytes);
            }
            net.world.node((rng.uniform(2) ? a : stranger).node).transport().send(net.endpoint(b), junk);
            if (i % 1000 == 0)
                net.world.runFor(100ms);
        }
        net.world.runFor(4s); // the link's latency spikes reach 3 s
        QCOMPARE(b.st().sessionCount(), 1);
        QCOMPARE(b.st().peer(net.endpoint(a))->handshakeHash, hash);
        QVERIFY(a.downs.isEmpty() && b.downs.isEmpty());
        QVERIFY2(b.stats().junkRejected >= 9'000, qPrintable(QString::number(b.stats().junkRejected)));
        QCOMPARE(b.messages.size(), 1);
        QVERIFY(b.control.isEmpty());
        QCOMPARE(b.stats().datagramsIn, quint64(10'000) + quint64(net.dataSent(a, b).size()) + 2);
        // The session still works both ways.
        QVERIFY(a.st().send(net.endpoint(b), "after"));
        QVERIFY(b.st().sendControl(net.endpoint(a), "after, control"));
        net.world.runFor(1s);
        QCOMPARE(b.messages.last(), QByteArray("after"));
        QCOMPARE(a.control, QList<QByteArray> {"after, control"});
    }

    void aHandshakeFloodMeetsCookiesAndTheLegitimatePeerStillConnects()
    {
        SessionNet net(sim::seedFromEnv(33));
        sim::LinkParams steady;
        steady.spikeProbability = 0; // every flood datagram arrives within the first 500 ms
        net.world.links().setDefaults(steady);
        SessionConfig config;
        config.cookieThreshold = 4;
        Member &b = net.add(QStringLiteral("bob"), config);
        Member &a = net.add(QStringLiteral("alice"));
        // 20 flooders from 20 addresses, each starting a handshake it never finishes.
        QList<sim::NodeId> flooders;
        for (int i = 0; i < 20; ++i)
            flooders.append(net.world.addNode());
        for (sim::NodeId f : std::as_const(flooders))
            net.world.node(f).transport().send(net.endpoint(b), floodInitiation(net.world.rng()));
        net.world.runFor(500ms);
        // Five half-open handshakes (more than the threshold of 4); the rest got cookies.
        QCOMPARE(b.stats().cookiesSent, quint64(15));
        QVERIFY(a.st().send(net.endpoint(b), "let me in"));
        net.world.runFor(2s);
        QCOMPARE(b.messages, QList<QByteArray> {"let me in"});
        QCOMPARE(b.stats().cookiesSent, quint64(16)); // alice's first initiation
        QCOMPARE(b.st().sessionCount(), 1);
        // The cookie came back in alice's second initiation.
        QList<QByteArray> initiations;
        for (const auto &[to, d] : a.tap->sent) {
            if (sessionwire::typeOf(d) == sessionwire::Type::Initiation)
                initiations.append(d);
        }
        QCOMPARE(initiations.size(), 2);
        QVERIFY(sessionwire::decodeInitiation(initiations[0]).value().cookie.isEmpty());
        QVERIFY(!sessionwire::decodeInitiation(initiations[1]).value().cookie.isEmpty());
        // Half-open handshakes expire; then no cookie is needed.
        net.world.runFor(b.st().config().handshakeTimeout + 1s);
        net.world.node(flooders[0]).transport().send(net.endpoint(b), floodInitiation(net.world.rng()));
        net.world.runFor(1s);
        QCOMPARE(b.stats().cookiesSent, quint64(16));
    }

    void cookiesCanBeDemandedAlways()
    {
        SessionNet net(sim::seedFromEnv(34));
        SessionConfig config;
        config.alwaysRequireCookie = true;
        Member &a = net.add(QStringLiteral("alice"), config);
        Member &b = net.add(QStringLiteral("bob"), config);
        QVERIFY(net.connect(a, b));
        QCOMPARE(b.stats().cookiesSent, quint64(1));
        QVERIFY(b.st().sendControl(net.endpoint(a), "back"));
        net.world.runFor(1s);
        QCOMPARE(a.control.size(), 1);
    }

    void handshakesAreRateLimitedPerSource()
    {
        SessionNet net(sim::seedFromEnv(35));
        SessionConfig config;
        config.handshakesPerSecondPerSource = 1;
        config.handshakeBurstPerSource = 5;
        Member &b = net.add(QStringLiteral("bob"), config);
        Member &a = net.add(QStringLiteral("alice"));
        const sim::NodeId flooder = net.world.addNode();
        for (int i = 0; i < 30; ++i)
            net.world.node(flooder).transport().send(net.endpoint(b), floodInitiation(net.world.rng()));
        net.world.runFor(1s);
        QVERIFY2(b.stats().rateLimited >= 24 && b.stats().rateLimited <= 25,
            qPrintable(QString::number(b.stats().rateLimited)));
        const quint64 limited = b.stats().rateLimited;
        // Another source is not affected.
        QVERIFY(net.connect(a, b));
        QCOMPARE(b.stats().rateLimited, limited);
        // The flooder's bucket refills.
        net.world.runFor(10s);
        net.world.node(flooder).transport().send(net.endpoint(b), floodInitiation(net.world.rng()));
        net.world.runFor(1s);
        QCOMPARE(b.stats().rateLimited, limited);
    }

    void lostHandshakeMessagesAreRetransmitted()
    {
        // Initiation, response, finish, and the responder's confirmation.
        for (int dropType : {1, 2, 3, 5}) {
            SessionNet net(sim::seedFromEnv(36) + quint64(dropType));
            Member &a = net.add(QStringLiteral("alice"));
            Member &b = net.add(QStringLiteral("bob"));
            bool dropped = false;
            auto dropFirst = [&dropped, dropType](const base::Endpoint &, const QByteArray &d) {
                if (dropped || d.isEmpty() || quint8(d[0]) != dropType)
                    return false;
                dropped = true;
                return true;
            };
            (dropType == 2 || dropType == 5 ? b : a).tap->drop = dropFirst;
            QVERIFY(a.st().send(net.endpoint(b), "hello"));
            net.world.runFor(4s);
            QVERIFY2(dropped, qPrintable(QString::number(dropType)));
            QCOMPARE(b.messages.size(), 1);
            QCOMPARE(a.st().sessionCount(), 1);
            QCOMPARE(b.st().sessionCount(), 1);
            QCOMPARE(a.st().peer(net.endpoint(b))->handshakeHash, b.st().peer(net.endpoint(a))->handshakeHash);
            QVERIFY(a.downs.isEmpty() && b.downs.isEmpty());
        }
    }

    void rekeyingUnderTrafficBothWaysLosesNothing()
    {
        SessionNet net(sim::seedFromEnv(37));
        sim::LinkParams jittery;
        jittery.jitter = 1.0;
        net.world.links().setDefaults(jittery);
        SessionConfig config;
        config.rekeyAfterMessages = 50;
        Member &a = net.add(QStringLiteral("alice"), config);
        Member &b = net.add(QStringLiteral("bob"), config);
        QList<QByteArray> toA, toB;
        base::SeededRng &rng = net.world.rng();
        for (int i = 0; i < 600; ++i) {
            const QByteArray m1 = QByteArray::number(i) + ':' + rng.bytes(qsizetype(10 + rng.uniform(3000)));
            const QByteArray m2 = QByteArray::number(i) + ':' + rng.bytes(qsizetype(10 + rng.uniform(3000)));
            toB.append(m1);
            toA.append(m2);
            const auto at = base::Duration(qint64(rng.uniform(30'000'000)));
            net.world.callAfter(at, [&net, &a, &b, m1] { QVERIFY(a.st().send(net.endpoint(b), m1)); });
            const auto at2 = base::Duration(qint64(rng.uniform(30'000'000)));
            net.world.callAfter(at2, [&net, &a, &b, m2] { QVERIFY(b.st().send(net.endpoint(a), m2)); });
        }
        net.world.runFor(40s);
        QCOMPARE(sorted(b.messages), sorted(toB));
        QCOMPARE(sorted(a.messages), sorted(toA));
        QVERIFY2(a.stats().rekeys >= 3, qPrintable(QString::number(a.stats().rekeys)));
        QCOMPARE(a.stats().rekeys, b.stats().rekeys);
        QVERIFY(a.downs.isEmpty() && b.downs.isEmpty());
        QCOMPARE(a.ups.size(), 1);
        // Nothing under old keys was turned away. (A retransmitted initiation
        // delayed past a simultaneous rekey can still be answered, and that
        // response is junk to the side that gave its own attempt up.)
        QVERIFY(a.stats().junkRejected + b.stats().junkRejected <= 2);
        QCOMPARE(a.stats().replaysRejected + b.stats().replaysRejected, quint64(0));
        // No (index, counter) pair, and so no nonce under one key, twice.
        bool repeated = false;
        const auto pairsAB = indexCounterPairs(net.dataSent(a, b), &repeated);
        QVERIFY(!repeated);
        indexCounterPairs(net.dataSent(b, a), &repeated);
        QVERIFY(!repeated);
        std::set<quint32> indices;
        for (const auto &[index, counter] : pairsAB)
            indices.insert(index);
        QVERIFY(indices.size() >= 4); // new keys, new indices
    }

    void sessionsAreRekeyedByAge()
    {
        SessionNet net(sim::seedFromEnv(38));
        SessionConfig config;
        config.rekeyAfter = 20s;
        Member &a = net.add(QStringLiteral("alice"), config);
        Member &b = net.add(QStringLiteral("bob"), config);
        QVERIFY(net.connect(a, b));
        const QByteArray first = a.st().peer(net.endpoint(b))->handshakeHash;
        for (int i = 0; i < 14; ++i) {
            QVERIFY(a.st().send(net.endpoint(b), QByteArray::number(i)));
            net.world.runFor(5s);
        }
        QCOMPARE(b.messages.size(), 15);
        QVERIFY2(a.stats().rekeys >= 2, qPrintable(QString::number(a.stats().rekeys)));
        QCOMPARE(a.stats().rekeys, b.stats().rekeys);
        QVERIFY(a.st().peer(net.endpoint(b))->handshakeHash != first);
        QCOMPARE(a.st().peer(net.endpoint(b))->handshakeHash, b.st().peer(net.endpoint(a))->handshakeHash);
        QVERIFY(a.downs.isEmpty() && b.downs.isEmpty());
    }

    void aSimultaneousOpenEndsWithExactlyOneSession()
    {
        const quint64 base = sim::seedFromEnv(39);
        for (quint64 seed = base; seed < base + 12; ++seed) {
            for (auto delay : {0ms, 5ms, 20ms, 40ms, 80ms}) {
                SessionNet net(seed);
                Member &a = net.add(QStringLiteral("alice"));
                Member &b = net.add(QStringLiteral("bob"));
                QVERIFY(a.st().send(net.endpoint(b), "from a"));
                net.world.runFor(delay);
                QVERIFY(b.st().send(net.endpoint(a), "from b"));
                net.world.runFor(5s);
                const QString where = QStringLiteral("seed %1, delay %2 ms").arg(seed).arg(delay.count());
                QVERIFY2(a.messages == QList<QByteArray> {"from b"}, qPrintable(where));
                QVERIFY2(b.messages == QList<QByteArray> {"from a"}, qPrintable(where));
                QVERIFY2(a.ups.size() == 1 && b.ups.size() == 1, qPrintable(where));
                QVERIFY2(a.downs.isEmpty() && b.downs.isEmpty(), qPrintable(where));
                QVERIFY2(a.stats().handshakesCompleted == 1 && b.stats().handshakesCompleted == 1, qPrintable(where));
                const PeerInfo ab = *a.st().peer(net.endpoint(b));
                const PeerInfo ba = *b.st().peer(net.endpoint(a));
                QVERIFY2(ab.initiatedByUs != ba.initiatedByUs, qPrintable(where));
                QVERIFY2(ab.handshakeHash == ba.handshakeHash, qPrintable(where));
            }
        }
    }

    void aRestartedPeerReplacesTheOldSession()
    {
        SessionNet net(sim::seedFromEnv(40));
        Member &a = net.add(QStringLiteral("alice"));
        Member &b = net.add(QStringLiteral("bob"));
        net.world.setCrashHook(b.node, [&b](sim::SimNode &) {
            b.transport.reset();
            b.tap.reset();
        });
        net.world.setRestartHook(b.node, [&net, &b](sim::SimNode &) { net.start(b); });
        QVERIFY(net.connect(a, b));
        const QByteArray oldHash = a.st().peer(net.endpoint(b))->handshakeHash;
        net.world.crash(b.node);
        net.world.runFor(1s);
        net.world.restart(b.node);
        QVERIFY(net.connect(b, a));
        QCOMPARE(a.downReasons(), QList<CloseReason> {CloseReason::Replaced});
        QCOMPARE(a.ups.size(), 2);
        QCOMPARE(a.st().sessionCount(), 1);
        QVERIFY(a.st().peer(net.endpoint(b))->handshakeHash != oldHash);
        QVERIFY(a.st().send(net.endpoint(b), "welcome back"));
        net.world.runFor(1s);
        QCOMPARE(b.messages.last(), QByteArray("welcome back"));
    }

    void aPeerThatLostItsSessionIsFoundOutByItsSilence()
    {
        SessionNet net(sim::seedFromEnv(41));
        Member &a = net.add(QStringLiteral("alice"));
        Member &b = net.add(QStringLiteral("bob"));
        QVERIFY(net.connect(a, b));
        net.start(b); // bob restarts quietly; alice still holds the old session
        b.messages.clear();
        b.ups.clear();
        for (int i = 0; i < 12 && b.messages.isEmpty(); ++i) {
            QVERIFY(a.st().send(net.endpoint(b), "anyone there?"));
            net.world.runFor(5s);
        }
        QVERIFY(!b.messages.isEmpty());
        QCOMPARE(a.st().sessionCount(), 1);
        QCOMPARE(b.st().sessionCount(), 1);
        QCOMPARE(b.ups.size(), 1);
    }

    void forgedInitiationsCannotHoldOurMessagesForever()
    {
        SessionNet net(sim::seedFromEnv(44));
        Member &a = net.add(QStringLiteral("alice"));
        // Someone at this address starts a handshake every 3 s and never
        // finishes one; alice holds her own handshake back for theirs.
        const sim::NodeId forger = net.world.addNode();
        const base::Endpoint forgerAt = net.world.node(forger).endpoint();
        net.world.node(forger).transport().send(net.endpoint(a), floodInitiation(net.world.rng()));
        net.world.runFor(500ms);
        QVERIFY(a.st().send(forgerAt, "waiting"));
        for (int i = 0; i < 5; ++i) {
            net.world.runFor(3s);
            net.world.node(forger).transport().send(net.endpoint(a), floodInitiation(net.world.rng()));
        }
        net.world.runFor(1s);
        QCOMPARE(a.downReasons(), QList<CloseReason> {CloseReason::HandshakeFailed});
        QCOMPARE(a.st().sessionCount(), 0);
    }

    void handlersMayCallBackAndEvenDestroyTheTransport()
    {
        SessionNet net(sim::seedFromEnv(43));
        Member &a = net.add(QStringLiteral("alice"));
        Member &b = net.add(QStringLiteral("bob"));
        // Bob greets every new peer from inside the up handler and closes
        // the session from inside the control handler when asked.
        b.st().setSessionUpHandler([&](const PeerInfo &peer) { QVERIFY(b.st().sendControl(peer.endpoint, "hi")); });
        b.st().setControlHandler([&](const PeerInfo &from, const QByteArray &m) {
            if (m == "bye")
                b.st().close(from.endpoint);
        });
        // Alice calls again from inside her down handler, once.
        int downs = 0;
        a.st().setSessionDownHandler([&](const PeerInfo &peer, CloseReason) {
            if (++downs == 1)
                QVERIFY(a.st().send(peer.endpoint, "again"));
        });
        QVERIFY(a.st().send(net.endpoint(b), "hello"));
        net.world.runFor(1s);
        QCOMPARE(a.control, QList<QByteArray> {"hi"});
        QVERIFY(a.st().sendControl(net.endpoint(b), "bye"));
        net.world.runFor(2s);
        QCOMPARE(downs, 1);
        QCOMPARE(b.messages, (QList<QByteArray> {"hello", "again"}));
        QCOMPARE(a.control, (QList<QByteArray> {"hi", "hi"}));
        // Alice's receive handler destroys her transport mid-delivery.
        a.st().setReceiveHandler([&](const base::Endpoint &, const QByteArray &) { a.transport.reset(); });
        QVERIFY(b.st().send(net.endpoint(a), "last words"));
        net.world.runFor(1s);
        QVERIFY(!a.transport);
        net.world.runFor(b.st().config().idleTimeout + 10s);
        QCOMPARE(b.downReasons().last(), CloseReason::Timeout);
    }

    void idleSessionsTimeOutAndSessionsInUseStayUp()
    {
        SessionNet net(sim::seedFromEnv(42));
        SessionConfig config;
        config.idleTimeout = 30s;
        Member &a = net.add(QStringLiteral("alice"), config);
        Member &b = net.add(QStringLiteral("bob"), config);
        QVERIFY(net.connect(a, b));
        // One way only, every 20 s: bob's keepalives keep alice's session alive.
        for (int i = 0; i < 6; ++i) {
            QVERIFY(a.st().send(net.endpoint(b), "tick"));
            net.world.runFor(20s);
        }
        QVERIFY(a.downs.isEmpty() && b.downs.isEmpty());
        QCOMPARE(b.messages.size(), 7);
        QVERIFY(!net.dataSent(b, a).isEmpty()); // keepalives: bob sent no message
        // Then nothing: both ends time out.
        net.world.runFor(40s);
        QCOMPARE(a.downReasons(), QList<CloseReason> {CloseReason::Timeout});
        QCOMPARE(b.downReasons(), QList<CloseReason> {CloseReason::Timeout});
        QCOMPARE(a.st().sessionCount(), 0);
        // A crashed peer times out too.
        QVERIFY(net.connect(a, b));
        net.world.crash(b.node);
        net.world.runFor(40s);
        QCOMPARE(a.downReasons().last(), CloseReason::Timeout);
        QCOMPARE(a.st().sessionCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSecureTransportRobustness)
#include "test_securetransport_robustness.moc"
