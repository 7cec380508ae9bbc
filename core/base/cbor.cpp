#include "core/base/cbor.h"

#include "core/base/log.h"

#include <QCborStreamReader>
#include <QCborStreamWriter>

#include <algorithm>
#include <utility>
#include <vector>

namespace cairn::base::cbor {

namespace {

// Heads of arrays and maps are written by hand so that already-encoded
// children can be appended as bytes; leaves go through QCborStreamWriter.
void appendHead(QByteArray &out, quint8 major, quint64 value)
{
    const quint8 m = quint8(major << 5);
    if (value < 24) {
        out.append(char(m | value));
    } else if (value <= 0xff) {
        out.append(char(m | 24));
        out.append(char(value));
    } else if (value <= 0xffff) {
        out.append(char(m | 25));
        for (int s = 8; s >= 0; s -= 8)
            out.append(char(value >> s));
    } else if (value <= 0xffffffffULL) {
        out.append(char(m | 26));
        for (int s = 24; s >= 0; s -= 8)
            out.append(char(value >> s));
    } else {
        out.append(char(m | 27));
        for (int s = 56; s >= 0; s -= 8)
            out.append(char(value >> s));
    }
}

void encodeInto(QByteArray &out, const QCborValue &value)
{
    switch (value.type()) {
    case QCborValue::Array: {
        const QCborArray array = value.toArray();
        appendHead(out, 4, quint64(array.size()));
        for (const QCborValue &item : array)
            encodeInto(out, item);
        return;
    }
    case QCborValue::Map: {
        const QCborMap map = value.toMap();
        std::vector<std::pair<QByteArray, QByteArray>> entries;
        entries.reserve(size_t(map.size()));
        for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
            QByteArray k, v;
            encodeInto(k, it.key());
            encodeInto(v, it.value());
            entries.emplace_back(std::move(k), std::move(v));
        }
        std::sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        appendHead(out, 5, quint64(entries.size()));
        for (const auto &[k, v] : entries) {
            out += k;
            out += v;
        }
        return;
    }
    default:
        break;
    }
    // QCborStreamWriter on a QByteArray starts from empty, so write the leaf
    // into its own buffer and append it.
    QByteArray leaf;
    QCborStreamWriter writer(&leaf);
    switch (value.type()) {
    case QCborValue::Integer:
        writer.append(value.toInteger());
        break;
    case QCborValue::ByteArray:
        writer.append(value.toByteArray());
        break;
    case QCborValue::String:
        writer.append(value.toString());
        break;
    case QCborValue::True:
    case QCborValue::False:
        writer.append(value.toBool());
        break;
    default:
        qCWarning(lcBase) << "cbor::encode: unsupported type" << value.type() << "written as null";
        writer.appendNull();
        break;
    }
    out += leaf;
}

class StrictDecoder {
public:
    StrictDecoder(QByteArrayView bytes, const Limits &limits) : m_reader(bytes.toByteArray()), m_limits(limits) { }

    Result<QCborValue> run()
    {
        auto top = item(1);
        if (!top.ok())
            return top;
        if (m_reader.lastError() != QCborError::NoError)
            return fail(CborError::Malformed, QStringLiteral("malformed CBOR"));
        if (m_reader.type() != QCborStreamReader::Invalid || m_reader.currentOffset() != m_size)
            return fail(CborError::TrailingData, QStringLiteral("trailing bytes after the CBOR item"));
        return top;
    }

    void setSize(qsizetype n) { m_size = n; }

private:
    Error<CborError> malformed()
    {
        return fail(CborError::Malformed, QStringLiteral("malformed CBOR at offset %1").arg(m_reader.currentOffset()));
    }

