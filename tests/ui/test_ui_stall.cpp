// Long work never freezes the window: while the desktop app sends a 1 GiB
// file (dropped on a contact) to a real cairnd node through three storage
// nodes, a 5 ms timer measures the event loop's longest stall. It must stay
// under 50 ms; the test prints the figure. Times when the machine itself
// ran nothing of ours (an idle reference thread missed its wake-ups too:
// the host took the virtual machine's cores) are reported and taken out of
// the figure checked. CAIRN_DROP_BYTES picks another size.
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
#include <atomic>
#include <ctime>
#include <memory>
#include <mutex>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

using namespace cairn;

namespace {
constexpr qint64 kMiB = 1024 * 1024;

qint64 monotonicUs()
{
    timespec t {};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return qint64(t.tv_sec) * 1'000'000 + t.tv_nsec / 1000;
}

QString readProc(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).simplified() : QStringLiteral("?");
}

/// Says what the window's thread was doing while it stalled: a thread of
/// its own looks at the thread's state, system call and kernel stack in
/// /proc whenever the event loop has not ticked for kLateMs (a stall with
/// little CPU time is a wait: for the disk, a lock, a page fault).
class StallWatchdog {
public:
    /// The system call the thread is in, with the file its first argument
    /// names when it is one of the sync calls.
    static QString syscallWithFile(const QString &task)
    {
        const QString call = readProc(task + QStringLiteral("syscall"));
        const QStringList parts = call.split(QLatin1Char(' '));
        // 74 fsync, 75 fdatasync, 277 sync_file_range (x86-64).
        if (parts.size() > 1 && (parts[0] == u"74" || parts[0] == u"75" || parts[0] == u"277")) {
            bool ok = false;
            const int fd = parts[1].toInt(&ok, 16);
            if (ok)
                return parts[0] + QStringLiteral(" on ")
                    + QFile::symLinkTarget(QStringLiteral("/proc/self/fd/%1").arg(fd));
        }
        return call.left(60);
    }

