// Mailbox rows and the names of the mailbox's enums.
#include "core/mail/mailboxrows.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace cairn::mail {

namespace {

const char *const kFolderNames[] = {"inbox", "sent", "trash", "outbox"};
const char *const kSendStateNames[] = {"none", "queued", "uploading", "sending", "sent", "failed"};
const char *const kAttachmentStateNames[] = {"pending", "downloading", "done", "failed"};
const char *const kKindNames[] = {"mail", "drop", "notice"};

template <size_t N> QString nameOf(const char *const (&names)[N], int value)
{
    if (value < 0 || size_t(value) >= N)
        return QStringLiteral("unknown(%1)").arg(value);
    return QString::fromLatin1(names[value]);
}

// A stored enum value, or nothing if it is out of range.
template <typename E, size_t N> std::optional<E> enumFrom(const char *const (&)[N], qint64 value)
{
    if (value < 0 || size_t(value) >= N)
        return std::nullopt;
    return E(value);
}

base::Error<MailError> corruptRow(const char *column, qint64 value)
{
    return base::fail(MailError::Corrupt,
        QStringLiteral("the mailbox is damaged: a stored %1 of %2 is not valid").arg(QLatin1String(column)).arg(value));
}

} // namespace

QString folderName(Folder folder)
{
    return nameOf(kFolderNames, int(folder));
}

std::optional<Folder> folderFromName(QStringView name)
{
    for (size_t i = 0; i < std::size(kFolderNames); ++i) {
        if (name.compare(QLatin1String(kFolderNames[i]), Qt::CaseInsensitive) == 0)
            return Folder(i);
    }
    return std::nullopt;
}

QString sendStateName(SendState state)
{
    return nameOf(kSendStateNames, int(state));
}

QString attachmentStateName(AttachmentState state)
{
    return nameOf(kAttachmentStateNames, int(state));
}

QString kindName(MailKind kind)
{
    return nameOf(kKindNames, int(kind));
}

namespace detail {

const QLatin1String kMailColumns("id, folder, kind, sender, recipients, subject, body, sent_at, received_at, read,"
                                 " send_state, send_error, ttl, manifest");
const QLatin1String kAttachmentColumns("idx, name, size, local_path, state, transfer_id");

Result<MailRecord> readMail(const QSqlQuery &q)
{
    MailRecord m;
    m.id = q.value(0).toByteArray();
    const auto folder = enumFrom<Folder>(kFolderNames, q.value(1).toLongLong());
    const auto kind = enumFrom<MailKind>(kKindNames, q.value(2).toLongLong());
    const auto sendState = enumFrom<SendState>(kSendStateNames, q.value(10).toLongLong());
    if (!folder)
        return corruptRow("folder", q.value(1).toLongLong());
    if (!kind)
        return corruptRow("kind", q.value(2).toLongLong());
    if (!sendState)
        return corruptRow("send state", q.value(10).toLongLong());
    m.folder = *folder;
    m.kind = *kind;
    m.from = q.value(3).toString();
    m.to = recipientsFromJson(q.value(4).toString());
    m.subject = q.value(5).toString();
    m.body = q.value(6).toString();
    m.sentAt = q.value(7).toLongLong();
    m.receivedAt = q.value(8).toLongLong();
    m.read = q.value(9).toLongLong() != 0;
    m.sendState = *sendState;
    m.sendError = q.value(11).toString();
    m.ttlSeconds = q.value(12).toLongLong();
    m.manifest = q.value(13).toByteArray();
    return m;
}

Result<AttachmentRecord> readAttachment(const QSqlQuery &q)
{
    AttachmentRecord a;
    a.index = q.value(0).toInt();
    a.name = q.value(1).toString();
    a.size = q.value(2).toLongLong();
    a.localPath = q.value(3).toString();
    const auto state = enumFrom<AttachmentState>(kAttachmentStateNames, q.value(4).toLongLong());
    if (!state)
        return corruptRow("attachment state", q.value(4).toLongLong());
    a.state = *state;
    a.transferId = q.value(5).toString();
    return a;
}

QString recipientsToJson(const QStringList &to)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(to)).toJson(QJsonDocument::Compact));
}

QStringList recipientsFromJson(const QString &json)
{
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(json.toUtf8()).array())
        out.append(v.toString());
    return out;
}

} // namespace detail

} // namespace cairn::mail
