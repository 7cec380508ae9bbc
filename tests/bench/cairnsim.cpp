// cairn-sim: the DHT at scale in the simulator.
//   cairn-sim [lookup] --nodes N --lookups L --dead F --k K --placement replica|closest --seed S [--json]
//   cairn-sim availability --p P[,P...] --k K[,K...] --trials T [--objects N] [--nodes N] [--seed S] [--json]
#include "core/crypto/keys.h"
#include "tests/sim/dht/dhtcluster.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace cairn;
using namespace cairn::sim;
using namespace std::chrono_literals;

namespace {

[[noreturn]] void usage(const QString &why)
{
    std::fprintf(stderr, "cairn-sim: %s (see --help)\n", qPrintable(why));
    std::exit(2);
}

double percentile(QList<double> values, double q)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[qMin(values.size() - 1, qsizetype(q * double(values.size())))];
}

/// Runs `count` operations, `batch` at a time, until all reported.
template <typename Start> void runBatched(DhtCluster &cluster, int count, int batch, Start start)
{
    int done = 0, started = 0;
    auto finish = [&done] { ++done; };
    while (done < count) {
        while (started < count && started - done < batch)
            start(started++, finish);
        const int target = done + 1;
        if (!cluster.runUntil([&] { return done >= target; }, 600s))
            usage(QStringLiteral("an operation never finished (simulator stalled)"));
    }
}

QList<QByteArray> storeBlobs(DhtCluster &cluster, int count, int from = -1)
{
    QList<QByteArray> keys;
    runBatched(cluster, count, 100, [&](int, auto finish) {
        const QByteArray value = cluster.world().rng().bytes(1024);
        cluster.node(from >= 0 ? from : cluster.randomLive())
            ->putBlob(value, 24 * 3600, [&, finish](dht::Result<QByteArray> r) {
                if (r.ok())
                    keys.append(r.value());
                finish();
            });
    });
    return keys;
}

double medianLinkRtt(DhtCluster &cluster)
{
    QList<double> rtts;
    base::SeededRng rng(99);
    LinkModel &links = cluster.world().links();
    for (int i = 0; i < 20'000; ++i) {
        const auto a = NodeId(rng.uniform(quint64(cluster.size())));
        const auto b = NodeId(rng.uniform(quint64(cluster.size())));
        if (a == b)
            continue;
        const auto there = links.sampleLatency(a, b, 200, links.params(a, b), rng);
        const auto back = links.sampleLatency(b, a, 200, links.params(b, a), rng);
        rtts.append(double((there + back).count()) / 1000.0);
    }
    return percentile(rtts, 0.5);
}

