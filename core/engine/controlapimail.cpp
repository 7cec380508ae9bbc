// The control API's mail and file-drop commands (docs/control-api.md).
#include "core/engine/controlapi.h"
#include "core/engine/messaging.h"
#include "core/engine/node.h"
#include "core/mail/mailbox.h"
#include "core/transfer/transfermanager.h"

#include <QFileInfo>
#include <QJsonArray>

namespace cairn::engine {

namespace {

using Reply = ControlServer::Reply;

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    if (value.isString()) {
        for (const QString &part : value.toString().split(QLatin1Char(','), Qt::SkipEmptyParts))
            out.append(part.trimmed());
    } else {
        for (const QJsonValue &v : value.toArray())
            out.append(v.toString());
    }
    return out;
}

QJsonObject mailJson(const mail::MailRecord &m, bool full)
{
    QJsonObject o {
        {QStringLiteral("id"), QString::fromLatin1(m.id.toHex())},
        {QStringLiteral("folder"), mail::folderName(m.folder)},
        {QStringLiteral("kind"), mail::kindName(m.kind)},
        {QStringLiteral("from"), m.from},
        {QStringLiteral("to"), QJsonArray::fromStringList(m.to)},
        {QStringLiteral("subject"), m.subject},
        {QStringLiteral("sentAt"), m.sentAt},
        {QStringLiteral("read"), m.read},
        {QStringLiteral("attachments"), int(m.attachments.size())},
    };
    if (m.folder == mail::Folder::Outbox || m.sendState == mail::SendState::Failed) {
        o.insert(QStringLiteral("sendState"), mail::sendStateName(m.sendState));
        if (!m.sendError.isEmpty())
            o.insert(QStringLiteral("sendError"), m.sendError);
    }
    if (!full)
        return o;
    o.insert(QStringLiteral("body"), m.body);
    o.insert(QStringLiteral("receivedAt"), m.receivedAt);
    QJsonArray files;
    for (const mail::AttachmentRecord &a : m.attachments) {
        files.append(QJsonObject {
            {QStringLiteral("name"), a.name},
            {QStringLiteral("size"), a.size},
            {QStringLiteral("state"), mail::attachmentStateName(a.state)},
            {QStringLiteral("path"), a.localPath},
            {QStringLiteral("transfer"), a.transferId},
        });
    }
    o.insert(QStringLiteral("attachments"), files);
    return o;
}

QJsonObject transferJson(const transfer::TransferInfo &t)
{
    return QJsonObject {
        {QStringLiteral("id"), t.id},
        {QStringLiteral("direction"), transfer::directionName(t.direction)},
        {QStringLiteral("state"), transfer::stateName(t.state)},
        {QStringLiteral("label"), t.label},
        {QStringLiteral("mail"), QString::fromLatin1(t.tag.toHex())},
        {QStringLiteral("files"), t.fileCount},
        {QStringLiteral("bytesDone"), double(t.bytesDone)},
        {QStringLiteral("bytesTotal"), double(t.bytesTotal)},
        {QStringLiteral("rate"), t.rate},
        {QStringLiteral("eta"), double(t.etaSeconds)},
        {QStringLiteral("error"), t.error},
        {QStringLiteral("saved"), QJsonArray::fromStringList(t.savedPaths)},
    };
}

} // namespace

#define NEED_MESSAGING                                                                                                 \
    Messaging *messaging = m_node.messaging();                                                                         \
    if (!messaging)                                                                                                    \
        return reply(failure(EngineError::NotInGroup, QStringLiteral("this node is not a member of a group yet")));

void ControlApi::mailSend(const QJsonObject &args, Reply reply)
{
    send(args, false, std::move(reply));
}

void ControlApi::sendFiles(const QJsonObject &args, Reply reply)
{
    send(args, true, std::move(reply));
}

