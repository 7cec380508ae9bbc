#include "core/identity/invite.h"

#include "core/base/cbor.h"
#include "core/identity/fieldreader.h"
#include "core/identity/names.h"

#include <QCborArray>
#include <QCborMap>

namespace cairn::identity {

namespace cbor = base::cbor;

namespace {

// Field numbers of the payload map (docs/protocol.md, "Invite").
enum Key : qint64 {
    KeyVersion = 1,
    KeyGroupName = 2,
    KeyGroupId = 3,
    KeyCaKey = 4,
    KeyRendezvous = 5,
    KeyToken = 6,
    KeyExpiresAt = 7,
};

const QString kWhat = QStringLiteral("invite");

// "[ffff:...:ffff]:65535" is 47 characters; leave room for nothing more.
constexpr qsizetype kMaxEndpointText = 64;
// The largest payload whose link still fits in kMaxLinkLength, so decode()
// accepts nothing that parse() would refuse as too long.
constexpr qsizetype kMaxPayloadBytes = (Invite::kMaxLinkLength - Invite::kLinkPrefix.size()) * 3 / 4;

bool isBase64UrlChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'-' || u == u'_';
}

constexpr auto kBase64Options = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

} // namespace

Result<void> Invite::check() const
{
    if (auto r = names::validateGroupName(m_groupName); !r.ok())
        return base::fail(r.code(), QStringLiteral("invite: group name: %1").arg(r.message()));
    if (auto r = names::validateGroupId(m_groupId); !r.ok())
        return base::fail(r.code(), QStringLiteral("invite: group id: %1").arg(r.message()));
    if (!isUsableEd25519Key(m_caKey))
        return base::fail(IdentityError::InvalidField, QStringLiteral("invite: CA key is not a usable Ed25519 key"));
    if (m_rendezvous.isEmpty() || m_rendezvous.size() > kMaxEndpoints)
        return base::fail(IdentityError::InvalidField,
            QStringLiteral("invite: 1 to %1 rendezvous endpoints, got %2").arg(kMaxEndpoints).arg(m_rendezvous.size()));
    for (qsizetype i = 0; i < m_rendezvous.size(); ++i) {
        if (!m_rendezvous[i].isValid())
            return base::fail(
                IdentityError::InvalidField, QStringLiteral("invite: rendezvous endpoint %1 is invalid").arg(i));
        if (m_rendezvous.indexOf(m_rendezvous[i]) != i)
            return base::fail(IdentityError::InvalidField,
                QStringLiteral("invite: rendezvous endpoint %1 is listed twice").arg(m_rendezvous[i].toString()));
    }
    if (m_token.size() < kMinTokenBytes || m_token.size() > kMaxTokenBytes)
        return base::fail(IdentityError::InvalidField,
            QStringLiteral("invite: the token is %1 to %2 bytes, got %3")
                .arg(kMinTokenBytes)
                .arg(kMaxTokenBytes)
                .arg(m_token.size()));
    if (m_expiresAt <= 0 || m_expiresAt > names::kMaxUnixTime)
        return base::fail(IdentityError::InvalidField, QStringLiteral("invite: expiry out of range"));
    return {};
}

Result<Invite> Invite::create(const QString &groupName, const QByteArray &groupId, const crypto::PublicKey &caKey,
    const QList<base::Endpoint> &rendezvous, qint64 expiresAt, base::Rng &rng, qsizetype tokenBytes)
{
    if (tokenBytes < kMinTokenBytes || tokenBytes > kMaxTokenBytes)
        return base::fail(IdentityError::InvalidField,
            QStringLiteral("invite: the token is %1 to %2 bytes").arg(kMinTokenBytes).arg(kMaxTokenBytes));
    Invite invite;
    invite.m_groupName = groupName;
    invite.m_groupId = groupId;
    invite.m_caKey = caKey;
    invite.m_rendezvous = rendezvous;
    invite.m_token = rng.bytes(tokenBytes);
    invite.m_expiresAt = expiresAt;
    if (auto r = invite.check(); !r.ok())
        return r.error();
    if (invite.toLink().size() > kMaxLinkLength)
        return base::fail(
            IdentityError::TooLarge, QStringLiteral("invite: the link would exceed %1 characters").arg(kMaxLinkLength));
    return invite;
}

QByteArray Invite::encode() const
{
    QCborArray endpoints;
    for (const base::Endpoint &e : m_rendezvous)
        endpoints.append(e.toString());
    QCborMap map;
    map.insert(KeyVersion, kVersion);
    map.insert(KeyGroupName, m_groupName);
    map.insert(KeyGroupId, m_groupId);
    map.insert(KeyCaKey, m_caKey.toByteArray());
    map.insert(KeyRendezvous, endpoints);
    map.insert(KeyToken, m_token);
    map.insert(KeyExpiresAt, m_expiresAt);
    return cbor::encode(map);
}

