// The DHT runs unchanged over SecureTransport's message channel: a few
// DhtNodes in the simulator bootstrap through sessions, and a blob put on
// one node is read back on another.
#include "core/dht/dhtnode.h"
#include "core/store/blobstore.h"
#include "tests/unit/net/sessionfixture.h"

#include <QTest>

using namespace cairn;
using namespace cairn::net;
using namespace cairn::net::testing;

class TestSecureTransportDht : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aBlobRoundTripsThroughTheDhtOverSessions()
    {
        const quint64 seed = sim::seedFromEnv(51);
        qInfo().noquote() << sim::replayHint(seed);
        SessionNet net(seed);
        constexpr int kNodes = 6;
        std::vector<std::unique_ptr<store::BlobStore>> stores;
        std::vector<std::unique_ptr<dht::DhtNode>> nodes;
        dht::DhtConfig config;
        config.replicas = 3;
        for (int i = 0; i < kNodes; ++i) {
            Member &m = net.add(QStringLiteral("member%1").arg(i));
            auto opened = store::BlobStore::open(QStringLiteral(":memory:"), store::StoreLimits {});
            QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.message()));
            stores.push_back(std::move(opened).value());
            sim::SimNode &n = net.world.node(m.node);
            nodes.push_back(std::make_unique<dht::DhtNode>(identity::NodeId::fromDeviceKey(m.key.publicKey()), m.st(),
                n.scheduler(), n.rng(), stores.back().get(), config));
        }
        int bootstrapped = 0;
        for (int i = 1; i < kNodes; ++i) {
            nodes[size_t(i)]->bootstrap({net.endpoint(*net.members[0])},
                [&bootstrapped](dht::Result<int> r) { bootstrapped += r.ok() && r.value() > 0 ? 1 : 0; });
            net.world.runFor(2s);
        }
        QCOMPARE(bootstrapped, kNodes - 1);

        const QByteArray value = net.rng.bytes(40'000); // fragmented inside the sessions
        std::optional<QByteArray> key;
        nodes[2]->putBlob(value, 3600, [&key](dht::Result<QByteArray> r) {
            if (r.ok())
                key = r.value();
        });
        net.world.runFor(10s);
        QVERIFY(key.has_value());
        std::optional<QByteArray> read;
        nodes[5]->getBlob(*key, [&read](dht::Result<QByteArray> r) {
            if (r.ok())
                read = r.value();
        });
        net.world.runFor(10s);
        QVERIFY(read.has_value());
        QCOMPARE(*read, value);

        // Every DHT message went through authenticated sessions.
        quint64 sessions = 0;
        for (const auto &m : net.members) {
            sessions += quint64(m->st().sessionCount());
            QCOMPARE(m->stats().handshakesRejected, quint64(0));
            QCOMPARE(m->stats().junkRejected, quint64(0));
        }
        QVERIFY(sessions >= 2 * (kNodes - 1));
        nodes.clear(); // before the transports they send through
    }
};

QTEST_GUILESS_MAIN(TestSecureTransportDht)
#include "test_securetransport_dht.moc"
