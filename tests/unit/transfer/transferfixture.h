#pragma once

// A small simulated DHT (tests/sim/dht) with one more node, the client, that
// stores nothing and runs a TransferManager. The client's messages go
// through a counting transport, so a test can tell which blobs it asked
// the network to store or fetch.
#include "core/dht/message.h"
#include "core/transfer/transfermanager.h"
#include "testfiles.h"
#include "tests/sim/dht/dhtcluster.h"
#include "tests/unit/resultchecks.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <memory>

namespace cairn::transfer::testing {

/// Counts the DHT requests the client sends, by operation and key.
class CountingTransport final : public net::MessageTransport {
public:
    explicit CountingTransport(net::MessageTransport &inner) : m_inner(inner)
    {
        m_inner.setReceiveHandler([this](const base::Endpoint &from, const QByteArray &m) { deliver(from, m); });
    }
    base::Endpoint localEndpoint() const override { return m_inner.localEndpoint(); }
    bool send(const base::Endpoint &to, const QByteArray &message) override
    {
        auto m = dht::Message::decode(message);
        if (m.ok() && m->kind == dht::Kind::Request) {
            if (m->op == dht::Op::PutBlob)
                ++puts[m->key];
            else if (m->op == dht::Op::GetBlob)
                ++gets[m->key];
        }
        return m_inner.send(to, message);
    }
    void reset()
    {
        puts.clear();
        gets.clear();
    }

    QHash<QByteArray, int> puts;
    QHash<QByteArray, int> gets;

private:
    net::MessageTransport &m_inner;
};

struct Fixture {
    static constexpr int kNodes = 12;
    static constexpr int kCopies = 3;
    static constexpr qint64 kTtl = 7 * 24 * 3600;

    std::unique_ptr<sim::DhtCluster> cluster;
    sim::NodeId clientId = sim::kNoNode;
    std::unique_ptr<net::FragmentingTransport> fragmenting;
    std::unique_ptr<CountingTransport> counting;
    std::unique_ptr<dht::DhtNode> client;
    std::unique_ptr<TransferManager> manager;
    QTemporaryDir dir;

    /// `uplink`: the client's upload rate in bytes per second (0: unlimited).
    /// `repair`: whether storage nodes repair and move misplaced copies (most
    /// tests alter replicas on purpose and want them left as they are).
    explicit Fixture(quint64 seed, qint64 uplink = 0, bool repair = false)
    {
        sim::DhtClusterConfig config;
        config.nodes = kNodes;
        config.seed = seed;
        if (!repair)
            config.dht.repairInterval = base::Duration(0);
        cluster = std::make_unique<sim::DhtCluster>(config);
        cluster->bootstrapAll();
        sim::World &world = cluster->world();
        clientId = world.addNode();
        sim::SimNode &n = world.node(clientId);
        fragmenting = std::make_unique<net::FragmentingTransport>(n.transport(), n.scheduler(), n.rng());
        counting = std::make_unique<CountingTransport>(*fragmenting);
        client = std::make_unique<dht::DhtNode>(
            *identity::NodeId::fromBytes(n.rng().bytes(20)), *counting, n.scheduler(), n.rng(), nullptr, config.dht);
        bool joined = false;
        client->bootstrap({cluster->endpointOf(0), cluster->endpointOf(1)},
            [&](dht::Result<int> r) { joined = r.ok() && r.value() > 0; });
        cluster->runUntil([&] { return joined; }, base::Duration(60'000'000));
        world.setUplink(clientId, uplink);
        QDir(dir.path()).mkpath(QStringLiteral("send"));
        QDir(dir.path()).mkpath(QStringLiteral("receive"));
    }

    base::Scheduler &scheduler() { return cluster->world().node(clientId).scheduler(); }
    QString path(const QString &name) const { return dir.path() + QLatin1Char('/') + name; }
    QString path(const char *name) const { return path(QString::fromUtf8(name)); }
    QString journalPath() const { return path(QStringLiteral("transfers.db")); }

    /// A new manager on the journal (a restart after a crash when one existed).
    TransferManager &startManager(const std::function<void(TransferManager &)> &beforeOpen = {})
    {
        manager = std::make_unique<TransferManager>(*client, scheduler());
        if (beforeOpen)
            beforeOpen(*manager);
        auto r = manager->open(journalPath());
        if (!r.ok())
            qFatal("fixture: cannot open the journal: %s", qPrintable(r.message()));
        return *manager;
    }

    bool run(const std::function<bool()> &done, qint64 seconds = 600)
    {
        return cluster->runUntil(done, base::Duration(seconds * 1'000'000));
    }

