#include "core/mail/outbox.h"

#include "core/base/log.h"
#include "core/base/rng.h"
#include "core/base/scheduler.h"
#include "core/crypto/envelope.h"
#include "core/dht/dhtnode.h"
#include "core/mail/inboxheader.h"
#include "core/mail/mailbox.h"
#include "core/mail/mailmessage.h"
#include "core/transfer/manifest.h"
#include "core/transfer/transfermanager.h"

#include <QFileInfo>

namespace cairn::mail {

namespace {

constexpr int kMaxAttempts = 6;
constexpr qint64 kInlineManifest = 24 * 1024;

QString hexId(const QByteArray &id)
{
    return QString::fromLatin1(id.toHex());
}

} // namespace

Outbox::Outbox(MailContext &context, QObject *parent) : QObject(parent), m_context(context)
{
    connect(&m_context.transfers, &transfer::TransferManager::uploadFinished, this, &Outbox::onUploadFinished);
    connect(&m_context.transfers, &transfer::TransferManager::failed, this, &Outbox::onTransferFailed);
}

Outbox::~Outbox() = default;

Result<QByteArray> Outbox::send(const SendRequest &request)
{
    if (request.to.isEmpty())
        return base::fail(MailError::InvalidArgument, QStringLiteral("name at least one recipient"));
    if (request.drop && request.paths.isEmpty())
        return base::fail(MailError::InvalidArgument, QStringLiteral("a drop needs at least one file or folder"));
    if (request.ttlSeconds < 0 || request.ttlSeconds > kMaxTtl)
        return base::fail(MailError::InvalidArgument,
            QStringLiteral("a message can wait in the group for at most %1 days").arg(kMaxTtl / 86400));
    for (const QString &path : request.paths) {
        const QFileInfo info(path);
        if (!info.exists())
            return base::fail(MailError::InvalidArgument, QStringLiteral("%1: no such file or folder").arg(path));
        if (!info.isReadable())
            return base::fail(MailError::InvalidArgument, QStringLiteral("%1: not readable").arg(path));
    }
    MailRecord mail;
    mail.id = MailMessage::newId(m_context.rng);
    mail.folder = Folder::Outbox;
    mail.kind = request.drop ? MailKind::FileDrop : MailKind::Mail;
    mail.from = m_context.username;
    mail.to = request.to;
    mail.subject = request.subject;
    mail.body = request.body;
    mail.sentAt = m_context.scheduler.unixTime() * 1000;
    mail.read = true;
    mail.sendState = request.paths.isEmpty() ? SendState::Sending : SendState::Uploading;
    mail.ttlSeconds = request.ttlSeconds > 0 ? request.ttlSeconds : (request.drop ? kDropTtl : kMailTtl);
    for (int i = 0; i < request.paths.size(); ++i) {
        const QFileInfo info(request.paths[i]);
        AttachmentRecord a;
        a.index = i;
        a.name = info.fileName();
        a.size = info.isFile() ? info.size() : 0;
        a.localPath = info.absoluteFilePath();
        a.state = AttachmentState::Pending;
        mail.attachments.append(a);
    }
    // The message must fit one envelope: check before uploading anything.
    MailMessage probe;
    probe.id = mail.id;
    probe.from = mail.from;
    probe.to = mail.to;
    probe.sentAt = mail.sentAt;
    probe.subject = mail.subject;
    probe.body = mail.body;
    if (auto encoded = probe.encode(); !encoded)
        return encoded.error();

    if (!request.paths.isEmpty()) {
        // What people see in their transfer list: what goes to whom.
        const QString what = request.paths.size() == 1 ? QFileInfo(request.paths.first()).fileName()
                                                       : QStringLiteral("%1 and %2 more")
                                                             .arg(QFileInfo(request.paths.first()).fileName())
                                                             .arg(request.paths.size() - 1);
        auto transfer = m_context.transfers.upload(request.paths, m_context.copies(), mail.ttlSeconds,
            request.drop ? QStringLiteral("%1 to %2").arg(what, request.to.join(QStringLiteral(", ")))
                         : QStringLiteral("Attachments of \"%1\" to %2")
                               .arg(request.subject, request.to.join(QStringLiteral(", "))),
            mail.id);
        if (!transfer)
            return base::fail(MailError::InvalidArgument, transfer.message());
        for (AttachmentRecord &a : mail.attachments)
            a.transferId = transfer.value();
    }
    if (auto added = m_context.mailbox.add(mail); !added)
        return added.error();
    if (request.paths.isEmpty())
        deliver(mail.id, {});
    return mail.id;
}

void Outbox::resume()
{
    auto pending = m_context.mailbox.list(Folder::Outbox, {}, 1000, 0);
    if (!pending)
        return;
    for (const MailRecord &mail : pending.value()) {
        if (mail.sendState == SendState::Failed || mail.sendState == SendState::Sent)
            continue;
        if (mail.attachments.isEmpty()) {
            deliver(mail.id, {});
            continue;
        }
        // The upload resumes by itself; if it finished before we stopped,
        // its manifest is in the transfer's record.
        for (const transfer::TransferInfo &t : m_context.transfers.transfers()) {
            if (t.tag != mail.id || t.direction != transfer::Direction::Upload)
                continue;
            if (t.state == transfer::TransferState::Done)
                onUploadFinished(t.id, t.manifest);
            else if (t.state == transfer::TransferState::Failed)
                finish(mail.id, false, t.error);
        }
    }
}

void Outbox::onUploadFinished(const QString &transferId, const transfer::Manifest &manifest)
{
    const auto info = m_context.transfers.info(transferId);
    if (!info || info->tag.size() != MailMessage::kIdBytes)
        return;
    auto mail = m_context.mailbox.get(hexId(info->tag));
    if (!mail || mail->folder != Folder::Outbox)
        return;
    setSendState(mail->id, SendState::Sending, {});
    deliver(mail->id, manifest.encode());
}

void Outbox::onTransferFailed(const QString &transferId, const QString &error)
{
    const auto info = m_context.transfers.info(transferId);
    if (info && info->direction == transfer::Direction::Upload && info->tag.size() == MailMessage::kIdBytes)
        finish(info->tag, false, error);
}

void Outbox::deliver(const QByteArray &id, const QByteArray &manifest)
{
    if (m_delivering.contains(id))
        return;
    m_delivering.insert(id);
    std::weak_ptr<bool> alive = m_alive;
    m_context.directory(false, [this, alive, id, manifest](const Directory *directory, const QString &error) {
        if (alive.expired())
            return;
        if (!directory)
            return retryLater(id, error);
        auto mail = m_context.mailbox.get(hexId(id));
        if (!mail)
            return finish(id, false, mail.message());
        for (const QString &user : mail->to) {
            if (!directory->contains(user)) {
                // Maybe someone who joined after our copy was made.
                m_context.directory(true, [this, alive, id, manifest, user](const Directory *fresh, const QString &) {
                    if (alive.expired())
                        return;
                    if (!fresh || !fresh->contains(user))
                        return finish(
                            id, false, QStringLiteral("there is no member named \"%1\" in this group").arg(user));
                    deliverTo(id, manifest, *fresh);
                });
                return;
            }
        }
        deliverTo(id, manifest, *directory);
    });
}

void Outbox::deliverTo(const QByteArray &id, const QByteArray &manifestBytes, const Directory &directory)
{
    auto mail = m_context.mailbox.get(hexId(id));
    if (!mail)
        return finish(id, false, mail.message());
    // Every device of every recipient, and our own devices (so our other
    // devices file it under Sent).
    struct Target {
        QString user;
        crypto::PublicKey x25519;
    };
    QList<Target> targets;
    QList<crypto::PublicKey> sealTo;
    QStringList users = mail->to;
    if (!users.contains(m_context.username))
        users.append(m_context.username);
    for (const QString &user : std::as_const(users)) {
        for (const DirectoryDevice &device : directory.value(user)) {
            auto x = crypto::ed25519ToX25519(device.signingKey);
            if (!x)
                continue;
            if (!sealTo.contains(x.value()))
                sealTo.append(x.value());
            if (user != m_context.username || device.signingKey != m_context.device.publicKey())
                targets.append({user, x.value()});
        }
    }
    if (sealTo.size() > crypto::Envelope::kMaxRecipients)
        return finish(
            id, false, QStringLiteral("too many recipient devices (at most %1)").arg(crypto::Envelope::kMaxRecipients));

    MailMessage message;
    message.id = mail->id;
    message.from = mail->from;
    message.to = mail->to;
    message.sentAt = mail->sentAt;
    message.subject = mail->subject;
    message.body = mail->body;
    message.kind = mail->kind;
    for (const AttachmentRecord &a : std::as_const(mail->attachments))
        message.summary.append(AttachmentSummary {a.name, a.size});
    const int copies = m_context.copies();
    const qint64 ttl = mail->ttlSeconds;
    std::weak_ptr<bool> alive = m_alive;

    auto sealAndStore = [this, alive, id, targets, sealTo, copies, ttl](MailMessage message) {
        auto plaintext = message.encode();
        if (!plaintext)
            return finish(id, false, plaintext.message());
        auto envelope = crypto::Envelope::seal(m_context.device, sealTo, plaintext.value());
        if (!envelope)
            return finish(id, false, envelope.message());
        const qint64 envelopeSize = envelope->size();
        m_context.dht.putBlob(
            envelope.value(), ttl,
            [this, alive, id, targets, copies, ttl, envelopeSize, sentAt = message.sentAt](
                dht::Result<QByteArray> key) {
                if (alive.expired())
                    return;
                if (!key)
                    return retryLater(id, key.message());
                auto remaining = std::make_shared<int>(int(targets.size()));
                auto failures = std::make_shared<QStringList>();
                if (targets.isEmpty())
                    return finish(id, true, {});
                for (const Target &t : targets) {
                    InboxHeader header;
                    header.messageId = id;
                    header.envelopeKey = key.value();
                    header.copies = copies;
                    header.deleteToken = InboxHeader::newToken(m_context.rng);
                    header.sentAt = sentAt;
                    header.envelopeSize = envelopeSize;
                    auto sealed = InboxHeader::seal(t.x25519, header);
                    if (!sealed) {
                        failures->append(sealed.message());
                        if (--*remaining == 0)
                            finish(id, false, failures->join(QStringLiteral("; ")));
                        continue;
                    }
                    m_context.dht.append(
                        inboxKey(m_context.groupId, t.user), sealed.value(), header.tokenHash(), ttl,
                        [this, alive, id, remaining, failures, user = t.user](dht::Result<dht::WriteReport> r) {
                            if (alive.expired())
                                return;
                            if (!r)
                                failures->append(QStringLiteral("%1: %2").arg(user, r.message()));
                            if (--*remaining > 0)
                                return;
                            if (failures->isEmpty())
                                finish(id, true, {});
                            else
                                retryLater(id, failures->join(QStringLiteral("; ")));
                        },
                        copies);
                }
            },
            {}, copies);
    };

    if (manifestBytes.size() <= kInlineManifest) {
        message.attachments = manifestBytes;
        sealAndStore(message);
        return;
    }
    // A manifest too big for the envelope travels as a stream of its own.
    m_context.transfers.uploadBytes(manifestBytes, copies, ttl,
        [this, alive, id, message, sealAndStore](transfer::Result<transfer::StreamRef> ref) mutable {
            if (alive.expired())
                return;
            if (!ref)
                return retryLater(id, ref.message());
            message.attachmentsStream = ref->encode();
            sealAndStore(message);
        });
}

void Outbox::setSendState(const QByteArray &id, SendState state, const QString &error)
{
    // The mailbox is local SQLite; a failure here (full disk) is logged and the
    // mail keeps its previous state, which the next start re-drives.
    if (auto updated = m_context.mailbox.updateSendState(id, state, error); !updated)
        qCWarning(lcMail) << "cannot record the state of" << hexId(id) << ":" << updated.message();
}

void Outbox::finish(const QByteArray &id, bool ok, const QString &error)
{
    m_delivering.remove(id);
    m_attempts.remove(id);
    if (ok) {
        setSendState(id, SendState::Sent, {});
        if (auto moved = m_context.mailbox.moveTo(id, Folder::Sent); !moved)
            qCWarning(lcMail) << "cannot file" << hexId(id) << "under Sent:" << moved.message();
        qCDebug(lcMail) << "sent" << hexId(id);
        Q_EMIT sent(id);
    } else {
        setSendState(id, SendState::Failed, error);
        qCWarning(lcMail) << "sending" << hexId(id) << "failed:" << error;
        Q_EMIT sendFailed(id, error);
    }
}

void Outbox::retryLater(const QByteArray &id, const QString &error)
{
    m_delivering.remove(id);
    const int attempt = ++m_attempts[id];
    if (attempt >= kMaxAttempts)
        return finish(id, false, error);
    setSendState(id, SendState::Sending, error);
    // 2, 4, 8, 16, 32 s: the group may be reconnecting.
    std::weak_ptr<bool> alive = m_alive;
    m_context.scheduler.callAfter(std::chrono::seconds(1LL << attempt), [this, alive, id] {
        if (alive.expired())
            return;
        auto mail = m_context.mailbox.get(hexId(id));
        if (!mail || mail->folder != Folder::Outbox)
            return;
        QByteArray manifest;
        if (!mail->attachments.isEmpty()) {
            // The upload's manifest is kept by the transfer.
            for (const transfer::TransferInfo &t : m_context.transfers.transfers()) {
                if (t.tag == id && t.direction == transfer::Direction::Upload
                    && t.state == transfer::TransferState::Done) {
                    manifest = t.manifest.encode();
                }
            }
        }
        deliver(id, manifest);
    });
}

} // namespace cairn::mail
