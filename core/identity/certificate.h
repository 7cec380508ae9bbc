#pragma once

#include "core/crypto/keys.h"
#include "core/identity/error.h"
#include "core/identity/nodeid.h"
#include "core/identity/signedenvelope.h"

#include <QByteArray>
#include <QFlags>
#include <QString>

#include <limits>

namespace cairn::identity {

/// What a device may do in its group. Unknown bits are refused on decode.
enum class Role : quint32 {
    Member = 0x1, // sends and receives mail and files
    Storage = 0x2, // donates storage to the group
    Relay = 0x4, // forwards traffic for peers behind NAT
    Operator = 0x8, // runs the rendezvous: issues certificates, revokes
};
Q_DECLARE_FLAGS(Roles, Role)
Q_DECLARE_OPERATORS_FOR_FLAGS(Roles)

/// The signed contents of a certificate, as the CA fills them in.
struct CertificateFields {
    QByteArray groupId; // 32 bytes
    QString groupName; // see names::validateGroupName
    QString username; // see names::validateUsername
    crypto::PublicKey deviceKey; // the device's Ed25519 key
    Roles roles = Role::Member;
    qint64 notBefore = 0; // unix seconds, inclusive
    qint64 notAfter = 0; // unix seconds, exclusive
    quint64 serial = 0; // unique per CA, < 2^63

    friend bool operator==(const CertificateFields &, const CertificateFields &) = default;
};

/// A device certificate: the group CA's Ed25519 signature binding one device
/// key (and so one NodeId) to a username, roles and a validity window.
/// Instances come only from issue() or a strict decode(), so the fields, the
/// signed bytes and the wire form always agree; decode() does not check the
/// signature, verifyCertificate() does.
class Certificate {
public:
    static constexpr qint64 kVersion = 1;
    static constexpr qsizetype kMaxBytes = 2048;
    static constexpr quint64 kMaxSerial = quint64(std::numeric_limits<qint64>::max());
    /// Domain separation for the CA signature (see SignedEnvelope).
    static constexpr QByteArrayView kSigningContext {"cairn certificate v1"};

    /// A null certificate; it verifies against nothing.
    Certificate() = default;

    /// Validates the fields and signs them with the CA key.
    static Result<Certificate> issue(const crypto::DeviceKey &ca, const CertificateFields &fields);
    /// Strict decode of the wire form: at most kMaxBytes, canonical CBOR,
    /// known version, no unknown fields, every field within its rules.
    static Result<Certificate> decode(QByteArrayView wire);
    /// The wire form; byte-identical to what decode() was given.
    QByteArray encode() const { return m_wire; }

    bool isNull() const { return m_wire.isEmpty(); }
    const CertificateFields &fields() const { return m_fields; }
    const QByteArray &groupId() const { return m_fields.groupId; }
    const QString &groupName() const { return m_fields.groupName; }
    const QString &username() const { return m_fields.username; }
    const crypto::PublicKey &deviceKey() const { return m_fields.deviceKey; }
    Roles roles() const { return m_fields.roles; }
    bool hasRole(Role role) const { return m_fields.roles.testFlag(role); }
    qint64 notBefore() const { return m_fields.notBefore; }
    qint64 notAfter() const { return m_fields.notAfter; }
    quint64 serial() const { return m_fields.serial; }
    /// The CA key the certificate names as its issuer (signed, like every field).
    const crypto::PublicKey &issuerKey() const { return m_issuer; }
    /// The device's overlay position: BLAKE2b-160 of its Ed25519 key.
    NodeId nodeId() const { return NodeId::fromDeviceKey(m_fields.deviceKey); }
    /// True if the signature over the signed bytes verifies with `ca`.
    bool signatureValid(const crypto::PublicKey &ca) const;

    friend bool operator==(const Certificate &a, const Certificate &b) { return a.m_wire == b.m_wire; }

private:
    CertificateFields m_fields;
    crypto::PublicKey m_issuer;
    SignedEnvelope m_envelope;
    QByteArray m_wire;
};

} // namespace cairn::identity
