#include "core/mail/inboxheader.h"

#include "core/base/cbor.h"
#include "core/mail/cborfields.h"

#include <sodium.h>

namespace cairn::mail {

namespace cbor = base::cbor;

namespace {

enum Key : qint64 {
    kKeyVersion = 1,
    kKeyMessageId = 2,
    kKeyEnvelopeKey = 3,
    kKeyCopies = 4,
    kKeyToken = 5,
    kKeySentAt = 6,
    kKeyEnvelopeSize = 7,
};

const QString kWhat = QStringLiteral("inbox header");

cbor::Limits plainLimits()
{
    cbor::Limits l;
    l.maxBytes = InboxHeader::kMaxPlain;
    l.maxStringLength = InboxHeader::kKeyBytes;
    l.maxItems = 32; // 15 for the map; a few more so an extra key reads as unknown
    l.maxDepth = 1;
    return l;
}

Result<void> validate(const InboxHeader &h)
{
    QString why;
    if (h.messageId.size() != InboxHeader::kIdBytes)
        why = QStringLiteral("a message id is %1 bytes, got %2").arg(InboxHeader::kIdBytes).arg(h.messageId.size());
    else if (h.envelopeKey.size() != InboxHeader::kKeyBytes)
        why = QStringLiteral("an envelope key is %1 bytes, got %2")
                  .arg(InboxHeader::kKeyBytes)
                  .arg(h.envelopeKey.size());
    else if (h.copies < 1 || h.copies > InboxHeader::kMaxCopies)
        why = QStringLiteral("copies is 1 to %1, got %2").arg(InboxHeader::kMaxCopies).arg(h.copies);
    else if (h.deleteToken.size() != InboxHeader::kTokenBytes)
        why = QStringLiteral("a delete token is %1 bytes, got %2")
                  .arg(InboxHeader::kTokenBytes)
                  .arg(h.deleteToken.size());
    else if (h.sentAt < 0 || h.sentAt > InboxHeader::kMaxSentAt)
        why = QStringLiteral("the sending time %1 ms is out of range").arg(h.sentAt);
    else if (h.envelopeSize < 1 || h.envelopeSize > InboxHeader::kMaxEnvelopeSize)
        why = QStringLiteral("an envelope is 1 to %1 bytes, got %2")
                  .arg(InboxHeader::kMaxEnvelopeSize)
                  .arg(h.envelopeSize);
    if (why.isEmpty())
        return {};
    return base::fail(MailError::InvalidField, QStringLiteral("%1: %2").arg(kWhat, why));
}

} // namespace

QByteArray inboxKey(QByteArrayView groupId, QStringView username)
{
    return crypto::blake2b(groupId.toByteArray() + username.toUtf8(), 32);
}

InboxHeader InboxHeader::clone() const
{
    InboxHeader h;
    h.messageId = messageId;
    h.envelopeKey = envelopeKey;
    h.copies = copies;
    h.deleteToken = deleteToken.clone();
    h.sentAt = sentAt;
    h.envelopeSize = envelopeSize;
    return h;
}

crypto::SecretBytes InboxHeader::newToken(base::Rng &rng)
{
    crypto::SecretBytes token(kTokenBytes);
    rng.fill(token.span());
    return token;
}

QByteArray InboxHeader::tokenHash() const
{
    return crypto::blake2b(deleteToken.view(), 32);
}

Result<crypto::SecretBytes> InboxHeader::encodePlain() const
{
    if (auto r = validate(*this); !r.ok())
        return r.error();
    // Written field by field (keys 1..7 in order are the canonical order)
    // so the token goes straight from its SecretBytes into one buffer that
    // is reserved up front, never reallocated, and wiped afterwards.
    QByteArray out;
    out.reserve(kMaxPlain);
    out.append(char(0xa7)); // a map of 7 pairs
    auto field = [&out](qint64 key, const QCborValue &value) {
        out.append(char(key));
        out.append(cbor::encode(value));
    };
    field(kKeyVersion, kVersion);
    field(kKeyMessageId, messageId);
    field(kKeyEnvelopeKey, envelopeKey);
    field(kKeyCopies, qint64(copies));
    out.append(char(kKeyToken));
    out.append(char(0x58)); // a byte string with a one-byte length
    out.append(char(kTokenBytes));
    out.append(reinterpret_cast<const char *>(deleteToken.data()), deleteToken.size());
    field(kKeySentAt, sentAt);
    field(kKeyEnvelopeSize, envelopeSize);
    crypto::SecretBytes plain(reinterpret_cast<const quint8 *>(out.constData()), out.size());
    crypto::wipe(out);
    return plain;
}

Result<InboxHeader> InboxHeader::decodePlain(QByteArrayView plain)
{
    auto map = detail::openVersionedMap(plain, plainLimits(), kVersion,
        {kKeyVersion, kKeyMessageId, kKeyEnvelopeKey, kKeyCopies, kKeyToken, kKeySentAt, kKeyEnvelopeSize}, kWhat);
    if (!map.ok())
        return map.error();
    auto messageId = map->bytes(kKeyMessageId, kIdBytes);
    auto envelopeKey = map->bytes(kKeyEnvelopeKey, kKeyBytes);
    auto copies = map->integer(kKeyCopies, 1, kMaxCopies);
    auto token = map->bytes(kKeyToken, kTokenBytes);
    auto sentAt = map->integer(kKeySentAt, 0, kMaxSentAt);
    auto envelopeSize = map->integer(kKeyEnvelopeSize, 1, kMaxEnvelopeSize);
    if (!messageId.ok())
        return detail::fieldError(kWhat, "message id", messageId.error());
    if (!envelopeKey.ok())
        return detail::fieldError(kWhat, "envelope key", envelopeKey.error());
    if (!copies.ok())
        return detail::fieldError(kWhat, "copies", copies.error());
    if (!token.ok())
        return detail::fieldError(kWhat, "delete token", token.error());
    if (!sentAt.ok())
        return detail::fieldError(kWhat, "sending time", sentAt.error());
    if (!envelopeSize.ok())
        return detail::fieldError(kWhat, "envelope size", envelopeSize.error());
    InboxHeader h;
    h.messageId = messageId.value();
    h.envelopeKey = envelopeKey.value();
    h.copies = int(copies.value());
    // The decoder's own copies of the token are freed unwiped; a token only
    // lets its holder delete this one entry.
    h.deleteToken = crypto::SecretBytes::fromView(token.value());
    h.sentAt = sentAt.value();
    h.envelopeSize = envelopeSize.value();
    return h;
}

Result<QByteArray> InboxHeader::seal(const crypto::PublicKey &recipientX25519, const InboxHeader &header)
{
    crypto::initSodium();
    auto plain = header.encodePlain();
    if (!plain.ok())
        return plain.error();
    QByteArray sealed(plain->size() + qsizetype(crypto_box_SEALBYTES), Qt::Uninitialized);
    if (crypto_box_seal(reinterpret_cast<unsigned char *>(sealed.data()), plain->data(), size_t(plain->size()),
            recipientX25519.bytes.data())
        != 0)
        return base::fail(MailError::CryptoFailed,
            QStringLiteral("cannot seal an inbox header: the recipient key is not a usable X25519 key"));
    return sealed;
}

Result<InboxHeader> InboxHeader::open(const crypto::DeviceKey &device, QByteArrayView entry)
{
    crypto::initSodium();
    const qsizetype overhead = crypto_box_SEALBYTES;
    if (entry.size() <= overhead || entry.size() > overhead + kMaxPlain)
        return detail::malformed(kWhat,
            QStringLiteral("a sealed header is %1 to %2 bytes, got %3")
                .arg(overhead + 1)
                .arg(overhead + kMaxPlain)
                .arg(entry.size()));
    const crypto::PublicKey ourPublic = device.x25519Public();
    const crypto::SecretBytes ourSecret = device.x25519Secret();
    crypto::SecretBytes plain(entry.size() - overhead);
    if (crypto_box_seal_open(plain.data(), reinterpret_cast<const unsigned char *>(entry.data()), size_t(entry.size()),
            ourPublic.bytes.data(), ourSecret.data())
        != 0)
        return base::fail(MailError::NotForUs, QStringLiteral("this inbox entry is not sealed to this device"));
    return decodePlain(plain.view());
}

} // namespace cairn::mail
