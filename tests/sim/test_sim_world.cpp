// The simulated world: event order, timers, crash/restart, partitions, the
// link model (loss, heavy-tailed latency, bandwidth), NAT filtering.
#include "tests/sim/lib/eventqueue.h"
#include "tests/sim/lib/seed.h"
#include "tests/sim/lib/world.h"

#include <QTest>

#include <algorithm>

using namespace cairn;
using namespace cairn::sim;
using namespace std::chrono_literals;

namespace {

// A link with a fixed, known latency: no spread, no jitter, no spikes.
LinkParams steadyLink(base::Duration latency)
{
    LinkParams p;
    p.median = latency;
    p.pairSpread = 0.0;
    p.jitter = 0.0;
    p.spikeProbability = 0.0;
    p.min = 0us;
    return p;
}

// Collects what a node receives, with the virtual arrival time.
struct Inbox {
    QList<QByteArray> datagrams;
    QList<base::Endpoint> senders;
    QList<base::Instant> times;

    void attach(World &world, NodeId id)
    {
        world.node(id).transport().setReceiveHandler([this, &world](const base::Endpoint &from, const QByteArray &d) {
            datagrams << d;
            senders << from;
            times << world.now();
        });
    }
};

} // namespace

class TestSimWorld : public QObject {
    Q_OBJECT
private:
    quint64 m_seed = 0;

private Q_SLOTS:
    void initTestCase()
    {
        m_seed = seedFromEnv(20240611);
        qInfo().noquote() << replayHint(m_seed);
    }

    void cleanup()
    {
        if (QTest::currentTestFailed())
            qInfo().noquote() << "FAILED with" << replayHint(m_seed);
    }

    void eventsRunInTimeThenSequenceOrder()
    {
        World world(m_seed);
        QList<int> order;
        world.callAt(base::Instant(30ms), [&] { order << 4; });
        world.callAt(base::Instant(10ms), [&] { order << 1; });
        world.callAt(base::Instant(20ms), [&] { order << 3; });
        world.callAt(base::Instant(10ms), [&] { order << 2; });
        QCOMPARE(world.run(), quint64(4));
        QCOMPARE(order, (QList<int> {1, 2, 3, 4}));
        QCOMPARE(world.now(), base::Instant(30ms));
        QCOMPARE(world.eventsProcessed(), quint64(4));
    }

    void equalTimesKeepInsertionOrder()
    {
        World world(m_seed);
        const NodeId a = world.addNode();
        const NodeId b = world.addNode();
        QList<int> order;
        for (int i = 0; i < 300; ++i) {
            // Interleave three schedulers: the sequence number is global.
            base::Scheduler &s = i % 3 == 0 ? world.scheduler()
                : i % 3 == 1                ? static_cast<base::Scheduler &>(world.node(a).scheduler())
                                            : static_cast<base::Scheduler &>(world.node(b).scheduler());
            s.callAt(base::Instant(5ms), [&order, i] { order << i; });
        }
        world.run();
        QCOMPARE(order.size(), 300);
        QVERIFY(std::is_sorted(order.begin(), order.end()));
    }

    void theEventQueuePopsInTimeThenSequenceOrder()
    {
        // Random interleaved pushes and pops against a sorted reference.
        base::SeededRng rng(m_seed);
        EventQueue queue;
        std::vector<std::pair<qint64, quint64>> reference;
        quint64 sequence = 0;
        qint64 floor = 0;
        for (int round = 0; round < 20'000; ++round) {
            if (rng.uniform(3) != 0 || queue.empty()) {
                const qint64 time = floor + qint64(rng.uniform(50)); // many ties on purpose
                queue.push({time, sequence, quint32(sequence), 1});
                reference.emplace_back(time, sequence++);
                continue;
            }
            const auto smallest = std::min_element(reference.begin(), reference.end());
            QCOMPARE(queue.top().time, smallest->first);
            QCOMPARE(queue.top().sequence, smallest->second);
            floor = smallest->first;
            reference.erase(smallest);
            queue.pop();
            QCOMPARE(queue.size(), qsizetype(reference.size()));
        }
    }

