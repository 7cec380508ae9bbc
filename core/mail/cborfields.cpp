#include "core/mail/cborfields.h"

namespace cairn::mail::detail {

namespace cbor = base::cbor;

Result<cbor::MapReader> openVersionedMap(QByteArrayView bytes, const cbor::Limits &limits, qint64 version,
    std::initializer_list<qint64> knownKeys, const QString &what)
{
    auto value = cbor::decode(bytes, limits);
    if (!value.ok())
        return fromCborError(value.error(), what);
    auto reader = cbor::MapReader::from(value.value());
    if (!reader.ok())
        return fromCborError(reader.error(), what);
    auto v = reader->integer(1, 0, std::numeric_limits<qint64>::max());
    if (!v.ok())
        return fieldError(what, "version", v.error());
    if (v.value() != version)
        return base::fail(MailError::UnsupportedVersion,
            QStringLiteral("%1: version %2 is not supported (expected %3)").arg(what).arg(v.value()).arg(version));
    if (!reader->hasOnlyKeys(knownKeys))
        return malformed(what, QStringLiteral("unknown field"));
    return std::move(reader).value();
}

base::Error<MailError> fieldError(const QString &what, const char *field, const base::Error<cbor::CborError> &e)
{
    return fromCborError(e, QStringLiteral("%1: %2").arg(what, QLatin1String(field)));
}

base::Error<MailError> malformed(const QString &what, const QString &why)
{
    return base::fail(MailError::Malformed, QStringLiteral("%1: %2").arg(what, why));
}

} // namespace cairn::mail::detail
