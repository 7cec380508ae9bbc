// The pieces under SecureTransport on their own: datagram formats and the
// padded inner plaintext (strict decoders), the handshake payload and the
// peer check, stateless cookies, the per-source rate limiter and the
// reassembler.
#include "core/identity/certificate.h"
#include "core/net/cookiejar.h"
#include "core/net/handshake.h"
#include "core/net/handshakepayload.h"
#include "core/net/ratelimiter.h"
#include "core/net/reassembler.h"
#include "core/net/sessionwire.h"
#include "tests/sim/lib/world.h"
#include "tests/unit/resultchecks.h"

#include <QCborMap>
#include <QTest>
#include <QtEndian>

using namespace cairn;
using namespace cairn::net;
using namespace std::chrono_literals;
namespace wire = cairn::net::sessionwire;

class TestSessionWire : public QObject {
    Q_OBJECT

    base::SeededRng m_rng {5};

    QByteArray initiationNoise() { return m_rng.bytes(32) + QByteArray(wire::kInitiationNoise - 32, '\0'); }

private Q_SLOTS:
    void handshakeDatagramsRoundTrip()
    {
        wire::Initiation initiation {0x01020304, {}, initiationNoise()};
        QByteArray bytes = wire::encode(initiation);
        QCOMPARE(bytes.size(), wire::kInitiationSize);
        QCOMPARE(quint8(bytes[0]), quint8(1));
        auto decoded = wire::decodeInitiation(bytes);
        CAIRN_VERIFY_OK(decoded);
        QCOMPARE(decoded.value().senderIndex, 0x01020304u);
        QVERIFY(decoded.value().cookie.isEmpty());
        QCOMPARE(decoded.value().noise, initiation.noise);
        initiation.cookie = m_rng.bytes(16);
        QCOMPARE(wire::decodeInitiation(wire::encode(initiation)).value().cookie, initiation.cookie);

        const wire::Response response {7, 9, m_rng.bytes(400)};
        auto r = wire::decodeResponse(wire::encode(response));
        CAIRN_VERIFY_OK(r);
        QCOMPARE(r.value().senderIndex, 7u);
        QCOMPARE(r.value().receiverIndex, 9u);
        QCOMPARE(r.value().noise, response.noise);

        const wire::Finish finish {11, m_rng.bytes(300)};
        auto f = wire::decodeFinish(wire::encode(finish));
        CAIRN_VERIFY_OK(f);
        QCOMPARE(f.value().receiverIndex, 11u);
        QCOMPARE(f.value().noise, finish.noise);

        const wire::CookieReply reply {13, m_rng.bytes(16)};
        bytes = wire::encode(reply);
        QCOMPARE(bytes.size(), wire::kCookieReplySize);
        auto c = wire::decodeCookieReply(bytes);
        CAIRN_VERIFY_OK(c);
        QCOMPARE(c.value().receiverIndex, 13u);
        QCOMPARE(c.value().cookie, reply.cookie);
    }

    void handshakeDecodersAreStrict()
    {
        QByteArray initiation = wire::encode(wire::Initiation {5, {}, initiationNoise()});
        CAIRN_VERIFY_ERROR(wire::decodeInitiation(initiation.chopped(1)), NetError::Malformed);
        CAIRN_VERIFY_ERROR(wire::decodeInitiation(initiation + 'x'), NetError::Malformed);
        QByteArray zeroIndex = initiation;
        qToBigEndian<quint32>(0, zeroIndex.data() + 1);
        CAIRN_VERIFY_ERROR(wire::decodeInitiation(zeroIndex), NetError::Malformed);
        QByteArray wrongType = initiation;
        wrongType[0] = char(wire::Type::Finish);
        CAIRN_VERIFY_ERROR(wire::decodeInitiation(wrongType), NetError::Malformed);

        const QByteArray response = wire::encode(wire::Response {7, 9, m_rng.bytes(wire::kMinResponseNoise)});
        CAIRN_VERIFY_OK(wire::decodeResponse(response));
        CAIRN_VERIFY_ERROR(wire::decodeResponse(response.chopped(1)), NetError::Malformed);
        CAIRN_VERIFY_ERROR(wire::decodeResponse(wire::encode(wire::Response {7, 9, m_rng.bytes(1400)})),
            NetError::Malformed); // over a datagram
        CAIRN_VERIFY_ERROR(
            wire::decodeResponse(wire::encode(wire::Response {0, 9, m_rng.bytes(200)})), NetError::Malformed);
        const QByteArray finish = wire::encode(wire::Finish {3, m_rng.bytes(wire::kMinFinishNoise)});
        CAIRN_VERIFY_OK(wire::decodeFinish(finish));
        CAIRN_VERIFY_ERROR(wire::decodeFinish(finish.chopped(1)), NetError::Malformed);
        const QByteArray reply = wire::encode(wire::CookieReply {3, m_rng.bytes(16)});
        CAIRN_VERIFY_ERROR(wire::decodeCookieReply(reply + 'x'), NetError::Malformed);
        QVERIFY(!wire::typeOf(QByteArray()));
        QVERIFY(!wire::typeOf(QByteArray(1, '\0')));
        QVERIFY(!wire::typeOf(QByteArray(1, '\x06')));
    }