    void aTimerInThePastRunsNowAfterThoseAlreadyDue()
    {
        World world(m_seed);
        world.runFor(1s);
        QList<int> order;
        world.callAt(world.now(), [&] { order << 1; });
        world.callAt(base::Instant(0), [&] { order << 2; });
        world.run();
        QCOMPARE(order, (QList<int> {1, 2}));
        QCOMPARE(world.now(), base::Instant(1s));
    }

    void cancelStopsAPendingTimerOnly()
    {
        World world(m_seed);
        const NodeId a = world.addNode();
        const NodeId b = world.addNode();
        bool fired = false;
        int others = 0;
        const base::TimerId id = world.node(a).scheduler().callAfter(10ms, [&] { fired = true; });
        const base::TimerId other = world.node(b).scheduler().callAfter(10ms, [&] { ++others; });
        QVERIFY(id != 0);
        QCOMPARE(world.node(a).pendingTimers(), 1);
        QVERIFY(!world.node(b).scheduler().cancel(id)); // not b's timer
        QVERIFY(!world.cancel(id)); // nor the world's
        QVERIFY(world.node(a).scheduler().cancel(id));
        QVERIFY(!world.node(a).scheduler().cancel(id));
        QCOMPARE(world.node(a).pendingTimers(), 0);
        world.run();
        QVERIFY(!fired);
        QCOMPARE(others, 1);
        QVERIFY(!world.node(b).scheduler().cancel(other)); // already fired
        QCOMPARE(world.stats().timersCancelled, quint64(1));
        QCOMPARE(world.eventsProcessed(), quint64(1));
    }

    void aStaleTimerIdNeverCancelsItsSlotsNextTimer()
    {
        World world(m_seed);
        const base::TimerId first = world.callAfter(1ms, [] {});
        world.run();
        bool fired = false;
        const base::TimerId second = world.callAfter(1ms, [&] { fired = true; });
        QVERIFY(first != second);
        QVERIFY(!world.cancel(first));
        world.run();
        QVERIFY(fired);
    }

    void runUntilStopsAtTheLimitAndSetsTheClock()
    {
        World world(m_seed);
        SimNode &n = world.node(world.addNode());
        QList<qint64> fired;
        for (int ms : {100, 200, 300})
            n.scheduler().callAfter(std::chrono::milliseconds(ms), [&, ms] { fired << ms; });
        QCOMPARE(world.runUntil(base::Instant(200ms)), quint64(2));
        QCOMPARE(fired, (QList<qint64> {100, 200}));
        QCOMPARE(world.now(), base::Instant(200ms));
        QCOMPARE(world.runFor(5s), quint64(1));
        QCOMPARE(world.now(), base::Instant(5200ms));
        QCOMPARE(n.scheduler().now(), world.now());
        QCOMPARE(n.scheduler().unixTime(), World::kDefaultUnixStart + 5);
        QVERIFY(!world.step());
    }

    void nodesHaveDistinctVirtualAddresses()
    {
        World world(m_seed);
        const NodeId a = world.addNode();
        NodeOptions opts;
        opts.port = 9000;
        const NodeId b = world.addNode(opts);
        QCOMPARE(world.node(a).endpoint().toString(), QStringLiteral("10.0.0.1:4100"));
        QCOMPARE(world.node(b).transport().localEndpoint().toString(), QStringLiteral("10.0.0.2:9000"));
        QCOMPARE(world.nodeAt(world.node(b).endpoint()), b);
        QCOMPARE(world.nodeAt(base::Endpoint::parse(QStringLiteral("10.0.0.2:4100"))), kNoNode);
    }

    void timersOfACrashedNodeNeverFire()
    {
        World world(m_seed);
        const NodeId a = world.addNode();
        SimNode &n = world.node(a);
        int fired = 0;
        for (int i = 1; i <= 5; ++i)
            n.scheduler().callAfter(std::chrono::seconds(i), [&] { ++fired; });
        world.callAt(base::Instant(2500ms), [&] { world.crash(a); });
        world.callAt(base::Instant(3s),
            [&] { QCOMPARE(n.scheduler().callAfter(1ms, [&] { fired += 100; }), base::TimerId(0)); });
        world.callAt(base::Instant(4s), [&] { world.restart(a); });
        world.run();
        QCOMPARE(fired, 2);
        QCOMPARE(n.pendingTimers(), 0);
        QCOMPARE(world.stats().timersDropped, quint64(3));
        // Back up: it runs new timers, never the dropped ones.
        n.scheduler().callAfter(1s, [&] { fired += 10; });
        world.run();
        QCOMPARE(fired, 12);
        QCOMPARE(n.restarts(), quint32(1));
    }

