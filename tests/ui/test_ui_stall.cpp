// Long work never freezes the window: while the desktop app sends a 1 GiB
// file (dropped on a contact) to a real cairnd node through three storage
// nodes, a 5 ms timer measures the event loop's longest stall. It must stay
// under 50 ms; the test prints the figure. CAIRN_DROP_BYTES picks another size.
#include "../integration/testgroup.h"
#include "core/engine/messaging.h"
#include "core/engine/node.h"
#include "core/transfer/transfermanager.h"
#include "ui/contactlist.h"
#include "ui/contactsmodel.h"
#include "ui/contactspage.h"
#include "ui/nodehost.h"
#include "ui/workspace.h"
#include "uitest.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QMimeData>
#include <QTemporaryDir>
#include <QUrl>

#include <algorithm>
#include <ctime>
#include <memory>
#include <sys/resource.h>

using namespace cairn;

namespace {
constexpr qint64 kMiB = 1024 * 1024;

/// The longest gap between two ticks of a short timer, less the interval:
/// how long the event loop was busy with something else.
class StallMeter : public QObject {
public:
    static constexpr int kIntervalMs = 5;
    void start()
    {
        m_clock.start();
        m_last = 0;
        m_lastCpu = threadCpuMs();
        m_timer = startTimer(kIntervalMs, Qt::PreciseTimer);
    }
    /// CPU time this thread spent during the longest stall: the rest of it
    /// the thread was waiting for a core (this machine runs every node).
    qint64 longestStallCpuMs() const { return m_longestCpu; }
    void stop() { killTimer(m_timer); }
    qint64 longestStallMs() const { return m_longest; }
    qint64 ticks() const { return m_ticks; }
    QList<qint64> worst() const { return m_worst; }

protected:
    void timerEvent(QTimerEvent *) override
    {
        const qint64 now = m_clock.elapsed();
        const qint64 cpu = threadCpuMs();
        const qint64 stall = now - m_last - kIntervalMs;
        if (stall > m_longest) {
            m_longest = stall;
            m_longestCpu = cpu - m_lastCpu;
        }
        m_last = now;
        m_lastCpu = cpu;
        ++m_ticks;
        m_worst.append(stall);
        std::sort(m_worst.begin(), m_worst.end(), std::greater<>());
        if (m_worst.size() > 5)
            m_worst.resize(5);
    }

private:
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    static qint64 threadCpuMs()
    {
        timespec t {};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return qint64(t.tv_sec) * 1000 + t.tv_nsec / 1'000'000;
    }

    qint64 m_longest = 0;
    qint64 m_longestCpu = 0;
    qint64 m_lastCpu = 0;
    qint64 m_ticks = 0;
    QList<qint64> m_worst;
    int m_timer = 0;
};
} // namespace

/// Times every event the loop dispatches, to name the slowest ones when
/// the window stalls (what ran, for how long).
class TimingApplication : public QApplication {
public:
    using QApplication::QApplication;
    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_depth++ > 0) {
            const bool r = QApplication::notify(receiver, event);
            --m_depth;
            return r;
        }
        QElapsedTimer t;
        t.start();
        const bool r = QApplication::notify(receiver, event);
        --m_depth;
        const qint64 us = t.nsecsElapsed() / 1000;
        if (m_recording && us > 20000) {
            const QObject *owner = receiver->parent();
            m_slow.append(QStringLiteral("%1 ms in %2 of %3 (event %4)")
                              .arg(us / 1000.0, 0, 'f', 1)
                              .arg(QString::fromLatin1(receiver->metaObject()->className()),
                                  owner ? QString::fromLatin1(owner->metaObject()->className()) : QStringLiteral("-"))
                              .arg(int(event->type())));
        }
        return r;
    }
    void record(bool on) { m_recording = on; }
    QStringList slow() const { return m_slow; }

private:
    int m_depth = 0;
    bool m_recording = false;
    QStringList m_slow;
};