    void dataDatagramsHaveAPaddedSize()
    {
        const QByteArray header = wire::encodeDataHeader(0xaabbccdd, 0x0102030405060708);
        QCOMPARE(header.size(), wire::kDataHeader);
        for (qsizetype plaintext = 0; plaintext <= wire::kMaxPlaintext + 1; ++plaintext) {
            const QByteArray datagram = header + QByteArray(plaintext + wire::kTagBytes, 'c');
            const bool padded = std::find(wire::kPaddedSizes.begin(), wire::kPaddedSizes.end(), plaintext)
                != wire::kPaddedSizes.end();
            auto data = wire::decodeData(datagram);
            QCOMPARE(data.ok(), padded);
            if (padded) {
                QCOMPARE(data.value().receiverIndex, 0xaabbccddu);
                QCOMPARE(data.value().counter, quint64(0x0102030405060708));
                QCOMPARE(data.value().header, QByteArrayView(header));
                QCOMPARE(data.value().ciphertext.size(), plaintext + wire::kTagBytes);
            }
        }
        QCOMPARE(wire::kMaxPlaintext + wire::kDataHeader + wire::kTagBytes, base::Transport::kMaxDatagram);
        QCOMPARE(wire::kMaxFragments, 49);
    }

    void innerPlaintextsRoundTripAtTheSmallestPaddedSize()
    {
        for (qsizetype length : {qsizetype(1), qsizetype(53), qsizetype(54), qsizetype(245), qsizetype(246),
                 qsizetype(1000), wire::kFragmentPayload}) {
            wire::Inner inner;
            inner.kind = wire::InnerKind::Control;
            inner.messageId = 77;
            inner.index = 3;
            inner.count = 4;
            inner.fragment = m_rng.bytes(length);
            const QByteArray plaintext = wire::encode(inner);
            QCOMPARE(plaintext.size(), wire::paddedSize(wire::kInnerHeader + length));
            auto decoded = wire::decodeInner(plaintext);
            CAIRN_VERIFY_OK(decoded);
            QCOMPARE(decoded.value().kind, wire::InnerKind::Control);
            QCOMPARE(decoded.value().messageId, 77u);
            QCOMPARE(decoded.value().index, quint16(3));
            QCOMPARE(decoded.value().count, quint16(4));
            QCOMPARE(decoded.value().fragment, inner.fragment);
        }
        wire::Inner close;
        close.kind = wire::InnerKind::Close;
        close.closeReason = 2;
        QCOMPARE(wire::encode(close).size(), 64);
        QCOMPARE(wire::decodeInner(wire::encode(close)).value().closeReason, quint8(2));
        QCOMPARE(wire::encode(wire::Inner {}).size(), 64);
        QCOMPARE(wire::decodeInner(wire::encode(wire::Inner {})).value().kind, wire::InnerKind::Keepalive);
        QCOMPARE(wire::paddedSize(wire::kMaxPlaintext + 1), -1);
    }

    void innerPlaintextsAreStrict()
    {
        auto fragment = [this](quint16 index, quint16 count, qsizetype length) {
            wire::Inner inner;
            inner.kind = wire::InnerKind::Message;
            inner.index = index;
            inner.count = count;
            inner.fragment = m_rng.bytes(length);
            return wire::encode(inner);
        };
        CAIRN_VERIFY_OK(wire::decodeInner(fragment(1, 2, 10))); // a short last fragment
        CAIRN_VERIFY_ERROR(wire::decodeInner(fragment(0, 2, 10)), NetError::Malformed); // short, not last
        CAIRN_VERIFY_ERROR(wire::decodeInner(fragment(2, 2, 10)), NetError::Malformed);
        CAIRN_VERIFY_ERROR(wire::decodeInner(fragment(0, 0, 10)), NetError::Malformed);
        CAIRN_VERIFY_ERROR(wire::decodeInner(fragment(0, 50, wire::kFragmentPayload)), NetError::Malformed);
        CAIRN_VERIFY_ERROR(wire::decodeInner(fragment(0, 1, 0)), NetError::Malformed); // empty
        QByteArray dirty = fragment(0, 1, 10);
        dirty[60] = 1; // padding must be zero
        CAIRN_VERIFY_ERROR(wire::decodeInner(dirty), NetError::Malformed);
        QByteArray tooPadded = wire::encode(wire::Inner {});
        tooPadded.append(256 - 64, '\0'); // fits in 64, padded to 256
        CAIRN_VERIFY_ERROR(wire::decodeInner(tooPadded), NetError::Malformed);
        QByteArray unknownKind(64, '\0');
        unknownKind[0] = 9;
        CAIRN_VERIFY_ERROR(wire::decodeInner(unknownKind), NetError::Malformed);
        QByteArray lengthBeyond = fragment(0, 1, 10);
        qToBigEndian<quint16>(60, lengthBeyond.data() + 9);
        CAIRN_VERIFY_ERROR(wire::decodeInner(lengthBeyond), NetError::Malformed);
        CAIRN_VERIFY_ERROR(wire::decodeInner(QByteArray(63, '\0')), NetError::Malformed);
    }

