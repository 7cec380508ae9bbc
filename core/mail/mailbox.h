#pragma once

#include "core/mail/error.h"
#include "core/mail/mailmessage.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace cairn::base {
class Rng;
class Scheduler;
} // namespace cairn::base

namespace cairn::mail {

namespace detail {
class MailboxDb;
}

enum class Folder : quint8 {
    Inbox = 0,
    Sent = 1,
    Trash = 2,
    Outbox = 3, // being sent: waiting for attachment uploads or for the DHT
};

/// Where a mail in the Outbox stands. Mail received or filed from another
/// device is Sent; None is for notices.
enum class SendState : quint8 {
    None = 0,
    Queued = 1,
    Uploading = 2, // attachments uploading
    Sending = 3, // envelope and inbox entries being written (or waiting to retry)
    Sent = 4,
    Failed = 5,
};

enum class AttachmentState : quint8 {
    Pending = 0,
    Downloading = 1,
    Done = 2,
    Failed = 3,
};

/// Lower-case names for the control API and logs ("inbox", "uploading").
QString folderName(Folder folder);
std::optional<Folder> folderFromName(QStringView name);
QString sendStateName(SendState state);
QString attachmentStateName(AttachmentState state);
QString kindName(MailKind kind);

/// One attachment of a stored mail.
struct AttachmentRecord {
    int index = 0; // position in the manifest, from 0
    QString name; // relative path, as the sender named it
    qint64 size = 0;
    /// Inside Mailbox::attachmentDir(id) for mail; a download destination
    /// of the user's for drops; the original file for mail we send.
    QString localPath;
    AttachmentState state = AttachmentState::Pending;
    QString transferId;
    friend bool operator==(const AttachmentRecord &, const AttachmentRecord &) = default;
};

/// A mail as the mailbox stores it.
struct MailRecord {
    QByteArray id; // 16 bytes: the message id
    Folder folder = Folder::Inbox;
    MailKind kind = MailKind::Mail;
    QString from; // empty for a notice
    QStringList to;
    QString subject;
    QString body;
    qint64 sentAt = 0; // unix milliseconds
    qint64 receivedAt = 0; // unix milliseconds; 0 for mail we wrote
    bool read = false;
    SendState sendState = SendState::None;
    QString sendError; // why the last attempt failed (Outbox)
    qint64 ttlSeconds = 0; // Outbox: how long what is written for it lives
    QByteArray manifest; // the encoded attachment manifest, opaque here; empty: none
    QList<AttachmentRecord> attachments; // ordered by index
    friend bool operator==(const MailRecord &, const MailRecord &) = default;

    /// The id as 32 lower-case hex digits, as users see it.
    QString idHex() const { return QString::fromLatin1(id.toHex()); }
};

/// How many mails a folder holds and how many of them are unread.
struct FolderCounts {
    qint64 total = 0;
    qint64 unread = 0;
    friend bool operator==(const FolderCounts &, const FolderCounts &) = default;
};

/// The local mailbox: every mail of this profile in one SQLite database
/// (WAL, secure_delete, one transaction per change, synced to disk off the
/// event loop right after each commit: see whenDurable()), and
/// attachment files under `<attachments root>/<id hex>/`. A mail is found
/// by its id or by a unique prefix of at least 4 hex digits of it, as git
/// finds commits. Plain storage: it emits nothing; whoever changes it (the
/// engine) tells the UI. Time for notices comes from the Scheduler.
class Mailbox {
public:
    static constexpr int kSchemaVersion = 1;
    static constexpr qsizetype kMinPrefix = 4;
    static constexpr int kMaxListLimit = 1000;
    static constexpr qsizetype kMaxAttachments = MailMessage::kMaxSummaryEntries;

