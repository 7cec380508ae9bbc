// ReplayWindow: every counter once, reordering within the window, nothing
// older than the window, checked against a plain set of seen counters.
#include "core/base/rng.h"
#include "core/net/replaywindow.h"

#include <QTest>

#include <set>

using namespace cairn;
using net::ReplayWindow;

class TestReplayWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void inOrderCountersAreAcceptedOnce()
    {
        ReplayWindow w;
        for (quint64 c = 0; c < 5000; ++c) {
            QVERIFY(w.accept(c));
            QVERIFY(!w.accept(c));
        }
        QCOMPARE(w.highest(), quint64(4999));
    }

    void reorderingWithinTheWindowIsFineAndReplaysAreNot()
    {
        ReplayWindow w;
        QVERIFY(w.accept(100));
        QVERIFY(w.accept(90));
        QVERIFY(w.accept(99));
        QVERIFY(!w.accept(90));
        QVERIFY(!w.accept(100));
        QVERIFY(w.accept(101));
        QVERIFY(w.wouldAccept(95));
        QVERIFY(!w.wouldAccept(99));
    }

    void countersOlderThanTheWindowAreRefused()
    {
        ReplayWindow w;
        QVERIFY(w.accept(10'000));
        QVERIFY(!w.accept(10'000 - ReplayWindow::kWindow));
        QVERIFY(w.accept(10'000 - ReplayWindow::kWindow + 1));
    }

    void aLongJumpForgetsTheOldWindowWithoutLettingReplaysIn()
    {
        ReplayWindow w;
        for (quint64 c = 0; c < 200; ++c)
            QVERIFY(w.accept(c));
        QVERIFY(w.accept(1'000'000));
        QVERIFY(!w.accept(150)); // far behind now
        QVERIFY(w.accept(1'000'000 - 64)); // a block that was cleared on the jump
        QVERIFY(!w.accept(1'000'000 - 64));
        QVERIFY(w.accept(~quint64(0)));
        QVERIFY(!w.accept(~quint64(0)));
    }

    void randomTrafficMatchesAReferenceModel()
    {
        base::SeededRng rng(42);
        ReplayWindow w;
        std::set<quint64> seen;
        quint64 top = 0;
        bool any = false;
        for (int i = 0; i < 200'000; ++i) {
            // Mostly near the top, some replays, some far behind, some jumps.
            const quint64 r = rng.uniform(100);
            quint64 c;
            if (r < 70)
                c = top + rng.uniform(64);
            else if (r < 90)
                c = top > 3000 ? top - rng.uniform(3000) : rng.uniform(top + 1);
            else if (r < 99)
                c = seen.empty() ? 0 : *std::next(seen.begin(), qsizetype(rng.uniform(qMin<quint64>(seen.size(), 50))));
            else
                c = top + 5000 + rng.uniform(100'000);
            const bool expected = !any || c > top || (top - c < ReplayWindow::kWindow && !seen.count(c));
            QCOMPARE(w.accept(c), expected);
            if (expected) {
                seen.insert(c);
                if (!any || c > top)
                    top = c;
                any = true;
            }
            while (seen.size() > 10'000)
                seen.erase(seen.begin()); // only the window matters; old ones are refused by age
        }
    }
};

QTEST_GUILESS_MAIN(TestReplayWindow)
#include "test_replaywindow.moc"