    Result<QCborValue> item(int depth)
    {
        if (++m_items > m_limits.maxItems)
            return fail(CborError::TooManyItems, QStringLiteral("more than %1 CBOR items").arg(m_limits.maxItems));
        if (m_reader.lastError() != QCborError::NoError)
            return malformed();

        switch (m_reader.type()) {
        case QCborStreamReader::UnsignedInteger: {
            const quint64 v = m_reader.toUnsignedInteger();
            if (v > quint64(std::numeric_limits<qint64>::max()))
                return fail(CborError::UnsupportedType, QStringLiteral("integer too large"));
            m_reader.next();
            return QCborValue(qint64(v));
        }
        case QCborStreamReader::NegativeInteger: {
            const quint64 v = quint64(m_reader.toNegativeInteger());
            // value is -1 - n; representable when n <= INT64_MAX
            if (v == 0 || v - 1 > quint64(std::numeric_limits<qint64>::max()))
                return fail(CborError::UnsupportedType, QStringLiteral("integer too large"));
            m_reader.next();
            return QCborValue(-1 - qint64(v - 1));
        }
        case QCborStreamReader::ByteArray:
        case QCborStreamReader::String:
            return string();
        case QCborStreamReader::Array:
        case QCborStreamReader::Map:
            return container(depth);
        case QCborStreamReader::SimpleType: {
            const QCborSimpleType t = m_reader.toSimpleType();
            m_reader.next();
            if (t == QCborSimpleType::False)
                return QCborValue(false);
            if (t == QCborSimpleType::True)
                return QCborValue(true);
            if (t == QCborSimpleType::Null)
                return QCborValue(nullptr);
            return fail(CborError::UnsupportedType, QStringLiteral("unsupported CBOR simple value"));
        }
        case QCborStreamReader::Invalid:
            return malformed();
        default:
            return fail(CborError::UnsupportedType, QStringLiteral("unsupported CBOR type (tag or float)"));
        }
    }

    Result<QCborValue> string()
    {
        const bool isBytes = m_reader.isByteArray();
        if (!m_reader.isLengthKnown())
            return fail(CborError::NotCanonical, QStringLiteral("indefinite-length string"));
        if (qsizetype(m_reader.length()) > m_limits.maxStringLength)
            return fail(
                CborError::StringTooLong, QStringLiteral("string longer than %1 bytes").arg(m_limits.maxStringLength));
        if (qint64(m_reader.length()) > m_size - m_reader.currentOffset())
            return malformed(); // claims more bytes than there are: truncated
        if (isBytes) {
            QByteArray out;
            auto r = m_reader.readByteArray();
            while (r.status == QCborStreamReader::Ok) {
                out += r.data;
                r = m_reader.readByteArray();
            }
            if (r.status == QCborStreamReader::Error)
                return malformed();
            return QCborValue(out);
        }
        QString out;
        auto r = m_reader.readString();
        while (r.status == QCborStreamReader::Ok) {
            out += r.data;
            r = m_reader.readString();
        }
        if (r.status == QCborStreamReader::Error)
            return malformed();
        return QCborValue(out);
    }

    Result<QCborValue> container(int depth)
    {
        const bool isMap = m_reader.isMap();
        if (depth > m_limits.maxDepth)
            return fail(CborError::TooDeep, QStringLiteral("CBOR nested deeper than %1").arg(m_limits.maxDepth));
        if (!m_reader.isLengthKnown())
            return fail(CborError::NotCanonical, QStringLiteral("indefinite-length container"));
        const quint64 count = m_reader.length();
        // Each entry needs at least one byte (two for a map), so a count
        // beyond the remaining input is a lie: refuse before looping.
        if (count > quint64(m_limits.maxItems) || count * (isMap ? 2 : 1) > quint64(m_size))
            return fail(CborError::TooManyItems, QStringLiteral("container claims %1 items").arg(count));
        if (!m_reader.enterContainer())
            return malformed();
        QCborArray array;
        QCborMap map;
        for (quint64 i = 0; i < count; ++i) {
            if (!m_reader.hasNext())
                return malformed();
            if (isMap) {
                const auto keyType = m_reader.type();
                if (keyType != QCborStreamReader::UnsignedInteger && keyType != QCborStreamReader::NegativeInteger
                    && keyType != QCborStreamReader::String)
                    return fail(CborError::UnsupportedType, QStringLiteral("map key must be an integer or text"));
                auto key = item(depth + 1);
                if (!key.ok())
                    return key;
                if (map.contains(key.value()))
                    return fail(CborError::DuplicateKey, QStringLiteral("duplicate map key"));
                auto value = item(depth + 1);
                if (!value.ok())
                    return value;
                map.insert(key.value(), value.value());
            } else {
                auto value = item(depth + 1);
                if (!value.ok())
                    return value;
                array.append(value.value());
            }
        }
        if (m_reader.hasNext() || m_reader.lastError() != QCborError::NoError)
            return malformed();
        if (!m_reader.leaveContainer())
            return malformed();
        return isMap ? QCborValue(map) : QCborValue(array);
    }