    /// Opens or creates the mailbox database at `databasePath`; attachments
    /// go below `attachmentsRoot` (created when first needed). Refuses a
    /// file that is not a Cairn mailbox (Corrupt) or that a newer Cairn
    /// wrote (UnsupportedSchema), leaving it untouched.
    static Result<std::unique_ptr<Mailbox>> open(
        const QString &databasePath, const QString &attachmentsRoot, base::Scheduler &scheduler, base::Rng &rng);
    ~Mailbox();
    Mailbox(const Mailbox &) = delete;
    Mailbox &operator=(const Mailbox &) = delete;

    /// Stores a mail with its attachments. Idempotent by id: true if it was
    /// new, false if a mail with that id was already stored (nothing is
    /// changed then), so a message read from two replicas is stored once.
    Result<bool> add(const MailRecord &mail);
    Result<bool> contains(const QByteArray &id);

    /// By 32 hex digits or a unique prefix of at least kMinPrefix (case
    /// ignored). NotFound, Ambiguous (the message says to type more), or
    /// InvalidArgument for something that is not hex.
    Result<MailRecord> get(const QString &idOrPrefix);
    /// By the 16-byte id.
    Result<MailRecord> get(const QByteArray &id);
    /// The 16-byte id an id or prefix names.
    Result<QByteArray> resolve(const QString &idOrPrefix);

    /// A folder's mails, newest first (by sending time). `search`, if not
    /// empty, keeps the mails whose sender or subject contains it, case
    /// ignored. limit is 1..kMaxListLimit.
    Result<QList<MailRecord>> list(Folder folder, const QString &search = {}, int limit = 100, int offset = 0);

    Result<void> setRead(const QByteArray &id, bool read = true);
    Result<void> setRead(const QString &idOrPrefix, bool read = true);
    /// Moves a mail to another folder. Moving a mail that is in the Trash
    /// to the Trash deletes it for ever (as purge()).
    Result<void> moveTo(const QByteArray &id, Folder folder);
    Result<void> moveTo(const QString &idOrPrefix, Folder folder);
    /// Delete as a user means it: into the Trash, or for ever if it is
    /// there already. True if it was deleted for ever.
    Result<bool> remove(const QByteArray &id);
    /// Deletes the mail, its attachment rows and its attachment directory.
    /// Files outside attachmentDir(id) (a drop saved where the user chose)
    /// are the user's and stay.
    Result<void> purge(const QByteArray &id);

    Result<qint64> unreadCount(Folder folder);
    /// Every folder, including empty ones.
    Result<QMap<Folder, FolderCounts>> counts();

    /// The send state of a mail and why it failed (empty: no error).
    Result<void> updateSendState(const QByteArray &id, SendState state, const QString &error = {});
    /// One attachment's state; an empty localPath or transferId keeps the
    /// stored one.
    Result<void> updateAttachment(const QByteArray &id, int index, AttachmentState state, const QString &localPath = {},
        const QString &transferId = {});

    /// A system message in the Inbox (kind Notice, unread, from nobody),
    /// e.g. "Rejected a message that claimed to be from alice". Its new id.
    Result<QByteArray> addNotice(const QString &subject, const QString &body);

    /// Calls `done` on this thread once every change made so far is on disk
    /// (a power cut no longer loses it): at once if it is, else when the
    /// worker thread has synced it, within milliseconds. Needs the event loop.
    void whenDurable(std::function<void()> done);

    /// `<attachments root>/<id hex>`: where a mail's attachments are saved.
    QString attachmentDir(const QByteArray &id) const;
    const QString &attachmentsRoot() const { return m_attachmentsRoot; }
    QString databasePath() const;

private:
    Mailbox(QString attachmentsRoot, base::Scheduler &scheduler, base::Rng &rng);
    Result<QList<AttachmentRecord>> attachmentsOf(const QByteArray &id);
    Result<void> insert(const MailRecord &mail);

    std::unique_ptr<detail::MailboxDb> m_db;
    QString m_attachmentsRoot;
    base::Scheduler &m_scheduler;
    base::Rng &m_rng;
};

} // namespace cairn::mail
