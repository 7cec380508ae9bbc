#pragma once

#include "core/base/cbor.h"
#include "core/crypto/keys.h"
#include "core/identity/error.h"

#include <QByteArray>
#include <QCborArray>
#include <QString>

#include <limits>

namespace cairn::identity {

/// Strictly decodes one versioned, integer-keyed CBOR map (the signed part
/// of a certificate or revocation list, or an invite) and reads its fields,
/// turning every failure into an IdentityError whose message names the
/// format and the field. Field 1 is always the format version; it is checked
/// before anything else so a newer format reports UnsupportedVersion rather
/// than its new fields as unknown.
class FieldReader {
public:
    static constexpr qint64 kVersionKey = 1;

    static Result<FieldReader> open(QByteArrayView bytes, const base::cbor::Limits &limits, qint64 version,
        std::initializer_list<qint64> knownKeys, const QString &what);

    Result<qint64> integer(qint64 key, const char *name, qint64 min, qint64 max) const;
    Result<QByteArray> bytes(qint64 key, const char *name, qsizetype minSize, qsizetype maxSize) const;
    Result<QString> text(qint64 key, const char *name, qsizetype maxLength) const;
    Result<QCborArray> array(qint64 key, const char *name, qsizetype maxItems) const;
    /// 32 bytes that form a usable Ed25519 public key (it converts to X25519).
    Result<crypto::PublicKey> publicKey(qint64 key, const char *name) const;

    /// An InvalidField error about `name`, prefixed with the format.
    base::Error<IdentityError> invalid(const char *name, const QString &why) const;
    /// Re-labels an error from a shared validator with the format and field.
    base::Error<IdentityError> relabel(const char *name, const base::Error<IdentityError> &error) const;

private:
    FieldReader(base::cbor::MapReader reader, QString what) : m_reader(std::move(reader)), m_what(std::move(what)) { }
    base::Error<IdentityError> cborError(const char *name, const base::Error<base::cbor::CborError> &error) const;

    base::cbor::MapReader m_reader;
    QString m_what;
};

/// True if the key converts to X25519, i.e. it is a point Noise can use.
bool isUsableEd25519Key(const crypto::PublicKey &key);

} // namespace cairn::identity
