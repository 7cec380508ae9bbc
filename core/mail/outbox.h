#pragma once

#include "core/mail/error.h"
#include "core/mail/mailbox.h"
#include "core/mail/mailcontext.h"

#include <QObject>
#include <QSet>
#include <QStringList>

namespace cairn::transfer {
struct Manifest;
}

namespace cairn::mail {

/// What a user asks to send: a mail (text and attachments) or a file drop.
struct SendRequest {
    QStringList to; // usernames
    QString subject;
    QString body;
    QStringList paths; // attachments, or the files and folders of a drop
    bool drop = false;
    qint64 ttlSeconds = 0; // 0: the default for mail or for drops
};

/// The sending side of mail. A mail waits in the Outbox folder while its
/// attachments upload (chunked, resumable: see transfer::TransferManager),
/// then the signed envelope is sealed to every device of every recipient
/// and to our own devices, stored once as a blob under its hash, and a
/// sealed header with a fresh delete token is appended to each recipient
/// device's inbox, each at k replicas. Mail left in the Outbox by a
/// previous run is picked up again by resume().
class Outbox : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kMailTtl = 30LL * 24 * 3600;
    static constexpr qint64 kDropTtl = 7LL * 24 * 3600;
    /// Storage nodes keep nothing longer (store::StoreLimits::maxTtlSeconds)
    /// and would cut a longer TTL short without a word.
    static constexpr qint64 kMaxTtl = 30LL * 24 * 3600;

    explicit Outbox(MailContext &context, QObject *parent = nullptr);
    ~Outbox() override;

    /// Checks the request (recipients named, files readable), stores the
    /// mail in the Outbox folder and starts sending; the mail's id.
    Result<QByteArray> send(const SendRequest &request);
    /// Goes on with every mail a previous run left in the Outbox.
    void resume();

Q_SIGNALS:
    void sent(const QByteArray &id);
    void sendFailed(const QByteArray &id, const QString &error);

private:
    void onUploadFinished(const QString &transferId, const transfer::Manifest &manifest);
    void onTransferFailed(const QString &transferId, const QString &error);
    /// Resolves the recipients, then seals and stores (deliverSealed).
    void deliver(const QByteArray &id, const QByteArray &manifest);
    void deliverTo(const QByteArray &id, const QByteArray &manifest, const Directory &directory);
    void setSendState(const QByteArray &id, SendState state, const QString &error);
    void finish(const QByteArray &id, bool ok, const QString &error);
    void retryLater(const QByteArray &id, const QString &error);

    MailContext &m_context;
    QSet<QByteArray> m_delivering;
    QHash<QByteArray, int> m_attempts;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace cairn::mail
