// The production adapters of the engine's seams: QtScheduler, UdpTransport, Rng.
#include "core/base/qt/qtscheduler.h"
#include "core/base/qt/udptransport.h"
#include "core/base/result.h"
#include "core/base/rng.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <algorithm>

using namespace cairn::base;
using namespace std::chrono_literals;

class TestSeams : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void schedulerRunsCallsInTimeOrder()
    {
        QtScheduler s;
        QList<int> order;
        s.callAfter(30ms, [&] { order << 3; });
        s.callAfter(10ms, [&] { order << 1; });
        s.callAfter(20ms, [&] { order << 2; });
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 3, 2000);
        QCOMPARE(order, (QList<int> {1, 2, 3}));
        QCOMPARE(s.pendingCount(), 0);
    }

    void schedulerCancelStopsACall()
    {
        QtScheduler s;
        bool fired = false, other = false;
        const TimerId id = s.callAfter(10ms, [&] { fired = true; });
        s.callAfter(30ms, [&] { other = true; });
        QVERIFY(s.cancel(id));
        QVERIFY(!s.cancel(id));
        QTRY_VERIFY_WITH_TIMEOUT(other, 2000);
        QVERIFY(!fired);
    }

    void schedulerRunsAPastCallAsSoonAsPossible()
    {
        QtScheduler s;
        bool fired = false;
        s.callAt(s.now() - 1s, [&] { fired = true; });
        QVERIFY(!fired); // never from inside callAt
        QCOMPARE(s.pendingCount(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(fired, 2000);
        QCOMPARE(s.pendingCount(), 0);
    }

    void schedulerRunsCallsDueTogetherInTheOrderMade()
    {
        QtScheduler s;
        QList<int> order;
        const Instant when = s.now() + 5ms;
        for (int i = 0; i < 5; ++i)
            s.callAt(when, [&order, i] { order << i; });
        s.callAt(s.now(), [&] { order << -1; });
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 6, 2000);
        QCOMPARE(order, (QList<int> {-1, 0, 1, 2, 3, 4}));
    }

    void schedulerKeepsThousandsOfCallsInOrder()
    {
        // A node with a session per peer keeps this many pending.
        QtScheduler s;
        QList<int> order;
        QList<TimerId> ids;
        const Instant base = s.now();
        for (int i = 0; i < 3000; ++i) {
            const int ms = (i * 7919) % 40; // scattered, with many ties
            ids << s.callAt(base + std::chrono::milliseconds(ms), [&order, ms] { order << ms; });
        }
        QCOMPARE(s.pendingCount(), 3000);
        int cancelled = 0;
        for (int i = 0; i < ids.size(); i += 3) {
            QVERIFY(s.cancel(ids[i]));
            ++cancelled;
        }
        QCOMPARE(s.pendingCount(), 3000 - cancelled);
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 3000 - cancelled, 5000);
        QVERIFY(std::is_sorted(order.cbegin(), order.cend()));
        QCOMPARE(s.pendingCount(), 0);
    }

    void schedulerCallbacksMayScheduleAndCancel()
    {
        QtScheduler s;
        QList<QString> log;
        TimerId victim = 0, self = 0;
        bool selfCancel = true;
        const Instant when = s.now() + 5ms;
        self = s.callAt(when, [&] {
            log << QStringLiteral("first");
            selfCancel = s.cancel(self); // no longer pending once running
            QVERIFY(s.cancel(victim)); // due at the same time, not yet run
            s.callAt(s.now() - 1ms, [&] { log << QStringLiteral("added, past"); });
            s.callAfter(2ms, [&] { log << QStringLiteral("added, later"); });
        });
        victim = s.callAt(when, [&] { log << QStringLiteral("victim"); });
        s.callAt(when, [&] { log << QStringLiteral("third"); });
        QTRY_COMPARE_WITH_TIMEOUT(log.size(), 4, 2000);
        QVERIFY(!selfCancel);
        // A call made from a callback waits for the next pass, even if due.
        QCOMPARE(log,
            (QList<QString> {QStringLiteral("first"), QStringLiteral("third"), QStringLiteral("added, past"),
                QStringLiteral("added, later")}));
        QCOMPARE(s.pendingCount(), 0);
    }

    void schedulerCallbackMayRescheduleItselfWithoutStarvingTheLoop()
    {
        QtScheduler s;
        int runs = 0;
        std::function<void()> again = [&] {
            if (++runs < 100)
                s.callAfter(0ms, again);
        };
        s.callAfter(0ms, again);
        bool other = false;
        QTimer::singleShot(0, [&] { other = true; });
        QTRY_COMPARE_WITH_TIMEOUT(runs, 100, 2000);
        QVERIFY(other);
    }

    void schedulerMovesItsWakeUpForAnEarlierCall()
    {
        QtScheduler s;
        bool late = false, early = false;
        s.callAfter(10s, [&] { late = true; });
        s.callAfter(1ms, [&] { early = true; });
        QTRY_VERIFY_WITH_TIMEOUT(early, 2000);
        QVERIFY(!late);
        QCOMPARE(s.pendingCount(), 1);
    }

    void schedulerMayBeDestroyedByACallback()
    {
        auto *s = new QtScheduler;
        bool ran = false, after = false;
        s->callAfter(1ms, [&] {
            ran = true;
            delete s;
        });
        s->callAfter(1ms, [&] { after = true; });
        QTRY_VERIFY_WITH_TIMEOUT(ran, 2000);
        QTest::qWait(20);
        QVERIFY(!after);
    }

    void schedulerClockIsMonotonic()
    {
        QtScheduler s;
        const Instant a = s.now();
        QTest::qWait(5);
        QVERIFY(s.now() > a);
        QVERIFY(s.unixTime() > 1700000000);
    }

    void udpTransportDeliversBetweenRealSockets()
    {
        UdpTransport a, b;
        QVERIFY(a.bind(Endpoint {QHostAddress::LocalHost, 0}).ok());
        QVERIFY(b.bind(Endpoint {QHostAddress::LocalHost, 0}).ok());
        QList<QByteArray> got;
        Endpoint from;
        b.setReceiveHandler([&](const Endpoint &f, const QByteArray &d) {
            from = f;
            got << d;
        });
        QVERIFY(a.send(b.localEndpoint(), "hello"));
        QTRY_COMPARE_WITH_TIMEOUT(got.size(), 1, 2000);
        QCOMPARE(got.first(), QByteArray("hello"));
        QCOMPARE(from.port, a.localEndpoint().port);
        QVERIFY(!a.send(b.localEndpoint(), QByteArray(Transport::kMaxDatagram + 1, 'x')));
    }

    void udpTransportBindErrorIsClear()
    {
        UdpTransport a, b;
        QVERIFY(a.bind(Endpoint {QHostAddress::LocalHost, 0}).ok());
        auto r = b.bind(a.localEndpoint());
        QVERIFY(!r.ok());
        QCOMPARE(r.code(), NetError::BindFailed);
        QVERIFY(r.message().contains(a.localEndpoint().toString()));
    }

    void endpointParsing()
    {
        QCOMPARE(Endpoint::parse(QStringLiteral("127.0.0.1:4000")).port, 4000);
        QCOMPARE(Endpoint::parse(QStringLiteral("[::1]:5")).address, QHostAddress(QHostAddress::LocalHostIPv6));
        QVERIFY(!Endpoint::parse(QStringLiteral("127.0.0.1")).isValid());
        QVERIFY(!Endpoint::parse(QStringLiteral("127.0.0.1:70000")).isValid());
        QVERIFY(!Endpoint::parse(QStringLiteral("nohost:12")).isValid());
    }

    void seededRngReplays()
    {
        SeededRng a(42), b(42), c(43);
        QCOMPARE(a.bytes(64), b.bytes(64));
        QVERIFY(a.bytes(64) != c.bytes(64));
        for (int i = 0; i < 1000; ++i)
            QVERIFY(a.uniform(7) < 7);
        const double u = a.unit();
        QVERIFY(u >= 0.0 && u < 1.0);
    }

    void sodiumRngIsNotConstant()
    {
        SodiumRng r;
        QVERIFY(r.bytes(32) != r.bytes(32));
    }
};

QTEST_GUILESS_MAIN(TestSeams)
#include "test_seams.moc"