    void handshakePayloadsAreStrictCbor()
    {
        HandshakePayload payload;
        payload.deviceKey = crypto::DeviceKey::generate(m_rng).publicKey();
        auto decoded = HandshakePayload::decode(payload.encode());
        CAIRN_VERIFY_OK(decoded);
        QCOMPARE(decoded.value().deviceKey, payload.deviceKey);
        QVERIFY(decoded.value().certificate.isEmpty());
        QVERIFY(!decoded.value().rekey);
        payload.certificate = m_rng.bytes(300);
        payload.rekey = true;
        decoded = HandshakePayload::decode(payload.encode());
        CAIRN_VERIFY_OK(decoded);
        QCOMPARE(decoded.value().certificate, payload.certificate);
        QVERIFY(decoded.value().rekey);

        auto refuse = [](const QCborMap &map) {
            CAIRN_VERIFY_ERROR(HandshakePayload::decode(base::cbor::encode(map)), NetError::Malformed);
        };
        const QByteArray key = payload.deviceKey.toByteArray();
        refuse(QCborMap {}); // no device key
        refuse(QCborMap {{2, key.left(31)}});
        refuse(QCborMap {{2, key}, {3, 0}}); // the flag is present only as 1
        refuse(QCborMap {{2, key}, {4, 1}}); // unknown field
        refuse(QCborMap {{1, QByteArray()}, {2, key}});
        refuse(QCborMap {{1, QStringLiteral("text")}, {2, key}});
        CAIRN_VERIFY_ERROR(HandshakePayload::decode(QByteArray::fromHex("a10258")), NetError::Malformed);
    }

    void aPeerMustHoldTheKeyItPresents()
    {
        const crypto::DeviceKey ours = crypto::DeviceKey::generate(m_rng);
        const crypto::DeviceKey theirs = crypto::DeviceKey::generate(m_rng);
        const crypto::DeviceKey ca = crypto::DeviceKey::generate(m_rng);
        SessionIdentity identity {ours.clone(), {}, ca.publicKey(), m_rng.bytes(32)};
        TrustPolicy policy;
        policy.identity = &identity;
        policy.nowUnix = 1'800'000'000;
        HandshakePayload payload;
        payload.deviceKey = theirs.publicKey();
        CAIRN_VERIFY_ERROR(verifyPeer(payload, theirs.x25519Public(), policy), NetError::Uncertified);
        policy.acceptUncertified = true;
        auto ok = verifyPeer(payload, theirs.x25519Public(), policy);
        CAIRN_VERIFY_OK(ok);
        QVERIFY(ok.value().certificate.isNull());
        CAIRN_VERIFY_ERROR(verifyPeer(payload, ours.x25519Public(), policy), NetError::SelfConnection);
        CAIRN_VERIFY_ERROR(verifyPeer(payload, crypto::DeviceKey::generate(m_rng).x25519Public(), policy),
            NetError::DeviceKeyMismatch);
        payload.certificate = m_rng.bytes(100);
        CAIRN_VERIFY_ERROR(verifyPeer(payload, theirs.x25519Public(), policy), NetError::BadCertificate);
        // An initiation with a low-order ephemeral key is the peer's fault.
        const wire::Initiation lowOrder {1, {}, QByteArray(wire::kInitiationNoise, '\0')};
        CAIRN_VERIFY_ERROR(Handshake::respond(identity, lowOrder, m_rng, 9), NetError::Malformed);
        CAIRN_VERIFY_OK(Handshake::respond(identity, wire::Initiation {1, {}, initiationNoise()}, m_rng, 9));
        QVERIFY(sessionPrologue(identity.groupId).endsWith(identity.groupId));
        QVERIFY(sessionPrologue(identity.groupId) != sessionPrologue(m_rng.bytes(32)));
    }

