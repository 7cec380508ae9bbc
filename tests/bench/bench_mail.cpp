// cairn-bench-mail: mail and file drops on a 32-node loopback network (real
// UDP sockets and Noise sessions when built, one process, one event loop).
// Alice and Bob are two of the nodes, each with the real Mailbox (SQLite),
// TransferManager (journal), Outbox and InboxReader.
//   * Mail latency: Alice sends a short mail; as soon as her Outbox reports
//     it stored (as a push would), Bob polls; the time from send() to Bob's
//     newMail. Median and p95, with the two halves apart.
//   * File drops: a 1 GiB file uploaded by Alice with k = 3, then downloaded
//     by Bob, in MB/s; next to it, secretstream's own MB/s over the same
//     bytes measured in the same run (the ceiling a transfer could reach).
#include "core/base/qt/qtscheduler.h"
#include "core/crypto/filestream.h"
#include "core/mail/inboxreader.h"
#include "core/mail/mailbox.h"
#include "core/mail/mailcontext.h"
#include "core/mail/outbox.h"
#include "core/transfer/transfermanager.h"
#include "tests/bench/loopbackcluster.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

using namespace cairn;
using namespace cairn::bench;
using namespace std::chrono_literals;

namespace {

constexpr qint64 kMiB = 1024 * 1024;

struct Options {
    int nodes = 32;
    int mails = 40;
    qint64 dropMiB = 1024;
    int copies = 3;
    bool json = false;
};

/// Nearest-rank percentile.
double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return NAN;
    std::sort(v.begin(), v.end());
    const auto rank = qsizetype(std::ceil(p * double(v.size())));
    return v[size_t(std::max<qsizetype>(rank - 1, 0))];
}

/// One person's mail stack on a node of the cluster.
struct MailUser {
    MailUser(QString n, crypto::DeviceKey key) : name(std::move(n)), device(std::move(key)) { }
    QString name;
    crypto::DeviceKey device;
    std::unique_ptr<mail::Mailbox> mailbox;
    std::unique_ptr<transfer::TransferManager> transfers;
    std::unique_ptr<mail::MailContext> context;
    std::unique_ptr<mail::Outbox> outbox;
    std::unique_ptr<mail::InboxReader> reader;
};

QString openUser(MailUser &u, dht::DhtNode &node, const QString &dir, base::Scheduler &scheduler, base::Rng &rng,
    const QByteArray &groupId, const mail::Directory &directory, int copies)
{
    QDir().mkpath(dir);
    auto mailbox = mail::Mailbox::open(QDir(dir).filePath(QStringLiteral("mailbox.db")),
        QDir(dir).filePath(QStringLiteral("attachments")), scheduler, rng);
    if (!mailbox)
        return mailbox.message();
    u.mailbox = std::move(mailbox.value());
    u.transfers = std::make_unique<transfer::TransferManager>(node, scheduler);
    if (auto opened = u.transfers->open(QDir(dir).filePath(QStringLiteral("transfers.db"))); !opened)
        return opened.message();
    u.context = std::make_unique<mail::MailContext>(mail::MailContext {
        node,
        *u.transfers,
        *u.mailbox,
        scheduler,
        rng,
        u.device,
        u.name,
        groupId,
        [directory](bool, std::function<void(const mail::Directory *, const QString &)> done) { done(&directory, {}); },
        [copies] { return copies; },
        [copies] { return copies; },
        [] { return QString(); },
    });
    u.outbox = std::make_unique<mail::Outbox>(*u.context);
    u.reader = std::make_unique<mail::InboxReader>(*u.context);
    return {};
}

