// The availability estimate of storage nodes and the replication factor it
// gives (DESIGN.md section 5).
#include "core/dht/availability.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace cairn;
using namespace cairn::dht;

namespace {

constexpr base::Duration kHour {3600LL * 1'000'000};

/// The success rate of a user action (two objects) at k copies.
double actionSuccess(double p, int k)
{
    const double one = 1 - std::pow(1 - p, k);
    return one * one;
}

} // namespace

class TestAvailability : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void replicasForTheWorkedValues()
    {
        QCOMPARE(replicasFor(0.9999, 0.9, 1, 16), 5);
        QCOMPARE(replicasFor(0.9999, 0.99, 1, 16), 3);
        QCOMPARE(replicasFor(0.9999, 0.5, 1, 16), 15);
        QCOMPARE(replicasFor(0.99, 0.9, 1, 16), 3);
        QCOMPARE(replicasFor(0.999999, 0.9, 1, 16), 7);
    }

    void anExactRatioIsNotRoundedUpToTheNextK()
    {
        // sqrt(p_t) = 0.999 and p = 0.9: log(0.001) / log(0.1) is 3 exactly.
        QCOMPARE(replicasFor(0.999 * 0.999, 0.9, 1, 16), 3);
        QCOMPARE(replicasFor(0.99 * 0.99, 0.9, 1, 16), 2);
    }

    void theChosenKIsTheSmallestThatReachesTheTarget()
    {
        for (double p = 0.05; p < 0.999; p += 0.0371) {
            for (double target : {0.5, 0.9, 0.99, 0.999, 0.9999, 0.99999}) {
                const int k = replicasFor(target, p, 1, 1000);
                QVERIFY2(actionSuccess(p, k) >= target - 1e-12,
                    qPrintable(QStringLiteral("p %1 p_t %2 k %3").arg(p).arg(target).arg(k)));
                if (k > 1)
                    QVERIFY2(actionSuccess(p, k - 1) < target,
                        qPrintable(QStringLiteral("p %1 p_t %2 k %3").arg(p).arg(target).arg(k)));
            }
        }
    }

    void replicasForClampsToItsBounds()
    {
        QCOMPARE(replicasFor(0.9999, 0.5, 1, 8), 8);
        QCOMPARE(replicasFor(0.9999, 0.99, 4, 16), 4);
        QCOMPARE(replicasFor(0.9999, 0.9, 5, 5), 5);
        // A minimum below one copy is one copy; a maximum below the minimum
        // is the minimum.
        QCOMPARE(replicasFor(0.1, 0.99, 0, 16), 1);
        QCOMPARE(replicasFor(0.1, 0.99, -3, 16), 1);
        QCOMPARE(replicasFor(0.9999, 0.5, 6, 2), 6);
    }

    void replicasForAtTheEdges()
    {
        // Nodes that always answer: the minimum; nodes that never do: the most.
        QCOMPARE(replicasFor(0.9999, 1.0, 2, 16), 2);
        QCOMPARE(replicasFor(0.9999, 1.5, 2, 16), 2);
        QCOMPARE(replicasFor(0.9999, 0.0, 2, 16), 16);
        QCOMPARE(replicasFor(0.9999, -0.5, 2, 16), 16);
        QCOMPARE(replicasFor(0.9999, 1e-12, 2, 16), 16);
        // Asking for nothing needs the minimum; certainty no k reaches.
        QCOMPARE(replicasFor(0.0, 0.5, 2, 16), 2);
        QCOMPARE(replicasFor(-1.0, 0.5, 2, 16), 2);
        QCOMPARE(replicasFor(1.0, 0.5, 2, 16), 16);
        QCOMPARE(replicasFor(2.0, 0.99, 2, 16), 16);
        const double nan = std::numeric_limits<double>::quiet_NaN();
        QCOMPARE(replicasFor(nan, 0.9, 2, 16), 16);
        QCOMPARE(replicasFor(0.9999, nan, 2, 16), 16);
        QCOMPARE(replicasFor(0.9999, 0.9, 1, std::numeric_limits<int>::max()), 5);
    }

    void theEstimateStartsAtThePrior()
    {
        AvailabilityEstimator estimator;
        const AvailabilityEstimate e = estimator.estimate(base::Instant(0));
        QCOMPARE(e.p, 0.9);
        QCOMPARE(e.samples, 0);
        QCOMPARE(estimator.estimate(base::Instant(1000 * kHour)).p, 0.9);
    }

    void samplesMoveTheEstimateAsABetaPosterior()
    {
        AvailabilityEstimator estimator;
        const base::Instant t(5 * kHour);
        for (int i = 0; i < 10; ++i)
            estimator.record(true, t);
        QCOMPARE(estimator.estimate(t).p, 19.0 / 20.0);
        QCOMPARE(estimator.estimate(t).samples, 10);
        for (int i = 0; i < 20; ++i)
            estimator.record(false, t);
        QCOMPARE(estimator.estimate(t).p, 19.0 / 40.0);
        QCOMPARE(estimator.estimate(t).samples, 30);
    }

    void oldSamplesLoseHalfTheirWeightEachHalfLife()
    {
        AvailabilityEstimator estimator;
        const base::Instant t0(kHour);
        for (int i = 0; i < 10; ++i)
            estimator.record(false, t0);
        QCOMPARE(estimator.estimate(t0).p, 9.0 / 20.0);
        // A day later the ten count as five; two days later as 2.5.
        QVERIFY(qFuzzyCompare(estimator.estimate(t0 + 24 * kHour).p, 9.0 / 15.0));
        QVERIFY(qFuzzyCompare(estimator.estimate(t0 + 48 * kHour).p, 9.0 / 12.5));
        // Long after, the prior again; the count of samples stays.
        QVERIFY(std::abs(estimator.estimate(t0 + 100 * 24 * kHour).p - 0.9) < 1e-9);
        QCOMPARE(estimator.estimate(t0 + 100 * 24 * kHour).samples, 10);
        // A new sample a day later weighs twice an old one.
        estimator.record(true, t0 + 24 * kHour);
        QVERIFY(qFuzzyCompare(estimator.estimate(t0 + 24 * kHour).p, 10.0 / 16.0));
    }

    void theHalfLifeAndPriorAreSettings()
    {
        AvailabilityConfig config;
        config.priorAnswered = 1;
        config.priorSilent = 1;
        config.halfLife = kHour;
        AvailabilityEstimator estimator(config);
        QCOMPARE(estimator.estimate(base::Instant(0)).p, 0.5);
        estimator.record(true, base::Instant(0));
        estimator.record(true, base::Instant(0));
        QCOMPARE(estimator.estimate(base::Instant(0)).p, 0.75);
        QVERIFY(qFuzzyCompare(estimator.estimate(base::Instant(kHour)).p, 2.0 / 3.0));
    }

    void aSampleFromThePastCountsAsOfTheLatest()
    {
        AvailabilityEstimator estimator;
        estimator.record(false, base::Instant(10 * kHour));
        estimator.record(false, base::Instant(kHour)); // never with a monotonic clock
        QCOMPARE(estimator.estimate(base::Instant(10 * kHour)).p, 9.0 / 12.0);
    }
};

QTEST_GUILESS_MAIN(TestAvailability)
#include "test_availability.moc"