    void aRestartedNodeReceivesAgain()
    {
        World world(m_seed);
        world.links().setDefaults(steadyLink(20ms));
        const NodeId a = world.addNode();
        const NodeId b = world.addNode();
        Inbox inbox;
        inbox.attach(world, b);
        int crashes = 0;
        world.setCrashHook(b, [&](SimNode &) { ++crashes; });
        world.setRestartHook(b, [&](SimNode &node) { inbox.attach(world, node.id()); });
        const base::Endpoint to = world.node(b).endpoint();

        QVERIFY(world.node(a).transport().send(to, "one"));
        world.run();
        QCOMPARE(inbox.datagrams, (QList<QByteArray> {"one"}));

        world.crash(b);
        QCOMPARE(crashes, 1);
        QVERIFY(!world.isUp(b));
        QVERIFY(!world.node(b).transport().send(world.node(a).endpoint(), "from the dead"));
        QVERIFY(world.node(a).transport().send(to, "lost"));
        world.run();
        QCOMPARE(world.stats().lostDown, quint64(1));

        world.restart(b);
        QVERIFY(world.isUp(b));
        QVERIFY(world.node(a).transport().send(to, "two"));
        world.run();
        QCOMPARE(inbox.datagrams, (QList<QByteArray> {"one", "two"}));
        QCOMPARE(inbox.senders.last(), world.node(a).endpoint());
    }

    void datagramsInFlightToACrashedNodeAreLostEvenIfItIsBackInTime()
    {
        World world(m_seed);
        world.links().setDefaults(steadyLink(100ms));
        const NodeId a = world.addNode();
        const NodeId b = world.addNode();
        Inbox inbox;
        inbox.attach(world, b);
        world.setRestartHook(b, [&](SimNode &node) { inbox.attach(world, node.id()); });
        world.node(a).transport().send(world.node(b).endpoint(), "in flight");
        world.callAt(base::Instant(10ms), [&] { world.crash(b); });
        world.callAt(base::Instant(20ms), [&] { world.restart(b); });
        world.run();
        QVERIFY(inbox.datagrams.isEmpty());
        QCOMPARE(world.stats().lostDown, quint64(1));
    }

    void aNodeMayCrashInsideItsOwnHandler()
    {
        World world(m_seed);
        world.links().setDefaults(steadyLink(5ms));
        const NodeId a = world.addNode();
        const NodeId b = world.addNode();
        auto big = std::make_shared<QByteArray>(1000, 'x'); // captured: must survive the call
        int handled = 0;
        world.node(b).transport().setReceiveHandler([&, big](const base::Endpoint &, const QByteArray &) {
            world.crash(b);
            handled += int(big->size());
        });
        world.node(a).transport().send(world.node(b).endpoint(), "die");
        world.node(a).transport().send(world.node(b).endpoint(), "ignored");
        world.run();
        QCOMPARE(handled, 1000);
        QCOMPARE(big.use_count(), 1); // the handler was cleared after the call
    }

