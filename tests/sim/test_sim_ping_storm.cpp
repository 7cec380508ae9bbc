// Load: 10,000 nodes each ping 10 random others and every ping is answered.
// Prints wall time and events per second; asserts only on counts.
#include "tests/sim/lib/pingstorm.h"
#include "tests/sim/lib/seed.h"

#include <QTest>

#include <cmath>

using namespace cairn::sim;

namespace {

void report(const char *what, const PingStormResult &r)
{
    qInfo("%s: %llu pings sent, %llu received, %llu pongs; %llu events, virtual %.3f s, setup %.1f ms, "
          "run %.1f ms wall, %.0f events/s, trace hash %016llx",
        what, r.pingsSent, r.pingsReceived, r.pongsReceived, r.events, double(r.virtualEnd.count()) / 1e6,
        double(r.setupNanoseconds) / 1e6, double(r.runNanoseconds) / 1e6, r.eventsPerSecond(), r.traceHash);
}

} // namespace

class TestSimPingStorm : public QObject {
    Q_OBJECT
private:
    quint64 m_seed = 0;

private Q_SLOTS:
    void initTestCase()
    {
        m_seed = seedFromEnv(10'000);
        qInfo().noquote() << replayHint(m_seed);
    }

    void cleanup()
    {
        if (QTest::currentTestFailed())
            qInfo().noquote() << "FAILED with" << replayHint(m_seed);
    }

    void everyPingOfTenThousandNodesIsAnswered()
    {
        PingStormConfig config;
        config.seed = m_seed;
        const PingStormResult r = PingStorm(config).run();
        report("10k nodes x 10 pings, no loss", r);
        QCOMPARE(r.pingsSent, quint64(100'000));
        QCOMPARE(r.pingsReceived, quint64(100'000));
        QCOMPARE(r.pongsReceived, quint64(100'000));
        // One start timer per node, one delivery per ping and per pong.
        QCOMPARE(r.events, quint64(10'000 + 200'000));
    }

    void withLossTheCountsMatchTheLossRate()
    {
        PingStormConfig config;
        config.seed = m_seed;
        config.loss = 0.05;
        const PingStormResult r = PingStorm(config).run();
        report("10k nodes x 10 pings, 5% loss", r);
        QCOMPARE(r.pingsSent, quint64(100'000));
        // Each leg survives with p = 0.95: expect 95,000 pings and 90,250
        // pongs; the bounds are more than ten standard deviations wide.
        const double pings = double(r.pingsReceived), pongs = double(r.pongsReceived);
        QVERIFY2(std::abs(pings - 95'000) < 1'000, qPrintable(QString::number(pings)));
        QVERIFY2(std::abs(pongs - 90'250) < 1'200, qPrintable(QString::number(pongs)));
        QCOMPARE(r.events, quint64(10'000) + r.pingsReceived + r.pongsReceived);
    }

    void theStormReplaysFromItsSeed()
    {
        PingStormConfig config;
        config.nodes = 1'000;
        config.seed = m_seed;
        config.loss = 0.02;
        const PingStormResult a = PingStorm(config).run();
        const PingStormResult b = PingStorm(config).run();
        QCOMPARE(b.traceHash, a.traceHash);
        QCOMPARE(b.pongsReceived, a.pongsReceived);
        QCOMPARE(b.virtualEnd, a.virtualEnd);
    }
};

QTEST_GUILESS_MAIN(TestSimPingStorm)
#include "test_sim_ping_storm.moc"
