#pragma once

#include "core/base/endpoint.h"
#include "core/base/rng.h"
#include "core/crypto/keys.h"
#include "core/identity/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace cairn::identity {

/// An invitation to a group: `cairn://join/<payload>`, the payload being
/// unpadded base64url of a canonical CBOR map (docs/protocol.md, "Invite").
/// It carries the trust anchor (the CA key and group id) to the joiner out
/// of band, plus where to reach the rendezvous and a one-time token the
/// rendezvous redeems for a certificate. It is not signed: whoever can
/// replace the link can replace a signing key in it as well.
///
/// The token is a short-lived, single-use bearer credential that is shown on
/// screen and as a QR code anyway, so it is kept in a plain QByteArray.
class Invite {
public:
    static constexpr qint64 kVersion = 1;
    /// Links longer than this are refused before decoding (QR codes stay small).
    static constexpr qsizetype kMaxLinkLength = 2048;
    static constexpr qsizetype kMinTokenBytes = 16;
    static constexpr qsizetype kMaxTokenBytes = 32;
    static constexpr qsizetype kMaxEndpoints = 8;
    static constexpr QLatin1StringView kLinkPrefix {"cairn://join/"};

    Invite() = default;

    /// A new invite with a fresh token of `tokenBytes` random bytes from `rng`.
    /// Endpoints must be valid, distinct, 1..kMaxEndpoints of them.
    static Result<Invite> create(const QString &groupName, const QByteArray &groupId, const crypto::PublicKey &caKey,
        const QList<base::Endpoint> &rendezvous, qint64 expiresAt, base::Rng &rng,
        qsizetype tokenBytes = kMinTokenBytes);

    QString toLink() const;
    /// Parses a link (surrounding white space is ignored; the scheme is
    /// case-insensitive) and refuses it once nowUnix >= expiresAt (Expired).
    static Result<Invite> parse(QStringView link, qint64 nowUnix);

    /// The canonical CBOR payload inside the link.
    QByteArray encode() const;
    /// Strict decode of the payload; does not look at the expiry.
    static Result<Invite> decode(QByteArrayView payload);

    bool isNull() const { return m_token.isEmpty(); }
    const QString &groupName() const { return m_groupName; }
    const QByteArray &groupId() const { return m_groupId; }
    const crypto::PublicKey &caKey() const { return m_caKey; }
    const QList<base::Endpoint> &rendezvous() const { return m_rendezvous; }
    const QByteArray &token() const { return m_token; }
    qint64 expiresAt() const { return m_expiresAt; }
    bool isExpired(qint64 nowUnix) const { return nowUnix >= m_expiresAt; }

    friend bool operator==(const Invite &, const Invite &) = default;

private:
    Result<void> check() const;

    QString m_groupName;
    QByteArray m_groupId;
    crypto::PublicKey m_caKey;
    QList<base::Endpoint> m_rendezvous;
    QByteArray m_token;
    qint64 m_expiresAt = 0;
};

} // namespace cairn::identity
