// Lookup: a read moves on from candidates that passed their slow threshold,
// even when every candidate in its window is slow.
#include "core/dht/lookup.h"
#include "tests/unit/dht/rpcpeer.h"

#include <QTest>

#include <algorithm>
#include <memory>

using namespace cairn;
using namespace cairn::sim;
using namespace std::chrono_literals;

using Peer = dht::testing::RpcPeer;

class TestLookup : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aReadWhoseWholeWindowIsDeadAsksTheNextNodeWithoutWaitingForTimeouts()
    {
        World world(7);
        Peer reader(world), pingee(world);
        std::vector<std::unique_ptr<Peer>> peers;
        for (int i = 0; i < 6; ++i)
            peers.push_back(std::make_unique<Peer>(world));
        // The reader has an RTT estimate, so its slow threshold is well
        // below the retransmit timeouts of peers it never heard from.
        bool pinged = false;
        dht::Message ping;
        ping.op = dht::Op::Ping;
        reader.rpc.call(pingee.contact(world), ping, [&](dht::Result<dht::Message> r) { pinged = r.ok(); });
        world.runFor(5s);
        QVERIFY(pinged);

        const identity::NodeId target = *identity::NodeId::fromBytes(world.rng().bytes(20));
        std::sort(peers.begin(), peers.end(),
            [&](const auto &a, const auto &b) { return a->id.distance(target) < b->id.distance(target); });
        // The window (3 closest) is crashed; the 4th closest holds the value.
        for (int i = 0; i < 3; ++i)
            peers[size_t(i)]->answer = false;
        peers[3]->value = QByteArray("the value");
        QList<dht::Contact> seeds;
        for (const auto &p : peers)
            seeds << p->contact(world);

        dht::Message request;
        request.op = dht::Op::GetBlob;
        request.key = QByteArray(32, 'k');
        request.target = target;
        request.hasTarget = true;
        dht::Lookup::Config config;
        config.alpha = 3;
        config.resultCount = 3;
        QByteArray got;
        bool finished = false;
        dht::LookupStats stats;
        auto lookup = std::make_shared<dht::ValueLookup>(
            reader.rpc, request, seeds, config,
            [&](const dht::Contact &, const dht::Message &response, int) {
                got = response.value;
                return true;
            },
            [&](const QList<dht::Contact> &, const dht::LookupStats &s) {
                finished = true;
                stats = s;
            });
        lookup->start();
        world.runFor(30s);
        QVERIFY(finished);
        QCOMPARE(got, QByteArray("the value"));
        // Found before any crashed node timed out (or was even retransmitted to).
        QCOMPARE(stats.timeouts, 0);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(peers[size_t(i)]->requests, 1);
        QCOMPARE(peers[3]->requests, 1);
    }
};

QTEST_GUILESS_MAIN(TestLookup)
#include "test_lookup.moc"
