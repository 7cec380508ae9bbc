// The control-channel codec: every kind round-trips byte for byte, and
// malformed, non-canonical and oversized input is refused with an error.
#include "core/base/cbor.h"
#include "core/dht/message.h"
#include "tests/unit/rendezvous/rendezvousfixture.h"

#include <QCborArray>
#include <QCborMap>

using namespace cairn;
using namespace cairn::rendezvous;
using namespace cairn::rendezvous::testing;

namespace {

struct Samples {
    base::SeededRng rng {5};
    crypto::DeviceKey ca = crypto::DeviceKey::generate(rng);
    crypto::DeviceKey device = crypto::DeviceKey::generate(rng);
    QByteArray groupId = rng.bytes(32);

    identity::Certificate cert(quint64 serial = 1) const
    {
        identity::CertificateFields f;
        f.groupId = groupId;
        f.groupName = QStringLiteral("Hiking Club");
        f.username = QStringLiteral("alice");
        f.deviceKey = device.publicKey();
        f.notBefore = kNow;
        f.notAfter = kNow + kDay;
        f.serial = serial;
        return identity::Certificate::issue(ca, f).value();
    }

    identity::RevocationList crl() const
    {
        identity::RevocationFields f;
        f.groupId = groupId;
        f.version = 4;
        f.issuedAt = kNow;
        f.usernames = {QStringLiteral("mallory")};
        f.serials = {3, 9};
        return identity::RevocationList::issue(ca, f).value();
    }

    JoinResponse issued() const
    {
        JoinResponse r;
        r.status = ResponseStatus::Issued;
        r.certificate = cert();
        r.groupName = QStringLiteral("Hiking Club");
        r.groupId = groupId;
        r.caKey = ca.publicKey();
        r.crl = crl();
        r.bootstrap = {base::Endpoint::parse(QStringLiteral("192.0.2.7:4100")),
            base::Endpoint::parse(QStringLiteral("[2001:db8::7]:4100"))};
        r.message = QStringLiteral("welcome");
        return r;
    }

    QList<ControlMessage> all() const
    {
        JoinResponse pending;
        pending.status = ResponseStatus::Pending;
        pending.message = QStringLiteral("waiting for the operator");
        JoinResponse denied;
        denied.status = ResponseStatus::Denied;
        denied.error = RendezvousError::Denied;
        JoinResponse error;
        error.status = ResponseStatus::Error;
        error.error = RendezvousError::InviteUsedUp;
        error.message = QStringLiteral("used up");
        JoinResponse bare = issued();
        bare.crl = {};
        bare.bootstrap.clear();
        bare.message.clear();
        RenewResponse renewed;
        renewed.status = ResponseStatus::Issued;
        renewed.certificate = cert(2);
        RenewResponse refused;
        refused.status = ResponseStatus::Error;
        refused.error = RendezvousError::Revoked;
        refused.message = QStringLiteral("revoked");
        DirectoryResponse page;
        page.certificates = {cert(1), cert(2), cert(3)};
        page.offset = 200;
        page.more = true;
        const QByteArray token(16, 't');
        return {Hello {},
            JoinRequest {token, QStringLiteral("alice"), device.publicKey(),
                joinProof(device, "hash", token, QStringLiteral("alice"))},
            issued(), bare, pending, denied, error, RenewRequest {}, renewed, refused, DirectoryRequest {},
            DirectoryRequest {400}, page, DirectoryResponse {}, CrlOffer {0}, CrlOffer {77}, CrlPush {crl()}};
    }
};

/// The decoded map of an encoded message, for tests that alter one field.
QCborMap mapOf(const ControlMessage &m)
{
    return base::cbor::decode(m.encode(), base::cbor::Limits {1 << 20, 8, 1 << 16, 1 << 20})->toMap();
}

void expectMalformed(const QByteArray &bytes, RendezvousError code = RendezvousError::Malformed)
{
    auto r = ControlMessage::decode(bytes);
    CAIRN_VERIFY_ERROR(r, code);
}

void expectMalformed(const QCborMap &map)
{
    expectMalformed(base::cbor::encode(map));
}

} // namespace

