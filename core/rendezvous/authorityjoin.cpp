// Authority: join requests, the signing policy, approval and denial.
#include "core/identity/names.h"
#include "core/rendezvous/authority.h"
#include "core/rendezvous/database.h"

namespace cairn::rendezvous {

using db::blob;

namespace {

JoinDecision refuse(RendezvousError error, QString message)
{
    JoinDecision d;
    d.status = JoinDecision::Status::Denied;
    d.error = error;
    d.message = std::move(message);
    return d;
}

JoinDecision issued(identity::Certificate cert)
{
    JoinDecision d;
    d.status = JoinDecision::Status::Issued;
    d.certificate = std::move(cert);
    return d;
}

JoinDecision pendingDecision(bool additional, const QString &username)
{
    JoinDecision d;
    d.status = JoinDecision::Status::Pending;
    d.additionalDevice = additional;
    d.message = additional
        ? QStringLiteral("'%1' has a device already; the operator must approve this one").arg(username)
        : QStringLiteral("waiting for the operator's approval");
    return d;
}

} // namespace

JoinDecision Authority::decide(const JoinRequest &request, const QByteArray &channelBinding, qint64 nowUnix)
{
    // Everything that needs no database first: a forged or garbled request
    // costs one signature check and touches nothing.
    if (auto r = identity::names::validateUsername(request.username); !r.ok())
        return refuse(RendezvousError::InvalidArgument, QStringLiteral("username: %1").arg(r.message()));
    if (request.token.size() < identity::Invite::kMinTokenBytes
        || request.token.size() > identity::Invite::kMaxTokenBytes)
        return refuse(RendezvousError::BadToken, QStringLiteral("the token has the wrong size"));
    if (!verifyJoinProof(request.deviceKey, channelBinding, request.token, request.username, request.proof))
        return refuse(
            RendezvousError::BadProof, QStringLiteral("the proof does not verify for this device key and session"));
    auto decision = transaction<JoinDecision>(
        QStringLiteral("answer a join request"), [&] { return decideIn(request, nowUnix); });
    if (!decision.ok())
        return refuse(decision.code(), decision.message());
    return decision.value();
}

Result<JoinDecision> Authority::decideIn(const JoinRequest &request, qint64 nowUnix)
{
    const QByteArray invite = tokenHash(request.token);
    auto q = db::run(m_db, QStringLiteral("SELECT uses_left, expires_at FROM invites WHERE token_hash = ?"),
        {blob(invite)}, QStringLiteral("look up an invite"));
    if (!q.ok())
        return q.error();
    if (!q->next())
        return refuse(RendezvousError::BadToken, QStringLiteral("the token matches no invite of this group"));
    const int usesLeft = q->value(0).toInt();
    const qint64 expiresAt = q->value(1).toLongLong();

    auto known = device(request.deviceKey);
    if (!known.ok())
        return known.error();
    if (known.value()) {
        const Device &d = *known.value();
        // A denied device may try again with another invite (its new
        // request replaces the old row); with the same one it keeps its answer.
        if (d.status != DeviceStatus::Denied || d.invite == invite)
            return answerKnownDevice(d, request, nowUnix < expiresAt, nowUnix);
    }
    if (nowUnix >= expiresAt)
        return refuse(RendezvousError::InviteExpired, QStringLiteral("the invite expired"));
    if (usesLeft <= 0)
        return refuse(RendezvousError::InviteUsedUp, QStringLiteral("the invite has been used up"));
    return admitNewDevice(request, invite, nowUnix);
}

Result<JoinDecision> Authority::answerKnownDevice(
    const Device &device, const JoinRequest &request, bool inviteValid, qint64 nowUnix)
{
    if (device.username != request.username)
        return refuse(RendezvousError::InvalidArgument,
            QStringLiteral("this device asked to join as '%1' already").arg(device.username));
    switch (device.status) {
    case DeviceStatus::Pending:
        return pendingDecision(device.additional, device.username);
    case DeviceStatus::Issued: {
        auto cert = newestCertificate(device.key);
        if (!cert.ok())
            return cert.error();
        // A member whose certificate ran out while it was away cannot renew
        // (no session takes an expired certificate); a valid invite lets it
        // back in with a fresh one, without using the invite up.
        if (nowUnix >= cert->notAfter() && inviteValid) {
            auto fresh = issueCertificate(device.username, device.key, cert->roles(), nowUnix);
            if (!fresh.ok())
                return fresh.error();
            return issued(fresh.value());
        }
        return issued(cert.value());
    }
    case DeviceStatus::Denied:
        return refuse(RendezvousError::Denied, QStringLiteral("the operator denied this request"));
    case DeviceStatus::Revoked:
        return refuse(RendezvousError::Revoked, QStringLiteral("this device is revoked"));
    }
    return base::fail(RendezvousError::Corrupt, QStringLiteral("a device has an unknown status"));
}

Result<JoinDecision> Authority::admitNewDevice(const JoinRequest &request, const QByteArray &invite, qint64 nowUnix)
{
    const QString &username = request.username;
    bool revoked = false;
    auto exists = userExists(username, &revoked);
    if (!exists.ok())
        return exists.error();
    if (revoked)
        return refuse(
            RendezvousError::UsernameTaken, QStringLiteral("'%1' was revoked and cannot be used").arg(username));
    if (!exists.value()) {
        auto held = nameHeldByRequest(username, request.deviceKey);
        if (!held.ok())
            return held.error();
        if (held.value())
            return refuse(RendezvousError::UsernameTaken,
                QStringLiteral("another new user has asked for '%1'; pick another name").arg(username));
    }
    if (auto r = db::exec(m_db, QStringLiteral("UPDATE invites SET uses_left = uses_left - 1 WHERE token_hash = ?"),
            {blob(invite)}, QStringLiteral("use an invite"));
        !r.ok())
        return r.error();

    // A further device of an existing user always waits for the operator:
    // whoever holds an invite could otherwise add a device to anyone.
    const bool additional = exists.value();
    const bool quota = m_policy.kind == SigningPolicy::Kind::Quota;
    const bool automatic
        = !additional && (m_policy.kind == SigningPolicy::Kind::Auto || (quota && m_quotaUsed < m_policy.quota));
    if (auto r = putDevice(request.deviceKey, username, automatic ? DeviceStatus::Issued : DeviceStatus::Pending,
            additional, invite, nowUnix);
        !r.ok())
        return r.error();
    if (!automatic) {
        JoinDecision d = pendingDecision(additional, username);
        d.fresh = true;
        return d;
    }
    if (auto r = addUser(username, nowUnix); !r.ok())
        return r.error();
    if (quota)
        ++m_quotaUsed;
    auto cert = issueCertificate(username, request.deviceKey, kMemberRoles, nowUnix);
    if (!cert.ok())
        return cert.error();
    JoinDecision d = issued(cert.value());
    d.fresh = true;
    return d;
}

QList<PendingRequest> Authority::pending() const
{
    QList<PendingRequest> out;
    auto q = db::run(m_db,
        QStringLiteral("SELECT username, device_key, requested_at, additional FROM devices WHERE status = ?"
                       " ORDER BY requested_at, username"),
        {int(DeviceStatus::Pending)}, QStringLiteral("list pending requests"));
    if (!q.ok())
        return out;
    while (q->next()) {
        auto key = crypto::PublicKey::fromBytes(q->value(1).toByteArray());
        if (!key.ok())
            continue;
        out.append(
            PendingRequest {q->value(0).toString(), key.value(), q->value(2).toLongLong(), q->value(3).toInt() != 0});
    }
    return out;
}

Result<QList<identity::Certificate>> Authority::approve(const QString &username, qint64 nowUnix)
{
    return transaction<QList<identity::Certificate>>(
        QStringLiteral("approve a request"), [&]() -> Result<QList<identity::Certificate>> {
            auto q = db::run(m_db,
                QStringLiteral("SELECT device_key, additional FROM devices WHERE username = ? AND status = ?"
                               " ORDER BY requested_at"),
                {username, int(DeviceStatus::Pending)}, QStringLiteral("find pending requests"));
            if (!q.ok())
                return q.error();
            QList<std::pair<crypto::PublicKey, bool>> waiting;
            while (q->next()) {
                auto key = crypto::PublicKey::fromBytes(q->value(0).toByteArray());
                if (!key.ok())
                    return base::fail(RendezvousError::Corrupt, QStringLiteral("a stored device key is damaged"));
                waiting.append({key.value(), q->value(1).toInt() != 0});
            }
            if (waiting.isEmpty())
                return base::fail(
                    RendezvousError::NotFound, QStringLiteral("no pending request for '%1'").arg(username));
            QList<identity::Certificate> certs;
            for (const auto &[key, additional] : waiting) {
                if (!additional) {
                    if (auto r = addUser(username, nowUnix); !r.ok())
                        return r.error();
                }
                if (auto r = setDeviceStatus(key, DeviceStatus::Issued); !r.ok())
                    return r.error();
                auto cert = issueCertificate(username, key, kMemberRoles, nowUnix);
                if (!cert.ok())
                    return cert.error();
                certs.append(cert.value());
            }
            return certs;
        });
}

Result<void> Authority::deny(const QString &username)
{
    return transaction(QStringLiteral("deny a request"), [&]() -> Result<void> {
        auto q = db::run(m_db, QStringLiteral("UPDATE devices SET status = ? WHERE username = ? AND status = ?"),
            {int(DeviceStatus::Denied), username, int(DeviceStatus::Pending)}, QStringLiteral("deny a request"));
        if (!q.ok())
            return q.error();
        if (q->numRowsAffected() <= 0)
            return base::fail(RendezvousError::NotFound, QStringLiteral("no pending request for '%1'").arg(username));
        return {};
    });
}

} // namespace cairn::rendezvous
