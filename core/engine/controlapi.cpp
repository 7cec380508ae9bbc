#include "core/engine/controlapi.h"

#include "core/engine/messaging.h"
#include "core/engine/node.h"
#include "core/identity/invite.h"

#include <QJsonArray>
#include <QTimer>

namespace cairn::engine {

namespace {

using Reply = ControlServer::Reply;

// A required string argument; empty if missing (the caller replies).
QString stringArg(const QJsonObject &args, const char *name)
{
    return args.value(QLatin1String(name)).toString();
}

QJsonObject certificateJson(const identity::Certificate &cert)
{
    return QJsonObject {
        {QStringLiteral("username"), cert.username()},
        {QStringLiteral("serial"), QString::number(cert.serial())},
        {QStringLiteral("nodeId"), cert.nodeId().toHex()},
        {QStringLiteral("deviceKey"), cert.deviceKey().toHex()},
        {QStringLiteral("notBefore"), cert.notBefore()},
        {QStringLiteral("notAfter"), cert.notAfter()},
        {QStringLiteral("operator"), cert.hasRole(identity::Role::Operator)},
    };
}

} // namespace

QJsonObject ControlApi::failure(EngineError code, const QString &message)
{
    return ControlServer::errorReply(QString::fromLatin1(errorCodeName(code)), message);
}

QJsonObject ControlApi::invalid(const QString &message)
{
    return failure(EngineError::InvalidArgument, message);
}

ControlApi::ControlApi(Node &node) : m_node(node)
{ }

void ControlApi::handle(const QString &cmd, const QJsonObject &args, Reply reply)
{
    using Handler = void (ControlApi::*)(const QJsonObject &, Reply);
    static const QHash<QString, Handler> handlers {
        {QStringLiteral("status"), &ControlApi::status},
        {QStringLiteral("peers"), &ControlApi::peers},
        {QStringLiteral("group.create"), &ControlApi::createGroup},
        {QStringLiteral("group.policy"), &ControlApi::setPolicy},
        {QStringLiteral("invite"), &ControlApi::invite},
        {QStringLiteral("join"), &ControlApi::join},
        {QStringLiteral("members"), &ControlApi::members},
        {QStringLiteral("pending"), &ControlApi::pending},
        {QStringLiteral("approve"), &ControlApi::approve},
        {QStringLiteral("deny"), &ControlApi::deny},
        {QStringLiteral("revoke"), &ControlApi::revoke},
        {QStringLiteral("renew"), &ControlApi::renew},
        {QStringLiteral("put"), &ControlApi::put},
        {QStringLiteral("get"), &ControlApi::get},
        {QStringLiteral("stop"), &ControlApi::stop},
        {QStringLiteral("open"), &ControlApi::open},
        {QStringLiteral("mail.send"), &ControlApi::mailSend},
        {QStringLiteral("mail.list"), &ControlApi::mailList},
        {QStringLiteral("mail.read"), &ControlApi::mailRead},
        {QStringLiteral("mail.delete"), &ControlApi::mailDelete},
        {QStringLiteral("send"), &ControlApi::sendFiles},
        {QStringLiteral("transfers"), &ControlApi::transfers},
        {QStringLiteral("receive"), &ControlApi::receive},
        {QStringLiteral("transfer"), &ControlApi::transferAction},
    };
    const auto it = handlers.find(cmd);
    if (it == handlers.end())
        return reply(failure(EngineError::InvalidArgument, QStringLiteral("unknown command \"%1\"").arg(cmd)));
    (this->*it.value())(args, std::move(reply));
}

void ControlApi::status(const QJsonObject &, Reply reply)
{
    QJsonObject result = m_node.stats().toJson();
    if (const Messaging *messaging = m_node.messaging()) {
        const ReplicationInfo r = messaging->replication();
        result.insert(QStringLiteral("replication"),
            QJsonObject {{QStringLiteral("target"), r.targetSuccess}, {QStringLiteral("availability"), r.availability},
                {QStringLiteral("availabilitySamples"), r.availabilitySamples}, {QStringLiteral("copies"), r.copies},
                {QStringLiteral("storageNodes"), r.storageNodes},
                {QStringLiteral("groupFree"), double(r.groupFreeBytes)}});
    }
    reply(ControlServer::okReply(result));
}

void ControlApi::peers(const QJsonObject &, Reply reply)
{
    QJsonArray list;
    for (const net::PeerInfo &peer : m_node.peers()) {
        list.append(QJsonObject {
            {QStringLiteral("endpoint"), peer.endpoint.toString()},
            {QStringLiteral("nodeId"), peer.nodeId.toHex()},
            {QStringLiteral("username"), peer.certified() ? peer.certificate.username() : QString()},
            {QStringLiteral("serial"), peer.certified() ? QString::number(peer.certificate.serial()) : QString()},
            {QStringLiteral("certified"), peer.certified()},
            {QStringLiteral("outgoing"), peer.initiatedByUs},
        });
    }
    reply(ControlServer::okReply({{QStringLiteral("peers"), list}}));
}

void ControlApi::createGroup(const QJsonObject &args, Reply reply)
{
    const QString name = stringArg(args, "name");
    if (name.isEmpty())
        return reply(invalid(QStringLiteral("a group name is required")));
    QString username = stringArg(args, "username");
    if (username.isEmpty())
        username = QStringLiteral("operator");
    const QString policyText
        = args.contains(QStringLiteral("policy")) ? stringArg(args, "policy") : QStringLiteral("auto");
    auto policy = rendezvous::SigningPolicy::parse(policyText);
    if (!policy)
        return reply(invalid(policy.message()));
    m_node.createGroup(name, policy.value(), username,
        [this, reply, name, username, alive = std::weak_ptr<bool>(m_alive)](Result<void> done) {
            if (alive.expired())
                return;
            if (!done)
                return reply(failure(done.code(), done.message()));
            reply(ControlServer::okReply({{QStringLiteral("group"), name}, {QStringLiteral("username"), username},
                {QStringLiteral("groupId"), QString::fromLatin1(m_node.membership().groupId.toHex())},
                {QStringLiteral("policy"), m_node.policy().ok() ? m_node.policy().value().toString() : QString()}}));
        });
}

void ControlApi::setPolicy(const QJsonObject &args, Reply reply)
{
    auto policy = rendezvous::SigningPolicy::parse(stringArg(args, "policy"));
    if (!policy)
        return reply(invalid(policy.message()));
    if (auto set = m_node.setPolicy(policy.value()); !set)
        return reply(failure(set.code(), set.message()));
    reply(ControlServer::okReply({{QStringLiteral("policy"), policy->toString()}}));
}

void ControlApi::invite(const QJsonObject &args, Reply reply)
{
    const int uses = args.contains(QStringLiteral("uses")) ? args.value(QStringLiteral("uses")).toInt(-1) : 1;
    const qint64 expires = args.contains(QStringLiteral("expires"))
        ? qint64(args.value(QStringLiteral("expires")).toDouble(-1))
        : 7 * 86400;
    auto made = m_node.createInvite(uses, expires);
    if (!made)
        return reply(failure(made.code(), made.message()));
    reply(ControlServer::okReply({{QStringLiteral("link"), made->toLink()}, {QStringLiteral("uses"), uses},
        {QStringLiteral("expiresAt"), made->expiresAt()}}));
}

void ControlApi::join(const QJsonObject &args, Reply reply)
{
    const QString link = stringArg(args, "link");
    const QString username = stringArg(args, "username");
    if (link.isEmpty())
        return reply(invalid(QStringLiteral("an invite link is required")));
    if (username.isEmpty())
        return reply(invalid(QStringLiteral("a username is required")));
    m_node.join(link, username, [reply](Result<Membership> joined) {
        if (!joined && joined.code() == EngineError::Pending)
            return reply(ControlServer::okReply({{QStringLiteral("status"), QStringLiteral("pending")},
                {QStringLiteral("message"), joined.message()}}));
        if (!joined)
            return reply(failure(joined.code(), joined.message()));
        reply(ControlServer::okReply({{QStringLiteral("status"), QStringLiteral("joined")},
            {QStringLiteral("group"), joined->groupName}, {QStringLiteral("username"), joined->username},
            {QStringLiteral("serial"), QString::number(joined->certificate.serial())}}));
    });
}

void ControlApi::members(const QJsonObject &, Reply reply)
{
    m_node.members([reply](Result<QList<rendezvous::Member>> members) {
        if (!members)
            return reply(failure(members.code(), members.message()));
        QJsonArray list;
        for (const auto &member : members.value()) {
            QJsonArray devices;
            for (const auto &cert : member.devices)
                devices.append(certificateJson(cert));
            list.append(QJsonObject {{QStringLiteral("username"), member.username},
                {QStringLiteral("revoked"), member.revoked}, {QStringLiteral("devices"), devices}});
        }
        reply(ControlServer::okReply({{QStringLiteral("members"), list}}));
    });
}

void ControlApi::pending(const QJsonObject &, Reply reply)
{
    auto list = m_node.pending();
    if (!list)
        return reply(failure(list.code(), list.message()));
    QJsonArray out;
    for (const auto &request : list.value()) {
        out.append(QJsonObject {{QStringLiteral("username"), request.username},
            {QStringLiteral("deviceKey"), request.deviceKey.toHex()},
            {QStringLiteral("requestedAt"), request.requestedAt},
            {QStringLiteral("additionalDevice"), request.additionalDevice}});
    }
    reply(ControlServer::okReply({{QStringLiteral("pending"), out}}));
}

void ControlApi::approve(const QJsonObject &args, Reply reply)
{
    const QString username = stringArg(args, "username");
    if (username.isEmpty())
        return reply(invalid(QStringLiteral("a username is required")));
    auto approved = m_node.approve(username);
    if (!approved)
        return reply(failure(approved.code(), approved.message()));
    QJsonArray certs;
    for (const auto &cert : approved.value())
        certs.append(certificateJson(cert));
    reply(ControlServer::okReply({{QStringLiteral("username"), username}, {QStringLiteral("certificates"), certs}}));
}

void ControlApi::deny(const QJsonObject &args, Reply reply)
{
    const QString username = stringArg(args, "username");
    if (username.isEmpty())
        return reply(invalid(QStringLiteral("a username is required")));
    auto denied = m_node.deny(username);
    if (!denied)
        return reply(failure(denied.code(), denied.message()));
    reply(ControlServer::okReply({{QStringLiteral("username"), username}}));
}

void ControlApi::revoke(const QJsonObject &args, Reply reply)
{
    const QString username = stringArg(args, "username");
    const QString serialText = stringArg(args, "serial");
    if (username.isEmpty() == serialText.isEmpty())
        return reply(invalid(QStringLiteral("give either a username or a device serial")));
    Result<identity::RevocationList> crl = base::fail(EngineError::InvalidArgument, QString());
    if (!username.isEmpty()) {
        crl = m_node.revokeUser(username);
    } else {
        bool ok = false;
        const quint64 serial = serialText.toULongLong(&ok);
        if (!ok)
            return reply(invalid(QStringLiteral("\"%1\" is not a device serial").arg(serialText)));
        crl = m_node.revokeSerial(serial);
    }
    if (!crl)
        return reply(failure(crl.code(), crl.message()));
    reply(ControlServer::okReply({{QStringLiteral("crlVersion"), double(crl->version())}}));
}

void ControlApi::renew(const QJsonObject &, Reply reply)
{
    m_node.renewCertificate([reply](Result<identity::Certificate> cert) {
        if (!cert)
            return reply(failure(cert.code(), cert.message()));
        reply(ControlServer::okReply(certificateJson(cert.value())));
    });
}

void ControlApi::put(const QJsonObject &args, Reply reply)
{
    auto value
        = QByteArray::fromBase64Encoding(stringArg(args, "value").toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!value || value.decoded.isEmpty())
        return reply(invalid(QStringLiteral("\"value\" must be non-empty base64")));
    if (value.decoded.size() > 64 * 1024)
        return reply(invalid(QStringLiteral("a value holds at most 64 KiB")));
    const qint64 ttl = qint64(args.value(QStringLiteral("ttl")).toDouble(0));
    m_node.put(*value, ttl, [reply](Result<QByteArray> key) {
        if (!key)
            return reply(failure(key.code(), key.message()));
        reply(ControlServer::okReply({{QStringLiteral("key"), QString::fromLatin1(key->toHex())}}));
    });
}

void ControlApi::get(const QJsonObject &args, Reply reply)
{
    const QByteArray key = QByteArray::fromHex(stringArg(args, "key").toLatin1());
    if (key.size() != 32)
        return reply(invalid(QStringLiteral("\"key\" must be 64 hex digits")));
    if (args.value(QStringLiteral("local")).toBool()) {
        auto value = m_node.getLocal(key);
        if (!value)
            return reply(failure(value.code(), value.message()));
        return reply(ControlServer::okReply({{QStringLiteral("value"), QString::fromLatin1(value->toBase64())}}));
    }
    m_node.get(key, [reply](Result<QByteArray> value) {
        if (!value)
            return reply(failure(value.code(), value.message()));
        reply(ControlServer::okReply({{QStringLiteral("value"), QString::fromLatin1(value->toBase64())}}));
    });
}

void ControlApi::open(const QJsonObject &args, Reply reply)
{
    const QString link = args.value(QStringLiteral("link")).toString().trimmed();
    if (!link.startsWith(identity::Invite::kLinkPrefix, Qt::CaseInsensitive))
        return reply(invalid(QStringLiteral("\"link\" must be a cairn://join/ link")));
    if (!m_node.linkHandler())
        return reply(
            invalid(QStringLiteral("this node has no window to open the link in: join with 'cairnd join LINK'")));
    if (const QString why = m_node.linkHandler()(link); !why.isEmpty())
        return reply(invalid(why));
    reply(ControlServer::okReply({{QStringLiteral("opened"), true}}));
}

void ControlApi::stop(const QJsonObject &, Reply reply)
{
    reply(ControlServer::okReply({{QStringLiteral("stopping"), true}}));
    // After the reply has been written.
    QTimer::singleShot(0, &m_node, [node = &m_node] { Q_EMIT node->stopRequested(); });
}

} // namespace cairn::engine
