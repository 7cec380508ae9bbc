#include "core/engine/membership.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace cairn::engine {

namespace {

QString b64(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

bool fromB64(const QJsonValue &value, QByteArray *out)
{
    if (!value.isString())
        return false;
    auto decoded = QByteArray::fromBase64Encoding(value.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return false;
    *out = *decoded;
    return true;
}

base::Error<EngineError> corrupt(const QString &path, const QString &what)
{
    return base::fail(EngineError::Corrupt, QStringLiteral("%1 is damaged (%2)").arg(path, what));
}

} // namespace

QString Membership::path(const QString &profileDir)
{
    return QDir(profileDir).filePath(QStringLiteral("membership.json"));
}

Result<Membership> Membership::load(const QString &profileDir)
{
    const QString file = path(profileDir);
    QFile f(file);
    if (!f.exists())
        return base::fail(EngineError::NotFound, QStringLiteral("this profile is not in a group yet"));
    if (!f.open(QIODevice::ReadOnly))
        return base::fail(EngineError::Storage, QStringLiteral("cannot read %1: %2").arg(file, f.errorString()));
    if (f.size() > kMaxFileBytes)
        return corrupt(file, QStringLiteral("too large"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return corrupt(file, QStringLiteral("not JSON"));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toInt() != kFormat)
        return corrupt(file, QStringLiteral("unknown format"));

    Membership m;
    m.groupName = o.value(QStringLiteral("groupName")).toString();
    m.username = o.value(QStringLiteral("username")).toString();
    m.isOperator = o.value(QStringLiteral("operator")).toBool();
    m.pendingInvite = o.value(QStringLiteral("pendingInvite")).toString();
    QByteArray caKey, cert, crl;
    if (!fromB64(o.value(QStringLiteral("groupId")), &m.groupId) || m.groupId.size() != 32)
        return corrupt(file, QStringLiteral("group id"));
    if (!fromB64(o.value(QStringLiteral("caKey")), &caKey))
        return corrupt(file, QStringLiteral("CA key"));
    auto key = crypto::PublicKey::fromBytes(caKey);
    if (!key)
        return corrupt(file, QStringLiteral("CA key"));
    m.caKey = key.value();
    if (o.contains(QStringLiteral("certificate"))) {
        if (!fromB64(o.value(QStringLiteral("certificate")), &cert))
            return corrupt(file, QStringLiteral("certificate"));
        auto decoded = identity::Certificate::decode(cert);
        if (!decoded || !decoded->signatureValid(m.caKey))
            return corrupt(file, QStringLiteral("certificate"));
        m.certificate = decoded.value();
    }
    if (o.contains(QStringLiteral("crl"))) {
        if (!fromB64(o.value(QStringLiteral("crl")), &crl))
            return corrupt(file, QStringLiteral("revocation list"));
        auto decoded = identity::RevocationList::decode(crl);
        if (!decoded || !decoded->signatureValid(m.caKey))
            return corrupt(file, QStringLiteral("revocation list"));
        m.crl = decoded.value();
    }
    for (const QJsonValue &v : o.value(QStringLiteral("rendezvous")).toArray()) {
        const base::Endpoint e = base::Endpoint::parse(v.toString());
        if (!e.isValid())
            return corrupt(file, QStringLiteral("rendezvous address"));
        m.rendezvous.append(e);
    }
    return m;
}

Result<void> Membership::save(const QString &profileDir) const
{
    QJsonObject o {
        {QStringLiteral("format"), kFormat},
        {QStringLiteral("groupName"), groupName},
        {QStringLiteral("groupId"), b64(groupId)},
        {QStringLiteral("caKey"), b64(caKey.toByteArray())},
        {QStringLiteral("username"), username},
        {QStringLiteral("operator"), isOperator},
    };
    if (!certificate.isNull())
        o.insert(QStringLiteral("certificate"), b64(certificate.encode()));
    if (!crl.isNull())
        o.insert(QStringLiteral("crl"), b64(crl.encode()));
    if (!pendingInvite.isEmpty())
        o.insert(QStringLiteral("pendingInvite"), pendingInvite);
    QJsonArray endpoints;
    for (const base::Endpoint &e : rendezvous)
        endpoints.append(e.toString());
    o.insert(QStringLiteral("rendezvous"), endpoints);

    const QString file = path(profileDir);
    QSaveFile f(file);
    if (!f.open(QIODevice::WriteOnly))
        return base::fail(EngineError::Storage, QStringLiteral("cannot write %1: %2").arg(file, f.errorString()));
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(QJsonDocument(o).toJson(QJsonDocument::Indented));
    if (!f.commit())
        return base::fail(EngineError::Storage, QStringLiteral("cannot write %1: %2").arg(file, f.errorString()));
    return {};
}

} // namespace cairn::engine
