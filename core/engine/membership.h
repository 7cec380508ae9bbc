#pragma once

#include "core/base/endpoint.h"
#include "core/crypto/keys.h"
#include "core/engine/error.h"
#include "core/identity/certificate.h"
#include "core/identity/revocationlist.h"

#include <QList>
#include <QString>

namespace cairn::engine {

/// What a profile knows of its group, kept in membership.json in the
/// profile: the trust anchor, our certificate, the newest revocation list
/// and where the rendezvous is. Written atomically (QSaveFile), so a crash
/// leaves the previous version. Certificates and lists are stored in their
/// signed wire form and decoded strictly on load; a damaged file is Corrupt,
/// never half-trusted.
struct Membership {
    static constexpr qsizetype kMaxFileBytes = 256 * 1024;
    static constexpr int kFormat = 1;

    QString groupName;
    QByteArray groupId;
    crypto::PublicKey caKey;
    QString username;
    /// Null while a join is pending.
    identity::Certificate certificate;
    identity::RevocationList crl;
    QList<base::Endpoint> rendezvous;
    /// The invite link of a pending join, to resume polling after a restart.
    QString pendingInvite;
    bool isOperator = false;

    bool isMember() const { return !certificate.isNull(); }

    static QString path(const QString &profileDir);
    /// NotFound if the profile has not created or joined a group.
    static Result<Membership> load(const QString &profileDir);
    Result<void> save(const QString &profileDir) const;
};

} // namespace cairn::engine
