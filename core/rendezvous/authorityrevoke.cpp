// Authority: revocation, renewal, and the member and directory listings.
#include "core/base/log.h"
#include "core/identity/names.h"
#include "core/rendezvous/authority.h"
#include "core/rendezvous/database.h"

#include <QHash>

namespace cairn::rendezvous {

using db::blob;

namespace {

// The newest certificate of every device, by username then serial.
const char *const kNewestPerDevice
    = "SELECT c.wire, c.revoked FROM certificates c WHERE c.serial ="
      " (SELECT max(d.serial) FROM certificates d WHERE d.device_key = c.device_key) ORDER BY c.username, c.serial";

} // namespace

Result<identity::RevocationList> Authority::publish(
    const QStringList &usernames, const QList<quint64> &serials, qint64 nowUnix)
{
    identity::RevocationFields f = m_crl.fields();
    f.version += 1;
    f.issuedAt = qBound<qint64>(0, nowUnix, identity::names::kMaxUnixTime);
    f.usernames += usernames;
    f.serials += serials;
    auto list = identity::RevocationList::issue(m_ca, f);
    if (!list.ok()) {
        const bool tooLarge = list.code() == identity::IdentityError::TooLarge;
        return base::fail(tooLarge ? RendezvousError::TooLarge : RendezvousError::InvalidArgument, list.message());
    }
    if (auto r = db::exec(m_db, QStringLiteral("UPDATE authority SET crl = ? WHERE id = 1"), {blob(list->encode())},
            QStringLiteral("store the revocation list"));
        !r.ok())
        return r.error();
    m_crl = list.value();
    qCDebug(lcRendezvous) << "revocation list version" << m_crl.version() << "issued";
    return m_crl;
}

Result<void> Authority::execEach(
    std::initializer_list<const char *> statements, const QVariant &bind, const QString &what)
{
    for (const char *statement : statements) {
        if (auto r = db::exec(m_db, QString::fromLatin1(statement), {bind}, what); !r.ok())
            return r;
    }
    return {};
}

Result<identity::RevocationList> Authority::revokeUser(const QString &username, qint64 nowUnix)
{
    const QString what = QStringLiteral("revoke a user");
    return transaction<identity::RevocationList>(what, [&]() -> Result<identity::RevocationList> {
        bool revoked = false;
        auto exists = userExists(username, &revoked);
        if (!exists.ok())
            return exists.error();
        if (!exists.value())
            return base::fail(RendezvousError::NotFound, QStringLiteral("no user '%1'").arg(username));
        if (revoked)
            return m_crl;
        // Pending requests of the user are answered "revoked" from now on too.
        static_assert(int(DeviceStatus::Revoked) == 3);
        if (auto r = execEach(
                {"UPDATE users SET revoked = 1 WHERE username = ?", "UPDATE devices SET status = 3 WHERE username = ?",
                    "UPDATE certificates SET revoked = 1 WHERE username = ?"},
                username, what);
            !r.ok())
            return r.error();
        return publish({username}, {}, nowUnix);
    });
}

Result<identity::RevocationList> Authority::revokeSerial(quint64 serial, qint64 nowUnix)
{
    const QString what = QStringLiteral("revoke a device");
    return transaction<identity::RevocationList>(what, [&]() -> Result<identity::RevocationList> {
        auto q = db::run(
            m_db, QStringLiteral("SELECT device_key FROM certificates WHERE serial = ?"), {qint64(serial)}, what);
        if (!q.ok())
            return q.error();
        if (serial > identity::Certificate::kMaxSerial || !q->next())
            return base::fail(RendezvousError::NotFound, QStringLiteral("no certificate with serial %1").arg(serial));
        const QByteArray deviceKey = q->value(0).toByteArray();
        // The device, not one certificate, is cut off: every certificate of
        // it that still counts goes on the list (an older one from before a
        // renewal would otherwise stay valid until it expires).
        auto serials = db::run(m_db,
            QStringLiteral("SELECT serial FROM certificates WHERE device_key = ? AND revoked = 0"
                           " AND (serial = ? OR not_after > ?) ORDER BY serial"),
            {blob(deviceKey), qint64(serial), nowUnix}, what);
        if (!serials.ok())
            return serials.error();
        QList<quint64> added;
        while (serials->next())
            added.append(quint64(serials->value(0).toLongLong()));
        if (added.isEmpty())
            return m_crl;
        if (auto r = execEach({"UPDATE certificates SET revoked = 1 WHERE device_key = ?",
                                  "UPDATE devices SET status = 3 WHERE device_key = ?"},
                blob(deviceKey), what);
            !r.ok())
            return r.error();
        return publish({}, added, nowUnix);
    });
}

Result<identity::Certificate> Authority::renew(const identity::Certificate &current, qint64 nowUnix)
{
    if (current.isNull())
        return base::fail(RendezvousError::InvalidArgument, QStringLiteral("no certificate to renew"));
    if (current.issuerKey() != caKey() || current.groupId() != m_groupId || !current.signatureValid(caKey()))
        return base::fail(RendezvousError::Denied, QStringLiteral("not a certificate of this group's CA"));
    return transaction<identity::Certificate>(
        QStringLiteral("renew a certificate"), [&]() -> Result<identity::Certificate> {
            auto q = db::run(m_db, QStringLiteral("SELECT wire, revoked FROM certificates WHERE serial = ?"),
                {qint64(current.serial())}, QStringLiteral("look up a certificate"));
            if (!q.ok())
                return q.error();
            if (!q->next() || q->value(0).toByteArray() != current.encode())
                return base::fail(RendezvousError::NotFound,
                    QStringLiteral("serial %1 is not a certificate this CA issued").arg(current.serial()));
            if (q->value(1).toInt() != 0 || m_crl.isRevoked(current))
                return base::fail(RendezvousError::Revoked,
                    QStringLiteral("the certificate of '%1' (serial %2) is revoked")
                        .arg(current.username())
                        .arg(current.serial()));
            // A retried request gets the certificate the first one issued.
            auto recent = certificates(
                QStringLiteral("SELECT wire FROM certificates WHERE device_key = ? AND serial > ? AND issued_at >= ?"
                               " AND revoked = 0 ORDER BY serial DESC LIMIT 1"),
                {blob(current.deviceKey().toByteArray()), qint64(current.serial()), nowUnix - kRenewalReuse});
            if (!recent.ok())
                return recent.error();
            if (!recent->isEmpty())
                return recent->first();
            return issueCertificate(current.username(), current.deviceKey(), current.roles(), nowUnix);
        });
}

QList<Member> Authority::members() const
{
    QList<Member> out;
    auto users = db::run(m_db, QStringLiteral("SELECT username, revoked FROM users ORDER BY username"), {},
        QStringLiteral("list members"));
    if (!users.ok()) {
        qCWarning(lcRendezvous) << users.message();
        return out;
    }
    QHash<QString, qsizetype> index;
    while (users->next()) {
        index.insert(users->value(0).toString(), out.size());
        out.append(Member {users->value(0).toString(), {}, users->value(1).toInt() != 0});
    }
    auto certs = certificates(QString::fromLatin1(kNewestPerDevice), {});
    if (!certs.ok()) {
        qCWarning(lcRendezvous) << certs.message();
        return out;
    }
    for (const identity::Certificate &cert : certs.value()) {
        const auto it = index.constFind(cert.username());
        if (it != index.constEnd())
            out[it.value()].devices.append(cert);
    }
    return out;
}

QList<identity::Certificate> Authority::directory() const
{
    return directory(0);
}

QList<identity::Certificate> Authority::directory(qint64 nowUnix) const
{
    QList<identity::Certificate> out;
    auto q = db::run(m_db, QString::fromLatin1(kNewestPerDevice), {}, QStringLiteral("list the directory"));
    if (!q.ok()) {
        qCWarning(lcRendezvous) << q.message();
        return out;
    }
    while (q->next()) {
        if (q->value(1).toInt() != 0)
            continue;
        auto cert = identity::Certificate::decode(q->value(0).toByteArray());
        if (!cert.ok()) {
            qCWarning(lcRendezvous) << "a stored certificate does not decode:" << cert.message();
            continue;
        }
        if (m_crl.isRevoked(cert.value()) || nowUnix >= cert->notAfter())
            continue;
        out.append(cert.value());
    }
    return out;
}

} // namespace cairn::rendezvous
