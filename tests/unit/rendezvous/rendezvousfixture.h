#pragma once

// Keys, a group on disk, and signed join requests shared by the rendezvous tests.
#include "core/base/rng.h"
#include "core/crypto/keys.h"
#include "core/identity/verify.h"
#include "core/rendezvous/authority.h"
#include "core/rendezvous/messages.h"
#include "tests/unit/resultchecks.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

namespace cairn::rendezvous::testing {

constexpr qint64 kNow = 1'700'000'000;
constexpr qint64 kDay = 24 * 3600;

inline QList<base::Endpoint> rendezvousEndpoints()
{
    return {base::Endpoint::parse(QStringLiteral("192.0.2.1:4100"))};
}

/// A temporary directory with a group's database in it, the CA key, and
/// a supply of device keys.
struct Group {
    base::SeededRng rng;
    crypto::DeviceKey ca;
    QTemporaryDir dir;
    std::unique_ptr<Authority> authority;
    std::vector<crypto::DeviceKey> devices;

    explicit Group(SigningPolicy policy = {}, quint64 seed = 11) : rng(seed), ca(crypto::DeviceKey::generate(rng))
    {
        for (int i = 0; i < 8; ++i)
            devices.push_back(crypto::DeviceKey::generate(rng));
        auto created = Authority::create(path(), ca, QStringLiteral("Hiking Club"), policy, rng, kNow);
        if (!created.ok())
            qFatal("fixture: create failed: %s", qPrintable(created.message()));
        authority = std::move(created).value();
        skipSync();
    }

    /// The tests do not need each commit on the platter; without the fsyncs
    /// hundreds of joins take milliseconds.
    void skipSync()
    {
        QSqlQuery q(QSqlDatabase::database(authority->connectionName(), false));
        q.exec(QStringLiteral("PRAGMA synchronous = OFF"));
    }

    QString path() const { return dir.filePath(QStringLiteral("rendezvous.db")); }

    /// Closes and opens the database again.
    bool reopen()
    {
        authority.reset();
        auto opened = Authority::open(path(), ca);
        if (!opened.ok()) {
            qWarning() << errorName(opened.code()) << opened.message();
            return false;
        }
        authority = std::move(opened).value();
        skipSync();
        return true;
    }

    identity::Invite invite(int uses = 1, qint64 expiresAt = kNow + kDay)
    {
        auto invite = authority->createInvite(uses, expiresAt, rendezvousEndpoints(), rng, kNow);
        if (!invite.ok())
            qFatal("fixture: invite failed: %s", qPrintable(invite.message()));
        return invite.value();
    }

    /// A properly signed request of device `i` over a session with handshake hash `binding`.
    JoinRequest request(int i, const identity::Invite &invite, const QString &username,
        const QByteArray &binding = QByteArray(32, 'h')) const
    {
        return JoinRequest {invite.token(), username, devices[size_t(i)].publicKey(),
            joinProof(devices[size_t(i)], binding, invite.token(), username)};
    }

    JoinDecision ask(int i, const identity::Invite &invite, const QString &username, qint64 now = kNow)
    {
        return authority->decide(request(i, invite, username), QByteArray(32, 'h'), now);
    }

    /// The certificate verifies as group `authority`'s, for device i, at now.
    bool verifies(const identity::Certificate &cert, int i, qint64 now = kNow) const
    {
        const crypto::PublicKey key = devices[size_t(i)].publicKey();
        const identity::RevocationList crl = authority->revocationList();
        auto r = identity::verifyCertificate(cert, ca.publicKey(), authority->groupId(), now, &crl, &key);
        if (!r.ok())
            qWarning() << r.message();
        return r.ok();
    }
};

inline const char *statusName(JoinDecision::Status s)
{
    switch (s) {
    case JoinDecision::Status::Issued:
        return "Issued";
    case JoinDecision::Status::Pending:
        return "Pending";
    case JoinDecision::Status::Denied:
        return "Denied";
    }
    return "?";
}

} // namespace cairn::rendezvous::testing

/// The decision has this status (and, when Denied, this error).
#define CAIRN_VERIFY_DECISION(decision, expectedStatus)                                                                \
    do {                                                                                                               \
        const auto &d_ = (decision);                                                                                   \
        QVERIFY2(d_.status == (expectedStatus),                                                                        \
            qPrintable(QStringLiteral("expected %1, got %2 (%3: %4)")                                                  \
                           .arg(QLatin1String(statusName(expectedStatus)), QLatin1String(statusName(d_.status)),       \
                               errorName(d_.error), d_.message)));                                                     \
    } while (false)

#define CAIRN_VERIFY_REFUSED(decision, expectedError)                                                                  \
    do {                                                                                                               \
        const auto &d2_ = (decision);                                                                                  \
        CAIRN_VERIFY_DECISION(d2_, JoinDecision::Status::Denied);                                                      \
        QVERIFY2(d2_.error == (expectedError),                                                                         \
            qPrintable(QStringLiteral("expected %1, got %2: %3")                                                       \
                           .arg(errorName(expectedError), errorName(d2_.error), d2_.message)));                        \
        QVERIFY(!d2_.message.isEmpty());                                                                               \
    } while (false)
