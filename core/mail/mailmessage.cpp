#include "core/mail/mailmessage.h"

#include "core/identity/names.h"
#include "core/mail/cborfields.h"

#include <QSet>

namespace cairn::mail {

namespace cbor = base::cbor;

namespace {

// Map keys (docs/protocol.md, "Mail message").
enum Key : qint64 {
    kKeyVersion = 1,
    kKeyId = 2,
    kKeyFrom = 3,
    kKeyTo = 4,
    kKeySentAt = 5,
    kKeySubject = 6,
    kKeyBody = 7,
    kKeyKind = 8,
    kKeyAttachments = 9,
    kKeyAttachmentsStream = 10,
    kKeySummary = 11,
};

const QString kWhat = QStringLiteral("mail message");

cbor::Limits decodeLimits()
{
    cbor::Limits l;
    l.maxBytes = MailMessage::kMaxEncoded;
    l.maxStringLength = MailMessage::kMaxBodyBytes; // the longest single field
    // Each summary entry is an array and its two items; plus the recipients
    // and the top-level fields.
    l.maxItems = 3 * MailMessage::kMaxSummaryEntries + MailMessage::kMaxRecipients + 32;
    l.maxDepth = 3; // message map > summary list > entry
    return l;
}

base::Error<MailError> invalid(const QString &why)
{
    return base::fail(MailError::InvalidField, why);
}

// UTF-8 text of at most maxBytes; names the field and the limit so the UI
// can show the message as it is.
Result<void> checkText(const QString &text, qsizetype maxBytes, const QString &tooLong, const char *field)
{
    if (!text.isValidUtf16())
        return invalid(QStringLiteral("the %1 is not valid Unicode text").arg(QLatin1String(field)));
    if (text.toUtf8().size() > maxBytes)
        return base::fail(MailError::TooLarge, tooLong);
    return {};
}

Result<void> checkUsername(const QString &name, const QString &role)
{
    if (auto r = identity::names::validateUsername(name); !r.ok())
        return invalid(QStringLiteral("%1 \"%2\" is not a valid username: %3").arg(role, name.left(40), r.message()));
    return {};
}

Result<void> checkPeople(const MailMessage &m)
{
    if (auto r = checkUsername(m.from, QStringLiteral("the sender")); !r.ok())
        return r;
    if (m.to.isEmpty() || m.to.size() > MailMessage::kMaxRecipients)
        return invalid(QStringLiteral("a message has 1 to %1 recipients, got %2")
                           .arg(MailMessage::kMaxRecipients)
                           .arg(m.to.size()));
    QSet<QString> seen;
    for (const QString &name : m.to) {
        if (auto r = checkUsername(name, QStringLiteral("the recipient")); !r.ok())
            return r;
        if (seen.contains(name))
            return invalid(QStringLiteral("the recipient %1 is named twice").arg(name));
        seen.insert(name);
    }
    return {};
}

Result<void> checkAttachments(const MailMessage &m)
{
    if (m.attachments.size() > MailMessage::kMaxAttachmentsBytes)
        return base::fail(MailError::TooLarge,
            QStringLiteral("the attachment manifest is too large: at most 24 KiB inline (a larger one goes as a "
                           "stream), got %1 bytes")
                .arg(m.attachments.size()));
    if (m.attachmentsStream.size() > MailMessage::kMaxStreamRefBytes)
        return base::fail(MailError::TooLarge,
            QStringLiteral("the attachment stream reference is too large: at most 4 KiB, got %1 bytes")
                .arg(m.attachmentsStream.size()));
    if (!m.attachments.isEmpty() && !m.attachmentsStream.isEmpty())
        return invalid(QStringLiteral("a message carries its attachment manifest inline or as a stream, not both"));
    if (m.summary.size() > MailMessage::kMaxSummaryEntries)
        return base::fail(MailError::TooLarge,
            QStringLiteral("the attachment list is too long: at most %1 entries, got %2")
                .arg(MailMessage::kMaxSummaryEntries)
                .arg(m.summary.size()));
    for (const AttachmentSummary &a : m.summary) {
        if (a.name.isEmpty())
            return invalid(QStringLiteral("an attachment has no name"));
        if (auto r = checkText(a.name, MailMessage::kMaxSummaryNameBytes,
                QStringLiteral("an attachment name is too long: at most %1 bytes")
                    .arg(MailMessage::kMaxSummaryNameBytes),
                "attachment name");
            !r.ok())
            return r;
        if (a.size < 0 || a.size > MailMessage::kMaxSummarySize)
            return invalid(QStringLiteral("the attachment %1 has an impossible size (%2)").arg(a.name).arg(a.size));
    }
    return {};
}

// Every rule of the format, shared by encode() and decode().
Result<void> validate(const MailMessage &m)
{
    if (m.id.size() != MailMessage::kIdBytes)
        return invalid(QStringLiteral("a message id is %1 bytes, got %2").arg(MailMessage::kIdBytes).arg(m.id.size()));
    if (auto r = checkPeople(m); !r.ok())
        return r;
    if (m.sentAt < 0 || m.sentAt > MailMessage::kMaxSentAt)
        return invalid(QStringLiteral("the sending time %1 ms is out of range").arg(m.sentAt));
    if (auto r = checkText(m.subject, MailMessage::kMaxSubjectBytes,
            QStringLiteral("the subject is too long: at most 1,000 bytes of text"), "subject");
        !r.ok())
        return r;
    if (auto r = checkText(m.body, MailMessage::kMaxBodyBytes,
            QStringLiteral("the message body is too long: at most 32 KiB of text"), "body");
        !r.ok())
        return r;
    if (m.kind != MailKind::Mail && m.kind != MailKind::FileDrop)
        return invalid(QStringLiteral("only mail and file drops are sent (kind %1)").arg(int(m.kind)));
    return checkAttachments(m);
}

QCborMap toMap(const MailMessage &m)
{
    QCborMap map;
    map.insert(kKeyVersion, MailMessage::kVersion);
    map.insert(kKeyId, m.id);
    map.insert(kKeyFrom, m.from);
    QCborArray to;
    for (const QString &name : m.to)
        to.append(name);
    map.insert(kKeyTo, to);
    map.insert(kKeySentAt, m.sentAt);
    map.insert(kKeySubject, m.subject);
    map.insert(kKeyBody, m.body);
    map.insert(kKeyKind, qint64(m.kind));
    // Optional fields are absent rather than empty: one encoding per message.
    if (!m.attachments.isEmpty())
        map.insert(kKeyAttachments, m.attachments);
    if (!m.attachmentsStream.isEmpty())
        map.insert(kKeyAttachmentsStream, m.attachmentsStream);
    if (!m.summary.isEmpty()) {
        QCborArray summary;
        for (const AttachmentSummary &a : m.summary)
            summary.append(QCborArray {a.name, a.size});
        map.insert(kKeySummary, summary);
    }
    return map;
}

// An optional byte-string field: absent means none; present must not be empty.
Result<QByteArray> optionalBytes(const cbor::MapReader &map, qint64 key, qsizetype maxSize, const char *field)
{
    if (!map.has(key))
        return QByteArray();
    auto v = map.bytes(key, -1, maxSize);
    if (!v.ok())
        return detail::fieldError(kWhat, field, v.error());
    if (v->isEmpty())
        return detail::malformed(kWhat, QStringLiteral("%1 is present but empty").arg(QLatin1String(field)));
    return std::move(v).value();
}

Result<QList<AttachmentSummary>> readSummary(const cbor::MapReader &map)
{
    QList<AttachmentSummary> out;
    if (!map.has(kKeySummary))
        return out;
    auto list = map.array(kKeySummary, MailMessage::kMaxSummaryEntries);
    if (!list.ok())
        return detail::fieldError(kWhat, "attachment list", list.error());
    if (list->isEmpty())
        return detail::malformed(kWhat, QStringLiteral("the attachment list is present but empty"));
    for (const QCborValue &v : list.value()) {
        const QCborArray entry = v.toArray();
        if (!v.isArray() || entry.size() != 2 || !entry.at(0).isString() || !entry.at(1).isInteger())
            return detail::malformed(kWhat, QStringLiteral("an attachment entry is not [name, size]"));
        out.append(AttachmentSummary {entry.at(0).toString(), entry.at(1).toInteger()});
    }
    return out;
}

Result<void> readPeople(const cbor::MapReader &map, MailMessage &m)
{
    auto from = map.text(kKeyFrom, identity::names::kMaxUsernameLength);
    if (!from.ok())
        return detail::fieldError(kWhat, "sender", from.error());
    m.from = from.value();
    auto to = map.array(kKeyTo, MailMessage::kMaxRecipients);
    if (!to.ok())
        return detail::fieldError(kWhat, "recipients", to.error());
    for (const QCborValue &v : to.value()) {
        if (!v.isString())
            return detail::malformed(kWhat, QStringLiteral("a recipient is not text"));
        m.to.append(v.toString());
    }
    return {};
}

Result<void> readContent(const cbor::MapReader &map, MailMessage &m)
{
    auto id = map.bytes(kKeyId, MailMessage::kIdBytes);
    auto sentAt = map.integer(kKeySentAt, 0, MailMessage::kMaxSentAt);
    // Limits in UTF-16 units here bound the UTF-8 size from below; the exact
    // UTF-8 rule is checked by validate().
    auto subject = map.text(kKeySubject, MailMessage::kMaxSubjectBytes);
    auto body = map.text(kKeyBody, MailMessage::kMaxBodyBytes);
    auto kind = map.integer(kKeyKind, qint64(MailKind::Mail), qint64(MailKind::FileDrop));
    if (!id.ok())
        return detail::fieldError(kWhat, "id", id.error());
    if (!sentAt.ok())
        return detail::fieldError(kWhat, "sending time", sentAt.error());
    if (!subject.ok())
        return detail::fieldError(kWhat, "subject", subject.error());
    if (!body.ok())
        return detail::fieldError(kWhat, "body", body.error());
    if (!kind.ok())
        return detail::fieldError(kWhat, "kind", kind.error());
    m.id = id.value();
    m.sentAt = sentAt.value();
    m.subject = subject.value();
    m.body = body.value();
    m.kind = MailKind(kind.value());
    return {};
}

} // namespace

QByteArray MailMessage::newId(base::Rng &rng)
{
    return rng.bytes(kIdBytes);
}

Result<QByteArray> MailMessage::encode() const
{
    if (auto r = validate(*this); !r.ok())
        return r.error();
    QByteArray bytes = cbor::encode(toMap(*this));
    if (bytes.size() > kMaxEncoded)
        return base::fail(MailError::TooLarge,
            QStringLiteral("the message is too long: at most 48 KiB once encoded (text and attachment list "
                           "together), got %1 bytes")
                .arg(bytes.size()));
    return bytes;
}

Result<MailMessage> MailMessage::decode(QByteArrayView bytes)
{
    auto map = detail::openVersionedMap(bytes, decodeLimits(), kVersion,
        {kKeyVersion, kKeyId, kKeyFrom, kKeyTo, kKeySentAt, kKeySubject, kKeyBody, kKeyKind, kKeyAttachments,
            kKeyAttachmentsStream, kKeySummary},
        kWhat);
    if (!map.ok())
        return map.error();
    MailMessage m;
    if (auto r = readContent(map.value(), m); !r.ok())
        return r.error();
    if (auto r = readPeople(map.value(), m); !r.ok())
        return r.error();
    auto attachments = optionalBytes(map.value(), kKeyAttachments, kMaxAttachmentsBytes, "attachment manifest");
    if (!attachments.ok())
        return attachments.error();
    auto stream = optionalBytes(map.value(), kKeyAttachmentsStream, kMaxStreamRefBytes, "attachment stream");
    if (!stream.ok())
        return stream.error();
    auto summary = readSummary(map.value());
    if (!summary.ok())
        return summary.error();
    m.attachments = attachments.value();
    m.attachmentsStream = stream.value();
    m.summary = summary.value();
    // A decoded message obeys the same rules as one we would send; a rule
    // broken on the wire is a malformed message, not a bad argument.
    if (auto r = validate(m); !r.ok()) {
        const MailError code = r.code() == MailError::TooLarge ? MailError::TooLarge : MailError::Malformed;
        return base::fail(code, QStringLiteral("%1: %2").arg(kWhat, r.message()));
    }
    return m;
}

} // namespace cairn::mail