    QCborStreamReader m_reader;
    Limits m_limits;
    qsizetype m_items = 0;
    qsizetype m_size = 0;
};

} // namespace

QByteArray encode(const QCborValue &value)
{
    QByteArray out;
    encodeInto(out, value);
    return out;
}

Result<QCborValue> decode(QByteArrayView bytes, const Limits &limits, bool requireCanonical)
{
    if (bytes.size() > limits.maxBytes)
        return fail(CborError::TooLarge,
            QStringLiteral("CBOR input of %1 bytes exceeds the limit of %2").arg(bytes.size()).arg(limits.maxBytes));
    if (bytes.isEmpty())
        return fail(CborError::Malformed, QStringLiteral("empty CBOR input"));
    StrictDecoder decoder(bytes, limits);
    decoder.setSize(bytes.size());
    auto result = decoder.run();
    if (!result.ok())
        return result;
    if (requireCanonical && encode(result.value()) != bytes)
        return fail(CborError::NotCanonical, QStringLiteral("CBOR is not in deterministic encoding"));
    return result;
}

Result<MapReader> MapReader::from(const QCborValue &value)
{
    if (!value.isMap())
        return fail(CborError::WrongType, QStringLiteral("expected a CBOR map"));
    return MapReader(value.toMap());
}

Result<QCborValue> MapReader::field(qint64 key) const
{
    const auto it = m_map.constFind(key);
    if (it == m_map.constEnd())
        return fail(CborError::MissingField, QStringLiteral("field %1 is missing").arg(key));
    return QCborValue(it.value());
}

Result<qint64> MapReader::integer(qint64 key, qint64 min, qint64 max) const
{
    auto f = field(key);
    if (!f.ok())
        return f.error();
    if (!f.value().isInteger())
        return fail(CborError::WrongType, QStringLiteral("field %1 is not an integer").arg(key));
    const qint64 v = f.value().toInteger();
    if (v < min || v > max)
        return fail(CborError::OutOfRange, QStringLiteral("field %1 is out of range").arg(key));
    return v;
}

Result<QByteArray> MapReader::bytes(qint64 key, qsizetype exactSize, qsizetype maxSize) const
{
    auto f = field(key);
    if (!f.ok())
        return f.error();
    if (!f.value().isByteArray())
        return fail(CborError::WrongType, QStringLiteral("field %1 is not a byte string").arg(key));
    QByteArray b = f.value().toByteArray();
    if (exactSize >= 0 && b.size() != exactSize)
        return fail(CborError::WrongType, QStringLiteral("field %1 must be %2 bytes").arg(key).arg(exactSize));
    if (exactSize < 0 && b.size() > maxSize)
        return fail(CborError::StringTooLong, QStringLiteral("field %1 is longer than %2 bytes").arg(key).arg(maxSize));
    return b;
}

Result<QString> MapReader::text(qint64 key, qsizetype maxLength) const
{
    auto f = field(key);
    if (!f.ok())
        return f.error();
    if (!f.value().isString())
        return fail(CborError::WrongType, QStringLiteral("field %1 is not text").arg(key));
    QString s = f.value().toString();
    if (s.size() > maxLength)
        return fail(CborError::StringTooLong, QStringLiteral("field %1 is longer than %2").arg(key).arg(maxLength));
    return s;
}

Result<QCborArray> MapReader::array(qint64 key, qsizetype maxItems) const
{
    auto f = field(key);
    if (!f.ok())
        return f.error();
    if (!f.value().isArray())
        return fail(CborError::WrongType, QStringLiteral("field %1 is not an array").arg(key));
    QCborArray a = f.value().toArray();
    if (a.size() > maxItems)
        return fail(CborError::TooManyItems, QStringLiteral("field %1 has more than %2 items").arg(key).arg(maxItems));
    return a;
}

Result<QCborMap> MapReader::map(qint64 key) const
{
    auto f = field(key);
    if (!f.ok())
        return f.error();
    if (!f.value().isMap())
        return fail(CborError::WrongType, QStringLiteral("field %1 is not a map").arg(key));
    return f.value().toMap();
}

bool MapReader::hasOnlyKeys(std::initializer_list<qint64> keys) const
{
    for (auto it = m_map.constBegin(); it != m_map.constEnd(); ++it) {
        if (!it.key().isInteger() || std::find(keys.begin(), keys.end(), it.key().toInteger()) == keys.end())
            return false;
    }
    return true;
}

} // namespace cairn::base::cbor
