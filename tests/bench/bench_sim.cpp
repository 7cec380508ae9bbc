// cairn-bench-sim: the simulator's ping storm (N nodes each ping P random
// others; every ping is answered) timed on the wall clock.
#include "tests/sim/lib/pingstorm.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace cairn::sim;

namespace {

bool parseUnsigned(const QString &text, quint64 max, quint64 &out)
{
    bool ok = false;
    const quint64 v = text.startsWith(QLatin1String("0x"), Qt::CaseInsensitive) ? text.mid(2).toULongLong(&ok, 16)
                                                                                : text.toULongLong(&ok, 10);
    if (!ok || v > max)
        return false;
    out = v;
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cairn-bench-sim"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Times the simulator: N nodes each ping P random others, every ping answered by a pong."));
    parser.addHelpOption();
    const QCommandLineOption nodesOpt(QStringLiteral("nodes"), QStringLiteral("Number of nodes (default 10000)."),
        QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption pingsOpt(QStringLiteral("pings"), QStringLiteral("Pings per node (default 10)."),
        QStringLiteral("P"), QStringLiteral("10"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"),
        QStringLiteral("World seed, decimal or 0x-hex (default 1)."), QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption lossOpt(QStringLiteral("loss"),
        QStringLiteral("Loss probability per datagram (default 0)."), QStringLiteral("L"), QStringLiteral("0"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print one JSON object instead of text."));
    parser.addOptions({nodesOpt, pingsOpt, seedOpt, lossOpt, jsonOpt});
    parser.process(app);

    PingStormConfig config;
    quint64 nodes = 0, pings = 0;
    bool lossOk = false;
    config.loss = parser.value(lossOpt).toDouble(&lossOk);
    if (!parseUnsigned(parser.value(nodesOpt), 16'000'000, nodes) || nodes < 2
        || !parseUnsigned(parser.value(pingsOpt), 1'000'000, pings)
        || !parseUnsigned(parser.value(seedOpt), ~quint64(0), config.seed) || !lossOk || config.loss < 0.0
        || config.loss > 1.0) {
        std::fprintf(stderr, "cairn-bench-sim: bad option value (see --help)\n");
        return 2;
    }
    config.nodes = quint32(nodes);
    config.pingsPerNode = quint32(pings);

    const PingStormResult r = PingStorm(config).run();
    const double runMs = double(r.runNanoseconds) / 1e6;
    const double setupMs = double(r.setupNanoseconds) / 1e6;
    const QString hash = QString::number(r.traceHash, 16).rightJustified(16, QLatin1Char('0'));

    if (parser.isSet(jsonOpt)) {
        const QJsonObject o {
            {QStringLiteral("bench"), QStringLiteral("sim-ping-storm")},
            {QStringLiteral("nodes"), qint64(config.nodes)},
            {QStringLiteral("pings_per_node"), qint64(config.pingsPerNode)},
            {QStringLiteral("seed"), QString::number(config.seed)},
            {QStringLiteral("loss"), config.loss},
            {QStringLiteral("events"), qint64(r.events)},
            {QStringLiteral("wall_ms"), runMs},
            {QStringLiteral("setup_ms"), setupMs},
            {QStringLiteral("events_per_second"), r.eventsPerSecond()},
            {QStringLiteral("pings_sent"), qint64(r.pingsSent)},
            {QStringLiteral("pings_received"), qint64(r.pingsReceived)},
            {QStringLiteral("pongs_received"), qint64(r.pongsReceived)},
            {QStringLiteral("virtual_seconds"), double(r.virtualEnd.count()) / 1e6},
            {QStringLiteral("trace_hash"), hash},
        };
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
        return 0;
    }
    std::printf("cairn-bench-sim: %u nodes x %u pings, seed %llu, loss %g\n", config.nodes, config.pingsPerNode,
        config.seed, config.loss);
    std::printf("  events         %llu\n", r.events);
    std::printf("  wall           %.1f ms (setup %.1f ms)\n", runMs, setupMs);
    std::printf("  events/s       %.0f\n", r.eventsPerSecond());
    std::printf("  pongs          %llu of %llu pings sent (%llu pings received)\n", r.pongsReceived, r.pingsSent,
        r.pingsReceived);
    std::printf("  virtual time   %.3f s\n", double(r.virtualEnd.count()) / 1e6);
    std::printf("  trace hash     %s\n", qPrintable(hash));
    return 0;
}
