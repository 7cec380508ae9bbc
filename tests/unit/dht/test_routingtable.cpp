// RoutingTable: k-buckets under XOR, replacement cache, ping-before-evict.
#include "core/base/rng.h"
#include "core/dht/routingtable.h"

#include <QTest>

using namespace cairn;
using namespace cairn::dht;
using identity::NodeId;

namespace {

NodeId idWithPrefix(base::Rng &rng, const NodeId &self, int bucket)
{
    // Shares self's bits above `bucket`, differs at it, random below.
    NodeId::Bytes b = self.bytes();
    const int bit = NodeId::kBits - 1 - bucket;
    QByteArray r = rng.bytes(NodeId::kBytes);
    for (int i = bit + 1; i < NodeId::kBits; ++i) {
        const quint8 mask = quint8(0x80 >> (i % 8));
        b[size_t(i / 8)] = quint8((b[size_t(i / 8)] & ~mask) | (quint8(r[i / 8]) & mask));
    }
    b[size_t(bit / 8)] ^= quint8(0x80 >> (bit % 8));
    return NodeId(b);
}

Contact contact(const NodeId &id, quint16 port)
{
    return Contact {id, base::Endpoint {QHostAddress(QStringLiteral("10.0.0.1")), port}};
}

} // namespace

class TestRoutingTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void contactsLandInTheBucketOfTheirDistance()
    {
        base::SeededRng rng(1);
        const NodeId self = *NodeId::fromBytes(rng.bytes(20));
        RoutingTable table(self, 4);
        for (int bucket : {159, 100, 3}) {
            const NodeId id = idWithPrefix(rng, self, bucket);
            QCOMPARE(self.bucketIndex(id), bucket);
            QVERIFY(table.seen(contact(id, 1), base::Instant(1)).inserted);
            QCOMPARE(table.bucketSize(bucket), 1);
        }
        QCOMPARE(table.size(), 3);
        QVERIFY(!table.seen(contact(self, 1), base::Instant(1)).inserted); // never ourselves
    }

    void aFullBucketAsksToPingItsOldestInsteadOfDroppingIt()
    {
        base::SeededRng rng(2);
        const NodeId self = *NodeId::fromBytes(rng.bytes(20));
        RoutingTable table(self, 3);
        QList<NodeId> ids;
        for (int i = 0; i < 3; ++i) {
            ids.append(idWithPrefix(rng, self, 150));
            table.seen(contact(ids.last(), quint16(i + 1)), base::Instant(i));
        }
        const NodeId newcomer = idWithPrefix(rng, self, 150);
        const RoutingTable::SeenResult r = table.seen(contact(newcomer, 9), base::Instant(10));
        QVERIFY(!r.inserted);
        QVERIFY(r.pingToEvict);
        QCOMPARE(r.pingToEvict->id, ids[0]); // least recently seen
        // A second newcomer while the ping is out does not ask again.
        QVERIFY(!table.seen(contact(idWithPrefix(rng, self, 150), 10), base::Instant(11)).pingToEvict);

        // The oldest answers: it stays, the newcomer waits.
        table.pingResult(ids[0], true, base::Instant(12));
        QVERIFY(table.contains(ids[0]));
        QVERIFY(!table.contains(newcomer));

        // Now the oldest is ids[1]; it fails to answer and is replaced by the
        // freshest replacement.
        const auto again = table.seen(contact(newcomer, 9), base::Instant(13));
        QVERIFY(again.pingToEvict);
        QCOMPARE(again.pingToEvict->id, ids[1]);
        table.pingResult(ids[1], false, base::Instant(14));
        QVERIFY(!table.contains(ids[1]));
        QVERIFY(table.contains(newcomer));
        QCOMPARE(table.bucketSize(150), 3);
    }

    void repeatedFailuresRemoveAContact()
    {
        base::SeededRng rng(3);
        const NodeId self = *NodeId::fromBytes(rng.bytes(20));
        RoutingTable table(self, 20);
        const NodeId id = idWithPrefix(rng, self, 140);
        table.seen(contact(id, 1), base::Instant(0));
        QVERIFY(!table.failed(id));
        QVERIFY(table.contains(id));
        QVERIFY(table.failed(id));
        QVERIFY(!table.contains(id));
    }

    void aKnownNodeAtANewAddressIsFollowed()
    {
        base::SeededRng rng(4);
        const NodeId self = *NodeId::fromBytes(rng.bytes(20));
        RoutingTable table(self, 20);
        const NodeId id = idWithPrefix(rng, self, 120);
        table.seen(contact(id, 1), base::Instant(0));
        table.seen(contact(id, 2), base::Instant(1));
        QCOMPARE(table.size(), 1);
        QCOMPARE(table.find(id)->endpoint.port, quint16(2));
    }

    void closestReturnsNearestFirst()
    {
        base::SeededRng rng(5);
        const NodeId self = *NodeId::fromBytes(rng.bytes(20));
        RoutingTable table(self, 20);
        QList<NodeId> ids;
        for (int i = 0; i < 200; ++i) {
            ids.append(*NodeId::fromBytes(rng.bytes(20)));
            table.seen(contact(ids.last(), quint16(i + 1)), base::Instant(i));
        }
        const NodeId target = *NodeId::fromBytes(rng.bytes(20));
        const QList<Contact> closest = table.closest(target, 8);
        QCOMPARE(closest.size(), 8);
        for (int i = 1; i < closest.size(); ++i)
            QVERIFY(closest[i - 1].id.distance(target) < closest[i].id.distance(target));
        // Nothing in the table is closer than the 8th result but not in it.
        const QList<Contact> all = table.all();
        int closer = 0;
        for (const Contact &c : all)
            closer += c.id.distance(target) < closest.last().id.distance(target) ? 1 : 0;
        QCOMPARE(closer, 7);
        // One missed answer does not hide a contact; kMaxFailures remove it.
        table.failed(closest.first().id);
        QCOMPARE(table.closest(target, 8).first().id, closest.first().id);
        table.failed(closest.first().id);
        QVERIFY(table.closest(target, 8).first().id != closest.first().id);
    }

    void staleBucketsAreThoseWithoutRecentTraffic()
    {
        base::SeededRng rng(6);
        const NodeId self = *NodeId::fromBytes(rng.bytes(20));
        RoutingTable table(self, 20);
        table.seen(contact(idWithPrefix(rng, self, 159), 1), base::Instant(100));
        table.seen(contact(idWithPrefix(rng, self, 158), 2), base::Instant(500));
        QCOMPARE(table.staleBuckets(base::Instant(300)), QList<int> {159});
    }
};

QTEST_GUILESS_MAIN(TestRoutingTable)
#include "test_routingtable.moc"
