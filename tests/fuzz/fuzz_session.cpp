// libFuzzer target: secure sessions. Each input runs against a fresh pair of
// SecureTransports (alice and bob) that have completed a handshake. The
// input is a list of items, each a big-endian 16-bit header (top two bits:
// what to do, the rest: a length) and that many bytes:
//   00  a raw datagram to bob from alice's address
//   01  a raw datagram to bob from a stranger's address
//   10  alice sends the bytes to bob on the message channel
//   11  alice sends them on the control channel
// Every raw datagram also goes through each wire decoder on its own. The
// clock moves a second every few items; what bob sends back reaches alice.
// Invariants: no crash or sanitizer report; nothing over a datagram leaves
// either side; the session between them survives whatever arrives; every
// message bob delivers is one alice sent.
#include "core/base/rng.h"
#include "core/base/scheduler.h"
#include "core/base/transport.h"
#include "core/identity/certificate.h"
#include "core/net/handshakepayload.h"
#include "core/net/securetransport.h"
#include "core/net/sessionwire.h"
#include "tests/fuzz/manualscheduler.h"

#include <QSet>

#include <cstdint>
#include <cstdlib>
#include <deque>
#include <tuple>

using namespace cairn;
using fuzzing::ManualScheduler;
namespace wire = cairn::net::sessionwire;

namespace {

/// Datagrams between the two transports, delivered when pumped.
struct Wire;

class WireTransport final : public base::Transport {
public:
    WireTransport(Wire &wire, base::Endpoint self) : m_wire(wire), m_self(std::move(self)) { }
    base::Endpoint localEndpoint() const override { return m_self; }
    bool send(const base::Endpoint &to, const QByteArray &datagram) override;
    void inject(const base::Endpoint &from, const QByteArray &datagram) { deliver(from, datagram); }

private:
    Wire &m_wire;
    base::Endpoint m_self;
};

struct Wire {
    std::deque<std::tuple<base::Endpoint, base::Endpoint, QByteArray>> inFlight; // from, to, bytes
    QList<WireTransport *> transports;
    void pump()
    {
        for (int budget = 10'000; budget > 0 && !inFlight.empty(); --budget) {
            auto [from, to, datagram] = std::move(inFlight.front());
            inFlight.pop_front();
            for (WireTransport *t : std::as_const(transports)) {
                if (t->localEndpoint() == to)
                    t->inject(from, datagram);
            }
        }
    }
};

bool WireTransport::send(const base::Endpoint &to, const QByteArray &datagram)
{
    if (datagram.size() > kMaxDatagram)
        std::abort();
    m_wire.inFlight.emplace_back(m_self, to, datagram);
    return true;
}

/// Keys and certificates, made once (signing is the slow part).
struct Keys {
    base::SeededRng rng {77};
    crypto::DeviceKey ca = crypto::DeviceKey::generate(rng);
    crypto::DeviceKey alice = crypto::DeviceKey::generate(rng);
    crypto::DeviceKey bob = crypto::DeviceKey::generate(rng);
    QByteArray groupId = rng.bytes(32);
    identity::Certificate aliceCert = issue(alice, QStringLiteral("alice"), 1);
    identity::Certificate bobCert = issue(bob, QStringLiteral("bob"), 2);

    identity::Certificate issue(const crypto::DeviceKey &key, const QString &name, quint64 serial)
    {
        identity::CertificateFields f;
        f.groupId = groupId;
        f.groupName = QStringLiteral("Fuzz");
        f.username = name;
        f.deviceKey = key.publicKey();
        f.notBefore = 1'700'000'000;
        f.notAfter = 1'900'000'000;
        f.serial = serial;
        auto cert = identity::Certificate::issue(ca, f);
        if (!cert.ok())
            std::abort();
        return cert.value();
    }
};

void parseAlone(const QByteArray &bytes)
{
    (void)wire::typeOf(bytes);
    (void)wire::decodeInitiation(bytes);
    (void)wire::decodeResponse(bytes);
    (void)wire::decodeFinish(bytes);
    (void)wire::decodeCookieReply(bytes);
    (void)wire::decodeData(bytes);
    auto inner = wire::decodeInner(bytes);
    if (inner.ok() && wire::encode(inner.value()) != bytes)
        std::abort(); // one plaintext, one encoding
    (void)net::HandshakePayload::decode(bytes);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Keys keys;
    const base::Endpoint aliceAt = base::Endpoint::parse(QStringLiteral("192.0.2.1:4100"));
    const base::Endpoint bobAt = base::Endpoint::parse(QStringLiteral("192.0.2.2:4100"));
    const base::Endpoint strangerAt = base::Endpoint::parse(QStringLiteral("192.0.2.3:4100"));
    ManualScheduler scheduler;
    base::SeededRng rngA(1), rngB(2);
    Wire wire;
    WireTransport aliceWire(wire, aliceAt), bobWire(wire, bobAt), strangerWire(wire, strangerAt);
    wire.transports = {&aliceWire, &bobWire, &strangerWire};
    net::SessionConfig config;
    config.acceptUncertified = size % 2 == 1; // both ways of treating joiners
    net::SecureTransport alice(
        aliceWire, scheduler, rngA, {keys.alice.clone(), keys.aliceCert, keys.ca.publicKey(), keys.groupId}, config);
    net::SecureTransport bob(
        bobWire, scheduler, rngB, {keys.bob.clone(), keys.bobCert, keys.ca.publicKey(), keys.groupId}, config);
    QSet<QByteArray> sent;
    bob.setReceiveHandler([&sent](const base::Endpoint &, const QByteArray &m) {
        if (!sent.contains(m))
            std::abort();
    });
    bob.setControlHandler([&sent](const net::PeerInfo &, const QByteArray &m) {
        if (!sent.contains(m))
            std::abort();
    });
    sent.insert("hello");
    alice.send(bobAt, "hello");
    for (int i = 0; i < 5; ++i) {
        wire.pump();
        scheduler.advance(base::Duration(10'000));
    }
    const auto session = bob.peer(aliceAt);
    if (!session)
        std::abort();

    size_t pos = 0;
    int items = 0;
    while (pos + 2 <= size) {
        const size_t head = size_t(data[pos]) << 8 | data[pos + 1];
        pos += 2;
        const size_t take = qMin(head & 0x3fff, size - pos);
        const QByteArray bytes(reinterpret_cast<const char *>(data + pos), qsizetype(take));
        pos += take;
        switch (head >> 14) {
        case 0:
            parseAlone(bytes);
            bobWire.inject(aliceAt, bytes);
            break;
        case 1:
            bobWire.inject(strangerAt, bytes);
            break;
        case 2:
            sent.insert(bytes);
            alice.send(bobAt, bytes);
            break;
        default:
            sent.insert(bytes);
            alice.sendControl(bobAt, bytes);
            break;
        }
        wire.pump();
        // Time moves, but stops short of the idle timeout.
        if (++items % 8 == 0 && scheduler.now() < base::Instant(100'000'000))
            scheduler.advance(base::Duration(1'000'000));
    }
    // Nothing a stranger or a forger can send ends the session.
    const auto after = bob.peer(aliceAt);
    if (!after || after->handshakeHash.size() != 64 || bob.sessionCount() != 1)
        std::abort();
    return 0;
}