    void partitionBlocksAndHealRestores()
    {
        World world(m_seed);
        world.links().setDefaults(steadyLink(10ms));
        const NodeId a = world.addNode();
        const NodeId b = world.addNode();
        const NodeId c = world.addNode();
        const NodeId d = world.addNode();
        Inbox inB, inC, inD;
        inB.attach(world, b);
        inC.attach(world, c);
        inD.attach(world, d);

        world.partition({{a, b}, {c}}); // d is in no group: with the rest of the world
        QVERIFY(world.links().isPartitioned());
        world.node(a).transport().send(world.node(b).endpoint(), "same side");
        world.node(a).transport().send(world.node(c).endpoint(), "across");
        world.node(a).transport().send(world.node(d).endpoint(), "to the rest");
        world.run();
        QCOMPARE(inB.datagrams.size(), 1);
        QCOMPARE(inC.datagrams.size(), 0);
        QCOMPARE(inD.datagrams.size(), 0);
        QCOMPARE(world.stats().lostPartition, quint64(2));

        world.heal();
        world.node(a).transport().send(world.node(c).endpoint(), "healed");
        world.run();
        QCOMPARE(inC.datagrams, (QList<QByteArray> {"healed"}));

        // A cut while a datagram is in flight loses it.
        world.node(a).transport().send(world.node(c).endpoint(), "cut");
        world.callAfter(5ms, [&] { world.partition({{c}}); });
        world.run();
        QCOMPARE(inC.datagrams.size(), 1);
        QCOMPARE(world.stats().lostPartition, quint64(3));
    }

    void lossRateIsAboutWhatWasConfigured()
    {
        World world(m_seed);
        LinkParams p = world.links().defaults();
        p.loss = 0.10;
        world.links().setDefaults(p);
        for (int i = 0; i < 50; ++i)
            world.addNode();
        int received = 0;
        for (NodeId i = 0; i < 50; ++i)
            world.node(i).transport().setReceiveHandler(
                [&](const base::Endpoint &, const QByteArray &) { ++received; });
        const int total = 10'000;
        for (int i = 0; i < total; ++i) {
            const NodeId from = NodeId(world.rng().uniform(50));
            const NodeId to = NodeId(world.rng().uniform(50));
            QVERIFY(world.node(from).transport().send(world.node(to).endpoint(), QByteArray(32, 'l')));
        }
        world.run();
        const double lossRate = 1.0 - double(received) / total;
        qInfo("configured loss 10%%, measured %.2f%%", lossRate * 100);
        QVERIFY2(lossRate > 0.08 && lossRate < 0.12, qPrintable(QString::number(lossRate)));
        QCOMPARE(world.stats().lostRandom + quint64(received), quint64(total));
    }

    void perLinkParametersOverrideTheDefault()
    {
        World world(m_seed);
        world.links().setDefaults(steadyLink(10ms));
        const NodeId a = world.addNode();
        const NodeId b = world.addNode();
        const NodeId c = world.addNode();
        LinkParams lossy = steadyLink(10ms);
        lossy.loss = 1.0;
        world.links().setLink(b, a, lossy); // symmetric
        Inbox inB, inC;
        inB.attach(world, b);
        inC.attach(world, c);
        for (int i = 0; i < 10; ++i) {
            world.node(a).transport().send(world.node(b).endpoint(), "x");
            world.node(a).transport().send(world.node(c).endpoint(), "y");
        }
        world.run();
        QCOMPARE(inB.datagrams.size(), 0);
        QCOMPARE(inC.datagrams.size(), 10);
        world.links().clearLink(a, b);
        world.node(a).transport().send(world.node(b).endpoint(), "x");
        world.run();
        QCOMPARE(inB.datagrams.size(), 1);
    }

