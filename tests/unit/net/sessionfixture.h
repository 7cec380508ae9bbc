#pragma once

// A simulated network of SecureTransports for the session tests: a test CA
// and group, members with their device keys and certificates, and a tap on
// each member's transport that records (and can drop) what it sends.
#include "core/identity/certificate.h"
#include "core/identity/revocationlist.h"
#include "core/net/securetransport.h"
#include "core/net/sessionwire.h"
#include "tests/sim/lib/seed.h"
#include "tests/sim/lib/world.h"

#include <QTest>

#include <memory>
#include <vector>

namespace cairn::net::testing {

using namespace std::chrono_literals;

/// Sits between a SecureTransport and the simulator's transport: records
/// every datagram sent, and drops those `drop` picks.
class TapTransport final : public base::Transport {
public:
    explicit TapTransport(sim::SimTransport &inner) : m_inner(inner)
    {
        inner.setReceiveHandler([this](const base::Endpoint &from, const QByteArray &d) { deliver(from, d); });
    }
    ~TapTransport() override { m_inner.setReceiveHandler({}); }
    base::Endpoint localEndpoint() const override { return m_inner.localEndpoint(); }
    bool send(const base::Endpoint &to, const QByteArray &datagram) override
    {
        sent.append({to, datagram});
        if (drop && drop(to, datagram))
            return true;
        return m_inner.send(to, datagram);
    }

    QList<std::pair<base::Endpoint, QByteArray>> sent;
    std::function<bool(const base::Endpoint &, const QByteArray &)> drop;

private:
    sim::SimTransport &m_inner;
};

/// One node: its keys, its certificate, its SecureTransport and what its
/// handlers saw.
struct Member {
    sim::NodeId node = sim::kNoNode;
    crypto::DeviceKey key;
    identity::Certificate certificate;
    std::unique_ptr<TapTransport> tap;
    std::unique_ptr<SecureTransport> transport;
    QList<QByteArray> messages;
    QList<base::Endpoint> messageFrom;
    QList<QByteArray> control;
    QList<PeerInfo> controlFrom;
    QList<PeerInfo> ups;
    QList<std::pair<PeerInfo, CloseReason>> downs;

    explicit Member(crypto::DeviceKey k) : key(std::move(k)) { }
    SecureTransport &st() { return *transport; }
    const SessionStats &stats() const { return transport->stats(); }
    QList<CloseReason> downReasons() const
    {
        QList<CloseReason> out;
        for (const auto &down : downs)
            out.append(down.second);
        return out;
    }
};

class SessionNet {
public:
    static constexpr qint64 kNow = sim::World::kDefaultUnixStart;

    explicit SessionNet(quint64 seed = 7)
        : world(seed),
          rng(seed + 1000),
          ca(crypto::DeviceKey::generate(rng)),
          otherCa(crypto::DeviceKey::generate(rng)),
          groupId(rng.bytes(32))
    { }

    ~SessionNet()
    {
        for (auto &m : members) {
            m->transport.reset();
            m->tap.reset();
        }
    }

    identity::Certificate issue(const crypto::PublicKey &deviceKey, const QString &username, quint64 serial,
        qint64 notBefore = kNow - 3600, qint64 notAfter = kNow + 30 * 86400, const crypto::DeviceKey *signer = nullptr)
    {
        identity::CertificateFields f;
        f.groupId = groupId;
        f.groupName = QStringLiteral("Hiking Club");
        f.username = username;
        f.deviceKey = deviceKey;
        f.roles = identity::Role::Member | identity::Role::Storage;
        f.notBefore = notBefore;
        f.notAfter = notAfter;
        f.serial = serial;
        auto cert = identity::Certificate::issue(signer ? *signer : ca, f);
        if (!cert.ok())
            qFatal("fixture: issue failed: %s", qPrintable(cert.message()));
        return cert.value();
    }

    identity::RevocationList revoke(const QStringList &usernames, quint64 version)
    {
        identity::RevocationFields f;
        f.groupId = groupId;
        f.version = version;
        f.issuedAt = kNow;
        f.usernames = usernames;
        auto list = identity::RevocationList::issue(ca, f);
        if (!list.ok())
            qFatal("fixture: revocation failed: %s", qPrintable(list.message()));
        return list.value();
    }

    /// A member with a valid certificate for `username` (or none if empty).
    Member &add(const QString &username, const SessionConfig &config = {})
    {
        auto member = std::make_unique<Member>(crypto::DeviceKey::generate(rng));
        member->node = world.addNode();
        if (!username.isEmpty())
            member->certificate = issue(member->key.publicKey(), username, ++m_serial);
        members.push_back(std::move(member));
        Member &m = *members.back();
        start(m, config);
        return m;
    }

    /// (Re)creates the member's SecureTransport with its current key and certificate.
    void start(Member &m, const SessionConfig &config = {})
    {
        m.transport.reset();
        m.tap.reset(); // before the new one takes the simulator's receive handler
        m.tap = std::make_unique<TapTransport>(world.node(m.node).transport());
        SessionIdentity identity {m.key.clone(), m.certificate, ca.publicKey(), groupId};
        m.transport = std::make_unique<SecureTransport>(
            *m.tap, world.node(m.node).scheduler(), world.node(m.node).rng(), std::move(identity), config);
        Member *raw = &m;
        m.transport->setReceiveHandler([raw](const base::Endpoint &from, const QByteArray &message) {
            raw->messages.append(message);
            raw->messageFrom.append(from);
        });
        m.transport->setControlHandler([raw](const PeerInfo &from, const QByteArray &message) {
            raw->control.append(message);
            raw->controlFrom.append(from);
        });
        m.transport->setSessionUpHandler([raw](const PeerInfo &peer) { raw->ups.append(peer); });
        m.transport->setSessionDownHandler([raw](const PeerInfo &peer, CloseReason reason) {
            raw->downs.append({peer, reason});
        });
    }

    base::Endpoint endpoint(const Member &m) const { return world.node(m.node).endpoint(); }

    /// Sends a message-channel message from a to b and runs until it arrived (or `limit`).
    bool connect(Member &a, Member &b, base::Duration limit = 10s)
    {
        const qsizetype before = b.messages.size();
        if (!a.st().send(endpoint(b), QByteArray("hello")))
            return false;
        world.runFor(limit);
        return b.messages.size() == before + 1 && a.st().peer(endpoint(b)) && b.st().peer(endpoint(a));
    }

    /// Data datagrams `m` sent to `to` so far.
    QList<QByteArray> dataSent(const Member &m, const Member &to) const
    {
        QList<QByteArray> out;
        for (const auto &[dest, datagram] : m.tap->sent) {
            if (dest == endpoint(to) && sessionwire::typeOf(datagram) == sessionwire::Type::Data)
                out.append(datagram);
        }
        return out;
    }

    sim::World world;
    base::SeededRng rng;
    crypto::DeviceKey ca;
    crypto::DeviceKey otherCa;
    QByteArray groupId;
    std::vector<std::unique_ptr<Member>> members;

private:
    quint64 m_serial = 0;
};

} // namespace cairn::net::testing
