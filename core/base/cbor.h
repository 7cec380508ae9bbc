#pragma once

#include "core/base/result.h"

#include <QByteArray>
#include <QCborArray>
#include <QCborMap>
#include <QCborValue>

namespace cairn::base::cbor {

enum class CborError {
    TooLarge, // input longer than Limits::maxBytes
    Malformed, // not well-formed CBOR, or truncated
    TrailingData, // bytes after the single top-level item
    TooDeep, // nesting deeper than Limits::maxDepth
    TooManyItems, // more than Limits::maxItems data items in total
    StringTooLong, // a text or byte string longer than Limits::maxStringLength
    UnsupportedType, // tags, floats, undefined, simple values, huge integers
    DuplicateKey,
    NotCanonical, // well formed but not the deterministic encoding
    WrongType, // a field has the wrong type or size
    MissingField,
    OutOfRange, // an integer outside the allowed range
};

template <typename T> using Result = base::Result<T, CborError>;

/// Bounds a decoder enforces before it allocates anything large.
struct Limits {
    qsizetype maxBytes = 64 * 1024;
    int maxDepth = 8;
    qsizetype maxItems = 4096;
    qsizetype maxStringLength = 64 * 1024;
};

/// Deterministic encoding (RFC 8949 section 4.2.1): shortest integer and
/// length forms, definite lengths only, map keys sorted bytewise by their
/// encoding. Supports integers, byte and text strings, arrays, maps, booleans
/// and null; anything else is a programming error and encodes as null.
QByteArray encode(const QCborValue &value);

/// Strict decoder: exactly one item, the subset of types encode() writes,
/// integer or text map keys without duplicates, every limit enforced.
/// With requireCanonical (the default) the input must also be the
/// deterministic encoding of what it decodes to, so a signature over the
/// bytes and over the value agree.
Result<QCborValue> decode(QByteArrayView bytes, const Limits &limits = {}, bool requireCanonical = true);

/// Typed access to a decoded map with integer keys. Each getter returns a
/// WrongType/MissingField/OutOfRange error instead of a default value.
class MapReader {
public:
    explicit MapReader(QCborMap map) : m_map(std::move(map)) { }
    static Result<MapReader> from(const QCborValue &value);

    bool has(qint64 key) const { return m_map.contains(key); }
    Result<qint64> integer(qint64 key, qint64 min, qint64 max) const;
    /// exactSize >= 0 demands that length; otherwise at most maxSize bytes.
    Result<QByteArray> bytes(qint64 key, qsizetype exactSize = -1, qsizetype maxSize = 64 * 1024) const;
    Result<QString> text(qint64 key, qsizetype maxLength) const;
    Result<QCborArray> array(qint64 key, qsizetype maxItems) const;
    Result<QCborMap> map(qint64 key) const;
    /// True if the map has exactly these keys (rejects unknown fields).
    bool hasOnlyKeys(std::initializer_list<qint64> keys) const;

private:
    Result<QCborValue> field(qint64 key) const;
    QCborMap m_map;
};

} // namespace cairn::base::cbor
