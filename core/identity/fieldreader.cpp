#include "core/identity/fieldreader.h"

namespace cairn::identity {

namespace cbor = base::cbor;

Result<FieldReader> FieldReader::open(QByteArrayView bytes, const cbor::Limits &limits, qint64 version,
    std::initializer_list<qint64> knownKeys, const QString &what)
{
    auto value = cbor::decode(bytes, limits);
    if (!value.ok())
        return fromCborError(value.error(), what);
    auto reader = cbor::MapReader::from(value.value());
    if (!reader.ok())
        return fromCborError(reader.error(), what);
    FieldReader fields(std::move(reader).value(), what);
    auto v = fields.integer(kVersionKey, "version", 0, std::numeric_limits<qint64>::max());
    if (!v.ok())
        return v.error();
    if (v.value() != version)
        return base::fail(IdentityError::UnsupportedVersion,
            QStringLiteral("%1: version %2 is not supported (expected %3)").arg(what).arg(v.value()).arg(version));
    if (!fields.m_reader.hasOnlyKeys(knownKeys))
        return base::fail(IdentityError::UnknownField, QStringLiteral("%1: unknown field").arg(what));
    return fields;
}

base::Error<IdentityError> FieldReader::cborError(const char *name, const base::Error<cbor::CborError> &error) const
{
    return fromCborError(error, QStringLiteral("%1: %2").arg(m_what, QLatin1String(name)));
}

base::Error<IdentityError> FieldReader::invalid(const char *name, const QString &why) const
{
    return base::fail(IdentityError::InvalidField, QStringLiteral("%1: %2: %3").arg(m_what, QLatin1String(name), why));
}

base::Error<IdentityError> FieldReader::relabel(const char *name, const base::Error<IdentityError> &error) const
{
    return base::fail(error.code, QStringLiteral("%1: %2: %3").arg(m_what, QLatin1String(name), error.message));
}

Result<qint64> FieldReader::integer(qint64 key, const char *name, qint64 min, qint64 max) const
{
    auto v = m_reader.integer(key, min, max);
    if (!v.ok())
        return cborError(name, v.error());
    return v.value();
}

Result<QByteArray> FieldReader::bytes(qint64 key, const char *name, qsizetype minSize, qsizetype maxSize) const
{
    // The decoder's limits already bound the length; a size outside the
    // field's own range breaks the format's rule, not a resource limit.
    auto v = m_reader.bytes(key, -1, std::numeric_limits<qsizetype>::max());
    if (!v.ok())
        return cborError(name, v.error());
    const qsizetype size = v.value().size();
    if (size < minSize || size > maxSize) {
        if (minSize == maxSize)
            return invalid(name, QStringLiteral("must be %1 bytes, got %2").arg(minSize).arg(size));
        return invalid(name, QStringLiteral("must be %1 to %2 bytes, got %3").arg(minSize).arg(maxSize).arg(size));
    }
    return std::move(v).value();
}

Result<QString> FieldReader::text(qint64 key, const char *name, qsizetype maxLength) const
{
    auto v = m_reader.text(key, std::numeric_limits<qsizetype>::max());
    if (!v.ok())
        return cborError(name, v.error());
    if (v.value().size() > maxLength)
        return invalid(name, QStringLiteral("longer than %1").arg(maxLength));
    return std::move(v).value();
}

Result<QCborArray> FieldReader::array(qint64 key, const char *name, qsizetype maxItems) const
{
    auto v = m_reader.array(key, maxItems);
    if (!v.ok())
        return cborError(name, v.error());
    return std::move(v).value();
}

Result<crypto::PublicKey> FieldReader::publicKey(qint64 key, const char *name) const
{
    auto raw = bytes(key, name, 32, 32);
    if (!raw.ok())
        return raw.error();
    auto pk = crypto::PublicKey::fromBytes(raw.value());
    if (!pk.ok() || !isUsableEd25519Key(pk.value()))
        return invalid(name, QStringLiteral("not a usable Ed25519 public key"));
    return pk.value();
}

bool isUsableEd25519Key(const crypto::PublicKey &key)
{
    return crypto::ed25519ToX25519(key).ok();
}

} // namespace cairn::identity
