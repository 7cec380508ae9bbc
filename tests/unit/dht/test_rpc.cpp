// Rpc: transaction ids, retransmits on the adaptive timeout, the "slow"
// signal, the in-flight limit, and answers accepted only from the peer asked.
#include "tests/unit/dht/rpcpeer.h"

#include <QTest>

#include <memory>

using namespace cairn;
using namespace cairn::sim;
using namespace std::chrono_literals;

namespace {

using Peer = dht::testing::RpcPeer;

dht::Message ping()
{
    dht::Message m;
    m.op = dht::Op::Ping;
    return m;
}

} // namespace

class TestRpc : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aRequestIsAnsweredAndTheRttLearned()
    {
        World world(1);
        Peer a(world), b(world);
        bool ok = false;
        a.rpc.call(b.contact(world), ping(),
            [&](dht::Result<dht::Message> r) { ok = r.ok() && r->kind == dht::Kind::Response; });
        world.runFor(5s);
        QVERIFY(ok);
        QVERIFY(a.rpc.overall().hasSample());
        QVERIFY(a.rpc.retransmitTimeout(world.node(b.simId).endpoint()) < dht::RttEstimator::kInitialTimeout);
    }

    void transactionIdsComeFromTheRngAndDiffer()
    {
        World world(2);
        Peer a(world), b(world);
        QSet<quint64> ids;
        for (int i = 0; i < 100; ++i)
            ids.insert(a.rpc.call(b.contact(world), ping(), {}));
        QCOMPARE(ids.size(), 100);
        QVERIFY(!ids.contains(0));
        world.runFor(5s);
    }

    void aSilentPeerIsRetransmittedToThenTimesOut()
    {
        World world(3);
        Peer a(world), b(world);
        b.answer = false;
        bool slow = false;
        dht::Result<dht::Message> result = base::fail(dht::DhtError::Cancelled, QString());
        bool done = false;
        a.rpc.call(
            b.contact(world), ping(),
            [&](dht::Result<dht::Message> r) {
                done = true;
                result = std::move(r);
                QVERIFY(slow); // slow comes first
            },
            [&] { slow = true; });
        world.runFor(30s);
        QVERIFY(done);
        QCOMPARE(result.code(), dht::DhtError::Timeout);
        QCOMPARE(b.requests, 2); // the first send and one retransmit
        QCOMPARE(a.rpc.timeouts(), quint64(1));
    }

    void anAnswerFromAnotherAddressIsIgnored()
    {
        World world(4);
        Peer a(world), b(world), mallory(world);
        b.answer = false;
        bool done = false, ok = false;
        const quint64 txid = a.rpc.call(b.contact(world), ping(), [&](dht::Result<dht::Message> r) {
            done = true;
            ok = r.ok();
        });
        // Mallory guesses the txid right (here: is told it) and answers in b's name.
        dht::Message forged;
        forged.kind = dht::Kind::Response;
        forged.op = dht::Op::Ping;
        forged.txid = txid;
        forged.sender = b.id;
        mallory.transport.send(world.node(a.simId).endpoint(), forged.encode());
        world.runFor(30s);
        QVERIFY(done);
        QVERIFY(!ok);
    }

    void requestsBeyondTheInFlightLimitWaitTheirTurn()
    {
        World world(5);
        dht::Rpc::Config config;
        config.maxInFlight = 4;
        Peer a(world, config), b(world);
        int answered = 0;
        for (int i = 0; i < 20; ++i)
            a.rpc.call(b.contact(world), ping(), [&](dht::Result<dht::Message> r) { answered += r.ok() ? 1 : 0; });
        QCOMPARE(a.rpc.inFlight(), 4);
        QCOMPARE(a.rpc.requestsSent(), quint64(4));
        world.runFor(30s);
        QCOMPARE(answered, 20);
        QCOMPARE(a.rpc.inFlight(), 0);
    }

    void aCancelledCallNeverReports()
    {
        World world(6);
        Peer a(world), b(world);
        bool called = false;
        const quint64 txid = a.rpc.call(b.contact(world), ping(), [&](dht::Result<dht::Message>) { called = true; });
        a.rpc.cancel(txid);
        world.runFor(30s);
        QVERIFY(!called);
        QCOMPARE(a.rpc.inFlight(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRpc)
#include "test_rpc.moc"