class TestMessages : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyKindRoundTrips()
    {
        const Samples s;
        for (const ControlMessage &m : s.all()) {
            const QByteArray bytes = m.encode();
            QVERIFY(bytes.size() <= ControlMessage::kMaxBytes);
            auto decoded = ControlMessage::decode(bytes);
            CAIRN_VERIFY_OK(decoded);
            QVERIFY(decoded.value() == m);
            QCOMPARE(decoded->encode(), bytes);
        }
    }

    void theJoinProofBindsKeySessionTokenAndName()
    {
        const Samples s;
        const QByteArray token(16, 't');
        const QByteArray proof = joinProof(s.device, "session", token, QStringLiteral("alice"));
        QCOMPARE(proof.size(), 64);
        QVERIFY(verifyJoinProof(s.device.publicKey(), "session", token, QStringLiteral("alice"), proof));
        QVERIFY(!verifyJoinProof(s.ca.publicKey(), "session", token, QStringLiteral("alice"), proof));
        QVERIFY(!verifyJoinProof(s.device.publicKey(), "another", token, QStringLiteral("alice"), proof));
        QVERIFY(!verifyJoinProof(s.device.publicKey(), "session", QByteArray(16, 'u'), QStringLiteral("alice"), proof));
        QVERIFY(!verifyJoinProof(s.device.publicKey(), "session", token, QStringLiteral("alicia"), proof));
        QVERIFY(!verifyJoinProof(s.device.publicKey(), "session", token, QStringLiteral("alice"), proof.left(63)));
        // The fields are framed: moving a byte from the binding to the token changes the input.
        const QByteArray shifted = joinProof(s.device, "sessio", "n" + token, QStringLiteral("alice"));
        QVERIFY(!verifyJoinProof(s.device.publicKey(), "session", token, QStringLiteral("alice"), shifted));
    }

    void garbageAndWrongShapesAreRefused()
    {
        expectMalformed(QByteArray());
        expectMalformed(QByteArray("\xff\x00", 2));
        expectMalformed(base::cbor::encode(QCborArray {1, 2}));
        expectMalformed(QCborMap {});
        expectMalformed(QCborMap {{0, 99}});
        expectMalformed(QCborMap {{0, QStringLiteral("hello")}});
        expectMalformed(QCborMap {{0, -1}});
        // Trailing bytes and non-canonical forms.
        expectMalformed(ControlMessage(Hello {}).encode() + '\0');
        expectMalformed(QByteArray::fromHex("a1001801")); // kind 1 in a two-byte form
        // Too large before anything is parsed.
        expectMalformed(QByteArray(ControlMessage::kMaxBytes + 1, '\0'), RendezvousError::TooLarge);
    }

    void unknownMissingAndMisplacedFieldsAreRefused()
    {
        const Samples s;
        QCborMap hello = mapOf(Hello {});
        hello.insert(1, 1);
        expectMalformed(hello);

        const QByteArray token(16, 't');
        const ControlMessage request
            = JoinRequest {token, QStringLiteral("alice"), s.device.publicKey(), QByteArray(64, 'p')};
        for (qint64 key : {1, 2, 3, 4}) {
            QCborMap m = mapOf(request);
            m.remove(key);
            expectMalformed(m);
        }
        QCborMap extra = mapOf(request);
        extra.insert(5, 0);
        expectMalformed(extra);

        // A Pending answer carries no certificate; an Issued one must.
        QCborMap pending = mapOf(s.issued());
        pending.insert(1, qint64(ResponseStatus::Pending));
        expectMalformed(pending);
        QCborMap noCert = mapOf(s.issued());
        noCert.remove(2);
        expectMalformed(noCert);
        // Denied and Error need their code; Issued and Pending have none.
        JoinResponse denied;
        denied.status = ResponseStatus::Denied;
        QCborMap noCode = mapOf(denied);
        noCode.remove(9);
        expectMalformed(noCode);
        QCborMap codeOnIssued = mapOf(s.issued());
        codeOnIssued.insert(9, 8);
        expectMalformed(codeOnIssued);
        QCborMap unknownCode = mapOf(denied);
        unknownCode.insert(9, 200);
        expectMalformed(unknownCode);
        // A renewal is never pending.
        QCborMap renewPending = mapOf(RenewResponse {});
        renewPending.insert(1, qint64(ResponseStatus::Pending));
        renewPending.remove(9);
        expectMalformed(renewPending);
        QCborMap badStatus = mapOf(RenewResponse {});
        badStatus.insert(1, 4);
        expectMalformed(badStatus);
    }

    void fieldsOutsideTheirLimitsAreRefused()
    {
        const Samples s;
        const auto withField = [](const ControlMessage &m, qint64 key, const QCborValue &value) {
            QCborMap map = mapOf(m);
            map.insert(key, value);
            return map;
        };
        const ControlMessage request
            = JoinRequest {QByteArray(16, 't'), QStringLiteral("alice"), s.device.publicKey(), QByteArray(64, 'p')};
        expectMalformed(withField(request, 1, QByteArray(15, 't')));
        expectMalformed(withField(request, 1, QByteArray(33, 't')));
        expectMalformed(withField(request, 2, QString(33, u'a')));
        expectMalformed(withField(request, 2, QString()));
        expectMalformed(withField(request, 2, QByteArray("alice")));
        expectMalformed(withField(request, 3, QByteArray(31, 'k')));
        expectMalformed(withField(request, 3, QByteArray(32, '\0'))); // not a usable point
        expectMalformed(withField(request, 4, QByteArray(63, 'p')));

        const ControlMessage issued = s.issued();
        expectMalformed(withField(issued, 2, QByteArray("not a certificate")));
        expectMalformed(withField(issued, 3, QStringLiteral(" padded ")));
        expectMalformed(withField(issued, 4, QByteArray(31, 'g')));
        expectMalformed(withField(issued, 6, QByteArray("not a list")));
        expectMalformed(withField(issued, 7, QCborArray {}));
        expectMalformed(withField(issued, 7, QCborArray {QByteArray(5, 'e')}));
        // An IPv4 address in its IPv6-mapped spelling is a second encoding.
        QByteArray mapped(10, '\0');
        mapped += QByteArray::fromHex("ffffc0000207") + QByteArray::fromHex("1004");
        expectMalformed(withField(issued, 7, QCborArray {mapped}));
        QCborArray tooMany;
        for (int i = 0; i <= JoinResponse::kMaxBootstrap; ++i)
            tooMany.append(dht::encodeEndpoint(base::Endpoint {QHostAddress(quint32(0x0a000001 + i)), 4100}));
        expectMalformed(withField(issued, 7, tooMany));
        expectMalformed(withField(issued, 8, QString()));
        expectMalformed(withField(issued, 8, QString(ControlMessage::kMaxMessageText + 1, u'x')));

        expectMalformed(withField(DirectoryRequest {}, 1, 0)); // a zero offset is left out
        expectMalformed(withField(DirectoryResponse {}, 3, false)); // so is more=false
        expectMalformed(withField(DirectoryResponse {}, 1, QCborArray {}));
        QCborArray certs;
        for (int i = 0; i <= DirectoryResponse::kMaxCertificates; ++i)
            certs.append(QByteArray(1, 'c')); // the count is checked before any certificate is decoded
        expectMalformed(withField(DirectoryResponse {}, 1, certs));
        expectMalformed(withField(CrlOffer {}, 1, -1));
        expectMalformed(withField(CrlPush {s.crl()}, 1, s.cert().encode()));
    }

    void aLargeRevocationListStillFitsAPush()
    {
        Samples s;
        identity::RevocationFields f;
        f.groupId = s.groupId;
        f.version = 9;
        f.issuedAt = kNow;
        for (int i = 0; i < identity::RevocationList::kMaxEntries; ++i)
            f.serials.append(quint64(1'000'000'000'000LL + i));
        auto crl = identity::RevocationList::issue(s.ca, f);
        CAIRN_VERIFY_OK(crl);
        const QByteArray bytes = ControlMessage(CrlPush {crl.value()}).encode();
        QVERIFY(bytes.size() <= ControlMessage::kMaxBytes);
        auto decoded = ControlMessage::decode(bytes);
        CAIRN_VERIFY_OK(decoded);
        QCOMPARE(decoded->as<CrlPush>().crl, crl.value());
    }
};

QTEST_GUILESS_MAIN(TestMessages)
#include "test_messages.moc"
