// cairn-bench-loopback: Cairn's DHT and OpenDHT side by side, each as 64
// nodes on 127.0.0.1 with real UDP sockets in one process. Same workload on
// both: sequential put+get pairs of random 1 KiB values (put from one random
// node, get from another), lookups per second, then half of the nodes crash
// (destroyed without telling anyone) and values stored before are read
// again. The Cairn side runs here; the OpenDHT side is
// tests/bench/opendht_loopback.py, started as a child process under
// /usr/bin/python3 (Debian's python3-opendht), whose JSON is read back.
#include "tests/bench/loopbackcluster.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sys/resource.h>

using namespace cairn;
using namespace cairn::bench;
using namespace std::chrono_literals;

namespace {

struct Options {
    int nodes = 64;
    int pairs = 200;
    int deadGets = 200;
    int valueBytes = 1024;
    double lookupSeconds = 3.0;
    int concurrency = 16;
    int lookupResults = 8;
    /// Experiments only: override DhtConfig defaults (0 keeps the default).
    int readParallelism = 0;
    int alpha = 0;
    quint64 seed = 1;
    int opTimeoutMs = 10'000;
    MessageLayer layer = MessageLayer::Plain;
    Threading threading = Threading::PerNode;
    bool json = false;
    bool opendht = true;
    QString python;
    QString script;
};

/// Latencies of one kind of operation; percentiles are nearest-rank over
/// the successes, failures are counted apart.
struct Latencies {
    std::vector<double> ms;
    int failures = 0;