    void cookiesAreBoundToTheAddressAndExpireAfterTwoRotations()
    {
        sim::World world(3);
        CookieJar jar(world.scheduler(), world.rng());
        const auto a = base::Endpoint::parse(QStringLiteral("192.0.2.1:4100"));
        const auto b = base::Endpoint::parse(QStringLiteral("192.0.2.1:4101"));
        const QByteArray cookie = jar.make(a);
        QCOMPARE(cookie.size(), CookieJar::kCookieBytes);
        QVERIFY(jar.check(a, cookie));
        QVERIFY(!jar.check(b, cookie)); // another port
        QVERIFY(!jar.check(a, cookie.left(15)));
        QByteArray flipped = cookie;
        flipped[0] = char(flipped[0] ^ 1);
        QVERIFY(!jar.check(a, flipped));
        world.runFor(CookieJar::kRotation + 1s);
        QVERIFY(jar.check(a, cookie)); // the previous secret still counts
        QVERIFY(jar.make(a) != cookie);
        world.runFor(CookieJar::kRotation + 1s);
        QVERIFY(!jar.check(a, cookie));
        // After a long quiet spell, nothing old is accepted.
        const QByteArray late = jar.make(a);
        world.runFor(10 * CookieJar::kRotation);
        QVERIFY(!jar.check(a, late));
    }

    void theRateLimiterRefillsAndStaysBounded()
    {
        RateLimiter limiter(2, 4, 100);
        const QHostAddress source(QStringLiteral("198.51.100.7"));
        base::Instant now {0};
        int allowed = 0;
        for (int i = 0; i < 10; ++i)
            allowed += limiter.allow(source, now) ? 1 : 0;
        QCOMPARE(allowed, 4); // the burst
        now += 1s;
        allowed = 0;
        for (int i = 0; i < 10; ++i)
            allowed += limiter.allow(source, now) ? 1 : 0;
        QCOMPARE(allowed, 2); // the rate
        now += 1h;
        allowed = 0;
        for (int i = 0; i < 10; ++i)
            allowed += limiter.allow(source, now) ? 1 : 0;
        QCOMPARE(allowed, 4); // never more than the burst
        QVERIFY(!limiter.allow(source, now));
        // 1,000 other sources: the table keeps 100, forgetting the least recent.
        for (quint32 i = 0; i < 1000; ++i)
            QVERIFY(limiter.allow(QHostAddress(0x0a000000 + i), now));
        QCOMPARE(limiter.size(), 100);
        QVERIFY(limiter.allow(source, now)); // forgotten, so it starts full again
    }

    void theReassemblerBoundsWhatItHolds()
    {
        sim::World world(4);
        Reassembler::Limits limits;
        limits.fragmentPayload = 10;
        limits.maxFragments = 5;
        limits.maxPartialPerPeer = 2;
        Reassembler r(world.scheduler(), limits);
        const auto a = base::Endpoint::parse(QStringLiteral("192.0.2.1:1"));
        QVERIFY(!r.add(a, 1, 7, 1, 3, QByteArray(10, 'b')));
        QVERIFY(!r.add(a, 1, 8, 0, 3, QByteArray(10, 'a'))); // another tag: ignored
        QVERIFY(!r.add(a, 1, 7, 0, 4, QByteArray(10, 'a'))); // another count: ignored
        QVERIFY(!r.add(a, 1, 7, 1, 3, QByteArray(10, 'b'))); // a repeat
        QVERIFY(!r.add(a, 1, 7, 0, 3, QByteArray(10, 'a')));
        auto done = r.add(a, 1, 7, 2, 3, QByteArray(3, 'c'));
        QVERIFY(done);
        QCOMPARE(done->tag, quint8(7));
        QCOMPARE(done->bytes, QByteArray(10, 'a') + QByteArray(10, 'b') + QByteArray(3, 'c'));
        QCOMPARE(r.partialBytes(), 0);
        QVERIFY(!r.add(a, 2, 7, 0, 2, QByteArray(9, 'x'))); // short before the last
        QVERIFY(!r.add(a, 2, 7, 0, 6, QByteArray(10, 'x'))); // too many fragments
        QCOMPARE(r.partialBytes(), 0);
        QVERIFY(!r.add(a, 3, 7, 0, 2, QByteArray(10, 'x')));
        QVERIFY(!r.add(a, 4, 7, 0, 2, QByteArray(10, 'x')));
        QVERIFY(!r.add(a, 5, 7, 0, 2, QByteArray(10, 'x'))); // over the per-peer bound
        QCOMPARE(r.partialBytes(), 20);
        r.dropPeer(a);
        QCOMPARE(r.partialBytes(), 0);
        QCOMPARE(r.dropped(), quint64(2));
        QVERIFY(!r.add(a, 6, 7, 0, 2, QByteArray(10, 'x')));
        world.runFor(limits.timeout * 3);
        QCOMPARE(r.partialBytes(), 0);
        QCOMPARE(r.dropped(), quint64(3));
    }
};

QTEST_GUILESS_MAIN(TestSessionWire)
#include "test_sessionwire.moc"
