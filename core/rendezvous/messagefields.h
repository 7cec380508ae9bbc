#pragma once

// Internal to core/rendezvous: reading the fields of one decoded control
// message, every failure a Malformed error that names the field.

#include "core/crypto/keys.h"
#include "core/identity/certificate.h"
#include "core/identity/revocationlist.h"
#include "core/rendezvous/error.h"

#include <QCborArray>
#include <QCborMap>

#include <algorithm>
#include <initializer_list>

namespace cairn::rendezvous::detail {

/// Map key 0 of every control message: its kind.
inline constexpr qint64 kKindKey = 0;

inline base::Error<RendezvousError> malformed(const QString &why)
{
    return base::fail(RendezvousError::Malformed, QStringLiteral("control message: %1").arg(why));
}

/// Reads one decoded message map. The first failure sticks and every later
/// read returns a default, so a decoder reads all its fields and checks
/// ok() once.
class MessageFields {
public:
    explicit MessageFields(QCborMap map) : m_map(std::move(map)) { }

    bool ok() const { return !m_failed; }
    const base::Error<RendezvousError> &error() const { return m_error; }
    bool has(qint64 key) const { return m_map.contains(key); }

    /// The map holds every key of `required`, and otherwise only keys of `optional`.
    void keys(std::initializer_list<qint64> required, std::initializer_list<qint64> optional = {})
    {
        for (auto it = m_map.constBegin(); ok() && it != m_map.constEnd(); ++it) {
            const qint64 key = it.key().toInteger(-1);
            const auto in = [key](std::initializer_list<qint64> list) {
                return std::find(list.begin(), list.end(), key) != list.end();
            };
            if (!it.key().isInteger() || (key != kKindKey && !in(required) && !in(optional)))
                fail(malformed(
                    QStringLiteral("unknown field %1")
                        .arg(it.key().isInteger() ? QString::number(key) : QStringLiteral("(not an integer)"))));
        }
        for (qint64 key : required) {
            if (ok() && !has(key))
                fail(malformed(QStringLiteral("field %1 is missing").arg(key)));
        }
    }

    qint64 integer(qint64 key, const char *name, qint64 min, qint64 max)
    {
        const QCborValue v = m_map.value(key);
        if (ok() && (!v.isInteger() || v.toInteger() < min || v.toInteger() > max))
            fail(
                malformed(QStringLiteral("%1 is not an integer in %2..%3").arg(QLatin1String(name)).arg(min).arg(max)));
        return ok() ? v.toInteger() : 0;
    }

    QByteArray bytes(qint64 key, const char *name, qsizetype min, qsizetype max)
    {
        const QCborValue v = m_map.value(key);
        const qsizetype size = v.isByteArray() ? v.toByteArray().size() : -1;
        if (ok() && (size < min || size > max))
            fail(malformed(QStringLiteral("%1 must be %2 to %3 bytes").arg(QLatin1String(name)).arg(min).arg(max)));
        return ok() ? v.toByteArray() : QByteArray();
    }

    /// Text of 1..max UTF-16 units (an empty one is left out, not sent).
    QString text(qint64 key, const char *name, qsizetype max)
    {
        const QCborValue v = m_map.value(key);
        const qsizetype size = v.isString() ? v.toString().size() : -1;
        if (ok() && (size < 1 || size > max))
            fail(malformed(QStringLiteral("%1 must be text of 1 to %2 characters").arg(QLatin1String(name)).arg(max)));
        return ok() ? v.toString() : QString();
    }

    /// A non-empty array of at most `max` byte strings of at most maxItemBytes each.
    QList<QByteArray> byteList(qint64 key, const char *name, qsizetype max, qsizetype maxItemBytes)
    {
        const QCborValue v = m_map.value(key);
        const QCborArray array = v.toArray();
        if (ok() && (!v.isArray() || array.isEmpty() || array.size() > max))
            fail(malformed(QStringLiteral("%1 must be an array of 1 to %2 items").arg(QLatin1String(name)).arg(max)));
        QList<QByteArray> out;
        for (const QCborValue &item : array) {
            if (ok() && (!item.isByteArray() || item.toByteArray().size() > maxItemBytes))
                fail(malformed(QStringLiteral("%1: an item is not a byte string of at most %2 bytes")
                                   .arg(QLatin1String(name))
                                   .arg(maxItemBytes)));
            out.append(item.toByteArray());
        }
        return ok() ? out : QList<QByteArray>();
    }

    /// A flag sent only when set, so it must be `true` when present.
    bool trueFlag(qint64 key, const char *name)
    {
        if (ok() && !m_map.value(key).isTrue())
            fail(malformed(QStringLiteral("%1 is present but not true").arg(QLatin1String(name))));
        return ok();
    }

    crypto::PublicKey publicKey(qint64 key, const char *name)
    {
        const QByteArray raw = bytes(key, name, 32, 32);
        auto pk = crypto::PublicKey::fromBytes(raw);
        if (ok() && (!pk.ok() || !crypto::ed25519ToX25519(pk.value()).ok()))
            fail(malformed(QStringLiteral("%1 is not a usable Ed25519 key").arg(QLatin1String(name))));
        return ok() ? pk.value() : crypto::PublicKey();
    }

    identity::Certificate certificate(const QByteArray &wire, const char *name)
    {
        if (!ok())
            return {};
        auto cert = identity::Certificate::decode(wire);
        if (!cert.ok()) {
            fail(malformed(QStringLiteral("%1: %2").arg(QLatin1String(name), cert.message())));
            return {};
        }
        return cert.value();
    }

    identity::RevocationList crl(qint64 key)
    {
        const QByteArray wire = bytes(key, "revocation list", 1, identity::RevocationList::kMaxBytes);
        if (!ok())
            return {};
        auto list = identity::RevocationList::decode(wire);
        if (!list.ok()) {
            fail(malformed(list.message()));
            return {};
        }
        return list.value();
    }

    RendezvousError errorCode(qint64 key)
    {
        RendezvousError code = RendezvousError::Denied;
        const qint64 v = integer(key, "error", 1, 255);
        if (ok() && !errorFromWire(quint64(v), code))
            fail(malformed(QStringLiteral("unknown error code %1").arg(v)));
        return code;
    }

    void fail(base::Error<RendezvousError> error)
    {
        if (m_failed)
            return;
        m_failed = true;
        m_error = std::move(error);
    }

private:
    QCborMap m_map;
    bool m_failed = false;
    base::Error<RendezvousError> m_error {RendezvousError::Malformed, QString()};
};

} // namespace cairn::rendezvous::detail