/// secretstream over `bytes` of data in 64 KiB - 17 B chunks (a transfer's
/// chunk), in MB/s.
double secretstreamMBs(qint64 bytes)
{
    const qsizetype chunk = 64 * 1024 - crypto_secretstream_xchacha20poly1305_ABYTES;
    const QByteArray plain(chunk, 'p');
    auto enc = crypto::FileStreamEncryptor::create(crypto::FileStreamEncryptor::generateKey());
    if (!enc)
        return NAN;
    QElapsedTimer t;
    t.start();
    qint64 sink = 0;
    for (qint64 done = 0; done < bytes; done += chunk) {
        auto c = enc->push(plain, done + chunk >= bytes);
        sink += c ? c->size() : 0;
    }
    const double s = double(t.nsecsElapsed()) / 1e9;
    return sink > 0 ? double(bytes) / 1e6 / s : NAN;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Mail latency and file-drop throughput on a loopback network."));
    parser.addHelpOption();
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption nodes(QStringLiteral("nodes"), QStringLiteral("Nodes (default 32)."), QStringLiteral("N"));
    const QCommandLineOption mails(
        QStringLiteral("mails"), QStringLiteral("Mails timed (default 40)."), QStringLiteral("N"));
    const QCommandLineOption drop(
        QStringLiteral("drop-mib"), QStringLiteral("File-drop size in MiB (default 1024)."), QStringLiteral("MIB"));
    parser.addOptions({json, nodes, mails, drop});
    parser.process(app);
    Options o;
    o.json = parser.isSet(json);
    if (parser.isSet(nodes))
        o.nodes = qMax(4, parser.value(nodes).toInt());
    if (parser.isSet(mails))
        o.mails = qMax(1, parser.value(mails).toInt());
    if (parser.isSet(drop))
        o.dropMiB = qMax<qint64>(1, parser.value(drop).toLongLong());
    const qint64 dropBytes = o.dropMiB * kMiB;

    QTemporaryDir dir;
    if (!dir.isValid()) {
        std::fprintf(stderr, "cairn-bench-mail: no temporary folder\n");
        return 1;
    }
    dht::DhtConfig config;
    config.replicas = o.copies;
    if (qEnvironmentVariableIsSet("CAIRN_BENCH_READ_PARALLELISM"))
        config.readParallelism = qEnvironmentVariableIntValue("CAIRN_BENCH_READ_PARALLELISM");
    // Every node can take its share of k copies of the drop (and a sender
    // may fill it): the store's 64 MiB per-sender default would refuse it.
    store::StoreLimits limits;
    limits.totalQuota = qMax<qint64>(1LL << 30, dropBytes * o.copies * 4 / o.nodes);
    limits.perSenderQuota = limits.totalQuota;
    const MessageLayer layer = secureLayerBuilt() ? MessageLayer::Secure : MessageLayer::Plain;
    LoopbackCluster cluster(layer, Threading::Single, config, dir.filePath(QStringLiteral("stores")), limits);
    QDir().mkpath(dir.filePath(QStringLiteral("stores")));
    if (const QString error = cluster.start(o.nodes); !error.isEmpty()) {
        std::fprintf(stderr, "cairn-bench-mail: %s\n", qPrintable(error));
        return 1;
    }
    const int joined = cluster.bootstrapAll(5s);
    cluster.settle(1s, 15s);

    base::QtScheduler scheduler;
    base::SodiumRng rng;
    const QByteArray groupId = rng.bytes(32);
    MailUser alice {QStringLiteral("alice"), crypto::DeviceKey::generate(rng)};
    MailUser bob {QStringLiteral("bob"), crypto::DeviceKey::generate(rng)};
    mail::Directory directory;
    directory.insert(alice.name, {mail::DirectoryDevice {1, alice.device.publicKey()}});
    directory.insert(bob.name, {mail::DirectoryDevice {2, bob.device.publicKey()}});
    dht::DhtNode *aliceNode = nullptr;
    dht::DhtNode *bobNode = nullptr;
    cluster.post(1, [&](dht::DhtNode &n) { aliceNode = &n; });
    cluster.post(2, [&](dht::DhtNode &n) { bobNode = &n; });
    for (auto [user, node] : {std::pair {&alice, aliceNode}, std::pair {&bob, bobNode}}) {
        const QString error
            = openUser(*user, *node, dir.filePath(user->name), scheduler, rng, groupId, directory, o.copies);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "cairn-bench-mail: %s\n", qPrintable(error));
            return 1;
        }
    }

    // Mail latency.
    std::vector<double> total, store, read;
    int mailFailures = 0;
    QByteArray arrived;
    QObject::connect(bob.reader.get(), &mail::InboxReader::newMail, [&](const QByteArray &id) { arrived = id; });
    for (int i = 0; i < o.mails; ++i) {
        mail::SendRequest request;
        request.to = {bob.name};
        request.subject = QStringLiteral("Bench mail %1").arg(i);
        request.body = QStringLiteral("The weather on the ridge was fine. ").repeated(20);
        QElapsedTimer t;
        t.start();
        bool sent = false, failed = false;
        double sentMs = 0;
        auto ok = QObject::connect(alice.outbox.get(), &mail::Outbox::sent, [&](const QByteArray &) {
            sent = true;
            sentMs = double(t.nsecsElapsed()) / 1e6;
            bob.reader->pollNow();
        });
        auto bad = QObject::connect(
            alice.outbox.get(), &mail::Outbox::sendFailed, [&](const QByteArray &, const QString &) { failed = true; });
        auto id = alice.outbox->send(request);
        const bool done = id && waitFor([&] { return failed || (sent && arrived == id.value()); }, 30s);
        QObject::disconnect(ok);
        QObject::disconnect(bad);
        if (!done || failed) {
            ++mailFailures;
            continue;
        }
        const double ms = double(t.nsecsElapsed()) / 1e6;
        total.push_back(ms);
        store.push_back(sentMs);
        read.push_back(ms - sentMs);
    }

    // One chunk-sized blob at a time: what a transfer's window multiplies.
    std::vector<double> chunkPut, chunkGet;
    for (int i = 0; i < 30; ++i) {
        const QByteArray value = rng.bytes(64 * 1024);
        QElapsedTimer t;
        t.start();
        std::optional<dht::Result<QByteArray>> put;
        aliceNode->putBlob(
            value, 3600, [&](dht::Result<QByteArray> r) { put = r; }, {}, o.copies);
        if (!waitFor([&] { return put.has_value(); }, 30s) || !put->ok())
            continue;
        chunkPut.push_back(double(t.nsecsElapsed()) / 1e6);
        t.restart();
        std::optional<dht::Result<QByteArray>> got;
        bobNode->getBlob(
            put->value(), [&](dht::Result<QByteArray> r) { got = r; }, {}, o.copies);
        if (waitFor([&] { return got.has_value(); }, 30s) && got->ok())
            chunkGet.push_back(double(t.nsecsElapsed()) / 1e6);
    }

    // File drop: upload with k copies, then download.
    const double rawMBs = secretstreamMBs(dropBytes);
    const QString file = dir.filePath(QStringLiteral("drop.bin"));
    QByteArray fileHash;
    {
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly)) {
            std::fprintf(stderr, "cairn-bench-mail: cannot write %s\n", qPrintable(file));
            return 1;
        }
        QCryptographicHash h(QCryptographicHash::Sha256);
        for (qint64 left = dropBytes; left > 0; left -= 4 * kMiB) {
            const QByteArray block = rng.bytes(int(qMin(left, 4 * kMiB)));
            f.write(block);
            h.addData(block);
        }
        fileHash = h.result();
    }
    std::optional<transfer::Manifest> manifest;
    QString transferError;
    QObject::connect(alice.transfers.get(), &transfer::TransferManager::uploadFinished,
        [&](const QString &, const transfer::Manifest &m) { manifest = m; });
    QObject::connect(alice.transfers.get(), &transfer::TransferManager::failed,
        [&](const QString &, const QString &e) { transferError = e; });
    const quint64 aliceSentBefore = aliceNode->rpc().bytesSent();
    QElapsedTimer up;
    up.start();
    auto uploading = alice.transfers->upload({file}, o.copies, 3600, QStringLiteral("bench drop"));
    const bool uploaded = uploading
        && waitFor([&] { return manifest.has_value() || !transferError.isEmpty(); }, std::chrono::hours(2))
        && manifest.has_value();
    const double upSeconds = double(up.nsecsElapsed()) / 1e9;
    // DHT message bytes per byte of file: k copies is the floor.
    const double upTraffic = double(aliceNode->rpc().bytesSent() - aliceSentBefore) / double(dropBytes);
    const quint64 bobReceivedBefore = bobNode->rpc().bytesReceived();

    QStringList saved;
    QObject::connect(bob.transfers.get(), &transfer::TransferManager::downloadFinished,
        [&](const QString &, const QStringList &paths) { saved = paths; });
    QObject::connect(bob.transfers.get(), &transfer::TransferManager::failed,
        [&](const QString &, const QString &e) { transferError = e; });
    const QString into = dir.filePath(QStringLiteral("received"));
    QDir().mkpath(into);
    QElapsedTimer down;
    down.start();
    bool downloaded = false;
    if (uploaded) {
        auto downloading = bob.transfers->download(*manifest, into, QStringLiteral("bench drop"));
        downloaded = downloading
            && waitFor([&] { return !saved.isEmpty() || !transferError.isEmpty(); }, std::chrono::hours(2))
            && !saved.isEmpty();
    }
    const double downSeconds = double(down.nsecsElapsed()) / 1e9;
    const double downTraffic = double(bobNode->rpc().bytesReceived() - bobReceivedBefore) / double(dropBytes);
    bool identical = false;
    if (downloaded) {
        QFile f(saved.first());
        QCryptographicHash h(QCryptographicHash::Sha256);
        identical = f.open(QIODevice::ReadOnly) && h.addData(&f) && h.result() == fileHash;
    }
    const double upMBs = uploaded ? double(dropBytes) / 1e6 / upSeconds : NAN;
    const double downMBs = downloaded ? double(dropBytes) / 1e6 / downSeconds : NAN;

    QJsonObject out {
        {QStringLiteral("nodes"), o.nodes},
        {QStringLiteral("bootstrapped"), joined},
        {QStringLiteral("layer"), describe(layer)},
        {QStringLiteral("mails"), o.mails},
        {QStringLiteral("mail_failures"), mailFailures},
        {QStringLiteral("mail_latency_median_ms"), percentile(total, 0.5)},
        {QStringLiteral("mail_latency_p95_ms"), percentile(total, 0.95)},
        {QStringLiteral("mail_store_median_ms"), percentile(store, 0.5)},
        {QStringLiteral("mail_read_median_ms"), percentile(read, 0.5)},
        {QStringLiteral("drop_bytes"), dropBytes},
        {QStringLiteral("copies"), o.copies},
        {QStringLiteral("chunk_put_median_ms"), percentile(chunkPut, 0.5)},
        {QStringLiteral("chunk_get_median_ms"), percentile(chunkGet, 0.5)},
        {QStringLiteral("upload_MB_per_s"), upMBs},
        {QStringLiteral("download_MB_per_s"), downMBs},
        {QStringLiteral("secretstream_MB_per_s"), rawMBs},
        {QStringLiteral("upload_bytes_sent_per_file_byte"), upTraffic},
        {QStringLiteral("download_bytes_received_per_file_byte"), downTraffic},
        {QStringLiteral("received_identical"), identical},
        {QStringLiteral("transfer_error"), transferError},
        {QStringLiteral("rpc_timeouts"), double(cluster.rpcTimeouts())},
    };
    if (o.json) {
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    } else {
        std::printf("cairn-bench-mail: %d nodes on 127.0.0.1 (%s), %d bootstrapped\n", o.nodes,
            qPrintable(describe(layer)), joined);
        std::printf("  mail send -> read: median %.1f ms, p95 %.1f ms over %d mails (%d failed)\n",
            percentile(total, 0.5), percentile(total, 0.95), int(total.size()), mailFailures);
        std::printf("    of which stored (send -> sent): median %.1f ms; read (poll -> newMail): median %.1f ms\n",
            percentile(store, 0.5), percentile(read, 0.5));
        std::printf("  one 64 KiB blob at a time, k = %d: put median %.1f ms, get median %.1f ms\n", o.copies,
            percentile(chunkPut, 0.5), percentile(chunkGet, 0.5));
        std::printf("  file drop of %lld MiB, k = %d: upload %.1f MB/s, download %.1f MB/s%s\n", o.dropMiB, o.copies,
            upMBs, downMBs, identical ? " (received byte-identical)" : " (NOT received intact)");
        std::printf("  secretstream alone, same bytes and chunks: %.0f MB/s\n", rawMBs);
        std::printf("  DHT bytes per file byte: %.2f sent by the uploader (k = %d is the floor), %.2f received by the "
                    "downloader (1 is the floor)\n",
            upTraffic, o.copies, downTraffic);
        std::printf("  RPC timeouts on all nodes: %llu\n", (unsigned long long)cluster.rpcTimeouts());
        if (!transferError.isEmpty())
            std::printf("  transfer error: %s\n", qPrintable(transferError));
    }
    return mailFailures == 0 && identical ? 0 : 1;
}