    static constexpr qint64 kLateMs = 40;
    explicit StallWatchdog(const std::atomic<qint64> &lastTick)
        : m_lastTick(lastTick), m_tid(pid_t(::syscall(SYS_gettid)))
    {
        m_thread = std::thread([this] { run(); });
    }
    ~StallWatchdog()
    {
        m_stop = true;
        m_thread.join();
    }
    QStringList samples() const
    {
        std::lock_guard lock(m_mutex);
        return m_samples;
    }

private:
    void run()
    {
        qint64 sampledStall = -1;
        qint64 sampledAt = 0;
        const QString task = QStringLiteral("/proc/self/task/%1/").arg(m_tid);
        // schedstat: ns on a CPU, ns runnable but waiting for one (in this
        // machine's scheduler), time slices. Taken before each stall.
        QStringList before;
        while (!m_stop) {
            std::this_thread::sleep_for(std::chrono::milliseconds(3));
            const qint64 last = m_lastTick.load();
            const qint64 now = monotonicUs();
            const qint64 late = (now - last) / 1000;
            if (late < 10)
                before = readProc(task + QStringLiteral("schedstat")).split(QLatin1Char(' '));
            // A sample when a stall passes kLateMs, another every 50 ms it lasts.
            if (late < kLateMs || (last == sampledStall && now - sampledAt < 50'000))
                continue;
            sampledStall = last;
            sampledAt = now;
            const QStringList sched = readProc(task + QStringLiteral("schedstat")).split(QLatin1Char(' '));
            auto delta = [&](int i) {
                return sched.size() > i && before.size() > i
                    ? (sched[i].toLongLong() - before[i].toLongLong()) / 1'000'000
                    : -1;
            };
            const QString stat = readProc(task + QStringLiteral("stat"));
            const qsizetype paren = stat.lastIndexOf(QLatin1Char(')'));
            const QString sample = QStringLiteral("%1 ms late (%5 ms on a CPU, %6 ms waiting for one): state %2, "
                                                  "syscall [%3], kernel stack [%4]")
                                       .arg(late)
                                       .arg(paren > 0 ? stat.mid(paren + 2, 1) : QStringLiteral("?"))
                                       .arg(syscallWithFile(task))
                                       .arg(readProc(task + QStringLiteral("stack")).left(400))
                                       .arg(delta(0))
                                       .arg(delta(1));
            std::lock_guard lock(m_mutex);
            if (m_samples.size() < 20)
                m_samples.append(sample);
        }
    }

    const std::atomic<qint64> &m_lastTick;
    const pid_t m_tid;
    std::atomic<bool> m_stop {false};
    mutable std::mutex m_mutex;
    QStringList m_samples;
    std::thread m_thread;
};

/// When this machine did not run anything of ours: a thread that only
/// sleeps 1 ms and wakes notes every wake-up that came over 5 ms late. On
/// this 2-core virtual machine the host sometimes takes both cores away
/// for 50-250 ms (the window's thread is then seen runnable, yet neither
/// on a core nor waiting for one in this kernel's accounting); a stall of
/// the window inside such a pause is not the window's doing.
class PauseRecorder {
public:
    static constexpr qint64 kSleepUs = 1000;
    static constexpr qint64 kLateUs = 5000;
    PauseRecorder()
    {
        m_thread = std::thread([this] { run(); });
    }
    ~PauseRecorder()
    {
        m_stop = true;
        m_thread.join();
    }
    /// How many µs of [from, to] fell into pauses.
    qint64 overlapUs(qint64 from, qint64 to) const
    {
        std::lock_guard lock(m_mutex);
        qint64 sum = 0;
        for (const auto &[start, end] : m_pauses)
            sum += std::max<qint64>(0, std::min(to, end) - std::max(from, start));
        return sum;
    }
    qint64 longestUs() const
    {
        std::lock_guard lock(m_mutex);
        qint64 longest = 0;
        for (const auto &[start, end] : m_pauses)
            longest = std::max(longest, end - start);
        return longest;
    }

private:
    void run()
    {
        while (!m_stop) {
            const qint64 before = monotonicUs();
            std::this_thread::sleep_for(std::chrono::microseconds(kSleepUs));
            const qint64 after = monotonicUs();
            if (after - before > kSleepUs + kLateUs) {
                std::lock_guard lock(m_mutex);
                m_pauses.emplace_back(before + kSleepUs, after);
            }
        }
    }

    std::atomic<bool> m_stop {false};
    mutable std::mutex m_mutex;
    std::vector<std::pair<qint64, qint64>> m_pauses;
    std::thread m_thread;
};

/// The longest gap between two ticks of a short timer, less the interval:
/// how long the event loop was busy with something else.
class StallMeter : public QObject {
public:
    static constexpr int kIntervalMs = 5;
    void start()
    {
        m_lastUs = monotonicUs();
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
    /// CLOCK_MONOTONIC µs of the last tick, for the watchdog's thread.
    const std::atomic<qint64> &lastTick() const { return m_lastUs; }
    /// The longest stall less the parts of it the machine was paused
    /// (`pauses`), in ms: the window's own.
    double longestOwnStallMs(const PauseRecorder &pauses) const
    {
        qint64 longest = 0;
        for (const auto &[from, to] : m_gaps)
            longest = std::max(longest, (to - from) - pauses.overlapUs(from, to));
        return longest / 1000.0;
    }

protected:
    void timerEvent(QTimerEvent *) override
    {
        const qint64 cpu = threadCpuMs();
        const qint64 now = monotonicUs();
        const qint64 last = m_lastUs.exchange(now);
        if (now - last > (kIntervalMs + 10) * 1000)
            m_gaps.emplace_back(last + kIntervalMs * 1000, now);
        const qint64 stall = (now - last) / 1000 - kIntervalMs;
        if (stall > m_longest) {
            m_longest = stall;
            m_longestCpu = cpu - m_lastCpu;
        }
        m_lastCpu = cpu;
        ++m_ticks;
        m_worst.append(stall);
        std::sort(m_worst.begin(), m_worst.end(), std::greater<>());
        if (m_worst.size() > 5)
            m_worst.resize(5);
    }

private:
    static qint64 threadCpuMs()
    {
        timespec t {};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return qint64(t.tv_sec) * 1000 + t.tv_nsec / 1'000'000;
    }

    std::atomic<qint64> m_lastUs {monotonicUs()};
    /// Stalls over 10 ms: [when the tick was due, when it came] in µs.
    std::vector<std::pair<qint64, qint64>> m_gaps;
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
        PauseRecorder pauses;
        StallMeter meter;
        meter.start();
        auto watchdog = std::make_unique<StallWatchdog>(meter.lastTick());
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
        const QStringList stalls = watchdog->samples();
        watchdog.reset();
        app->record(false);
        for (const QString &sample : stalls)
            qInfo().noquote() << "while the window stalled:" << sample;
        if (!app->slow().isEmpty())
            qInfo().noquote() << "events that took over 20 ms:" << app->slow().mid(0, 10).join(QStringLiteral("; "));
        const double seconds = clock.elapsed() / 1000.0;
        const qint64 stall = meter.longestStallMs();
        QStringList worst;
        for (qint64 w : meter.worst())
            worst << QString::number(w);
        const double own = meter.longestOwnStallMs(pauses);
        qInfo().noquote() << QStringLiteral("sent %1 MiB in %2 s (%3 MB/s); event loop: %4 ticks, longest stall %5 ms "
                                            "(%6 ms of it on this thread's CPU; worst five: %7 ms); the machine's "
                                            "longest pause %8 ms; the window's own longest stall %9 ms; limit 50 ms")
                                 .arg(size / kMiB)
                                 .arg(seconds, 0, 'f', 1)
                                 .arg(size / 1e6 / seconds, 0, 'f', 1)
                                 .arg(meter.ticks())
                                 .arg(stall)
                                 .arg(meter.longestStallCpuMs())
                                 .arg(worst.join(QStringLiteral(", ")))
                                 .arg(pauses.longestUs() / 1000.0, 0, 'f', 1)
                                 .arg(own, 0, 'f', 1);
        QVERIFY2(own < 50,
            qPrintable(QStringLiteral("the window froze for %1 ms (%2 ms in all, pauses of the machine included)")
                           .arg(own, 0, 'f', 1)
                           .arg(stall)));

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