    void latencyIsHeavyTailed()
    {
        World world(m_seed);
        const LinkParams p = world.links().defaults();
        const int nodes = 200;
        for (int i = 0; i < nodes; ++i)
            world.addNode();
        std::vector<qint64> latencies;
        for (NodeId i = 0; i < NodeId(nodes); ++i)
            world.node(i).transport().setReceiveHandler([&](const base::Endpoint &, const QByteArray &) {
                latencies.push_back(world.now().count()); // all were sent at t = 0
            });
        for (int i = 0; i < 20'000; ++i) {
            const NodeId from = NodeId(world.rng().uniform(nodes));
            const NodeId to = NodeId(world.rng().uniform(nodes));
            world.node(from).transport().send(world.node(to).endpoint(), "t");
        }
        world.run();
        QCOMPARE(latencies.size(), size_t(20'000));
        std::sort(latencies.begin(), latencies.end());
        const auto at = [&](double q) { return latencies[size_t(q * double(latencies.size() - 1))]; };
        const qint64 median = at(0.5), p99 = at(0.99);
        qInfo("latency us: min %lld median %lld p90 %lld p99 %lld max %lld", latencies.front(), median, at(0.9), p99,
            latencies.back());
        const qint64 configured = p.median.count();
        QVERIFY(median > configured * 3 / 4 && median < configured * 5 / 4);
        QVERIFY2(p99 > 3 * median, "p99 should be several times the median");
        QVERIFY(latencies.front() >= p.min.count());
        QVERIFY(latencies.back() <= p.max.count());
    }

    void uplinkBandwidthQueuesDatagrams()
    {
        World world(m_seed);
        world.links().setDefaults(steadyLink(10ms));
        NodeOptions slow;
        slow.uplinkBytesPerSecond = 100'000; // 1000 bytes take 10 ms
        const NodeId a = world.addNode(slow);
        const NodeId b = world.addNode();
        Inbox inbox;
        inbox.attach(world, b);
        for (int i = 0; i < 5; ++i)
            world.node(a).transport().send(world.node(b).endpoint(), QByteArray(1000, char('0' + i)));
        world.run();
        QCOMPARE(inbox.times.size(), 5);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(inbox.times[i], base::Instant(std::chrono::milliseconds(10 * (i + 1) + 10)));
            QCOMPARE(inbox.datagrams[i].at(0), char('0' + i));
        }
    }

    void natFilteringDropsUnsolicitedButPassesReplies()
    {
        World world(m_seed);
        world.links().setDefaults(steadyLink(10ms));
        const NodeId open = world.addNode();
        NodeOptions natted;
        natted.behindNat = true;
        natted.natMappingLifetime = 30s;
        const NodeId hidden = world.addNode(natted);
        const NodeId stranger = world.addNode();
        Inbox inHidden;
        inHidden.attach(world, hidden);
        world.node(open).transport().setReceiveHandler([&](const base::Endpoint &from, const QByteArray &d) {
            world.node(open).transport().send(from, "re: " + d);
        });
        const base::Endpoint hiddenAt = world.node(hidden).endpoint();

        world.node(open).transport().send(hiddenAt, "unsolicited");
        world.run();
        QCOMPARE(inHidden.datagrams.size(), 0);
        QCOMPARE(world.stats().lostNat, quint64(1));

        world.node(hidden).transport().send(world.node(open).endpoint(), "hello");
        world.run();
        QCOMPARE(inHidden.datagrams, (QList<QByteArray> {"re: hello"}));

        // The mapping is to `open` only; a third party is still filtered.
        world.node(stranger).transport().send(hiddenAt, "me too");
        world.run();
        QCOMPARE(inHidden.datagrams.size(), 1);

        // Mappings expire.
        world.runFor(31s);
        world.node(open).transport().send(hiddenAt, "late");
        world.run();
        QCOMPARE(inHidden.datagrams.size(), 1);
        QCOMPARE(world.stats().lostNat, quint64(3));

        world.setBehindNat(hidden, false);
        world.node(stranger).transport().send(hiddenAt, "open now");
        world.run();
        QCOMPARE(inHidden.datagrams.size(), 2);
    }

    void oversizeAndInvalidDatagramsAreRefused()
    {
        World world(m_seed);
        const NodeId a = world.addNode();
        const NodeId b = world.addNode();
        SimTransport &t = world.node(a).transport();
        const base::Endpoint to = world.node(b).endpoint();
        QVERIFY(!t.send(to, QByteArray(base::Transport::kMaxDatagram + 1, 'x')));
        QVERIFY(t.send(to, QByteArray(base::Transport::kMaxDatagram, 'x')));
        QVERIFY(!t.send(base::Endpoint {}, "nowhere"));
        // Valid but unused address: accepted, silently lost, like UDP.
        QVERIFY(t.send(base::Endpoint::parse(QStringLiteral("192.0.2.1:1")), "void"));
        world.run();
        QCOMPARE(world.stats().datagramsRefused, quint64(2));
        QCOMPARE(world.stats().lostNoRoute, quint64(1));
        QCOMPARE(world.stats().datagramsSent, quint64(2));
    }
};

QTEST_GUILESS_MAIN(TestSimWorld)
#include "test_sim_world.moc"