int lookupMode(const QCommandLineParser &p, bool json)
{
    DhtClusterConfig config;
    config.nodes = p.value(QStringLiteral("nodes")).toInt();
    const int lookups = p.value(QStringLiteral("lookups")).toInt();
    const double dead = p.value(QStringLiteral("dead")).toDouble();
    config.dht.replicas = p.value(QStringLiteral("k")).toInt();
    config.seed = p.value(QStringLiteral("seed")).toULongLong();
    const QString placement = p.value(QStringLiteral("placement"));
    if (config.nodes < 10 || lookups < 1 || dead < 0 || dead >= 1 || config.dht.replicas < 1
        || config.dht.replicas > 20)
        usage(QStringLiteral("need --nodes >= 10, --lookups >= 1, 0 <= --dead < 1, 1 <= --k <= 20"));
    if (placement != QLatin1String("replica") && placement != QLatin1String("closest"))
        usage(QStringLiteral("--placement is replica or closest"));
    config.dht.placement = placement == QLatin1String("replica") ? dht::Placement::Replica : dht::Placement::Closest;
    config.dht.repairInterval = base::Duration(0); // dead nodes stay unnoticed

    QElapsedTimer wall;
    wall.start();
    DhtCluster cluster(config);
    const int joined = cluster.bootstrapAll();
    const int objects = qMin(lookups, 1000);
    const QList<QByteArray> keys = storeBlobs(cluster, objects);
    const double setupSeconds = double(wall.nsecsElapsed()) / 1e9;

    QList<int> live = cluster.liveNodes();
    for (int i = live.size() - 1; i > 0; --i)
        std::swap(live[i], live[qsizetype(cluster.world().rng().uniform(quint64(i + 1)))]);
    const int killed = int(std::lround(dead * double(live.size())));
    for (int i = 0; i < killed; ++i)
        cluster.crash(live[i]);

    quint64 rpcsBefore = 0, bytesBefore = 0;
    auto totals = [&](quint64 &rpcs, quint64 &bytes) {
        rpcs = bytes = 0;
        for (int i : cluster.liveNodes()) {
            rpcs += cluster.node(i)->rpc().requestsSent();
            bytes += cluster.node(i)->rpc().bytesSent();
        }
    };
    totals(rpcsBefore, bytesBefore);
    QList<double> latencies, hops;
    int succeeded = 0;
    QElapsedTimer lookupWall;
    lookupWall.start();
    runBatched(cluster, lookups, 100, [&](int i, auto finish) {
        const QByteArray key = keys[i % keys.size()];
        const base::Instant started = cluster.world().now();
        auto hopCount = std::make_shared<int>(0);
        cluster.node(cluster.randomLive())
            ->getBlob(
                key,
                [&, started, hopCount, finish](dht::Result<QByteArray> r) {
                    if (r.ok()) {
                        ++succeeded;
                        latencies.append(double((cluster.world().now() - started).count()) / 1000.0);
                        hops.append(*hopCount);
                    }
                    finish();
                },
                [hopCount](int h) { *hopCount = h; });
    });
    const double lookupSeconds = double(lookupWall.nsecsElapsed()) / 1e9;
    quint64 rpcsAfter = 0, bytesAfter = 0;
    totals(rpcsAfter, bytesAfter);
    const double rtt = medianLinkRtt(cluster);
    const double success = 100.0 * succeeded / lookups;
    const double rpcsPer = double(rpcsAfter - rpcsBefore) / lookups;
    const double bytesPer = double(bytesAfter - bytesBefore) / lookups;
    const double totalSeconds = double(wall.nsecsElapsed()) / 1e9;

    if (json) {
        const QJsonObject o {{QStringLiteral("mode"), QStringLiteral("lookup")},
            {QStringLiteral("nodes"), config.nodes}, {QStringLiteral("joined"), joined},
            {QStringLiteral("lookups"), lookups}, {QStringLiteral("dead_fraction"), dead},
            {QStringLiteral("k"), config.dht.replicas}, {QStringLiteral("placement"), placement},
            {QStringLiteral("seed"), QString::number(config.seed)}, {QStringLiteral("success_percent"), success},
            {QStringLiteral("hops_median"), percentile(hops, 0.5)},
            {QStringLiteral("hops_p99"), percentile(hops, 0.99)},
            {QStringLiteral("latency_ms_median"), percentile(latencies, 0.5)},
            {QStringLiteral("latency_ms_p99"), percentile(latencies, 0.99)},
            {QStringLiteral("link_rtt_ms_median"), rtt}, {QStringLiteral("rpcs_per_lookup"), rpcsPer},
            {QStringLiteral("bytes_per_lookup"), bytesPer}, {QStringLiteral("setup_wall_s"), setupSeconds},
            {QStringLiteral("lookup_wall_s"), lookupSeconds}, {QStringLiteral("wall_s"), totalSeconds}};
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
        return 0;
    }
    std::printf("cairn-sim lookup: %d nodes (%d joined), %d lookups (GET of %d stored 1 KiB blobs), %.0f%% dead "
                "and unnoticed, k=%d, %s placement, seed %llu\n",
        config.nodes, joined, lookups, int(keys.size()), dead * 100, config.dht.replicas, qPrintable(placement),
        config.seed);
    std::printf("  success          %.2f %%\n", success);
    std::printf("  hops             median %.0f, p99 %.0f\n", percentile(hops, 0.5), percentile(hops, 0.99));
    std::printf("  latency          median %.1f ms, p99 %.1f ms (virtual); link median RTT %.1f ms -> %.2fx, %.2fx\n",
        percentile(latencies, 0.5), percentile(latencies, 0.99), rtt, percentile(latencies, 0.5) / rtt,
        percentile(latencies, 0.99) / rtt);
    std::printf("  per lookup       %.1f RPCs, %.0f bytes sent\n", rpcsPer, bytesPer);
    std::printf(
        "  wall             %.1f s (setup %.1f s, lookups %.1f s)\n", totalSeconds, setupSeconds, lookupSeconds);
    return 0;
}