void ControlApi::send(const QJsonObject &args, bool drop, Reply reply)
{
    NEED_MESSAGING
    mail::SendRequest request;
    request.to = stringList(args.value(QStringLiteral("to")));
    request.subject = args.value(QStringLiteral("subject")).toString();
    request.body = args.value(QStringLiteral("body")).toString();
    request.paths = stringList(args.value(drop ? QStringLiteral("paths") : QStringLiteral("attachments")));
    request.drop = drop;
    request.ttlSeconds = qint64(args.value(QStringLiteral("ttl")).toDouble(0));
    if (request.to.isEmpty())
        return reply(invalid(QStringLiteral("name at least one recipient (\"to\")")));
    if (drop && request.paths.isEmpty())
        return reply(invalid(QStringLiteral("name at least one file or folder to send (\"paths\")")));
    if (drop && request.subject.isEmpty()) {
        QStringList names;
        for (const QString &p : std::as_const(request.paths))
            names.append(QFileInfo(p).fileName());
        request.subject = names.join(QStringLiteral(", "));
    }
    messaging->send(request, [reply, messaging, alive = std::weak_ptr<bool>(m_alive)](Result<QByteArray> id) {
        if (alive.expired())
            return;
        if (!id)
            return reply(failure(id.code(), id.message()));
        QJsonObject result {{QStringLiteral("id"), QString::fromLatin1(id->toHex())}};
        for (const transfer::TransferInfo &t : messaging->transfers().transfers()) {
            if (t.tag == id.value())
                result.insert(QStringLiteral("transfer"), t.id);
        }
        reply(ControlServer::okReply(result));
    });
}

void ControlApi::mailList(const QJsonObject &args, Reply reply)
{
    NEED_MESSAGING
    const QString folderText = args.contains(QStringLiteral("folder")) ? args.value(QStringLiteral("folder")).toString()
                                                                       : QStringLiteral("inbox");
    const auto folder = mail::folderFromName(folderText.toLower());
    if (!folder)
        return reply(invalid(QStringLiteral("no folder \"%1\": use inbox, sent, trash or outbox").arg(folderText)));
    const QString search = args.value(QStringLiteral("search")).toString();
    const int limit = args.contains(QStringLiteral("limit")) ? args.value(QStringLiteral("limit")).toInt(-1) : 100;
    if (limit < 1 || limit > 10000)
        return reply(invalid(QStringLiteral("limit is 1 to 10000")));
    auto list = [this, reply, folder = *folder, search, limit, alive = std::weak_ptr<bool>(m_alive)] {
        if (alive.expired())
            return;
        Messaging *messaging = m_node.messaging();
        if (!messaging)
            return reply(failure(EngineError::NotInGroup, QStringLiteral("this node left its group")));
        auto mails = messaging->mailbox().list(folder, search, limit, 0);
        if (!mails)
            return reply(failure(EngineError::Storage, mails.message()));
        const auto unread = messaging->mailbox().unreadCount(folder);
        QJsonArray out;
        for (const mail::MailRecord &m : mails.value())
            out.append(mailJson(m, false));
        reply(ControlServer::okReply({{QStringLiteral("folder"), mail::folderName(folder)},
            {QStringLiteral("mails"), out}, {QStringLiteral("unread"), double(unread.ok() ? unread.value() : 0)}}));
    };
    // "refresh": look at the inbox replicas first (scripts and tests that
    // want to know now rather than at the next poll).
    if (args.value(QStringLiteral("refresh")).toBool())
        return messaging->pollAndThen(list);
    list();
}

void ControlApi::mailRead(const QJsonObject &args, Reply reply)
{
    NEED_MESSAGING
    const QString id = args.value(QStringLiteral("id")).toString();
    if (id.isEmpty())
        return reply(invalid(QStringLiteral("name the mail to read (\"id\")")));
    auto mail = messaging->mailbox().get(id);
    if (!mail)
        return reply(failure(EngineError::NotFound, mail.message()));
    if (!mail->read) {
        if (auto marked = messaging->mailbox().setRead(mail->id, true); !marked)
            return reply(failure(EngineError::Storage, marked.message()));
        mail->read = true;
    }
    reply(ControlServer::okReply(mailJson(mail.value(), true)));
}

