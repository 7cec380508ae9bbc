#pragma once

// Deterministic keys, groups and certificates shared by the identity tests.
#include "core/base/cbor.h"
#include "core/base/rng.h"
#include "core/crypto/keys.h"
#include "core/identity/certificate.h"
#include "core/identity/error.h"
#include "core/identity/revocationlist.h"
#include "core/identity/signedenvelope.h"
#include "tests/unit/resultchecks.h"

#include <QTest>

namespace cairn::identity::testing {

constexpr qint64 kNow = 1'700'000'000;

struct Fixture {
    base::SeededRng rng;
    crypto::DeviceKey ca;
    crypto::DeviceKey otherCa;
    crypto::DeviceKey device;
    crypto::DeviceKey otherDevice;
    QByteArray groupId;
    QByteArray otherGroupId;

    explicit Fixture(quint64 seed = 7)
        : rng(seed),
          ca(crypto::DeviceKey::generate(rng)),
          otherCa(crypto::DeviceKey::generate(rng)),
          device(crypto::DeviceKey::generate(rng)),
          otherDevice(crypto::DeviceKey::generate(rng)),
          groupId(rng.bytes(32)),
          otherGroupId(rng.bytes(32))
    { }

    CertificateFields fields(const QString &username = QStringLiteral("alice"), quint64 serial = 1) const
    {
        CertificateFields f;
        f.groupId = groupId;
        f.groupName = QStringLiteral("Hiking Club");
        f.username = username;
        f.deviceKey = device.publicKey();
        f.roles = Role::Member | Role::Storage;
        f.notBefore = kNow - 3600;
        f.notAfter = kNow + 86400;
        f.serial = serial;
        return f;
    }

    Certificate issue(const CertificateFields &f) const
    {
        auto cert = Certificate::issue(ca, f);
        if (!cert.ok())
            qFatal("fixture: issue failed: %s", qPrintable(cert.message()));
        return cert.value();
    }
    Certificate cert() const { return issue(fields()); }

    RevocationList revoke(const QStringList &usernames, const QList<quint64> &serials, quint64 version = 1) const
    {
        RevocationFields f;
        f.groupId = groupId;
        f.version = version;
        f.issuedAt = kNow;
        f.usernames = usernames;
        f.serials = serials;
        auto list = RevocationList::issue(ca, f);
        if (!list.ok())
            qFatal("fixture: revocation failed: %s", qPrintable(list.message()));
        return list.value();
    }
};

/// The signed map inside a certificate or revocation list, decoded.
inline QCborMap tbsMap(const QByteArray &wire)
{
    auto envelope = SignedEnvelope::decode(wire, 1 << 20, QStringLiteral("test"));
    if (!envelope.ok())
        return {};
    auto value = base::cbor::decode(envelope->tbs, base::cbor::Limits {1 << 20, 8, 1 << 16, 1 << 20});
    return value.ok() ? value.value().toMap() : QCborMap();
}

/// Wraps hand-made tbs bytes the way issue() does, signed by `signer`, so a
/// test can reach the decoder's checks past the signature.
inline QByteArray signRaw(const crypto::DeviceKey &signer, QByteArrayView context, const QByteArray &tbs)
{
    return SignedEnvelope::sign(signer, context, tbs).encode();
}

inline QByteArray signMap(const crypto::DeviceKey &signer, QByteArrayView context, const QCborMap &tbs)
{
    return signRaw(signer, context, base::cbor::encode(tbs));
}

} // namespace cairn::identity::testing