QList<double> parseList(const QString &text, bool integer)
{
    QList<double> out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double v = integer ? double(part.toInt(&ok)) : part.toDouble(&ok);
        if (!ok)
            usage(QStringLiteral("not a number: %1").arg(part));
        out.append(v);
    }
    return out;
}

int availabilityMode(const QCommandLineParser &p, bool json)
{
    const QList<double> ps = parseList(p.value(QStringLiteral("p")), false);
    const QList<double> ks = parseList(p.value(QStringLiteral("k")), true);
    const int trials = p.value(QStringLiteral("trials")).toInt();
    const int nodes = p.isSet(QStringLiteral("nodes")) ? p.value(QStringLiteral("nodes")).toInt() : 300;
    const int objects = p.value(QStringLiteral("objects")).toInt();
    if (ps.isEmpty() || ks.isEmpty() || trials < 1 || nodes < 20 || objects < 1)
        usage(QStringLiteral("need --p, --k, --trials >= 1, --objects >= 1 and --nodes >= 20"));
    for (double v : ps) {
        if (v <= 0 || v > 1)
            usage(QStringLiteral("each p is in (0, 1]"));
    }
    constexpr int kReadTrials = 2; // trials in which every object is also read through the DHT
    QJsonArray rows;
    if (!json)
        std::printf("cairn-sim availability: %d storage nodes, %d objects per k stored through the DHT, %d trials per "
                    "row (each node up with probability p, drawn afresh per trial)\n"
                    "     p    k   unreachable   (1-p)^k    2 s.e.   within   reads failed (first %d trials)\n",
            nodes, objects, trials, kReadTrials);
    QElapsedTimer wall;
    wall.start();
    for (double kValue : ks) {
        const int k = int(kValue);
        DhtClusterConfig config;
        config.nodes = nodes;
        config.seed = p.value(QStringLiteral("seed")).toULongLong() + quint64(k);
        config.dht.replicas = k;
        config.dht.repairInterval = base::Duration(0);
        // Node 0 writes and reads and stays up; it stores nothing itself, so
        // every copy is on a node that may go down.
        config.withoutStorage = {0};
        DhtCluster cluster(config);
        cluster.bootstrapAll();
        const QList<QByteArray> keys = storeBlobs(cluster, objects, 0);
        // Where the copies really are, read off the stores.
        QList<QList<int>> holders;
        const qint64 now = cluster.world().unixTime();
        for (const QByteArray &key : keys) {
            QList<int> h;
            for (int i = 1; i < nodes; ++i) {
                auto has = cluster.storeOf(i)->getBlob(key, now);
                if (has.ok() && has.value())
                    h.append(i);
            }
            holders.append(h);
        }
        for (double pUp : ps) {
            double sum = 0, sumSquares = 0;
            int readFailures = 0, reads = 0;
            for (int trial = 0; trial < trials; ++trial) {
                QList<bool> up(nodes, true);
                for (int i = 1; i < nodes; ++i)
                    up[i] = cluster.world().rng().unit() < pUp;
                int lost = 0;
                for (const QList<int> &h : std::as_const(holders))
                    lost += std::none_of(h.begin(), h.end(), [&](int i) { return up[i]; }) ? 1 : 0;
                const double fraction = double(lost) / double(holders.size());
                sum += fraction;
                sumSquares += fraction * fraction;
                if (trial >= kReadTrials)
                    continue;
                // Read every object through the DHT with exactly these nodes down.
                QList<int> down;
                for (int i = 1; i < nodes; ++i) {
                    if (!up[i]) {
                        cluster.crash(i);
                        down.append(i);
                    }
                }
                runBatched(cluster, int(keys.size()), 100, [&](int i, auto finish) {
                    cluster.node(0)->getBlob(keys[i], [&, finish](dht::Result<QByteArray> r) {
                        readFailures += r.ok() ? 0 : 1;
                        ++reads;
                        finish();
                    });
                });
                for (int i : std::as_const(down))
                    cluster.restart(i);
                cluster.world().runFor(60s);
            }
            const double measured = sum / trials;
            const double variance = qMax(0.0, sumSquares / trials - measured * measured);
            const double se2 = 2 * std::sqrt(variance / trials);
            const double formula = std::pow(1 - pUp, k);
            const bool within = std::abs(measured - formula) <= se2 + 0.5 / (double(trials) * holders.size());
            const double readFailed = reads ? double(readFailures) / reads : 0;
            if (json) {
                rows.append(QJsonObject {{QStringLiteral("p"), pUp}, {QStringLiteral("k"), k},
                    {QStringLiteral("objects"), int(keys.size())}, {QStringLiteral("trials"), trials},
                    {QStringLiteral("unreachable"), measured}, {QStringLiteral("formula"), formula},
                    {QStringLiteral("two_standard_errors"), se2}, {QStringLiteral("within"), within},
                    {QStringLiteral("reads_failed"), readFailed}});
            } else {
                std::printf("  %4.2f  %3d   %10.5f   %8.5f   %8.5f   %-6s   %10.5f\n", pUp, k, measured, formula, se2,
                    within ? "yes" : "NO", readFailed);
            }
        }
    }
    if (json) {
        const QJsonObject o {{QStringLiteral("mode"), QStringLiteral("availability")}, {QStringLiteral("nodes"), nodes},
            {QStringLiteral("rows"), rows}, {QStringLiteral("wall_s"), double(wall.nsecsElapsed()) / 1e9}};
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    } else {
        std::printf("  wall %.1f s\n", double(wall.nsecsElapsed()) / 1e9);
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cairn-sim"));
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("The DHT in the simulator. Modes: lookup (default), availability."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("mode"), QStringLiteral("lookup or availability"));
    p.addOptions({
        {QStringLiteral("nodes"), QStringLiteral("Nodes (lookup: 10000; availability: 300)."), QStringLiteral("N"),
            QStringLiteral("10000")},
        {QStringLiteral("lookups"), QStringLiteral("Lookups (default 10000)."), QStringLiteral("L"),
            QStringLiteral("10000")},
        {QStringLiteral("dead"), QStringLiteral("Fraction of nodes dead, unnoticed (default 0)."), QStringLiteral("F"),
            QStringLiteral("0")},
        {QStringLiteral("k"), QStringLiteral("Replicas; availability takes a list (default 8)."), QStringLiteral("K"),
            QStringLiteral("8")},
        {QStringLiteral("placement"), QStringLiteral("replica or closest (default replica)."), QStringLiteral("P"),
            QStringLiteral("replica")},
        {QStringLiteral("p"), QStringLiteral("Availability: probabilities a node is up, a list."), QStringLiteral("P"),
            QStringLiteral("0.3,0.5,0.9")},
        {QStringLiteral("trials"), QStringLiteral("Availability: independent draws of the up nodes (default 1000)."),
            QStringLiteral("T"), QStringLiteral("1000")},
        {QStringLiteral("objects"), QStringLiteral("Availability: objects stored per k (default 300)."),
            QStringLiteral("N"), QStringLiteral("300")},
        {QStringLiteral("seed"), QStringLiteral("Seed (default 1)."), QStringLiteral("S"), QStringLiteral("1")},
        {QStringLiteral("json"), QStringLiteral("Print JSON.")},
    });
    p.process(app);
    const QStringList args = p.positionalArguments();
    const QString mode = args.value(0, QStringLiteral("lookup"));
    if (mode == QLatin1String("lookup"))
        return lookupMode(p, p.isSet(QStringLiteral("json")));
    if (mode == QLatin1String("availability")) {
        return availabilityMode(p, p.isSet(QStringLiteral("json")));
    }
    usage(QStringLiteral("unknown mode '%1'").arg(mode));
}
