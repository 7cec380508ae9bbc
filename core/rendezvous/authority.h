#pragma once

#include "core/base/endpoint.h"
#include "core/base/rng.h"
#include "core/crypto/keys.h"
#include "core/identity/certificate.h"
#include "core/identity/invite.h"
#include "core/identity/revocationlist.h"
#include "core/rendezvous/error.h"
#include "core/rendezvous/messages.h"
#include "core/rendezvous/policy.h"

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>

#include <functional>
#include <memory>
#include <optional>

namespace cairn::rendezvous {

/// What the authority answers to one JoinRequest.
struct JoinDecision {
    enum class Status { Issued, Pending, Denied };
    Status status = Status::Denied;
    identity::Certificate certificate; // Issued only
    /// Denied only: Denied (the operator said no), Revoked, or why the
    /// request was refused (BadToken, InviteExpired, UsernameTaken, ...).
    RendezvousError error = RendezvousError::Denied;
    QString message;
    /// Pending only: a further device of an existing user.
    bool additionalDevice = false;
    /// Issued or Pending: the request was recorded just now (it is not a
    /// device asking again).
    bool fresh = false;
};

/// A join request waiting for the operator.
struct PendingRequest {
    QString username;
    crypto::PublicKey deviceKey;
    qint64 requestedAt = 0;
    bool additionalDevice = false; // the user exists; this is another device of theirs
};

/// A user and the newest certificate of each of their devices.
struct Member {
    QString username;
    QList<identity::Certificate> devices;
    bool revoked = false; // the whole user is revoked
};

/// The group certificate authority's state, kept in one SQLite file
/// (profile/rendezvous.db, WAL, synchronous=FULL: a serial handed out must
/// never be handed out again after a power cut): the group, the signing
/// policy, invites (only their tokens' hashes), users, devices and their
/// join requests, every certificate issued, and the current revocation
/// list. Each change is one transaction. The CA key itself stays in the
/// keystore; the database only remembers its public half and refuses to be
/// opened with another key.
///
/// Time is passed in (nowUnix); nothing here reads a clock or the network.
class Authority {
public:
    /// Roles of a member's certificate; the operator's own adds Operator.
    static constexpr identity::Roles kMemberRoles = identity::Role::Member | identity::Role::Storage;
    static constexpr qint64 kDefaultCertificateLifetime = 30LL * 24 * 3600;
    /// Certificates start this long before they are issued, so a peer whose
    /// clock is behind ours accepts them at once.
    static constexpr qint64 kBackdate = 3600;
    /// A renewal asked again within this time gets the certificate the
    /// first one issued (a retried request does not mint another).
    static constexpr qint64 kRenewalReuse = 60;
    static constexpr qint64 kMinCertificateLifetime = 3600;
    static constexpr qint64 kMaxCertificateLifetime = 10LL * 365 * 24 * 3600;
    static constexpr int kMaxInviteUses = 1'000'000;

    ~Authority();
    Authority(const Authority &) = delete;
    Authority &operator=(const Authority &) = delete;

    /// A new group: a random 32-byte group id from `rng`, the policy, and
    /// revocation list version 1 (empty). AlreadyExists if the file exists;
    /// a half-made file is removed again on failure.
    static Result<std::unique_ptr<Authority>> create(const QString &dbPath, const crypto::DeviceKey &caKey,
        const QString &groupName, SigningPolicy policy, base::Rng &rng, qint64 nowUnix);
    /// NotFound if there is no file; NotOperator if it was made with another
    /// CA key; Corrupt if it is not a rendezvous database.
    static Result<std::unique_ptr<Authority>> open(const QString &dbPath, const crypto::DeviceKey &caKey);

    QByteArray groupId() const { return m_groupId; }
    QString groupName() const { return m_groupName; }
    crypto::PublicKey caKey() const { return m_ca.publicKey(); }
    SigningPolicy policy() const { return m_policy; }
    /// Persisted. Setting a Quota policy starts its count afresh: quota:N
    /// lets the next N new users in.
    Result<void> setPolicy(SigningPolicy policy);
    qint64 certificateLifetime() const { return m_lifetime; }
    /// For certificates issued from now on; persisted. Clamped to one hour
    /// .. ten years (a failure to persist is logged; the value still holds).
    void setCertificateLifetime(qint64 seconds);
    /// New users issued automatically under the current Quota policy.
    int quotaUsed() const { return m_quotaUsed; }

    /// An invite good for `uses` new devices (1..kMaxInviteUses) until
    /// expiresAt. Only BLAKE2b-256 of its token is stored.
    Result<identity::Invite> createInvite(
        int uses, qint64 expiresAt, const QList<base::Endpoint> &rendezvous, base::Rng &rng, qint64 nowUnix);

    /// A certificate for the operator's own device (Operator, Member and
    /// Storage), registering the username; again for the same device, a
    /// fresh certificate. UsernameTaken if another new user asked for the
    /// name or it is revoked.
    Result<identity::Certificate> issueOwn(const crypto::PublicKey &deviceKey, const QString &username, qint64 nowUnix);

    /// Answers a join request received over a session whose handshake hash
    /// is `channelBinding` (the rules: docs/protocol.md, "Rendezvous"). A
    /// request from a new device uses one use of its invite; the same device
    /// asking again (polling) gets the state of its request and uses none.
    JoinDecision decide(const JoinRequest &request, const QByteArray &channelBinding, qint64 nowUnix);

