// Authority: creating and opening the database, settings, invites, the
// operator's own certificate, and the helpers every part shares. Join
// requests: authorityjoin.cpp; revocation, renewal and listings:
// authorityrevoke.cpp.
#include "core/rendezvous/authority.h"

#include "core/base/log.h"
#include "core/identity/names.h"
#include "core/rendezvous/database.h"

#include <QFile>
#include <QFileInfo>

namespace cairn::rendezvous {

using db::blob;

Authority::Authority(crypto::DeviceKey caKey) : m_ca(std::move(caKey))
{
    // Unique among live authorities without a global counter: no two live
    // objects share an address, and the destructor removes the connection
    // before the address can be reused.
    m_connection = QStringLiteral("cairn.rendezvous.%1").arg(quintptr(this), 0, 16);
}

Authority::~Authority()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

Result<void> Authority::connect(const QString &path)
{
    auto opened = db::open(m_connection, path);
    if (!opened.ok())
        return opened.error();
    m_db = opened.value();
    return {};
}

Result<std::unique_ptr<Authority>> Authority::create(const QString &dbPath, const crypto::DeviceKey &caKey,
    const QString &groupName, SigningPolicy policy, base::Rng &rng, qint64 nowUnix)
{
    if (dbPath.isEmpty())
        return base::fail(
            RendezvousError::InvalidArgument, QStringLiteral("no path given for the rendezvous database"));
    if (auto r = identity::names::validateGroupName(groupName); !r.ok())
        return base::fail(RendezvousError::InvalidArgument, QStringLiteral("group name: %1").arg(r.message()));
    if (policy.kind == SigningPolicy::Kind::Quota && (policy.quota < 1 || policy.quota > SigningPolicy::kMaxQuota))
        return base::fail(RendezvousError::InvalidArgument, QStringLiteral("signing policy: quota out of range"));
    if (nowUnix < 0 || nowUnix > identity::names::kMaxUnixTime)
        return base::fail(RendezvousError::InvalidArgument, QStringLiteral("the time is out of range"));
    if (QFileInfo::exists(dbPath))
        return base::fail(RendezvousError::AlreadyExists,
            QStringLiteral("%1 exists already; a group is created only once").arg(dbPath));

    std::unique_ptr<Authority> a(new Authority(caKey.clone()));
    a->m_groupId = rng.bytes(identity::names::kGroupIdBytes);
    a->m_groupName = groupName;
    a->m_policy = policy;
    identity::RevocationFields crl;
    crl.groupId = a->m_groupId;
    crl.version = 1;
    crl.issuedAt = nowUnix;
    auto list = identity::RevocationList::issue(a->m_ca, crl);
    if (!list.ok())
        return base::fail(RendezvousError::InvalidArgument, list.message());
    a->m_crl = list.value();

    Result<void> made = a->connect(dbPath);
    if (made.ok())
        made = db::setJournal(a->m_db, dbPath);
    if (made.ok()) {
        made = a->transaction(QStringLiteral("create the group"), [&]() -> Result<void> {
            if (auto r = db::createSchema(a->m_db); !r.ok())
                return r;
            return db::exec(a->m_db,
                QStringLiteral(
                    "INSERT INTO authority (id, group_id, group_name, ca_key, policy, quota_used,"
                    " next_serial, certificate_lifetime, crl, created_at) VALUES (1, ?, ?, ?, ?, 0, ?, ?, ?, ?)"),
                {blob(a->m_groupId), groupName, blob(a->caKey().toByteArray()), policy.toString(),
                    qint64(a->m_nextSerial), a->m_lifetime, blob(a->m_crl.encode()), nowUnix},
                QStringLiteral("record the new group"));
        });
    }
    if (!made.ok()) {
        // Leave nothing behind that a second attempt would refuse as existing.
        a.reset();
        for (const char *suffix : {"", "-wal", "-shm", "-journal"})
            QFile::remove(dbPath + QLatin1String(suffix));
        return made.error();
    }
    qCDebug(lcRendezvous) << "created group" << groupName << "in" << dbPath;
    return a;
}

Result<std::unique_ptr<Authority>> Authority::open(const QString &dbPath, const crypto::DeviceKey &caKey)
{
    if (dbPath.isEmpty() || !QFileInfo::exists(dbPath))
        return base::fail(RendezvousError::NotFound, QStringLiteral("no rendezvous database at %1").arg(dbPath));
    std::unique_ptr<Authority> a(new Authority(caKey.clone()));
    if (auto r = a->connect(dbPath); !r.ok())
        return r.error();
    if (auto r = db::checkSchema(a->m_db, dbPath); !r.ok())
        return r.error();
    if (auto r = a->load(); !r.ok())
        return r.error();
    return a;
}

Result<void> Authority::load()
{
    const QString what = QStringLiteral("read the group");
    auto q = db::run(m_db,
        QStringLiteral("SELECT group_id, group_name, ca_key, policy, quota_used, next_serial, certificate_lifetime, crl"
                       " FROM authority WHERE id = 1"),
        {}, what);
    if (!q.ok())
        return q.error();
    if (!q->next())
        return base::fail(RendezvousError::Corrupt, QStringLiteral("the rendezvous database has no group"));
    if (q->value(2).toByteArray() != caKey().toByteArray())
        return base::fail(RendezvousError::NotOperator,
            QStringLiteral("this rendezvous database belongs to CA key %1, not %2")
                .arg(QString::fromLatin1(q->value(2).toByteArray().toHex()), caKey().toHex()));
    m_groupId = q->value(0).toByteArray();
    m_groupName = q->value(1).toString();
    auto policy = SigningPolicy::parse(q->value(3).toString());
    auto crl = identity::RevocationList::decode(q->value(7).toByteArray());
    m_quotaUsed = q->value(4).toInt();
    m_nextSerial = quint64(q->value(5).toLongLong());
    m_lifetime = q->value(6).toLongLong();
    if (!policy.ok() || !crl.ok() || !identity::names::validateGroupId(m_groupId).ok() || crl->groupId() != m_groupId
        || crl->issuerKey() != caKey() || m_nextSerial < 1 || m_nextSerial > identity::Certificate::kMaxSerial
        || m_lifetime < kMinCertificateLifetime || m_lifetime > kMaxCertificateLifetime)
        return base::fail(
            RendezvousError::Corrupt, QStringLiteral("the rendezvous database's group record is damaged"));
    m_policy = policy.value();
    m_crl = crl.value();
    return {};
}

Result<void> Authority::transaction(const QString &what, const std::function<Result<void>()> &body)
{
    // The cached fields change with the rows; a rolled-back transaction
    // must leave them as they were.
    const int quotaUsed = m_quotaUsed;
    const quint64 nextSerial = m_nextSerial;
    const identity::RevocationList crl = m_crl;
    const SigningPolicy policy = m_policy;
    if (!m_db.transaction())
        return db::failure(m_db.lastError(), what);
    Result<void> result = body();
    if (result.ok() && !m_db.commit())
        result = db::failure(m_db.lastError(), what);
    if (!result.ok()) {
        m_db.rollback();
        m_quotaUsed = quotaUsed;
        m_nextSerial = nextSerial;
        m_crl = crl;
        m_policy = policy;
        if (result.code() == RendezvousError::Storage || result.code() == RendezvousError::Corrupt)
            qCWarning(lcRendezvous) << result.message();
    }
    return result;
}

Result<void> Authority::setPolicy(SigningPolicy policy)
{
    if (policy.kind == SigningPolicy::Kind::Quota && (policy.quota < 1 || policy.quota > SigningPolicy::kMaxQuota))
        return base::fail(RendezvousError::InvalidArgument, QStringLiteral("signing policy: quota out of range"));
    return transaction(QStringLiteral("change the signing policy"), [&]() -> Result<void> {
        m_policy = policy;
        if (policy.kind == SigningPolicy::Kind::Quota)
            m_quotaUsed = 0;
        if (auto r = db::exec(m_db, QStringLiteral("UPDATE authority SET policy = ? WHERE id = 1"), {policy.toString()},
                QStringLiteral("change the signing policy"));
            !r.ok())
            return r;
        return saveCounters();
    });
}

void Authority::setCertificateLifetime(qint64 seconds)
{
    m_lifetime = qBound(kMinCertificateLifetime, seconds, kMaxCertificateLifetime);
    auto r = db::exec(m_db, QStringLiteral("UPDATE authority SET certificate_lifetime = ? WHERE id = 1"), {m_lifetime},
        QStringLiteral("save the certificate lifetime"));
    if (!r.ok())
        qCWarning(lcRendezvous) << r.message();
}

Result<void> Authority::saveCounters()
{
    return db::exec(m_db, QStringLiteral("UPDATE authority SET quota_used = ?, next_serial = ? WHERE id = 1"),
        {m_quotaUsed, qint64(m_nextSerial)}, QStringLiteral("save the serial counter"));
}

Result<identity::Invite> Authority::createInvite(
    int uses, qint64 expiresAt, const QList<base::Endpoint> &rendezvous, base::Rng &rng, qint64 nowUnix)
{
    if (uses < 1 || uses > kMaxInviteUses)
        return base::fail(RendezvousError::InvalidArgument,
            QStringLiteral("an invite is good for 1 to %1 devices, not %2").arg(kMaxInviteUses).arg(uses));
    if (expiresAt <= nowUnix)
        return base::fail(RendezvousError::InvalidArgument, QStringLiteral("the invite would be expired already"));
    auto invite = identity::Invite::create(m_groupName, m_groupId, caKey(), rendezvous, expiresAt, rng);
    if (!invite.ok())
        return base::fail(RendezvousError::InvalidArgument, invite.message());
    auto stored = transaction(QStringLiteral("store an invite"), [&]() -> Result<void> {
        return db::exec(m_db,
            QStringLiteral("INSERT INTO invites (token_hash, uses, uses_left, expires_at, created_at)"
                           " VALUES (?, ?, ?, ?, ?)"),
            {blob(tokenHash(invite->token())), uses, uses, expiresAt, nowUnix}, QStringLiteral("store an invite"));
    });
    if (!stored.ok())
        return stored.error();
    return invite.value();
}

Result<identity::Certificate> Authority::issueOwn(
    const crypto::PublicKey &deviceKey, const QString &username, qint64 nowUnix)
{
    if (auto r = identity::names::validateUsername(username); !r.ok())
        return base::fail(RendezvousError::InvalidArgument, QStringLiteral("username: %1").arg(r.message()));
    return transaction<identity::Certificate>(
        QStringLiteral("issue the operator's certificate"), [&]() -> Result<identity::Certificate> {
            auto known = device(deviceKey);
            if (!known.ok())
                return known.error();
            if (known.value() && known.value()->username != username)
                return base::fail(RendezvousError::InvalidArgument,
                    QStringLiteral("this device is registered as '%1'").arg(known.value()->username));
            if (known.value() && known.value()->status == DeviceStatus::Revoked)
                return base::fail(RendezvousError::Revoked, QStringLiteral("this device is revoked"));
            bool revoked = false;
            auto exists = userExists(username, &revoked);
            if (!exists.ok())
                return exists.error();
            if (revoked)
                return base::fail(RendezvousError::Revoked, QStringLiteral("user '%1' is revoked").arg(username));
            if (!exists.value()) {
                auto held = nameHeldByRequest(username, deviceKey);
                if (!held.ok())
                    return held.error();
                if (held.value())
                    return base::fail(RendezvousError::UsernameTaken,
                        QStringLiteral("'%1' is asked for by a pending join request").arg(username));
                if (auto r = addUser(username, nowUnix); !r.ok())
                    return r.error();
            }
            if (auto r = putDevice(deviceKey, username, DeviceStatus::Issued, false, QByteArray(), nowUnix); !r.ok())
                return r.error();
            return issueCertificate(username, deviceKey, kMemberRoles | identity::Role::Operator, nowUnix);
        });
}

Result<identity::Certificate> Authority::issueCertificate(
    const QString &username, const crypto::PublicKey &deviceKey, identity::Roles roles, qint64 nowUnix)
{
    identity::CertificateFields f;
    f.groupId = m_groupId;
    f.groupName = m_groupName;
    f.username = username;
    f.deviceKey = deviceKey;
    f.roles = roles;
    f.notBefore = qMax<qint64>(0, nowUnix - kBackdate);
    f.notAfter = qMin(nowUnix + m_lifetime, identity::names::kMaxUnixTime);
    f.serial = m_nextSerial;
    auto cert = identity::Certificate::issue(m_ca, f);
    if (!cert.ok())
        return base::fail(RendezvousError::InvalidArgument, cert.message());
    ++m_nextSerial;
    const QString what = QStringLiteral("store a certificate");
    if (auto r = db::exec(m_db,
            QStringLiteral(
                "INSERT INTO certificates (serial, device_key, username, issued_at, not_after, revoked, wire)"
                " VALUES (?, ?, ?, ?, ?, 0, ?)"),
            {qint64(f.serial), blob(deviceKey.toByteArray()), username, nowUnix, f.notAfter, blob(cert->encode())},
            what);
        !r.ok())
        return r.error();
    if (auto r = saveCounters(); !r.ok())
        return r.error();
    return cert.value();
}

QByteArray Authority::tokenHash(QByteArrayView token)
{
    return crypto::blake2b(token, 32);
}

Result<bool> Authority::userExists(const QString &username, bool *revoked) const
{
    auto q = db::run(m_db, QStringLiteral("SELECT revoked FROM users WHERE username = ?"), {username},
        QStringLiteral("look up a user"));
    if (!q.ok())
        return q.error();
    const bool found = q->next();
    if (revoked)
        *revoked = found && q->value(0).toInt() != 0;
    return found;
}

Result<bool> Authority::nameHeldByRequest(const QString &username, const crypto::PublicKey &except) const
{
    auto q = db::run(m_db,
        QStringLiteral("SELECT count(*) FROM devices WHERE username = ? AND status = ? AND additional = 0"
                       " AND device_key != ?"),
        {username, int(DeviceStatus::Pending), blob(except.toByteArray())}, QStringLiteral("look up a username"));
    if (!q.ok())
        return q.error();
    return q->next() && q->value(0).toInt() > 0;
}

Result<void> Authority::addUser(const QString &username, qint64 nowUnix)
{
    return db::exec(m_db,
        QStringLiteral("INSERT OR IGNORE INTO users (username, created_at, revoked) VALUES (?, ?, 0)"),
        {username, nowUnix}, QStringLiteral("register a user"));
}

Result<void> Authority::putDevice(const crypto::PublicKey &deviceKey, const QString &username, DeviceStatus status,
    bool additional, const QByteArray &invite, qint64 nowUnix)
{
    return db::exec(m_db,
        QStringLiteral("INSERT INTO devices (device_key, username, status, additional, invite, requested_at)"
                       " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (device_key) DO UPDATE SET username = excluded.username,"
                       " status = excluded.status, additional = excluded.additional, invite = excluded.invite,"
                       " requested_at = excluded.requested_at"),
        {blob(deviceKey.toByteArray()), username, int(status), additional ? 1 : 0,
            invite.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : blob(invite), nowUnix},
        QStringLiteral("record a device"));
}

Result<void> Authority::setDeviceStatus(const crypto::PublicKey &deviceKey, DeviceStatus status)
{
    return db::exec(m_db, QStringLiteral("UPDATE devices SET status = ? WHERE device_key = ?"),
        {int(status), blob(deviceKey.toByteArray())}, QStringLiteral("update a device"));
}

Result<std::optional<Authority::Device>> Authority::device(const crypto::PublicKey &deviceKey) const
{
    auto q = db::run(m_db,
        QStringLiteral("SELECT username, status, additional, invite, requested_at FROM devices WHERE device_key = ?"),
        {blob(deviceKey.toByteArray())}, QStringLiteral("look up a device"));
    if (!q.ok())
        return q.error();
    if (!q->next())
        return std::optional<Device>();
    Device d;
    d.key = deviceKey;
    d.username = q->value(0).toString();
    d.status = DeviceStatus(q->value(1).toInt());
    d.additional = q->value(2).toInt() != 0;
    d.invite = q->value(3).toByteArray();
    d.requestedAt = q->value(4).toLongLong();
    return std::optional<Device>(d);
}

Result<QList<identity::Certificate>> Authority::certificates(
    const QString &statement, std::initializer_list<QVariant> binds) const
{
    auto q = db::run(m_db, statement, binds, QStringLiteral("read certificates"));
    if (!q.ok())
        return q.error();
    QList<identity::Certificate> out;
    while (q->next()) {
        auto cert = identity::Certificate::decode(q->value(0).toByteArray());
        if (!cert.ok())
            return base::fail(RendezvousError::Corrupt,
                QStringLiteral("a stored certificate does not decode: %1").arg(cert.message()));
        out.append(cert.value());
    }
    return out;
}

Result<identity::Certificate> Authority::newestCertificate(const crypto::PublicKey &deviceKey) const
{
    auto certs = certificates(
        QStringLiteral("SELECT wire FROM certificates WHERE device_key = ? ORDER BY serial DESC LIMIT 1"),
        {blob(deviceKey.toByteArray())});
    if (!certs.ok())
        return certs.error();
    if (certs->isEmpty())
        return base::fail(RendezvousError::NotFound, QStringLiteral("no certificate for this device"));
    return certs->first();
}

} // namespace cairn::rendezvous
