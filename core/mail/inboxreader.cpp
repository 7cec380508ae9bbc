#include "core/mail/inboxreader.h"

#include "core/base/log.h"
#include "core/crypto/envelope.h"
#include "core/dht/dhtnode.h"
#include "core/mail/inboxheader.h"
#include "core/mail/mailbox.h"
#include "core/mail/mailmessage.h"
#include "core/transfer/manifest.h"
#include "core/transfer/transfermanager.h"

#include <QDir>

namespace cairn::mail {

namespace {

constexpr qint64 kMaxManifestStream = 4 * 1024 * 1024;

QString hexId(const QByteArray &id)
{
    return QString::fromLatin1(id.toHex());
}

} // namespace

InboxReader::InboxReader(MailContext &context, QObject *parent) : QObject(parent), m_context(context)
{ }

InboxReader::~InboxReader()
{
    stop();
}

void InboxReader::start(base::Duration interval)
{
    stop();
    m_interval = interval;
    pollNow();
}

void InboxReader::stop()
{
    if (m_timer)
        m_context.scheduler.cancel(m_timer);
    m_timer = 0;
    m_interval = base::Duration {0};
}

void InboxReader::pollNow()
{
    if (m_polling) {
        m_again = true;
        return;
    }
    poll();
}

void InboxReader::poll()
{
    if (m_timer)
        m_context.scheduler.cancel(m_timer);
    m_timer = 0;
    m_polling = true;
    m_again = false;
    m_newInPoll = 0;
    ++m_polls;
    std::weak_ptr<bool> alive = m_alive;
    m_context.dht.list(
        inboxKey(m_context.groupId, m_context.username),
        [this, alive](dht::Result<QList<dht::InboxItem>> items) {
            if (alive.expired())
                return;
            if (!items) {
                qCDebug(lcMail) << "listing the inbox failed:" << items.message();
                return finishPoll();
            }
            process(items.value());
        },
        m_context.readCopies());
}

void InboxReader::process(const QList<dht::InboxItem> &items)
{
    m_inFlight = 1; // held until every entry is started
    for (const dht::InboxItem &item : items) {
        const QByteArray entryId = crypto::blake2b(item.data, 32);
        auto opened = InboxHeader::open(m_context.device, item.data);
        if (!opened) {
            // Another device of ours shares the inbox; anything else we
            // cannot open we cannot delete either: it expires.
            if (opened.code() != MailError::NotForUs)
                qCDebug(lcMail) << "an inbox entry does not open:" << opened.message();
            continue;
        }
        const Header header = std::make_shared<const InboxHeader>(std::move(opened.value()));
        if (m_handled.contains(entryId))
            continue;
        auto known = m_context.mailbox.contains(header->messageId);
        if (known.ok() && known.value()) {
            // Already read (from another replica, or before a restart):
            // only the remote copy is left to delete.
            removeEntry(header, entryId);
            continue;
        }
        ++m_inFlight;
        std::weak_ptr<bool> alive = m_alive;
        fetch(header, entryId, [this, alive](bool isNew) {
            if (alive.expired())
                return;
            if (isNew)
                ++m_newInPoll;
            if (--m_inFlight == 0)
                finishPoll();
        });
    }
    if (--m_inFlight == 0)
        finishPoll();
}

void InboxReader::fetch(const Header &header, const QByteArray &entryId, std::function<void(bool)> done)
{
    std::weak_ptr<bool> alive = m_alive;
    m_context.dht.getBlob(
        header->envelopeKey,
        [this, alive, header, entryId, done](dht::Result<QByteArray> envelope) {
            if (alive.expired())
                return;
            if (!envelope) {
                // Not reachable now; the entry stays and a later poll tries again.
                qCDebug(lcMail) << "the envelope of" << hexId(header->messageId)
                                << "is not reachable:" << envelope.message();
                return done(false);
            }
            auto opened = crypto::Envelope::open(m_context.device, envelope.value());
            if (!opened) {
                reject(header, entryId,
                    QStringLiteral("A message could not be opened (%1); it was deleted.").arg(opened.message()));
                return done(false);
            }
            accept(header, entryId, opened->signer, opened->body, done);
        },
        {}, header->copies);
}

void InboxReader::accept(const Header &header, const QByteArray &entryId, const crypto::PublicKey &signer,
    const QByteArray &plaintext, std::function<void(bool)> done)
{
    auto message = MailMessage::decode(plaintext);
    if (!message) {
        reject(header, entryId, QStringLiteral("A malformed message was deleted: %1").arg(message.message()));
        return done(false);
    }
    if (message->id != header->messageId) {
        reject(header, entryId,
            QStringLiteral("A message from \"%1\" was deleted: its inbox entry points at another message.")
                .arg(message->from));
        return done(false);
    }
    if (!message->to.contains(m_context.username) && message->from != m_context.username) {
        reject(header, entryId,
            QStringLiteral("A message from \"%1\" was deleted: it is not addressed to you.").arg(message->from));
        return done(false);
    }
    std::weak_ptr<bool> alive = m_alive;
    auto check = [this, alive, header, entryId, signer, msg = message.value(), done](bool fresh, auto &&self) -> void {
        m_context.directory(fresh, [=, this](const Directory *directory, const QString &error) {
            if (alive.expired())
                return;
            if (!directory) {
                qCDebug(lcMail) << "no directory to check a sender against:" << error;
                return done(false); // try again at the next poll
            }
            const QList<DirectoryDevice> devices = directory->value(msg.from);
            const bool known = std::any_of(
                devices.begin(), devices.end(), [&](const DirectoryDevice &d) { return d.signingKey == signer; });
            if (known)
                return store(header, entryId, msg, {}, done);
            if (!fresh)
                return self(true, self); // the sender may have a device newer than our copy
            reject(header, entryId,
                QStringLiteral("Rejected a message that claimed to be from \"%1\": it was signed by a key that is "
                               "not one of %1's devices (signer %2). It was deleted unread.")
                    .arg(msg.from, signer.toHex().left(16)));
            done(false);
        });
    };
    check(false, check);
}

void InboxReader::store(const Header &header, const QByteArray &entryId, const MailMessage &message,
    const QByteArray &manifestIn, std::function<void(bool)> done)
{
    QByteArray manifestBytes = manifestIn.isEmpty() ? message.attachments : manifestIn;
    if (manifestBytes.isEmpty() && !message.attachmentsStream.isEmpty()) {
        auto ref = transfer::StreamRef::decode(message.attachmentsStream);
        if (!ref) {
            reject(header, entryId,
                QStringLiteral("A message from \"%1\" was deleted: its attachment list is malformed.")
                    .arg(message.from));
            return done(false);
        }
        std::weak_ptr<bool> alive = m_alive;
        m_context.transfers.downloadBytes(
            ref.value(), kMaxManifestStream, [=, this](transfer::Result<QByteArray> bytes) {
                if (alive.expired())
                    return;
                if (!bytes)
                    return done(false); // try again at the next poll
                store(header, entryId, message, bytes.value(), done);
            });
        return;
    }
    transfer::Manifest manifest;
    if (!manifestBytes.isEmpty()) {
        auto decoded = transfer::Manifest::decode(manifestBytes);
        if (!decoded) {
            reject(header, entryId,
                QStringLiteral("A message from \"%1\" was deleted: its attachment list is malformed.")
                    .arg(message.from));
            return done(false);
        }
        manifest = decoded.value();
    }
    MailRecord mail;
    mail.id = message.id;
    mail.folder = message.from == m_context.username ? Folder::Sent : Folder::Inbox;
    mail.kind = message.kind;
    mail.from = message.from;
    mail.to = message.to;
    mail.subject = message.subject;
    mail.body = message.body;
    mail.sentAt = message.sentAt;
    mail.receivedAt = m_context.scheduler.unixTime() * 1000;
    mail.read = mail.folder == Folder::Sent;
    mail.sendState = SendState::Sent;
    mail.manifest = manifestBytes;
    for (int i = 0; i < manifest.files.size(); ++i) {
        AttachmentRecord a;
        a.index = i;
        a.name = manifest.files[i].path;
        a.size = manifest.files[i].size;
        a.state = AttachmentState::Pending;
        mail.attachments.append(a);
    }
    auto added = m_context.mailbox.add(mail);
    if (!added) {
        qCWarning(lcMail) << "cannot store a received message:" << added.message();
        return done(false); // the entry stays; a later poll tries again
    }
    m_handled.insert(entryId);
    removeEntry(header, entryId);
    if (!added.value()) {
        qCDebug(lcMail) << "message" << hexId(mail.id) << "was stored before";
        return done(false);
    }
    qCDebug(lcMail) << "stored message" << hexId(mail.id) << "from" << mail.from << "with" << mail.attachments.size()
                    << "attachments";
    // Attachments of a mail come with it (into the profile); a drop's files
    // go to the download folder when the user (or the setting) says so.
    if (!manifest.files.isEmpty() && mail.folder == Folder::Inbox) {
        const QString dir = mail.kind == MailKind::Mail
            ? m_context.mailbox.attachmentDir(mail.id)
            : (m_context.autoReceiveDir ? m_context.autoReceiveDir() : QString());
        if (!dir.isEmpty()) {
            QDir().mkpath(dir); // download() names the problem if this failed
            auto transfer = m_context.transfers.download(manifest, dir,
                mail.kind == MailKind::Mail ? QStringLiteral("Attachments of \"%1\"").arg(mail.subject)
                                            : QStringLiteral("Drop from %1").arg(mail.from),
                mail.id);
            if (!transfer)
                qCWarning(lcMail) << "cannot start downloading attachments:" << transfer.message();
            const auto state = transfer ? AttachmentState::Downloading : AttachmentState::Failed;
            for (int i = 0; i < mail.attachments.size(); ++i) {
                auto updated = m_context.mailbox.updateAttachment(
                    mail.id, i, state, {}, transfer ? transfer.value() : QString());
                if (!updated)
                    qCWarning(lcMail) << "cannot record an attachment download:" << updated.message();
            }
        }
    }
    Q_EMIT newMail(mail.id);
    done(true);
}

void InboxReader::reject(const Header &header, const QByteArray &entryId, const QString &reason)
{
    qCWarning(lcMail) << "rejected message" << hexId(header->messageId) << reason;
    if (auto notice = m_context.mailbox.addNotice(QStringLiteral("A message was rejected"), reason); !notice)
        qCWarning(lcMail) << "cannot add a notice to the inbox:" << notice.message();
    m_handled.insert(entryId);
    removeEntry(header, entryId);
    Q_EMIT rejected(reason);
}

void InboxReader::removeEntry(const Header &header, const QByteArray &entryId)
{
    std::weak_ptr<bool> alive = m_alive;
    // Only once what we stored is on disk: a power cut must not lose the
    // mail after its last remote copy is gone.
    m_context.mailbox.whenDurable([this, alive, header, entryId] {
        if (alive.expired())
            return;
        m_context.dht.remove(
            inboxKey(m_context.groupId, m_context.username), entryId, header->deleteToken.view().toByteArray(),
            [this, alive, entryId](dht::Result<int> removed) {
                if (alive.expired())
                    return;
                // Replicas we could not reach keep the entry; the next poll
                // finds it again and deletes it then (the mail is stored once).
                if (removed && removed.value() > 0)
                    m_handled.remove(entryId);
            },
            m_context.readCopies());
    });
}

void InboxReader::finishPoll()
{
    m_polling = false;
    Q_EMIT pollFinished(m_newInPoll);
    if (m_again) {
        poll();
        return;
    }
    if (m_interval.count() > 0) {
        std::weak_ptr<bool> alive = m_alive;
        m_timer = m_context.scheduler.callAfter(m_interval, [this, alive] {
            if (alive.expired())
                return;
            m_timer = 0;
            poll();
        });
    }
}

} // namespace cairn::mail