    /// Runs until `id` has done at least `bytes`.
    bool runUntilDone(const QString &id, qint64 bytes)
    {
        return run([&] { return manager->info(id)->bytesDone >= bytes; });
    }

    /// Runs until the transfer leaves Running; returns its final info.
    TransferInfo runToEnd(const QString &id, qint64 seconds = 600)
    {
        run([&] { return manager->info(id)->state != TransferState::Running; }, seconds);
        return *manager->info(id);
    }

    /// Starts an upload with the fixture's copies and TTL.
    QString startUpload(const QStringList &paths)
    {
        auto id = manager->upload(paths, kCopies, kTtl, QStringLiteral("test"));
        if (!id.ok())
            qFatal("fixture: upload refused: %s", qPrintable(id.message()));
        return id.value();
    }

    /// Uploads to the end and returns the manifest, then lets late
    /// duplicates of the puts (retransmits) land, so that they cannot undo
    /// what a test does to the stores afterwards.
    Manifest uploadAll(const QStringList &paths)
    {
        const TransferInfo info = runToEnd(startUpload(paths));
        if (info.state != TransferState::Done)
            qFatal("fixture: upload ended %s: %s", qPrintable(stateName(info.state)), qPrintable(info.error));
        run([] { return false; }, 30);
        return info.manifest;
    }

    /// Every live node whose store holds `key`.
    QList<int> holders(const QByteArray &key)
    {
        QList<int> out;
        const qint64 now = cluster->world().unixTime();
        for (int i = 0; i < cluster->size(); ++i) {
            auto v = cluster->storeOf(i)->getBlob(key, now);
            if (v.ok() && v.value())
                out.append(i);
        }
        return out;
    }

    /// Replaces (or, with an empty value, deletes) the stored blob `key` on
    /// node `i`, behind the store's back: a replica gone bad.
    bool tamper(int i, const QByteArray &key, const QByteArray &value)
    {
        QSqlDatabase db = QSqlDatabase::database(cluster->storeOf(i)->connectionName());
        QSqlQuery q(db);
        if (value.isEmpty()) {
            q.prepare(QStringLiteral("DELETE FROM blobs WHERE key = ?"));
            q.addBindValue(key);
        } else {
            q.prepare(QStringLiteral("UPDATE blobs SET value = ? WHERE key = ?"));
            q.addBindValue(value);
            q.addBindValue(key);
        }
        return q.exec() && q.numRowsAffected() == 1;
    }

    /// The chunk hashes an index blob lists, fetched through a cluster node.
    QList<QByteArray> chunkKeys(const StreamRef &ref)
    {
        QList<QByteArray> keys;
        for (const QByteArray &indexKey : ref.index) {
            QByteArray blob;
            bool done = false;
            cluster->node(0)->getBlob(
                indexKey,
                [&](dht::Result<QByteArray> r) {
                    blob = r.ok() ? r.value() : QByteArray();
                    done = true;
                },
                {}, ref.copies);
            run([&] { return done; }, 60);
            for (qsizetype at = 0; at + kHashBytes <= blob.size(); at += kHashBytes)
                keys.append(blob.mid(at, kHashBytes));
        }
        return keys;
    }

    /// The chunks the journal lists as stored for transfer `id`.
    QSet<QByteArray> journaledChunks(const QString &id)
    {
        QSet<QByteArray> out;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("test.peek"));
            db.setDatabaseName(journalPath());
            if (db.open()) {
                QSqlQuery q(db);
                q.prepare(QStringLiteral("SELECT hash FROM chunks WHERE transfer_id = ?"));
                q.addBindValue(id);
                q.exec();
                while (q.next())
                    out.insert(q.value(0).toByteArray());
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("test.peek"));
        return out;
    }

    /// A file's checkpoint as the journal has it: next chunk and bytes done.
    QPair<qint64, qint64> journaledCheckpoint(const QString &id, int index)
    {
        QPair<qint64, qint64> out {-1, -1};
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("test.peek"));
            db.setDatabaseName(journalPath());
            if (db.open()) {
                QSqlQuery q(db);
                q.prepare(QStringLiteral("SELECT next_chunk, bytes_done FROM files WHERE transfer_id = ? AND idx = ?"));
                q.addBindValue(id);
                q.addBindValue(index);
                if (q.exec() && q.next())
                    out = {q.value(0).toLongLong(), q.value(1).toLongLong()};
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("test.peek"));
        return out;
    }
};

} // namespace cairn::transfer::testing