    std::optional<double> percentile(double p) const
    {
        if (ms.empty())
            return std::nullopt;
        std::vector<double> s = ms;
        std::sort(s.begin(), s.end());
        const auto rank = qsizetype(std::ceil(p * double(s.size())));
        return s[size_t(std::max<qsizetype>(rank - 1, 0))];
    }
    QJsonObject toJson() const
    {
        auto value = [](std::optional<double> v) { return v ? QJsonValue(*v) : QJsonValue(); };
        return {{QStringLiteral("count"), qint64(ms.size())}, {QStringLiteral("failures"), failures},
            {QStringLiteral("median_ms"), value(percentile(0.5))}, {QStringLiteral("p95_ms"), value(percentile(0.95))},
            {QStringLiteral("p99_ms"), value(percentile(0.99))}, {QStringLiteral("max_ms"), value(percentile(1.0))},
            {QStringLiteral("over_100ms"),
                qint64(std::count_if(ms.begin(), ms.end(), [](double v) { return v > 100; }))}};
    }
};

/// CPU seconds (user + system) of this process, or of its finished children.
double cpuSeconds(int who)
{
    rusage u {};
    if (getrusage(who, &u) != 0)
        return 0;
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/// The one-minute load average: both sides share the machine with whatever
/// else runs, and their figures move with it.
double loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? f.readLine().split(' ').value(0).toDouble() : -1;
}

double elapsedMs(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

/// A random node of `among`, other than `except` when there is a choice.
int pickNode(base::Rng &rng, const QList<int> &among, int except = -1)
{
    for (;;) {
        const int i = among[qsizetype(rng.uniform(quint64(among.size())))];
        if (i != except || among.size() < 2)
            return i;
    }
}

/// One getBlob from `reader`; records its latency (or a failure) and
/// whether it was answered from the reader's own store.
void timedGet(LoopbackCluster &cluster, int reader, const QByteArray &key, const QByteArray &value, Latencies &out,
    int &localHits, const Options &o)
{
    struct State {
        bool done = false;
        bool ok = false;
        double ms = 0;
        int hops = -1;
    };
    auto state = std::make_shared<State>();
    QElapsedTimer t;
    t.start();
    // Timed from the post to the result's arrival on this (the driver's)
    // thread, both thread hops included in per-node mode.
    cluster.post(reader, [&cluster, state, t, key, value](dht::DhtNode &node) {
        auto hops = std::make_shared<int>(-1); // written and read in the node's thread
        node.getBlob(
            key,
            [&cluster, state, t, value, hops](dht::Result<QByteArray> r) {
                const bool ok = r.ok() && r.value() == value;
                const int h = *hops;
                cluster.toDriver([state, t, ok, h] {
                    state->ms = elapsedMs(t);
                    state->ok = ok;
                    state->hops = h;
                    state->done = true;
                });
            },
            [hops](int h) { *hops = h; });
    });
    if (!waitFor([state] { return state->done; }, std::chrono::milliseconds(o.opTimeoutMs)) || !state->ok) {
        ++out.failures;
        return;
    }
    out.ms.push_back(state->ms);
    localHits += state->hops == 0 ? 1 : 0;
}

/// findNode of random targets from random live nodes, `concurrency` at a
/// time, for `seconds`; returns completed lookups per second.
double lookupRate(LoopbackCluster &cluster, base::Rng &rng, const Options &o, int concurrency)
{
    struct State {
        int outstanding = 0;
        int completed = 0;
    };
    auto state = std::make_shared<State>();
    const QList<int> live = cluster.live();
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < qint64(o.lookupSeconds * 1000)) {
        while (state->outstanding < concurrency) {
            ++state->outstanding;
            const int from = pickNode(rng, live);
            const auto target = *identity::NodeId::fromBytes(rng.bytes(identity::NodeId::kBytes));
            const int results = o.lookupResults;
            cluster.post(from, [&cluster, state, target, results](dht::DhtNode &node) {
                node.findNode(target, results, [&cluster, state](const QList<dht::Contact> &, const auto &) {
                    cluster.toDriver([state] {
                        --state->outstanding;
                        ++state->completed;
                    });
                });
            });
        }
        if (!waitFor([&] { return state->outstanding < concurrency; }, std::chrono::milliseconds(o.opTimeoutMs)))
            break;
    }
    waitFor([state] { return state->outstanding == 0; }, std::chrono::milliseconds(o.opTimeoutMs));
    return double(state->completed) / (double(t.nsecsElapsed()) / 1e9);
}

QJsonObject runCairn(const Options &o, const dht::DhtConfig &config, QString &error)
{
    QTemporaryDir dir;
    LoopbackCluster cluster(o.layer, o.threading, config, dir.path());
    base::SeededRng pick(o.seed); // which nodes act, the values, the targets
    QJsonObject out {{QStringLiteral("implementation"), QStringLiteral("cairn")}, {QStringLiteral("nodes"), o.nodes}};

    QElapsedTimer clock;
    clock.start();
    error = cluster.start(o.nodes);
    if (!error.isEmpty())
        return {};
    const int joined = cluster.bootstrapAll(5s);
    out.insert(QStringLiteral("bootstrapped"), joined);
    out.insert(QStringLiteral("bootstrap_s"), double(clock.elapsed()) / 1000.0);
    out.insert(QStringLiteral("settle_s"), cluster.settle(1s, 15s));
    out.insert(QStringLiteral("routing_entries_mean"), cluster.meanTableSize());
    out.insert(QStringLiteral("threading"),
        o.threading == Threading::PerNode ? QStringLiteral("per-node") : QStringLiteral("single"));
    out.insert(QStringLiteral("threads"), cluster.threadCount());
    std::fprintf(stderr, "cairn: %d nodes up on %d thread(s), %d bootstrapped, settled in %.1f s\n", o.nodes,
        cluster.threadCount(), joined, double(clock.elapsed()) / 1000.0);

    const quint64 handshakesBefore = cluster.handshakes();
    out.insert(QStringLiteral("handshakes_setup"), qint64(handshakesBefore));
    out.insert(QStringLiteral("pending_timers_after_settle"), qint64(cluster.pendingTimers()));
    Latencies put, get, pair;
    int localHits = 0;
    QList<QPair<QByteArray, QByteArray>> stored; // key, value
    const QList<int> all = cluster.live();
    for (int i = 0; i < o.pairs; ++i) {
        const int writer = pickNode(pick, all);
        const int reader = pickNode(pick, all, writer);
        const QByteArray value = pick.bytes(o.valueBytes);
        struct State {
            bool done = false;
            double ms = 0;
            QByteArray key;
        };
        auto state = std::make_shared<State>();
        QElapsedTimer t;
        t.start();
        cluster.post(writer, [&cluster, state, t, value](dht::DhtNode &node) {
            node.putBlob(value, 0, [&cluster, state, t](dht::Result<QByteArray> r) {
                const QByteArray key = r.ok() ? r.value() : QByteArray();
                cluster.toDriver([state, t, key] {
                    state->ms = elapsedMs(t);
                    state->key = key;
                    state->done = true;
                });
            });
        });
        if (!waitFor([state] { return state->done; }, std::chrono::milliseconds(o.opTimeoutMs))
            || state->key.isEmpty()) {
            ++put.failures;
            ++pair.failures;
            continue;
        }
        put.ms.push_back(state->ms);
        stored.append({state->key, value});
        const size_t before = get.ms.size();
        timedGet(cluster, reader, state->key, value, get, localHits, o);
        if (get.ms.size() > before)
            pair.ms.push_back(state->ms + get.ms.back());
        else
            ++pair.failures;
    }
    out.insert(QStringLiteral("put"), put.toJson());
    out.insert(QStringLiteral("get"), get.toJson());
    out.insert(QStringLiteral("put_get"), pair.toJson());
    out.insert(QStringLiteral("get_local_hits"), localHits);
    out.insert(QStringLiteral("handshakes_pairs"), qint64(cluster.handshakes() - handshakesBefore));
    std::fprintf(stderr, "cairn: %d put+get pairs done\n", o.pairs);

    out.insert(QStringLiteral("lookups_per_s_sequential"), lookupRate(cluster, pick, o, 1));
    out.insert(QStringLiteral("lookups_per_s_concurrent"), lookupRate(cluster, pick, o, o.concurrency));
    out.insert(QStringLiteral("lookup_concurrency"), o.concurrency);
    std::fprintf(stderr, "cairn: lookups done\n");

    // Crash a random half: destroyed at once, sockets closed, nobody told.
    QList<int> order = all;
    for (qsizetype i = order.size() - 1; i > 0; --i)
        std::swap(order[i], order[qsizetype(pick.uniform(quint64(i + 1)))]);
    const int killed = o.nodes / 2;
    for (int i = 0; i < killed; ++i)
        cluster.crash(order[i]);
    out.insert(QStringLiteral("killed"), killed);
    const QList<int> survivors = cluster.live();
    const quint64 timeoutsBefore = cluster.rpcTimeouts();
    Latencies dead;
    int deadLocalHits = 0;
    QElapsedTimer deadClock;
    deadClock.start();
    int lostForGood = 0; // failures where no survivor holds a copy
    for (int i = 0; i < std::min<int>(o.deadGets, int(stored.size())); ++i) {
        const int failuresBefore = dead.failures;
        timedGet(cluster, pickNode(pick, survivors), stored[i].first, stored[i].second, dead, deadLocalHits, o);
        if (dead.failures > failuresBefore && !cluster.liveCopyExists(stored[i].first))
            ++lostForGood;
    }
    QJsonObject deadJson = dead.toJson();
    deadJson.insert(QStringLiteral("wall_s"), double(deadClock.elapsed()) / 1000.0);
    deadJson.insert(QStringLiteral("failures_no_live_copy"), lostForGood);
    deadJson.insert(QStringLiteral("local_hits"), deadLocalHits);
    deadJson.insert(QStringLiteral("rpc_timeouts"), qint64(cluster.rpcTimeouts() - timeoutsBefore));
    out.insert(QStringLiteral("get_half_dead"), deadJson);
    std::fprintf(stderr, "cairn: %d gets with half of the nodes dead done\n", int(dead.ms.size()) + dead.failures);
    return out;
}

QJsonObject runOpenDht(const Options &o, QString &error)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(o.python,
        {o.script, QStringLiteral("--nodes"), QString::number(o.nodes), QStringLiteral("--pairs"),
            QString::number(o.pairs), QStringLiteral("--value-bytes"), QString::number(o.valueBytes),
            QStringLiteral("--lookup-seconds"), QString::number(o.lookupSeconds), QStringLiteral("--concurrency"),
            QString::number(o.concurrency), QStringLiteral("--dead-gets"), QString::number(o.deadGets),
            QStringLiteral("--op-timeout"), QString::number(o.opTimeoutMs / 1000.0), QStringLiteral("--seed"),
            QString::number(o.seed)});
    if (!p.waitForStarted(10'000)) {
        error = QStringLiteral("cannot start %1: %2").arg(o.python, p.errorString());
        return {};
    }
    if (!p.waitForFinished(300'000)) {
        p.kill();
        p.waitForFinished(5'000);
        error = QStringLiteral("%1 did not finish within 300 s").arg(o.script);
        return {};
    }
    const QJsonObject result = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    if (result.contains(QStringLiteral("error")))
        error = result.value(QStringLiteral("error")).toString();
    else if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0 || result.isEmpty())
        error = QStringLiteral("%1 failed (exit code %2)").arg(o.script).arg(p.exitCode());
    return error.isEmpty() ? result : QJsonObject();
}

QJsonObject describeConfig(const dht::DhtConfig &c, const Options &o)
{
    return {{QStringLiteral("bucket_size"), c.bucketSize}, {QStringLiteral("replicas"), c.replicas},
        {QStringLiteral("alpha"), c.alpha}, {QStringLiteral("read_parallelism"), c.readParallelism},
        {QStringLiteral("placement"),
            c.placement == dht::Placement::Replica ? QStringLiteral("replica") : QStringLiteral("closest")},
        {QStringLiteral("replica_lookup_width"), c.replicaLookupWidth},
        {QStringLiteral("rpc_retransmits"), c.rpc.retransmits},
        {QStringLiteral("rtt_initial_timeout_ms"), double(dht::RttEstimator::kInitialTimeout.count()) / 1000.0},
        {QStringLiteral("rtt_min_timeout_ms"), double(dht::RttEstimator::kMinTimeout.count()) / 1000.0},
        {QStringLiteral("rtt_min_slow_ms"), double(dht::RttEstimator::kMinSlow.count()) / 1000.0},
        {QStringLiteral("lookup_result_count"), o.lookupResults}};
}

/// A figure from a result object, e.g. at(o, "get", "median_ms").
std::optional<double> at(const QJsonObject &o, const char *section, const char *field = nullptr)
{
    const QJsonValue v = field ? o.value(QLatin1String(section)).toObject().value(QLatin1String(field))
                               : o.value(QLatin1String(section));
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}

QString figure(std::optional<double> v, int decimals = 2)
{
    return v ? QString::number(*v, 'f', decimals) : QStringLiteral("-");
}

/// The two goals from the issue, judged on the measured figures only.
QJsonObject judge(const QJsonObject &cairn, const QJsonObject &odht, QStringList &lines)
{
    QJsonObject goals;
    const auto cm = at(cairn, "get", "median_ms"), om = at(odht, "get", "median_ms");
    const auto cp = at(cairn, "get_half_dead", "p95_ms"), op = at(odht, "get_half_dead", "p95_ms");
    if (cm && om) {
        const bool met = *cm < *om;
        lines << QStringLiteral("goal: Cairn median get < OpenDHT median get: %1 (%2 vs %3 ms)")
                     .arg(met ? QStringLiteral("yes") : QStringLiteral("no"), figure(cm, 3), figure(om, 3));
        goals.insert(QStringLiteral("median_get_below_opendht"), met);
    } else {
        lines << QStringLiteral("goal: Cairn median get < OpenDHT median get: not evaluated (a figure is missing)");
    }
    if (cp && op) {
        const bool met = *cp <= *op / 10.0;
        lines << QStringLiteral("goal: Cairn p95 get with half dead <= OpenDHT p95 / 10: %1 (%2 vs %3 / 10 = %4 ms)")
                     .arg(met ? QStringLiteral("yes") : QStringLiteral("no"), figure(cp), figure(op),
                         figure(*op / 10.0));
        goals.insert(QStringLiteral("half_dead_p95_tenth_of_opendht"), met);
        // OpenDHT's tail is a minority of gets that wait on a 1 s timeout;
        // when fewer than 5% do, its p95 is not one of them.
        const auto cq = at(cairn, "get_half_dead", "p99_ms"), oq = at(odht, "get_half_dead", "p99_ms");
        const auto cs = at(cairn, "get_half_dead", "over_100ms"), os = at(odht, "get_half_dead", "over_100ms");
        lines << QStringLiteral("info: with half dead, gets over 100 ms: Cairn %1 of %2, OpenDHT %3 of %4; p99: Cairn "
                                "%5 ms, OpenDHT %6 ms")
                     .arg(figure(cs, 0), figure(at(cairn, "get_half_dead", "count"), 0), figure(os, 0),
                         figure(at(odht, "get_half_dead", "count"), 0), figure(cq), figure(oq));
    } else {
        lines << QStringLiteral(
            "goal: Cairn p95 get with half dead <= OpenDHT p95 / 10: not evaluated (a figure is missing)");
    }
    return goals;
}

void printTable(const Options &o, const QJsonObject &cairn, const QJsonObject &odht)
{
    auto row = [](const QString &label, const QString &a, const QString &b) {
        std::printf("  %-38s %18s %18s\n", qPrintable(label), qPrintable(a), qPrintable(b));
    };
    auto pair = [](const QJsonObject &r, const char *section) {
        return QStringLiteral("%1 / %2").arg(
            figure(at(r, section, "median_ms"), 3), figure(at(r, section, "p95_ms"), 3));
    };
    auto count = [](const QJsonObject &r, const char *section, const char *field) {
        const auto v = field ? at(r, section, field) : at(r, section);
        return v ? QString::number(*v, 'f', 0) : QStringLiteral("-");
    };
    row(QString(), QStringLiteral("Cairn"), QStringLiteral("OpenDHT"));
    row(QStringLiteral("settle after bootstrap (s)"), figure(at(cairn, "settle_s"), 1),
        figure(at(odht, "settle_s"), 1));
    row(QStringLiteral("routing-table entries per node (mean)"), figure(at(cairn, "routing_entries_mean"), 1),
        figure(at(odht, "routing_entries_mean"), 1));
    row(QStringLiteral("put median / p95 (ms)"), pair(cairn, "put"), pair(odht, "put"));
    row(QStringLiteral("get median / p95 (ms)"), pair(cairn, "get"), pair(odht, "get"));
    row(QStringLiteral("put+get median / p95 (ms)"), pair(cairn, "put_get"), pair(odht, "put_get"));
    row(QStringLiteral("put failures / get failures"),
        count(cairn, "put", "failures") + QStringLiteral(" / ") + count(cairn, "get", "failures"),
        count(odht, "put", "failures") + QStringLiteral(" / ") + count(odht, "get", "failures"));
    row(QStringLiteral("lookups/s, one at a time"), figure(at(cairn, "lookups_per_s_sequential"), 0),
        figure(at(odht, "lookups_per_s_sequential"), 0));
    row(QStringLiteral("lookups/s, %1 at once").arg(o.concurrency), figure(at(cairn, "lookups_per_s_concurrent"), 0),
        figure(at(odht, "lookups_per_s_concurrent"), 0));
    row(QStringLiteral("CPU time, all phases (s)"), figure(at(cairn, "cpu_s"), 1), figure(at(odht, "cpu_s"), 1));
    std::printf("  after %d of %d nodes crashed (no notice), %d gets of values stored before:\n", o.nodes / 2, o.nodes,
        o.deadGets);
    row(QStringLiteral("get median / p95 (ms)"), pair(cairn, "get_half_dead"), pair(odht, "get_half_dead"));
    row(QStringLiteral("get p99 / max (ms)"),
        figure(at(cairn, "get_half_dead", "p99_ms")) + QStringLiteral(" / ")
            + figure(at(cairn, "get_half_dead", "max_ms")),
        figure(at(odht, "get_half_dead", "p99_ms")) + QStringLiteral(" / ")
            + figure(at(odht, "get_half_dead", "max_ms")));
    row(QStringLiteral("gets over 100 ms"), count(cairn, "get_half_dead", "over_100ms"),
        count(odht, "get_half_dead", "over_100ms"));
    row(QStringLiteral("get failures (lost: no live copy)"),
        count(cairn, "get_half_dead", "failures")
            + QStringLiteral(" (%1 lost)").arg(count(cairn, "get_half_dead", "failures_no_live_copy")),
        count(odht, "get_half_dead", "failures"));
    row(QStringLiteral("wall time of these gets (s)"), figure(at(cairn, "get_half_dead", "wall_s"), 1),
        figure(at(odht, "get_half_dead", "wall_s"), 1));
}

bool parse(QCoreApplication &app, Options &o)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Cairn's DHT and OpenDHT side by side: N nodes each on loopback UDP, put+get latency, lookups/s, "
        "then get latency with half of the nodes crashed."));
    parser.addHelpOption();
    auto opt = [&](const char *name, const char *help, const QString &def) {
        QCommandLineOption option(QLatin1String(name), QLatin1String(help), QStringLiteral("N"), def);
        parser.addOption(option);
        return option;
    };
    const auto nodes = opt("nodes", "Nodes on each side (default 64).", QStringLiteral("64"));
    const auto pairs = opt("pairs", "Sequential put+get pairs (default 200).", QStringLiteral("200"));
    const auto deadGets = opt("dead-gets", "Gets after half of the nodes crash (default 200).", QStringLiteral("200"));
    const auto lookupSeconds = opt("lookup-seconds", "Seconds per lookup-rate run (default 3).", QStringLiteral("3"));
    const auto concurrency
        = opt("concurrency", "Lookups at once in the concurrent run (default 16).", QStringLiteral("16"));
    const auto seed = opt("seed", "Workload seed (default 1).", QStringLiteral("1"));
    const auto readParallelism = opt(
        "read-parallelism", "Experiment: DhtConfig::readParallelism instead of the default.", QStringLiteral("0"));
    const auto alpha = opt("alpha", "Experiment: DhtConfig::alpha instead of the default.", QStringLiteral("0"));
    const QCommandLineOption plain(QStringLiteral("plain"),
        QStringLiteral("Cairn over the plain FragmentingTransport (the default when SecureTransport is not built)."));
    const QCommandLineOption singleThread(QStringLiteral("single-thread"),
        QStringLiteral("Run all Cairn nodes on the main thread's event loop (the default: a thread per node)."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON object instead of text."));
    const QCommandLineOption noOpenDht(QStringLiteral("no-opendht"), QStringLiteral("Run the Cairn side only."));
    const QCommandLineOption python(QStringLiteral("python"),
        QStringLiteral("Interpreter with python3-opendht (default /usr/bin/python3)."), QStringLiteral("PATH"),
        QStringLiteral("/usr/bin/python3"));
    const QCommandLineOption script(QStringLiteral("opendht-script"), QStringLiteral("The OpenDHT side's script."),
        QStringLiteral("PATH"), QStringLiteral(CAIRN_BENCH_SOURCE_DIR "/opendht_loopback.py"));
    parser.addOptions({plain, singleThread, json, noOpenDht, python, script});
    parser.process(app);

    bool ok[9] = {};
    o.nodes = parser.value(nodes).toInt(&ok[0]);
    o.pairs = parser.value(pairs).toInt(&ok[1]);
    o.deadGets = parser.value(deadGets).toInt(&ok[2]);
    o.lookupSeconds = parser.value(lookupSeconds).toDouble(&ok[3]);
    o.concurrency = parser.value(concurrency).toInt(&ok[4]);
    o.seed = parser.value(seed).toULongLong(&ok[5]);
    ok[6] = true;
    o.readParallelism = parser.value(readParallelism).toInt(&ok[7]);
    o.alpha = parser.value(alpha).toInt(&ok[8]);
    o.json = parser.isSet(json);
    o.threading = parser.isSet(singleThread) ? Threading::Single : Threading::PerNode;
    o.opendht = !parser.isSet(noOpenDht);
    o.python = parser.value(python);
    o.script = parser.value(script);
    o.layer = secureLayerBuilt() && !parser.isSet(plain) ? MessageLayer::Secure : MessageLayer::Plain;
    return std::all_of(std::begin(ok), std::end(ok), [](bool b) { return b; }) && o.nodes >= 4 && o.nodes <= 1024
        && o.pairs >= 1 && o.deadGets >= 1 && o.lookupSeconds > 0 && o.concurrency >= 1 && o.readParallelism >= 0
        && o.readParallelism <= 64 && o.alpha >= 0 && o.alpha <= 64;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cairn-bench-loopback"));
    Options o;
    if (!parse(app, o)) {
        std::fprintf(stderr, "cairn-bench-loopback: bad option value (see --help)\n");
        return 2;
    }
    if (!crypto::initSodium())
        return 1;
    dht::DhtConfig config; // the defaults a node runs with, unless an experiment overrides them
    if (o.readParallelism > 0)
        config.readParallelism = o.readParallelism;
    if (o.alpha > 0)
        config.alpha = o.alpha;
    const bool defaults = o.readParallelism == 0 && o.alpha == 0;

    QString cairnError, odhtError;
    const double load = loadAverage();
    QJsonObject cairn = runCairn(o, config, cairnError);
    cairn.insert(QStringLiteral("cpu_s"), cpuSeconds(RUSAGE_SELF));
    if (!cairnError.isEmpty()) {
        std::fprintf(stderr, "cairn-bench-loopback: %s\n", qPrintable(cairnError));
        return 1;
    }
    QJsonObject odht;
    if (o.opendht) {
        odht = runOpenDht(o, odhtError);
        if (odhtError.isEmpty())
            odht.insert(QStringLiteral("cpu_s"), cpuSeconds(RUSAGE_CHILDREN));
    } else
        odhtError = QStringLiteral("not run (--no-opendht)");

    QStringList goalLines;
    const QJsonObject goals = judge(cairn, odht, goalLines);
    if (o.json) {
        QJsonObject out {{QStringLiteral("bench"), QStringLiteral("dht-loopback")}, {QStringLiteral("nodes"), o.nodes},
            {QStringLiteral("pairs"), o.pairs}, {QStringLiteral("value_bytes"), o.valueBytes},
            {QStringLiteral("dead_gets"), o.deadGets}, {QStringLiteral("seed"), QString::number(o.seed)},
            {QStringLiteral("load_average_1min"), load},
            {QStringLiteral("message_layer"),
                o.layer == MessageLayer::Secure ? QStringLiteral("secure") : QStringLiteral("plain")},
            {QStringLiteral("cairn_threading"),
                o.threading == Threading::PerNode ? QStringLiteral("per-node") : QStringLiteral("single")},
            {QStringLiteral("cairn_threads"), cairn.value(QStringLiteral("threads"))},
            {QStringLiteral("latency_note"),
                QStringLiteral("Cairn: from posting the call to the node's thread to the result's arrival on the "
                               "driver thread")},
            {QStringLiteral("cairn_config"), describeConfig(config, o)},
            {QStringLiteral("cairn_config_is_default"), defaults}, {QStringLiteral("cairn"), cairn},
            {QStringLiteral("goals"), goals}};
        if (odhtError.isEmpty())
            out.insert(QStringLiteral("opendht"), odht);
        else
            out.insert(QStringLiteral("opendht_error"), odhtError);
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
        return 0;
    }

    std::printf("DHT on loopback: %d nodes per side, real UDP sockets, one process per side (Cairn: %s; "
                "OpenDHT: a thread per node); load average %.2f at the start on %d cores\n",
        o.nodes, o.threading == Threading::PerNode ? "a thread per node" : "one thread", load,
        QThread::idealThreadCount());
    if (o.threading == Threading::PerNode)
        std::printf("  Cairn threading: %s: %d node threads plus the driver's (--single-thread for one)\n",
            qPrintable(describe(o.threading)), cairn.value(QStringLiteral("threads")).toInt());
    else
        std::printf("  Cairn threading: %s: all %d nodes and the driver on 1 thread (--single-thread)\n",
            qPrintable(describe(o.threading)), o.nodes);
    if (o.threading == Threading::PerNode)
        std::printf("  Cairn latencies: from posting the call to the node's thread to the result's arrival back on the "
                    "driver thread (both thread hops included)\n");
    std::printf("  Cairn message layer: %s\n", qPrintable(describe(o.layer)));
    std::printf("  Cairn DhtConfig (%s): bucket %d, replicas %d, alpha %d, read parallelism %d (hedged), "
                "%s placement, lookup width %d, %d retransmit; RTT timeout initial %lld ms, floor %lld ms (slow/hedge "
                "threshold floor %lld ms)\n",
        defaults ? "defaults" : "EXPERIMENT, not the defaults", config.bucketSize, config.replicas, config.alpha,
        config.readParallelism, config.placement == dht::Placement::Replica ? "replica" : "closest",
        config.replicaLookupWidth, config.rpc.retransmits, qint64(dht::RttEstimator::kInitialTimeout.count() / 1000),
        qint64(dht::RttEstimator::kMinTimeout.count() / 1000), qint64(dht::RttEstimator::kMinSlow.count() / 1000));
    if (o.layer == MessageLayer::Secure)
        std::printf("  Cairn sessions: SessionConfig defaults except the per-source handshake rate limit, lifted "
                    "(all nodes share one IP)\n");
    std::printf("  OpenDHT %s: python3-opendht DhtRunner defaults (8 per bucket, 8 storage nodes), request rate "
                "limits off (all nodes share one IP)\n",
        qPrintable(odht.value(QStringLiteral("version")).toString()));
    std::printf("  workload: %d sequential put+get pairs of %d-byte values (get from another random node); "
                "lookups: Cairn findNode of a random id for the %d closest, OpenDHT get of a random absent key; "
                "percentiles nearest-rank over successes\n",
        o.pairs, o.valueBytes, o.lookupResults);
    if (!odhtError.isEmpty())
        std::printf("  OpenDHT side: %s\n", qPrintable(odhtError));
    std::printf("\n");
    printTable(o, cairn, odht);
    std::printf("  Cairn gets answered from the reader's own replica: %d of %d before, %d after the crash\n",
        cairn.value(QStringLiteral("get_local_hits")).toInt(), o.pairs,
        cairn.value(QStringLiteral("get_half_dead")).toObject().value(QStringLiteral("local_hits")).toInt());
    std::printf("  Cairn timers pending after settling (%s): %lld\n",
        o.threading == Threading::PerNode ? "summed over the nodes' QtSchedulers" : "the one shared QtScheduler",
        qint64(cairn.value(QStringLiteral("pending_timers_after_settle")).toDouble()));
    if (o.layer == MessageLayer::Secure)
        std::printf(
            "  Cairn session handshakes completed (counted at both ends): %lld during bootstrap, %lld more during the "
            "put+get pairs\n",
            qint64(cairn.value(QStringLiteral("handshakes_setup")).toDouble()),
            qint64(cairn.value(QStringLiteral("handshakes_pairs")).toDouble()));
    std::printf("\n");
    for (const QString &line : std::as_const(goalLines))
        std::printf("%s\n", qPrintable(line));
    return 0;
}