void ControlApi::mailDelete(const QJsonObject &args, Reply reply)
{
    NEED_MESSAGING
    const QString id = args.value(QStringLiteral("id")).toString();
    if (id.isEmpty())
        return reply(invalid(QStringLiteral("name the mail to delete (\"id\")")));
    auto mail = messaging->mailbox().get(id);
    if (!mail)
        return reply(failure(EngineError::NotFound, mail.message()));
    const bool forever = mail->folder == mail::Folder::Trash;
    if (forever) {
        if (auto removed = messaging->mailbox().remove(mail->id); !removed)
            return reply(failure(EngineError::Storage, removed.message()));
    } else if (auto moved = messaging->mailbox().moveTo(mail->id, mail::Folder::Trash); !moved) {
        return reply(failure(EngineError::Storage, moved.message()));
    }
    reply(ControlServer::okReply({{QStringLiteral("id"), QString::fromLatin1(mail->id.toHex())},
        {QStringLiteral("deleted"), forever ? QStringLiteral("forever") : QStringLiteral("moved to trash")}}));
}

void ControlApi::transfers(const QJsonObject &, Reply reply)
{
    NEED_MESSAGING
    QJsonArray list;
    for (const transfer::TransferInfo &t : messaging->transfers().transfers())
        list.append(transferJson(t));
    // Drops that arrived and wait for "receive".
    QJsonArray incoming;
    auto inbox = messaging->mailbox().list(mail::Folder::Inbox, {}, 1000, 0);
    if (inbox) {
        for (const mail::MailRecord &m : inbox.value()) {
            if (m.kind != mail::MailKind::FileDrop || m.attachments.isEmpty()
                || m.attachments.first().state != mail::AttachmentState::Pending)
                continue;
            qint64 bytes = 0;
            for (const auto &a : m.attachments)
                bytes += a.size;
            incoming.append(QJsonObject {{QStringLiteral("id"), QString::fromLatin1(m.id.toHex())},
                {QStringLiteral("from"), m.from}, {QStringLiteral("files"), int(m.attachments.size())},
                {QStringLiteral("bytes"), bytes}, {QStringLiteral("subject"), m.subject}});
        }
    }
    reply(ControlServer::okReply({{QStringLiteral("transfers"), list}, {QStringLiteral("incoming"), incoming}}));
}

void ControlApi::receive(const QJsonObject &args, Reply reply)
{
    NEED_MESSAGING
    const QString id = args.value(QStringLiteral("id")).toString();
    if (id.isEmpty())
        return reply(invalid(QStringLiteral("name the drop to receive (\"id\")")));
    auto started = messaging->receive(id, args.value(QStringLiteral("to")).toString());
    if (!started)
        return reply(failure(started.code(), started.message()));
    reply(ControlServer::okReply({{QStringLiteral("transfer"), started.value()}}));
}

void ControlApi::transferAction(const QJsonObject &args, Reply reply)
{
    NEED_MESSAGING
    const QString id = args.value(QStringLiteral("id")).toString();
    const QString action = args.value(QStringLiteral("action")).toString();
    transfer::Result<void> done;
    if (action == QLatin1String("pause"))
        done = messaging->transfers().pause(id);
    else if (action == QLatin1String("resume"))
        done = messaging->transfers().resume(id);
    else if (action == QLatin1String("cancel"))
        done = messaging->transfers().cancel(id);
    else
        return reply(invalid(QStringLiteral("action is pause, resume or cancel")));
    if (!done)
        return reply(failure(EngineError::NotFound, done.message()));
    reply(ControlServer::okReply({{QStringLiteral("id"), id}, {QStringLiteral("action"), action}}));
}

} // namespace cairn::engine