QString Invite::toLink() const
{
    return QLatin1StringView(kLinkPrefix) + QString::fromLatin1(encode().toBase64(kBase64Options));
}

Result<Invite> Invite::decode(QByteArrayView payload)
{
    cbor::Limits limits;
    limits.maxBytes = kMaxPayloadBytes;
    limits.maxDepth = 2;
    limits.maxItems = 1 + 2 * (KeyExpiresAt + 16) + kMaxEndpoints; // slack as for certificates
    limits.maxStringLength = 4 * names::kMaxGroupNameUnits;
    auto reader = FieldReader::open(payload, limits, kVersion,
        {KeyVersion, KeyGroupName, KeyGroupId, KeyCaKey, KeyRendezvous, KeyToken, KeyExpiresAt}, kWhat);
    if (!reader.ok())
        return reader.error();
    const FieldReader &r = reader.value();

    Invite invite;
    auto groupName = r.text(KeyGroupName, "group name", names::kMaxGroupNameUnits);
    if (!groupName.ok())
        return groupName.error();
    invite.m_groupName = std::move(groupName).value();
    auto groupId = r.bytes(KeyGroupId, "group id", names::kGroupIdBytes, names::kGroupIdBytes);
    if (!groupId.ok())
        return groupId.error();
    invite.m_groupId = std::move(groupId).value();
    auto caKey = r.publicKey(KeyCaKey, "CA key");
    if (!caKey.ok())
        return caKey.error();
    invite.m_caKey = caKey.value();
    auto endpoints = r.array(KeyRendezvous, "rendezvous", kMaxEndpoints);
    if (!endpoints.ok())
        return endpoints.error();
    for (const QCborValue &v : endpoints.value()) {
        if (!v.isString() || v.toString().size() > kMaxEndpointText)
            return r.invalid("rendezvous", QStringLiteral("an entry is not a HOST:PORT string"));
        const QString text = v.toString();
        const base::Endpoint endpoint = base::Endpoint::parse(text);
        if (!endpoint.isValid())
            return r.invalid("rendezvous", QStringLiteral("'%1' is not a valid HOST:PORT").arg(text));
        // One spelling per address, the one toLink() writes, so the payload
        // stays canonical beyond its CBOR.
        if (endpoint.toString() != text)
            return base::fail(IdentityError::NotCanonical,
                QStringLiteral("invite: rendezvous: '%1' should be written '%2'").arg(text, endpoint.toString()));
        invite.m_rendezvous.append(endpoint);
    }
    auto token = r.bytes(KeyToken, "token", kMinTokenBytes, kMaxTokenBytes);
    if (!token.ok())
        return token.error();
    invite.m_token = std::move(token).value();
    auto expiresAt = r.integer(KeyExpiresAt, "expiry", 1, names::kMaxUnixTime);
    if (!expiresAt.ok())
        return expiresAt.error();
    invite.m_expiresAt = expiresAt.value();
    if (auto c = invite.check(); !c.ok())
        return c.error();
    return invite;
}

Result<Invite> Invite::parse(QStringView link, qint64 nowUnix)
{
    link = link.trimmed();
    if (link.size() > kMaxLinkLength)
        return base::fail(IdentityError::TooLarge,
            QStringLiteral("invite: the link is %1 characters, the limit is %2").arg(link.size()).arg(kMaxLinkLength));
    const QLatin1StringView prefix(kLinkPrefix);
    if (!link.startsWith(prefix, Qt::CaseInsensitive))
        return base::fail(IdentityError::WrongScheme, QStringLiteral("invite: not a %1 link").arg(prefix));
    const QStringView text = link.sliced(prefix.size());
    if (text.isEmpty())
        return base::fail(IdentityError::BadEncoding, QStringLiteral("invite: the link has no payload"));
    for (QChar c : text) {
        if (!isBase64UrlChar(c))
            return base::fail(IdentityError::BadEncoding,
                QStringLiteral("invite: the payload is not unpadded base64url (character U+%1)")
                    .arg(c.unicode(), 4, 16, QLatin1Char('0')));
    }
    const QByteArray base64 = text.toLatin1();
    auto decoded = QByteArray::fromBase64Encoding(base64, kBase64Options | QByteArray::AbortOnBase64DecodingErrors);
    // Re-encoding catches a dangling character and non-zero padding bits,
    // the two ways one payload could have a second spelling.
    if (!decoded || decoded.decoded.toBase64(kBase64Options) != base64)
        return base::fail(IdentityError::BadEncoding, QStringLiteral("invite: the payload is not valid base64url"));
    auto invite = decode(decoded.decoded);
    if (!invite.ok())
        return invite;
    if (invite->isExpired(nowUnix))
        return base::fail(IdentityError::Expired,
            QStringLiteral("invite: expired at %1, now is %2").arg(invite->expiresAt()).arg(nowUnix));
    return invite;
}

} // namespace cairn::identity
