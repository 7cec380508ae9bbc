#include "core/identity/certificate.h"

#include "core/base/cbor.h"
#include "core/identity/fieldreader.h"
#include "core/identity/names.h"

#include <QCborMap>

namespace cairn::identity {

namespace cbor = base::cbor;

namespace {

// Field numbers of the signed map (docs/protocol.md, "Certificate").
enum Key : qint64 {
    KeyVersion = 1,
    KeyGroupId = 2,
    KeyGroupName = 3,
    KeyUsername = 4,
    KeyDeviceKey = 5,
    KeyRoles = 6,
    KeyNotBefore = 7,
    KeyNotAfter = 8,
    KeySerial = 9,
    KeyIssuer = 10,
};

constexpr quint32 kKnownRoles
    = quint32(Role::Member) | quint32(Role::Storage) | quint32(Role::Relay) | quint32(Role::Operator);

const QString kWhat = QStringLiteral("certificate");

// The rules issue() and decode() share, so neither can produce what the
// other refuses.
Result<void> checkFields(const CertificateFields &f)
{
    if (auto r = names::validateGroupId(f.groupId); !r.ok())
        return base::fail(r.code(), QStringLiteral("certificate: group id: %1").arg(r.message()));
    if (auto r = names::validateGroupName(f.groupName); !r.ok())
        return base::fail(r.code(), QStringLiteral("certificate: group name: %1").arg(r.message()));
    if (auto r = names::validateUsername(f.username); !r.ok())
        return base::fail(r.code(), QStringLiteral("certificate: username: %1").arg(r.message()));
    if (!isUsableEd25519Key(f.deviceKey))
        return base::fail(
            IdentityError::InvalidField, QStringLiteral("certificate: device key is not a usable Ed25519 key"));
    if ((quint32(f.roles.toInt()) & ~kKnownRoles) != 0)
        return base::fail(IdentityError::InvalidField, QStringLiteral("certificate: unknown role bits"));
    if (f.notBefore < 0 || f.notAfter > names::kMaxUnixTime || f.notAfter <= f.notBefore)
        return base::fail(IdentityError::InvalidField,
            QStringLiteral("certificate: validity must satisfy 0 <= not-before < not-after <= %1")
                .arg(names::kMaxUnixTime));
    if (f.serial > Certificate::kMaxSerial)
        return base::fail(IdentityError::InvalidField, QStringLiteral("certificate: serial must be below 2^63"));
    return {};
}

QByteArray encodeTbs(const CertificateFields &f, const crypto::PublicKey &issuer)
{
    QCborMap map;
    map.insert(KeyVersion, Certificate::kVersion);
    map.insert(KeyGroupId, f.groupId);
    map.insert(KeyGroupName, f.groupName);
    map.insert(KeyUsername, f.username);
    map.insert(KeyDeviceKey, f.deviceKey.toByteArray());
    map.insert(KeyRoles, qint64(f.roles.toInt()));
    map.insert(KeyNotBefore, f.notBefore);
    map.insert(KeyNotAfter, f.notAfter);
    map.insert(KeySerial, qint64(f.serial));
    map.insert(KeyIssuer, issuer.toByteArray());
    return cbor::encode(map);
}

} // namespace

Result<Certificate> Certificate::issue(const crypto::DeviceKey &ca, const CertificateFields &fields)
{
    if (auto r = checkFields(fields); !r.ok())
        return r.error();
    Certificate cert;
    cert.m_fields = fields;
    cert.m_issuer = ca.publicKey();
    cert.m_envelope = SignedEnvelope::sign(ca, kSigningContext, encodeTbs(fields, cert.m_issuer));
    cert.m_wire = cert.m_envelope.encode();
    if (cert.m_wire.size() > kMaxBytes)
        return base::fail(
            IdentityError::TooLarge, QStringLiteral("certificate: encodes to more than %1 bytes").arg(kMaxBytes));
    return cert;
}

Result<Certificate> Certificate::decode(QByteArrayView wire)
{
    auto envelope = SignedEnvelope::decode(wire, kMaxBytes, kWhat);
    if (!envelope.ok())
        return envelope.error();

    cbor::Limits limits;
    limits.maxBytes = kMaxBytes;
    limits.maxDepth = 2;
    // Room for a few more fields than this version has, so that a newer
    // version or an extra field is reported as such rather than as too large.
    limits.maxItems = 1 + 2 * (KeyIssuer + 16);
    limits.maxStringLength = 4 * names::kMaxGroupNameUnits; // UTF-8 of the longest name
    auto reader = FieldReader::open(envelope->tbs, limits, kVersion,
        {KeyVersion, KeyGroupId, KeyGroupName, KeyUsername, KeyDeviceKey, KeyRoles, KeyNotBefore, KeyNotAfter,
            KeySerial, KeyIssuer},
        kWhat);
    if (!reader.ok())
        return reader.error();
    const FieldReader &r = reader.value();

    auto groupId = r.bytes(KeyGroupId, "group id", names::kGroupIdBytes, names::kGroupIdBytes);
    if (!groupId.ok())
        return groupId.error();
    auto groupName = r.text(KeyGroupName, "group name", names::kMaxGroupNameUnits);
    if (!groupName.ok())
        return groupName.error();
    auto username = r.text(KeyUsername, "username", names::kMaxUsernameLength);
    if (!username.ok())
        return username.error();
    auto deviceKey = r.publicKey(KeyDeviceKey, "device key");
    if (!deviceKey.ok())
        return deviceKey.error();
    auto roles = r.integer(KeyRoles, "roles", 0, kKnownRoles);
    if (!roles.ok())
        return roles.error();
    auto notBefore = r.integer(KeyNotBefore, "not-before", 0, names::kMaxUnixTime);
    if (!notBefore.ok())
        return notBefore.error();
    auto notAfter = r.integer(KeyNotAfter, "not-after", 0, names::kMaxUnixTime);
    if (!notAfter.ok())
        return notAfter.error();
    auto serial = r.integer(KeySerial, "serial", 0, std::numeric_limits<qint64>::max());
    if (!serial.ok())
        return serial.error();
    auto issuer = r.bytes(KeyIssuer, "issuer", 32, 32);
    if (!issuer.ok())
        return issuer.error();

    Certificate cert;
    cert.m_fields.groupId = std::move(groupId).value();
    cert.m_fields.groupName = std::move(groupName).value();
    cert.m_fields.username = std::move(username).value();
    cert.m_fields.deviceKey = deviceKey.value();
    cert.m_fields.roles = Roles::fromInt(int(roles.value()));
    cert.m_fields.notBefore = notBefore.value();
    cert.m_fields.notAfter = notAfter.value();
    cert.m_fields.serial = quint64(serial.value());
    cert.m_issuer = crypto::PublicKey::fromBytes(issuer.value()).value();
    if (auto check = checkFields(cert.m_fields); !check.ok())
        return check.error();
    cert.m_envelope = std::move(envelope).value();
    cert.m_wire = wire.toByteArray();
    return cert;
}

bool Certificate::signatureValid(const crypto::PublicKey &ca) const
{
    return !isNull() && m_envelope.verify(ca, kSigningContext);
}

} // namespace cairn::identity