    QList<PendingRequest> pending() const;
    /// Issues a certificate to every pending request for `username` (they
    /// are kept, so the joiners' next poll gets them). NotFound if none.
    Result<QList<identity::Certificate>> approve(const QString &username, qint64 nowUnix);
    /// Denies every pending request for `username`. NotFound if none.
    Result<void> deny(const QString &username);

    /// Revokes every device of the user, now and later, and denies their
    /// pending requests. A new list (version + 1) unless the user was
    /// revoked already (then the current list). NotFound for an unknown user.
    Result<identity::RevocationList> revokeUser(const QString &username, qint64 nowUnix);
    /// Revokes the device the certificate `serial` was issued to: that
    /// serial and every other unexpired certificate of the device. A new list
    /// (version + 1) unless all were revoked already. NotFound for an
    /// unknown serial.
    Result<identity::RevocationList> revokeSerial(quint64 serial, qint64 nowUnix);
    identity::RevocationList revocationList() const { return m_crl; }

    /// A new certificate (new serial, validity from now) for the username,
    /// device and roles of `current`. Denied for a certificate of another
    /// CA or group, NotFound for one this CA did not issue, Revoked for a
    /// revoked device or user.
    Result<identity::Certificate> renew(const identity::Certificate &current, qint64 nowUnix);

    /// Every registered user, by name, with the newest certificate of each device.
    QList<Member> members() const;
    /// The newest certificate of every device that is not revoked, by
    /// username then serial. Expiry is not looked at (see directory(qint64)).
    QList<identity::Certificate> directory() const;
    /// The same without certificates expired at nowUnix.
    QList<identity::Certificate> directory(qint64 nowUnix) const;

    /// The Qt Sql connection (tests inspect the file through it).
    QString connectionName() const { return m_connection; }

private:
    enum class DeviceStatus : int { Pending = 0, Issued = 1, Denied = 2, Revoked = 3 };
    /// A row of `devices`: a device's join request and, once issued, its registration.
    struct Device {
        crypto::PublicKey key;
        QString username;
        DeviceStatus status = DeviceStatus::Pending;
        bool additional = false;
        QByteArray invite; // the token hash of the invite it came with; empty for the operator's own
        qint64 requestedAt = 0;
    };

    explicit Authority(crypto::DeviceKey caKey);
    Result<void> connect(const QString &path);
    Result<void> load();
    Result<void> transaction(const QString &what, const std::function<Result<void>()> &body);
    /// transaction() for a body that produces a value.
    template <typename T> Result<T> transaction(const QString &what, const std::function<Result<T>()> &body);

    // authority.cpp
    Result<identity::Certificate> issueCertificate(
        const QString &username, const crypto::PublicKey &deviceKey, identity::Roles roles, qint64 nowUnix);
    Result<void> saveCounters();
    /// Runs each statement with `bind` as its one parameter.
    Result<void> execEach(std::initializer_list<const char *> statements, const QVariant &bind, const QString &what);
    Result<bool> userExists(const QString &username, bool *revoked = nullptr) const;
    /// True if a pending request of a new user other than `except` asks for the name.
    Result<bool> nameHeldByRequest(const QString &username, const crypto::PublicKey &except) const;
    Result<void> addUser(const QString &username, qint64 nowUnix);
    /// Inserts the device's row, or replaces an existing one.
    Result<void> putDevice(const crypto::PublicKey &deviceKey, const QString &username, DeviceStatus status,
        bool additional, const QByteArray &invite, qint64 nowUnix);
    Result<void> setDeviceStatus(const crypto::PublicKey &deviceKey, DeviceStatus status);
    Result<std::optional<Device>> device(const crypto::PublicKey &deviceKey) const;
    static QByteArray tokenHash(QByteArrayView token);
    Result<QList<identity::Certificate>> certificates(
        const QString &where, std::initializer_list<QVariant> binds) const;
    Result<identity::Certificate> newestCertificate(const crypto::PublicKey &deviceKey) const;

    // authorityjoin.cpp
    Result<JoinDecision> decideIn(const JoinRequest &request, qint64 nowUnix);
    Result<JoinDecision> answerKnownDevice(
        const Device &device, const JoinRequest &request, bool inviteValid, qint64 nowUnix);
    Result<JoinDecision> admitNewDevice(const JoinRequest &request, const QByteArray &invite, qint64 nowUnix);

    // authorityrevoke.cpp
    Result<identity::RevocationList> publish(
        const QStringList &usernames, const QList<quint64> &serials, qint64 nowUnix);

    crypto::DeviceKey m_ca;
    QString m_connection;
    QSqlDatabase m_db;
    QByteArray m_groupId;
    QString m_groupName;
    SigningPolicy m_policy;
    int m_quotaUsed = 0;
    quint64 m_nextSerial = 1;
    qint64 m_lifetime = kDefaultCertificateLifetime;
    identity::RevocationList m_crl;
};

template <typename T> Result<T> Authority::transaction(const QString &what, const std::function<Result<T>()> &body)
{
    std::optional<T> out;
    auto done = transaction(what, std::function<Result<void>()>([&]() -> Result<void> {
        auto r = body();
        if (!r.ok())
            return r.error();
        out = std::move(r).value();
        return {};
    }));
    if (!done.ok())
        return done.error();
    return std::move(*out);
}

} // namespace cairn::rendezvous
