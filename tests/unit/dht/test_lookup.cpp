// Lookup: a read moves on from candidates that passed their slow threshold,
// even when every candidate in its window is slow.
#include "core/dht/lookup.h"
#include "core/net/fragmentingtransport.h"
#include "tests/sim/lib/world.h"

#include <QTest>

#include <algorithm>
#include <memory>

using namespace cairn;
using namespace cairn::sim;
using namespace std::chrono_literals;

namespace {

/// One simulated node whose Rpc answers reads: with the value if it holds
/// one, else empty; or not at all when it plays a crashed node.
struct Peer {
    explicit Peer(World &world)
        : simId(world.addNode()),
          id(*identity::NodeId::fromBytes(world.node(simId).rng().bytes(20))),
          transport(world.node(simId).transport(), world.node(simId).scheduler(), world.node(simId).rng()),
          rpc(transport, world.node(simId).scheduler(), world.node(simId).rng(), id, dht::Rpc::Config {})
    {
        rpc.setRequestHandler([this](const dht::Contact &from, const dht::Message &request) {
            ++requests;
            if (silent)
                return;
            dht::Message response = dht::Message::responseTo(request, id);
            if (!value.isEmpty() && request.op == dht::Op::GetBlob) {
                response.found = true;
                response.value = value;
            }
            rpc.respond(from.endpoint, response);
        });
    }
    dht::Contact contact(World &world) const { return dht::Contact {id, world.node(simId).endpoint()}; }

    NodeId simId;
    identity::NodeId id;
    net::FragmentingTransport transport;
    dht::Rpc rpc;
    int requests = 0;
    bool silent = false;
    QByteArray value;
};

} // namespace

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
            peers[size_t(i)]->silent = true;
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
