#include "core/identity/revocationlist.h"

#include "core/base/cbor.h"
#include "core/identity/certificate.h"
#include "core/identity/fieldreader.h"
#include "core/identity/names.h"

#include <QCborArray>
#include <QCborMap>

#include <algorithm>

namespace cairn::identity {

namespace cbor = base::cbor;

namespace {

// Field numbers of the signed map (docs/protocol.md, "Revocation list").
enum Key : qint64 {
    KeyFormat = 1,
    KeyGroupId = 2,
    KeyVersion = 3,
    KeyIssuedAt = 4,
    KeyUsernames = 5,
    KeySerials = 6,
    KeyIssuer = 7,
};

const QString kWhat = QStringLiteral("revocation list");

constexpr qint64 kMaxVersion = std::numeric_limits<qint64>::max();

Result<void> checkFields(const RevocationFields &f)
{
    if (auto r = names::validateGroupId(f.groupId); !r.ok())
        return base::fail(r.code(), QStringLiteral("revocation list: group id: %1").arg(r.message()));
    if (f.version > quint64(kMaxVersion))
        return base::fail(IdentityError::InvalidField, QStringLiteral("revocation list: version must be below 2^63"));
    if (f.issuedAt < 0 || f.issuedAt > names::kMaxUnixTime)
        return base::fail(IdentityError::InvalidField, QStringLiteral("revocation list: issued-at out of range"));
    if (f.usernames.size() + f.serials.size() > RevocationList::kMaxEntries)
        return base::fail(IdentityError::TooLarge,
            QStringLiteral("revocation list: more than %1 entries").arg(RevocationList::kMaxEntries));
    for (const QString &name : f.usernames) {
        if (auto r = names::validateUsername(name); !r.ok())
            return base::fail(r.code(), QStringLiteral("revocation list: username: %1").arg(r.message()));
    }
    for (quint64 serial : f.serials) {
        if (serial > Certificate::kMaxSerial)
            return base::fail(
                IdentityError::InvalidField, QStringLiteral("revocation list: serial must be below 2^63"));
    }
    return {};
}

QByteArray encodeTbs(const RevocationFields &f, const crypto::PublicKey &issuer)
{
    QCborArray usernames;
    for (const QString &name : f.usernames)
        usernames.append(name);
    QCborArray serials;
    for (quint64 serial : f.serials)
        serials.append(qint64(serial));
    QCborMap map;
    map.insert(KeyFormat, RevocationList::kFormat);
    map.insert(KeyGroupId, f.groupId);
    map.insert(KeyVersion, qint64(f.version));
    map.insert(KeyIssuedAt, f.issuedAt);
    map.insert(KeyUsernames, usernames);
    map.insert(KeySerials, serials);
    map.insert(KeyIssuer, issuer.toByteArray());
    return cbor::encode(map);
}

template <typename List> bool strictlyAscending(const List &list)
{
    return std::adjacent_find(list.begin(), list.end(), [](const auto &a, const auto &b) { return !(a < b); })
        == list.end();
}

} // namespace

Result<RevocationList> RevocationList::issue(const crypto::DeviceKey &ca, RevocationFields fields)
{
    // Usernames are ASCII, so QString's order is the bytewise order of the
    // encoding and a reader can check it without re-encoding.
    std::sort(fields.usernames.begin(), fields.usernames.end());
    fields.usernames.erase(std::unique(fields.usernames.begin(), fields.usernames.end()), fields.usernames.end());
    std::sort(fields.serials.begin(), fields.serials.end());
    fields.serials.erase(std::unique(fields.serials.begin(), fields.serials.end()), fields.serials.end());
    if (auto r = checkFields(fields); !r.ok())
        return r.error();
    RevocationList list;
    list.m_fields = std::move(fields);
    list.m_issuer = ca.publicKey();
    list.m_envelope = SignedEnvelope::sign(ca, kSigningContext, encodeTbs(list.m_fields, list.m_issuer));
    list.m_wire = list.m_envelope.encode();
    if (list.m_wire.size() > kMaxBytes)
        return base::fail(
            IdentityError::TooLarge, QStringLiteral("revocation list: encodes to more than %1 bytes").arg(kMaxBytes));
    return list;
}

Result<RevocationList> RevocationList::decode(QByteArrayView wire)
{
    auto envelope = SignedEnvelope::decode(wire, kMaxBytes, kWhat);
    if (!envelope.ok())
        return envelope.error();

    cbor::Limits limits;
    limits.maxBytes = kMaxBytes;
    limits.maxDepth = 3;
    limits.maxItems = 1 + 2 * (KeyIssuer + 16) + kMaxEntries; // slack as for certificates
    limits.maxStringLength = 64;
    auto reader = FieldReader::open(envelope->tbs, limits, kFormat,
        {KeyFormat, KeyGroupId, KeyVersion, KeyIssuedAt, KeyUsernames, KeySerials, KeyIssuer}, kWhat);
    if (!reader.ok())
        return reader.error();
    const FieldReader &r = reader.value();

    RevocationList list;
    auto groupId = r.bytes(KeyGroupId, "group id", names::kGroupIdBytes, names::kGroupIdBytes);
    if (!groupId.ok())
        return groupId.error();
    list.m_fields.groupId = std::move(groupId).value();
    auto version = r.integer(KeyVersion, "version", 0, kMaxVersion);
    if (!version.ok())
        return version.error();
    list.m_fields.version = quint64(version.value());
    auto issuedAt = r.integer(KeyIssuedAt, "issued-at", 0, names::kMaxUnixTime);
    if (!issuedAt.ok())
        return issuedAt.error();
    list.m_fields.issuedAt = issuedAt.value();

    auto usernames = r.array(KeyUsernames, "usernames", kMaxEntries);
    if (!usernames.ok())
        return usernames.error();
    list.m_fields.usernames.reserve(usernames->size());
    for (const QCborValue &v : usernames.value()) {
        if (!v.isString())
            return r.invalid("usernames", QStringLiteral("an entry is not text"));
        QString name = v.toString();
        if (auto check = names::validateUsername(name); !check.ok())
            return r.relabel("usernames", check.error());
        list.m_fields.usernames.append(std::move(name));
    }
    if (!strictlyAscending(list.m_fields.usernames))
        return base::fail(
            IdentityError::NotCanonical, QStringLiteral("revocation list: usernames not sorted and unique"));

    auto serials = r.array(KeySerials, "serials", kMaxEntries);
    if (!serials.ok())
        return serials.error();
    list.m_fields.serials.reserve(serials->size());
    for (const QCborValue &v : serials.value()) {
        if (!v.isInteger() || v.toInteger() < 0)
            return r.invalid("serials", QStringLiteral("an entry is not an unsigned integer"));
        list.m_fields.serials.append(quint64(v.toInteger()));
    }
    if (!strictlyAscending(list.m_fields.serials))
        return base::fail(
            IdentityError::NotCanonical, QStringLiteral("revocation list: serials not sorted and unique"));

    auto issuer = r.bytes(KeyIssuer, "issuer", 32, 32);
    if (!issuer.ok())
        return issuer.error();
    list.m_issuer = crypto::PublicKey::fromBytes(issuer.value()).value();
    if (auto check = checkFields(list.m_fields); !check.ok())
        return check.error();
    list.m_envelope = std::move(envelope).value();
    list.m_wire = wire.toByteArray();
    return list;
}

bool RevocationList::signatureValid(const crypto::PublicKey &ca) const
{
    return !isNull() && m_envelope.verify(ca, kSigningContext);
}

bool RevocationList::isUserRevoked(QStringView username) const
{
    const auto &list = m_fields.usernames;
    const auto it = std::lower_bound(
        list.begin(), list.end(), username, [](const QString &a, QStringView b) { return QStringView(a) < b; });
    return it != list.end() && QStringView(*it) == username;
}

bool RevocationList::isSerialRevoked(quint64 serial) const
{
    return std::binary_search(m_fields.serials.begin(), m_fields.serials.end(), serial);
}

bool RevocationList::isRevoked(const Certificate &cert) const
{
    return isUserRevoked(cert.username()) || isSerialRevoked(cert.serial());
}

bool RevocationList::supersedes(const RevocationList &other) const
{
    if (isNull())
        return false;
    if (other.isNull())
        return true;
    return m_fields.groupId == other.m_fields.groupId && m_issuer == other.m_issuer
        && m_fields.version > other.m_fields.version;
}

} // namespace cairn::identity
