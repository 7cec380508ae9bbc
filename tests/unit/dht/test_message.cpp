// The DHT's RPC messages: round trips, and strict refusal of bad input.
#include "core/base/cbor.h"
#include "core/base/rng.h"
#include "core/dht/message.h"
#include "core/dht/record.h"
#include "core/dht/rttestimator.h"

#include <QCborMap>
#include <QTest>

using namespace cairn;
using namespace cairn::dht;

class TestMessage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyFieldRoundTrips()
    {
        base::SeededRng rng(1);
        Message m;
        m.kind = Kind::Response;
        m.op = Op::List;
        m.txid = 0xfedcba9876543210ULL;
        m.sender = *identity::NodeId::fromBytes(rng.bytes(20));
        m.target = *identity::NodeId::fromBytes(rng.bytes(20));
        m.hasTarget = true;
        m.key = rng.bytes(32);
        m.value = rng.bytes(1000);
        m.ttl = 3600;
        m.tokenHash = rng.bytes(32);
        m.token = rng.bytes(16);
        m.entryId = rng.bytes(32);
        m.offset = 7;
        m.more = true;
        m.found = true;
        m.record = RecordData {rng.bytes(32), rng.bytes(5), 9, rng.bytes(10), rng.bytes(64)};
        m.nodes = {Contact {*identity::NodeId::fromBytes(rng.bytes(20)),
                       base::Endpoint::parse(QStringLiteral("192.0.2.1:4100"))},
            Contact {
                *identity::NodeId::fromBytes(rng.bytes(20)), base::Endpoint::parse(QStringLiteral("[2001:db8::7]:9"))}};
        m.entries = {InboxItem {rng.bytes(100), rng.bytes(32), 60}};
        auto back = Message::decode(m.encode());
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.message()));
        const Message &b = back.value();
        QCOMPARE(b.kind, m.kind);
        QCOMPARE(b.op, m.op);
        QCOMPARE(b.txid, m.txid);
        QCOMPARE(b.sender, m.sender);
        QCOMPARE(b.target, m.target);
        QCOMPARE(b.key, m.key);
        QCOMPARE(b.value, m.value);
        QCOMPARE(b.ttl, m.ttl);
        QCOMPARE(b.tokenHash, m.tokenHash);
        QCOMPARE(b.token, m.token);
        QCOMPARE(b.entryId, m.entryId);
        QCOMPARE(b.offset, m.offset);
        QCOMPARE(b.more, true);
        QCOMPARE(b.found, true);
        QVERIFY(b.record == m.record);
        QVERIFY(b.nodes == m.nodes);
        QVERIFY(b.entries == m.entries);
    }

    void errorsCarryCodeAndText()
    {
        Message request;
        request.op = Op::PutBlob;
        request.txid = 5;
        const Message e = Message::errorTo(request, identity::NodeId(), RemoteError::QuotaFull, QStringLiteral("full"));
        auto back = Message::decode(e.encode());
        QVERIFY(back.ok());
        QCOMPARE(back->kind, Kind::Error);
        QCOMPARE(back->error, RemoteError::QuotaFull);
        QCOMPARE(back->errorText, QStringLiteral("full"));
        QCOMPARE(back->txid, quint64(5));
    }

    void badInputIsAnErrorNeverACrash()
    {
        QVERIFY(!Message::decode(QByteArray()).ok());
        QVERIFY(!Message::decode(QByteArray("\xff\xff\xff", 3)).ok());
        Message m;
        m.op = Op::Ping;
        QByteArray good = m.encode();
        QVERIFY(Message::decode(good).ok());
        for (int cut = 0; cut < good.size(); ++cut)
            QVERIFY(!Message::decode(good.left(cut)).ok());

        auto withField = [&](qint64 key, const QCborValue &value) {
            auto map = base::cbor::decode(good)->toMap();
            map.insert(key, value);
            return base::cbor::encode(map);
        };
        QVERIFY(!Message::decode(withField(99, 1)).ok()); // unknown field
        QVERIFY(!Message::decode(withField(1, 77)).ok()); // unknown op
        QVERIFY(!Message::decode(withField(3, QByteArray(19, 'x'))).ok()); // short sender
        QVERIFY(!Message::decode(withField(5, QByteArray(31, 'k'))).ok()); // short key
        QVERIFY(!Message::decode(withField(6, QByteArray(64 * 1024 + 1, 'v'))).ok()); // value too large
        QVERIFY(
            !Message::decode(withField(16, QCborArray {QCborArray {QByteArray(20, 'i'), QByteArray(5, 'e')}})).ok());
        QVERIFY(!Message::decode(withField(18, 3)).ok()); // error code outside an error
    }

    void endpointsEncodeCompactly()
    {
        const auto v4 = base::Endpoint::parse(QStringLiteral("203.0.113.9:65535"));
        QCOMPARE(encodeEndpoint(v4).size(), 6);
        QVERIFY(decodeEndpoint(encodeEndpoint(v4)) == v4);
        const auto v6 = base::Endpoint::parse(QStringLiteral("[2001:db8::1]:1"));
        QCOMPARE(encodeEndpoint(v6).size(), 18);
        QVERIFY(decodeEndpoint(encodeEndpoint(v6)) == v6);
        QVERIFY(!decodeEndpoint(QByteArray(7, '\0')));
        QVERIFY(!decodeEndpoint(QByteArray(6, '\0'))); // port 0, address 0
    }

    void recordsVerifyOnlyUnderTheirKeyAndSignature()
    {
        base::SeededRng rng(3);
        const crypto::DeviceKey owner = crypto::DeviceKey::generate(rng);
        const RecordData r = record::sign(owner, "profile", 3, "hello");
        const QByteArray key = record::keyOf(r.owner, r.salt);
        QVERIFY(record::isValid(r, key));
        QVERIFY(!record::isValid(r, record::keyOf(r.owner, "other")));
        RecordData tampered = r;
        tampered.sequence = 4; // a replay with a higher sequence is not signed
        QVERIFY(!record::isValid(tampered, key));
    }

    void rttEstimatorFollowsJacobsonKarels()
    {
        RttEstimator e;
        QCOMPARE(e.retransmitTimeout(), RttEstimator::kInitialTimeout);
        e.addSample(base::Duration(100'000));
        QCOMPARE(e.smoothed(), base::Duration(100'000));
        QCOMPARE(e.deviation(), base::Duration(50'000));
        QCOMPARE(e.retransmitTimeout(), base::Duration(300'000));
        e.addSample(base::Duration(200'000));
        QCOMPARE(e.smoothed(), base::Duration(112'500)); // 7/8 * 100 + 1/8 * 200
        QCOMPARE(e.deviation(), base::Duration(62'500)); // 3/4 * 50 + 1/4 * 100
        QVERIFY(e.slowThreshold() < e.retransmitTimeout());
        for (int i = 0; i < 50; ++i)
            e.addSample(base::Duration(10));
        QCOMPARE(e.retransmitTimeout(), RttEstimator::kMinTimeout);
        // Counting a request as slow only asks another node: its floor is lower.
        QCOMPARE(e.slowThreshold(), RttEstimator::kMinSlow);
        QVERIFY(RttEstimator::kMinSlow < RttEstimator::kMinTimeout);
    }
};

QTEST_GUILESS_MAIN(TestMessage)
#include "test_message.moc"