class TestUiStall : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { uitest::installQuietHandler(); }

    void sendingAGigabyteNeverStallsTheWindow()
    {
        const qint64 size = dropBytesFromEnv();
        const QString pass = m_dir.filePath(QStringLiteral("pass"));
        QVERIFY(writePassphraseFile(pass, "stall test passphrase"));
        TestGroup group(m_dir.path(), pass,
            {QStringLiteral("--min-copies"), QStringLiteral("3"), QStringLiteral("--reliability"),
                QStringLiteral("0.999"), QStringLiteral("--poll"), QStringLiteral("2s")});
        QString why;
        const QString donate = QString::number(size * 3 / kMiB + 256) + QStringLiteral("M");
        QVERIFY2(group.create(QStringLiteral("Big Files"), donate, 10, &why), qPrintable(why));
        for (int i = 1; i <= 3; ++i)
            QVERIFY2(group.add(QStringLiteral("s%1").arg(i), donate, &why), qPrintable(why));
        const QString downloads = m_dir.filePath(QStringLiteral("bob-downloads"));
        QVERIFY(QDir().mkpath(downloads));
        NodeProcess *bob = group.add(QStringLiteral("bob"), {}, &why,
            {QStringLiteral("--downloads"), downloads, QStringLiteral("--auto-receive")});
        QVERIFY2(bob, qPrintable(why));

        const QString file = m_dir.filePath(QStringLiteral("expedition-footage.bin"));
        QVERIFY(writePatternFile(file, size));
        const QByteArray hash = sha256Of(file);
        // On people's desks the peers are other computers; here they share
        // the two cores with the window under test. Lower their priority so
        // the figure is the app's own, not the scheduler's.
        for (NodeProcess *peer : group.all())
            setpriority(PRIO_PROCESS, id_t(peer->pid()), 10);

        const QString profile = m_dir.filePath(QStringLiteral("alice"));
        uitest::writeTestSettings(profile, 3, 0.999);
        ui::MainWindow window(profile);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(uitest::createIdentity(window, QStringLiteral("Alice"), QStringLiteral("granite river lantern 42")));
        QVERIFY(uitest::joinWithInvite(window, group.link()));
        ui::ContactsPage *contacts = window.workspace()->contacts();
        QTRY_VERIFY2_WITH_TIMEOUT(contacts->model()->rowOf(QStringLiteral("bob")) >= 0,
            qPrintable(contacts->findChild<QLabel *>(QStringLiteral("contactsStatus"))->text()), 20000);
        engine::Node *node = window.host()->node();
        QVERIFY(waitFor([&] { return node->stats().routingTableSize >= 5; }, 20000));

        // Drop the file on bob and watch the loop until alice has sent it all.
        StallMeter meter;
        meter.start();
        auto *app = static_cast<TimingApplication *>(QCoreApplication::instance());
        app->record(true);
        QElapsedTimer clock;
        clock.start();
        const QModelIndex bobIndex = contacts->model()->index(contacts->model()->rowOf(QStringLiteral("bob")));
        const QPoint at = contacts->list()->visualRect(bobIndex).center();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(file)});
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(contacts->list()->viewport(), &enter);
        QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(contacts->list()->viewport(), &drop);

        auto uploadDone = [&] {
            if (!node->messaging())
                return false;
            const auto all = node->messaging()->transfers().transfers();
            return !all.isEmpty() && all.first().state == transfer::TransferState::Done;
        };
        // Wait in the event loop (QTest::qWait), never blocking it here.
        QVERIFY2(QTest::qWaitFor(uploadDone, 20 * 60 * 1000), "the upload did not finish");
        meter.stop();
        app->record(false);
        if (!app->slow().isEmpty())
            qInfo().noquote() << "events that took over 20 ms:" << app->slow().mid(0, 10).join(QStringLiteral("; "));
        const double seconds = clock.elapsed() / 1000.0;
        const qint64 stall = meter.longestStallMs();
        QStringList worst;
        for (qint64 w : meter.worst())
            worst << QString::number(w);
        qInfo().noquote() << QStringLiteral("sent %1 MiB in %2 s (%3 MB/s); event loop: %4 ticks, longest stall %5 ms "
                                            "(%6 ms of it on this thread's CPU; worst five: %7 ms); limit 50 ms")
                                 .arg(size / kMiB)
                                 .arg(seconds, 0, 'f', 1)
                                 .arg(size / 1e6 / seconds, 0, 'f', 1)
                                 .arg(meter.ticks())
                                 .arg(stall)
                                 .arg(meter.longestStallCpuMs())
                                 .arg(worst.join(QStringLiteral(", ")));
        QVERIFY2(stall < 50, qPrintable(QStringLiteral("the window froze for %1 ms").arg(stall)));

        // And bob has it, byte-identical.
        const QString received = QDir(downloads).filePath(QStringLiteral("expedition-footage.bin"));
        QVERIFY2(waitFor([&] { return QFileInfo(received).size() == size && sha256Of(received) == hash; }, 600000),
            qPrintable(bob->output().right(3000)));
    }
};

int main(int argc, char **argv)
{
    allowLongTestFunctions();
    TimingApplication app(argc, argv);
    TestUiStall test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_ui_stall.moc"
