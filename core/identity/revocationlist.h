#pragma once

#include "core/crypto/keys.h"
#include "core/identity/error.h"
#include "core/identity/signedenvelope.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace cairn::identity {

class Certificate;

/// The signed contents of a revocation list, as the CA fills them in.
/// issue() sorts and deduplicates the entries; decode() demands them sorted
/// and unique, so one set of revocations has exactly one encoding.
struct RevocationFields {
    QByteArray groupId; // 32 bytes
    quint64 version = 0; // strictly increasing per group; the higher one wins
    qint64 issuedAt = 0; // unix seconds
    QStringList usernames; // every device of these users is revoked
    QList<quint64> serials; // these single certificates are revoked

    friend bool operator==(const RevocationFields &, const RevocationFields &) = default;
};

/// A CA-signed list of revoked usernames and certificate serials. It only
/// grows: a new version lists everything the previous one did plus the new
/// revocations, so holding the newest version is enough. decode() does not
/// check the signature; verifyRevocationList() does.
class RevocationList {
public:
    static constexpr qint64 kFormat = 1;
    static constexpr qsizetype kMaxBytes = 64 * 1024;
    /// Usernames and serials together.
    static constexpr qsizetype kMaxEntries = 4096;
    static constexpr QByteArrayView kSigningContext {"cairn revocation list v1"};

    /// A null list; it verifies against nothing and revokes nothing.
    RevocationList() = default;

    static Result<RevocationList> issue(const crypto::DeviceKey &ca, RevocationFields fields);
    static Result<RevocationList> decode(QByteArrayView wire);
    /// The wire form; byte-identical to what decode() was given.
    QByteArray encode() const { return m_wire; }

    bool isNull() const { return m_wire.isEmpty(); }
    const RevocationFields &fields() const { return m_fields; }
    const QByteArray &groupId() const { return m_fields.groupId; }
    quint64 version() const { return m_fields.version; }
    qint64 issuedAt() const { return m_fields.issuedAt; }
    const QStringList &revokedUsernames() const { return m_fields.usernames; }
    const QList<quint64> &revokedSerials() const { return m_fields.serials; }
    const crypto::PublicKey &issuerKey() const { return m_issuer; }
    bool signatureValid(const crypto::PublicKey &ca) const;

    bool isUserRevoked(QStringView username) const;
    bool isSerialRevoked(quint64 serial) const;
    /// Either of the above. Looks only at the entries: the caller has checked
    /// (verifyRevocationList) that this list is the certificate group's.
    bool isRevoked(const Certificate &cert) const;
    /// True if this list replaces `other`: same group and issuer, higher version.
    bool supersedes(const RevocationList &other) const;

    friend bool operator==(const RevocationList &a, const RevocationList &b) { return a.m_wire == b.m_wire; }

private:
    RevocationFields m_fields;
    crypto::PublicKey m_issuer;
    SignedEnvelope m_envelope;
    QByteArray m_wire;
};

} // namespace cairn::identity
