// NodeId: 160-bit overlay positions, the XOR metric and k-bucket indices.
#include "core/base/rng.h"
#include "core/crypto/keys.h"
#include "core/identity/nodeid.h"

#include <QTest>

using namespace cairn;
using namespace cairn::identity;

namespace {

NodeId randomId(base::Rng &rng)
{
    NodeId::Bytes b;
    rng.fill(b);
    return NodeId(b);
}

NodeId withBit(int bit) // bit 0 is the most significant
{
    NodeId::Bytes b {};
    b[bit / 8] = quint8(0x80 >> (bit % 8));
    return NodeId(b);
}

} // namespace

class TestNodeId : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void distanceIsSymmetric()
    {
        base::SeededRng rng(1);
        for (int i = 0; i < 200; ++i) {
            const NodeId a = randomId(rng), b = randomId(rng);
            QCOMPARE(a.distance(b), b.distance(a));
        }
    }

    void distanceToSelfIsZeroAndOnlyToSelf()
    {
        base::SeededRng rng(2);
        const NodeId a = randomId(rng);
        QCOMPARE(a.distance(a), NodeId());
        QCOMPARE(a.distance(a).leadingZeros(), NodeId::kBits);
        QVERIFY(a.distance(randomId(rng)) != NodeId());
    }

    void distanceIsXor()
    {
        base::SeededRng rng(3);
        const NodeId a = randomId(rng), b = randomId(rng);
        const NodeId d = a.distance(b);
        for (int i = 0; i < NodeId::kBytes; ++i)
            QCOMPARE(d.bytes()[i], quint8(a.bytes()[i] ^ b.bytes()[i]));
        // The triangle inequality of the XOR metric, as Kademlia relies on it.
        const NodeId c = randomId(rng);
        QCOMPARE(a.distance(b).distance(b.distance(c)), a.distance(c));
    }

    void bucketIndexOfSelfIsMinusOne()
    {
        base::SeededRng rng(4);
        const NodeId a = randomId(rng);
        QCOMPARE(a.bucketIndex(a), -1);
    }

    void bucketIndexCountsFromTheFarthestHalf()
    {
        const NodeId zero;
        QCOMPARE(zero.bucketIndex(withBit(0)), 159);
        QCOMPARE(zero.bucketIndex(withBit(1)), 158);
        QCOMPARE(zero.bucketIndex(withBit(8)), 151);
        QCOMPARE(zero.bucketIndex(withBit(159)), 0);
        for (int bit = 0; bit < NodeId::kBits; ++bit)
            QCOMPARE(zero.bucketIndex(withBit(bit)), NodeId::kBits - 1 - bit);
    }

    void bucketIndexIsSymmetricAndFollowsTheHighestDifferingBit()
    {
        base::SeededRng rng(5);
        for (int i = 0; i < 200; ++i) {
            const NodeId a = randomId(rng), b = randomId(rng);
            QCOMPARE(a.bucketIndex(b), b.bucketIndex(a));
            QCOMPARE(a.bucketIndex(b), NodeId::kBits - 1 - a.distance(b).leadingZeros());
        }
    }

    void closerIsStrict()
    {
        const NodeId target;
        const NodeId near = withBit(100), far = withBit(3);
        QVERIFY(target.closer(near, far));
        QVERIFY(!target.closer(far, near));
        QVERIFY(!target.closer(near, near)); // equal distance is not closer
        QVERIFY(target.closer(target, near));
    }

    void closerMatchesDistanceOrder()
    {
        base::SeededRng rng(6);
        for (int i = 0; i < 200; ++i) {
            const NodeId t = randomId(rng), a = randomId(rng), b = randomId(rng);
            QCOMPARE(t.closer(a, b), t.distance(a) < t.distance(b));
            QVERIFY(!(t.closer(a, b) && t.closer(b, a)));
        }
    }

    void hexRoundTrips()
    {
        base::SeededRng rng(7);
        const NodeId a = randomId(rng);
        QCOMPARE(a.toHex().size(), 40);
        QCOMPARE(NodeId::fromHex(a.toHex()), std::optional<NodeId>(a));
        QCOMPARE(NodeId::fromHex(a.toHex().toUpper()), std::optional<NodeId>(a));
        QCOMPARE(NodeId::fromBytes(a.toByteArray()), std::optional<NodeId>(a));
    }

    void fromHexRejectsBadInput_data()
    {
        QTest::addColumn<QString>("hex");
        QTest::newRow("empty") << QString();
        QTest::newRow("39 digits") << QString(39, QLatin1Char('a'));
        QTest::newRow("41 digits") << QString(41, QLatin1Char('a'));
        QTest::newRow("80 digits") << QString(80, QLatin1Char('a'));
        QTest::newRow("non-hex letter") << QString(39, QLatin1Char('a')) + QLatin1Char('g');
        QTest::newRow("space") << QString(39, QLatin1Char('a')) + QLatin1Char(' ');
        QTest::newRow("0x prefix") << QStringLiteral("0x") + QString(38, QLatin1Char('a'));
        QTest::newRow("non-ASCII digit") << QString(39, QLatin1Char('a')) + QChar(0x0663); // ARABIC-INDIC THREE
    }
    void fromHexRejectsBadInput()
    {
        QFETCH(QString, hex);
        QVERIFY(!NodeId::fromHex(hex).has_value());
    }

    void fromBytesRejectsWrongSizes()
    {
        QVERIFY(!NodeId::fromBytes(QByteArray()).has_value());
        QVERIFY(!NodeId::fromBytes(QByteArray(19, 'x')).has_value());
        QVERIFY(!NodeId::fromBytes(QByteArray(21, 'x')).has_value());
        QVERIFY(!NodeId::fromBytes(QByteArray(32, 'x')).has_value());
        QVERIFY(NodeId::fromBytes(QByteArray(20, 'x')).has_value());
    }

    void fromDeviceKeyIsBlake2b160OfTheEd25519Key()
    {
        // Known answer: BLAKE2b with a 20-byte digest of bytes 0x00..0x1f
        // (Python: hashlib.blake2b(bytes(range(32)), digest_size=20)).
        QByteArray raw;
        for (int i = 0; i < 32; ++i)
            raw.append(char(i));
        const auto key = crypto::PublicKey::fromBytes(raw);
        QVERIFY(key.ok());
        QCOMPARE(
            NodeId::fromDeviceKey(key.value()).toHex(), QStringLiteral("b1b133b99f516e6c82ceda892ef5af50fa4b4e71"));

        base::SeededRng rng(8);
        const auto device = crypto::DeviceKey::generate(rng);
        const NodeId id = NodeId::fromDeviceKey(device.publicKey());
        QCOMPARE(id.toByteArray(), crypto::blake2b(device.publicKey().toByteArray(), 20));
        const auto other = crypto::DeviceKey::generate(rng);
        QVERIFY(NodeId::fromDeviceKey(other.publicKey()) != id);
    }

    void hashDependsOnTheId()
    {
        base::SeededRng rng(9);
        const NodeId a = randomId(rng), b = randomId(rng);
        QCOMPARE(qHash(a), qHash(NodeId(a.bytes())));
        QVERIFY(qHash(a) != qHash(b));
    }
};

QTEST_GUILESS_MAIN(TestNodeId)
#include "test_nodeid.moc"
