// The production adapters of the engine's seams: QtScheduler, UdpTransport, Rng.
#include "core/base/qt/qtscheduler.h"
#include "core/base/qt/udptransport.h"
#include "core/base/result.h"
#include "core/base/rng.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

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
