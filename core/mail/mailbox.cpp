// Mailbox: the local store of mail. The database layer is mailboxdb.cpp,
// the row mapping mailboxrows.cpp.
#include "core/mail/mailbox.h"

#include "core/base/log.h"
#include "core/base/rng.h"
#include "core/base/scheduler.h"
#include "core/mail/mailboxdb.h"
#include "core/mail/mailboxrows.h"

#include <QDir>
#include <QSet>

namespace cairn::mail {

using detail::blob;

namespace {

// A text value bound as NULL when empty (the columns allow it; see schema).
QVariant text(const QString &s)
{
    return s.isEmpty() ? QVariant() : QVariant(s);
}

Result<void> checkId(const QByteArray &id)
{
    if (id.size() == MailMessage::kIdBytes)
        return {};
    return base::fail(MailError::InvalidArgument,
        QStringLiteral("a mail id is %1 bytes, got %2").arg(MailMessage::kIdBytes).arg(id.size()));
}

Result<void> checkRecord(const MailRecord &m)
{
    if (auto r = checkId(m.id); !r.ok())
        return r;
    if (quint8(m.folder) > quint8(Folder::Outbox) || quint8(m.kind) > quint8(MailKind::Notice)
        || quint8(m.sendState) > quint8(SendState::Failed))
        return base::fail(MailError::InvalidArgument, QStringLiteral("a mail with an unknown folder, kind or state"));
    if (m.attachments.size() > Mailbox::kMaxAttachments)
        return base::fail(MailError::InvalidArgument,
            QStringLiteral("a mail has at most %1 attachments, got %2")
                .arg(Mailbox::kMaxAttachments)
                .arg(m.attachments.size()));
    QSet<int> indexes;
    for (const AttachmentRecord &a : m.attachments) {
        if (a.index < 0 || indexes.contains(a.index) || quint8(a.state) > quint8(AttachmentState::Failed))
            return base::fail(MailError::InvalidArgument,
                QStringLiteral("attachment %1 has a negative or repeated index, or an unknown state").arg(a.index));
        indexes.insert(a.index);
    }
    return {};
}

// The id-or-prefix overloads: resolve, then the same as by id.
template <typename Fn> Result<void> onResolved(const Result<QByteArray> &id, Fn &&fn)
{
    if (!id.ok())
        return id.error();
    return fn(id.value());
}

QString shortHex(const QByteArray &id)
{
    return QString::fromLatin1(id.toHex());
}

} // namespace

Mailbox::Mailbox(QString attachmentsRoot, base::Scheduler &scheduler, base::Rng &rng)
    : m_db(std::make_unique<detail::MailboxDb>()),
      m_attachmentsRoot(std::move(attachmentsRoot)),
      m_scheduler(scheduler),
      m_rng(rng)
{ }

Mailbox::~Mailbox() = default;

Result<std::unique_ptr<Mailbox>> Mailbox::open(
    const QString &databasePath, const QString &attachmentsRoot, base::Scheduler &scheduler, base::Rng &rng)
{
    if (databasePath.isEmpty() || attachmentsRoot.isEmpty())
        return base::fail(MailError::InvalidArgument, QStringLiteral("no path given for the mailbox"));
    std::unique_ptr<Mailbox> box(new Mailbox(QDir::cleanPath(attachmentsRoot), scheduler, rng));
    if (auto r = box->m_db->open(databasePath, box.get()); !r.ok())
        return r.error();
    qCDebug(lcMail) << "opened the mailbox at" << databasePath;
    return box;
}

void Mailbox::whenDurable(std::function<void()> done)
{
    m_db->whenDurable(std::move(done));
}

QString Mailbox::databasePath() const
{
    return m_db->path();
}

QString Mailbox::attachmentDir(const QByteArray &id) const
{
    return m_attachmentsRoot + QLatin1Char('/') + shortHex(id);
}

Result<bool> Mailbox::add(const MailRecord &mail)
{
    if (auto r = checkRecord(mail); !r.ok())
        return r.error();
    bool added = false;
    const QString what = QStringLiteral("store mail %1").arg(mail.idHex());
    auto r = m_db->inTransaction(what, [&]() -> Result<void> {
        auto q = m_db->run(QStringLiteral("INSERT INTO mails (id, id_hex, folder, kind, sender, recipients, subject,"
                                          " body, sent_at, received_at, read, send_state, send_error, ttl, manifest,"
                                          " folded_sender, folded_subject)"
                                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                          " ON CONFLICT (id) DO NOTHING"),
            {blob(mail.id), mail.idHex(), int(mail.folder), int(mail.kind), text(mail.from),
                detail::recipientsToJson(mail.to), text(mail.subject), text(mail.body), mail.sentAt, mail.receivedAt,
                int(mail.read), int(mail.sendState), text(mail.sendError), mail.ttlSeconds, blob(mail.manifest),
                text(mail.from.toCaseFolded()), text(mail.subject.toCaseFolded())},
            what);
        if (!q.ok())
            return q.error();
        added = q->numRowsAffected() == 1;
        if (!added)
            return {}; // stored before: keep what is there
        for (const AttachmentRecord &a : mail.attachments) {
            auto row = m_db->run(QStringLiteral("INSERT INTO attachments (mail_id, idx, name, size, local_path, state,"
                                                " transfer_id) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                {blob(mail.id), a.index, text(a.name), a.size, text(a.localPath), int(a.state), text(a.transferId)},
                what);
            if (!row.ok())
                return row.error();
        }
        return {};
    });
    if (!r.ok())
        return r.error();
    return added;
}

Result<bool> Mailbox::contains(const QByteArray &id)
{
    if (auto r = checkId(id); !r.ok())
        return r.error();
    auto q
        = m_db->run(QStringLiteral("SELECT 1 FROM mails WHERE id = ?"), {blob(id)}, QStringLiteral("look a mail up"));
    if (!q.ok())
        return q.error();
    return q->next();
}

Result<QByteArray> Mailbox::resolve(const QString &idOrPrefix)
{
    const QString prefix = idOrPrefix.trimmed().toLower();
    const qsizetype full = 2 * MailMessage::kIdBytes;
    bool hex = prefix.size() >= kMinPrefix && prefix.size() <= full;
    for (QChar c : prefix)
        hex = hex && ((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'));
    if (!hex)
        return base::fail(MailError::InvalidArgument,
            QStringLiteral("\"%1\" is not a mail id: give %2 to %3 hex digits")
                .arg(idOrPrefix.left(40))
                .arg(kMinPrefix)
                .arg(full));
    // id_hex is ordered text: every id starting with the prefix sorts in
    // [prefix, prefix + "g"), and the unique index serves the range.
    auto q = m_db->run(QStringLiteral("SELECT id FROM mails WHERE id_hex >= ? AND id_hex < ? ORDER BY id_hex LIMIT 2"),
        {prefix, QString(prefix + QLatin1Char('g'))}, QStringLiteral("look mail %1 up").arg(prefix));
    if (!q.ok())
        return q.error();
    if (!q->next())
        return base::fail(MailError::NotFound, QStringLiteral("no mail has the id %1").arg(prefix));
    const QByteArray id = q->value(0).toByteArray();
    if (q->next())
        return base::fail(MailError::Ambiguous,
            QStringLiteral("more than one mail has an id starting with %1: give more digits").arg(prefix));
    return id;
}

Result<MailRecord> Mailbox::get(const QString &idOrPrefix)
{
    auto id = resolve(idOrPrefix);
    if (!id.ok())
        return id.error();
    return get(id.value());
}

Result<MailRecord> Mailbox::get(const QByteArray &id)
{
    if (auto r = checkId(id); !r.ok())
        return r.error();
    const QString what = QStringLiteral("read mail %1").arg(shortHex(id));
    auto q = m_db->run(QStringLiteral("SELECT %1 FROM mails WHERE id = ?").arg(detail::kMailColumns), {blob(id)}, what);
    if (!q.ok())
        return q.error();
    if (!q->next())
        return base::fail(MailError::NotFound, QStringLiteral("no mail has the id %1").arg(shortHex(id)));
    auto mail = detail::readMail(q.value());
    if (!mail.ok())
        return mail.error();
    auto attachments = attachmentsOf(id);
    if (!attachments.ok())
        return attachments.error();
    mail->attachments = attachments.value();
    return mail;
}

Result<QList<AttachmentRecord>> Mailbox::attachmentsOf(const QByteArray &id)
{
    auto q = m_db->run(
        QStringLiteral("SELECT %1 FROM attachments WHERE mail_id = ? ORDER BY idx").arg(detail::kAttachmentColumns),
        {blob(id)}, QStringLiteral("read the attachments of %1").arg(shortHex(id)));
    if (!q.ok())
        return q.error();
    return detail::readAll(q.value(), detail::readAttachment);
}

Result<QList<MailRecord>> Mailbox::list(Folder folder, const QString &search, int limit, int offset)
{
    if (limit < 1 || limit > kMaxListLimit || offset < 0)
        return base::fail(MailError::InvalidArgument,
            QStringLiteral("list 1 to %1 mails from an offset of at least 0").arg(kMaxListLimit));
    const QString what = QStringLiteral("list the %1 folder").arg(folderName(folder));
    const QString needle = search.trimmed().toCaseFolded();
    // instr() rather than LIKE: no wildcards to escape, and the folded
    // columns make it ignore case beyond ASCII.
    auto q = m_db->run(QStringLiteral("SELECT %1 FROM mails WHERE folder = ?"
                                      " AND (? OR instr(folded_sender, ?) > 0 OR instr(folded_subject, ?) > 0)"
                                      " ORDER BY sent_at DESC, rowid DESC LIMIT ? OFFSET ?")
                           .arg(detail::kMailColumns),
        {int(folder), int(needle.isEmpty()), text(needle), text(needle), limit, offset}, what);
    if (!q.ok())
        return q.error();
    auto mails = detail::readAll(q.value(), detail::readMail);
    if (!mails.ok())
        return mails.error();
    QList<MailRecord> out = std::move(mails).value();
    for (MailRecord &mail : out) {
        auto attachments = attachmentsOf(mail.id);
        if (!attachments.ok())
            return attachments.error();
        mail.attachments = attachments.value();
    }
    return out;
}

Result<void> Mailbox::setRead(const QByteArray &id, bool read)
{
    if (auto r = checkId(id); !r.ok())
        return r;
    return m_db->changeOne(QStringLiteral("UPDATE mails SET read = ? WHERE id = ?"), {int(read), blob(id)},
        QStringLiteral("mark mail %1 read").arg(shortHex(id)),
        QStringLiteral("no mail has the id %1").arg(shortHex(id)));
}

Result<void> Mailbox::setRead(const QString &idOrPrefix, bool read)
{
    return onResolved(resolve(idOrPrefix), [&](const QByteArray &id) { return setRead(id, read); });
}

Result<void> Mailbox::moveTo(const QByteArray &id, Folder folder)
{
    if (quint8(folder) > quint8(Folder::Outbox))
        return base::fail(MailError::InvalidArgument, QStringLiteral("no such folder (%1)").arg(int(folder)));
    if (folder == Folder::Trash) {
        auto removed = remove(id);
        if (!removed.ok())
            return removed.error();
        return {};
    }
    if (auto r = checkId(id); !r.ok())
        return r;
    return m_db->changeOne(QStringLiteral("UPDATE mails SET folder = ? WHERE id = ?"), {int(folder), blob(id)},
        QStringLiteral("move mail %1 to %2").arg(shortHex(id), folderName(folder)),
        QStringLiteral("no mail has the id %1").arg(shortHex(id)));
}

Result<void> Mailbox::moveTo(const QString &idOrPrefix, Folder folder)
{
    return onResolved(resolve(idOrPrefix), [&](const QByteArray &id) { return moveTo(id, folder); });
}

Result<bool> Mailbox::remove(const QByteArray &id)
{
    auto mail = get(id);
    if (!mail.ok())
        return mail.error();
    if (mail->folder == Folder::Trash) {
        if (auto r = purge(id); !r.ok())
            return r.error();
        return true;
    }
    auto r = m_db->changeOne(QStringLiteral("UPDATE mails SET folder = ? WHERE id = ?"), {int(Folder::Trash), blob(id)},
        QStringLiteral("move mail %1 to the trash").arg(shortHex(id)),
        QStringLiteral("no mail has the id %1").arg(shortHex(id)));
    if (!r.ok())
        return r.error();
    return false;
}

Result<void> Mailbox::purge(const QByteArray &id)
{
    if (auto r = checkId(id); !r.ok())
        return r;
    // The attachment rows go with the mail (ON DELETE CASCADE), in the
    // same statement and so the same transaction.
    auto r = m_db->changeOne(QStringLiteral("DELETE FROM mails WHERE id = ?"), {blob(id)},
        QStringLiteral("delete mail %1").arg(shortHex(id)), QStringLiteral("no mail has the id %1").arg(shortHex(id)));
    if (!r.ok())
        return r;
    // Files only after the rows are gone: a failed delete keeps both.
    QDir dir(attachmentDir(id));
    if (dir.exists() && !dir.removeRecursively())
        qCWarning(lcMail) << "deleted mail" << shortHex(id) << "but could not remove all of" << dir.path();
    return {};
}

Result<qint64> Mailbox::unreadCount(Folder folder)
{
    auto all = counts();
    if (!all.ok())
        return all.error();
    return all->value(folder).unread;
}

Result<QMap<Folder, FolderCounts>> Mailbox::counts()
{
    auto q = m_db->run(QStringLiteral("SELECT folder, count(*), sum(read = 0) FROM mails GROUP BY folder"), {},
        QStringLiteral("count mail"));
    if (!q.ok())
        return q.error();
    QMap<Folder, FolderCounts> out;
    for (Folder f : {Folder::Inbox, Folder::Sent, Folder::Trash, Folder::Outbox})
        out.insert(f, FolderCounts {});
    while (q->next()) {
        const qint64 folder = q->value(0).toLongLong();
        if (folder < 0 || folder > qint64(Folder::Outbox))
            continue; // readMail() reports such a row when it is read
        out[Folder(folder)] = FolderCounts {q->value(1).toLongLong(), q->value(2).toLongLong()};
    }
    return out;
}

Result<void> Mailbox::updateSendState(const QByteArray &id, SendState state, const QString &error)
{
    if (auto r = checkId(id); !r.ok())
        return r;
    if (quint8(state) > quint8(SendState::Failed))
        return base::fail(MailError::InvalidArgument, QStringLiteral("no such send state (%1)").arg(int(state)));
    return m_db->changeOne(QStringLiteral("UPDATE mails SET send_state = ?, send_error = ? WHERE id = ?"),
        {int(state), text(error), blob(id)}, QStringLiteral("update the send state of mail %1").arg(shortHex(id)),
        QStringLiteral("no mail has the id %1").arg(shortHex(id)));
}

Result<void> Mailbox::updateAttachment(
    const QByteArray &id, int index, AttachmentState state, const QString &localPath, const QString &transferId)
{
    if (auto r = checkId(id); !r.ok())
        return r;
    if (quint8(state) > quint8(AttachmentState::Failed))
        return base::fail(MailError::InvalidArgument, QStringLiteral("no such attachment state (%1)").arg(int(state)));
    // NULL (an empty string) keeps the stored value.
    return m_db->changeOne(QStringLiteral("UPDATE attachments SET state = ?, local_path = coalesce(?, local_path),"
                                          " transfer_id = coalesce(?, transfer_id) WHERE mail_id = ? AND idx = ?"),
        {int(state), text(localPath), text(transferId), blob(id), index},
        QStringLiteral("update attachment %1 of mail %2").arg(index).arg(shortHex(id)),
        QStringLiteral("mail %1 has no attachment %2").arg(shortHex(id)).arg(index));
}

Result<QByteArray> Mailbox::addNotice(const QString &subject, const QString &body)
{
    MailRecord notice;
    notice.id = MailMessage::newId(m_rng);
    notice.folder = Folder::Inbox;
    notice.kind = MailKind::Notice;
    notice.subject = subject;
    notice.body = body;
    notice.sentAt = m_scheduler.unixTime() * 1000;
    notice.receivedAt = notice.sentAt;
    auto added = add(notice);
    if (!added.ok())
        return added.error();
    return notice.id;
}

} // namespace cairn::mail
