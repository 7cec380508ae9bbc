// FragmentingTransport: whole messages of up to 65 KiB over 1,400-byte
// datagrams, on the simulator's network.
#include "core/net/fragmentingtransport.h"
#include "tests/sim/lib/world.h"

#include <QTest>
#include <QtEndian>

using namespace cairn;
using namespace cairn::sim;
using namespace std::chrono_literals;

class TestFragmentingTransport : public QObject {
    Q_OBJECT

    struct Pair {
        World world {7};
        NodeId a = world.addNode(), b = world.addNode();
        net::FragmentingTransport ta {world.node(a).transport(), world.node(a).scheduler(), world.node(a).rng()};
        net::FragmentingTransport tb {world.node(b).transport(), world.node(b).scheduler(), world.node(b).rng()};
        QList<QByteArray> received;
        Pair()
        {
            tb.setReceiveHandler([this](const base::Endpoint &, const QByteArray &m) { received.append(m); });
        }
    };

private Q_SLOTS:
    void aLargeMessageArrivesWholeDespiteReordering()
    {
        Pair p;
        LinkParams jittery;
        jittery.jitter = 1.0; // datagrams overtake each other
        p.world.links().setDefaults(jittery);
        const QByteArray message = p.world.rng().bytes(net::MessageTransport::kMaxMessage);
        const QByteArray small("ping");
        QVERIFY(p.ta.send(p.world.node(p.b).endpoint(), message));
        QVERIFY(p.ta.send(p.world.node(p.b).endpoint(), small));
        p.world.runFor(10s);
        QCOMPARE(p.received.size(), 2);
        QVERIFY(p.received.contains(message));
        QVERIFY(p.received.contains(small));
        QCOMPARE(p.tb.partialBytes(), 0);
    }

    void oversizeAndEmptyMessagesAreRefused()
    {
        Pair p;
        QVERIFY(!p.ta.send(p.world.node(p.b).endpoint(), QByteArray(net::MessageTransport::kMaxMessage + 1, 'x')));
        QVERIFY(!p.ta.send(p.world.node(p.b).endpoint(), QByteArray()));
    }

    void aMessageMissingAFragmentIsDroppedAndItsMemoryFreed()
    {
        Pair p;
        // Deliver every fragment but the third by hand.
        const base::Endpoint from = p.world.node(p.a).endpoint();
        SimTransport &raw = p.world.node(p.a).transport();
        QList<QByteArray> fragments;
        const QByteArray message = p.world.rng().bytes(10'000);
        const int count = int((message.size() + net::FragmentingTransport::kFragmentPayload - 1)
            / net::FragmentingTransport::kFragmentPayload);
        for (int i = 0; i < count; ++i) {
            if (i == 2)
                continue;
            QByteArray d(net::FragmentingTransport::kHeaderSize, '\0');
            d[0] = char(net::FragmentingTransport::kVersion);
            qToBigEndian<quint32>(42, d.data() + 1);
            qToBigEndian<quint16>(quint16(i), d.data() + 5);
            qToBigEndian<quint16>(quint16(count), d.data() + 7);
            d += message.mid(
                i * net::FragmentingTransport::kFragmentPayload, net::FragmentingTransport::kFragmentPayload);
            QVERIFY(raw.send(p.world.node(p.b).endpoint(), d));
        }
        Q_UNUSED(from);
        p.world.runFor(1s);
        QVERIFY(p.received.isEmpty());
        QVERIFY(p.tb.partialBytes() > 0);
        p.world.runFor(net::FragmentingTransport::kReassemblyTimeout * 3);
        QCOMPARE(p.tb.partialBytes(), 0);
        QCOMPARE(p.tb.droppedPartial(), quint64(1));
    }

    void aFloodOfFirstFragmentsIsBounded()
    {
        Pair p;
        SimTransport &raw = p.world.node(p.a).transport();
        for (quint32 id = 0; id < 1000; ++id) {
            QByteArray d(net::FragmentingTransport::kHeaderSize, '\0');
            d[0] = char(net::FragmentingTransport::kVersion);
            qToBigEndian<quint32>(id, d.data() + 1);
            qToBigEndian<quint16>(0, d.data() + 5);
            qToBigEndian<quint16>(40, d.data() + 7);
            d += QByteArray(net::FragmentingTransport::kFragmentPayload, 'f');
            raw.send(p.world.node(p.b).endpoint(), d);
        }
        p.world.runFor(1s);
        QVERIFY(p.tb.partialBytes()
            <= net::FragmentingTransport::kMaxPartialPerPeer * net::FragmentingTransport::kFragmentPayload);
        // A real message from the same peer still gets through afterwards.
        p.world.runFor(net::FragmentingTransport::kReassemblyTimeout * 3);
        QVERIFY(p.ta.send(p.world.node(p.b).endpoint(), QByteArray(5000, 'm')));
        p.world.runFor(2s);
        QCOMPARE(p.received.size(), 1);
    }

    void malformedHeadersAreIgnored()
    {
        Pair p;
        SimTransport &raw = p.world.node(p.a).transport();
        const base::Endpoint to = p.world.node(p.b).endpoint();
        QByteArray bad(20, '\0');
        raw.send(to, bad); // version 0
        bad[0] = char(net::FragmentingTransport::kVersion);
        qToBigEndian<quint16>(5, bad.data() + 5);
        qToBigEndian<quint16>(2, bad.data() + 7);
        raw.send(to, bad); // index beyond count
        qToBigEndian<quint16>(0, bad.data() + 5);
        qToBigEndian<quint16>(0, bad.data() + 7);
        raw.send(to, bad); // zero fragments
        qToBigEndian<quint16>(0, bad.data() + 5);
        qToBigEndian<quint16>(2, bad.data() + 7);
        raw.send(to, bad); // a short fragment that is not the last
        raw.send(to, QByteArray(3, '\1'));
        p.world.runFor(1s);
        QVERIFY(p.received.isEmpty());
        QCOMPARE(p.tb.partialBytes(), 0);
    }
};

QTEST_GUILESS_MAIN(TestFragmentingTransport)
#include "test_fragmentingtransport.moc"
