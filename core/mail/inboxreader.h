#pragma once

#include "core/base/scheduler.h"
#include "core/mail/mailcontext.h"

#include <QObject>
#include <QSet>

#include <memory>

namespace cairn::dht {
struct InboxItem;
}

namespace cairn::mail {

struct InboxHeader;

/// The reading side of mail. A poll lists every replica of our inbox key
/// and merges them by entry id, opens the headers sealed to this device,
/// fetches each envelope from any replica whose bytes match its hash,
/// verifies that the signer is a current device of the claimed sender,
/// decrypts, stores the mail locally (starting its attachments' download)
/// and then deletes the entry at every replica with its delete token.
/// Polls run at an interval and at once when asked (after reconnecting).
class InboxReader : public QObject {
    Q_OBJECT
public:
    explicit InboxReader(MailContext &context, QObject *parent = nullptr);
    ~InboxReader() override;

    /// Polls now and then every `interval`.
    void start(base::Duration interval);
    void stop();
    /// Polls as soon as the current poll (if any) is done.
    void pollNow();
    bool isPolling() const { return m_polling; }
    quint64 polls() const { return m_polls; }

Q_SIGNALS:
    void newMail(const QByteArray &id);
    /// A message was refused (forged sender, malformed); the user is told
    /// through a notice in the Inbox as well.
    void rejected(const QString &reason);
    void pollFinished(int newMessages);

private:
    void poll();
    void process(const QList<dht::InboxItem> &items);
    using Header = std::shared_ptr<const InboxHeader>; // holds a secret: shared, not copied
    void fetch(const Header &header, const QByteArray &entryId, std::function<void(bool)> done);
    void accept(const Header &header, const QByteArray &entryId, const crypto::PublicKey &signer,
        const QByteArray &plaintext, std::function<void(bool)> done);
    void store(const Header &header, const QByteArray &entryId, const struct MailMessage &message,
        const QByteArray &manifest, std::function<void(bool)> done);
    void reject(const Header &header, const QByteArray &entryId, const QString &reason);
    void removeEntry(const Header &header, const QByteArray &entryId);
    void finishPoll();

    MailContext &m_context;
    base::Duration m_interval {0};
    base::TimerId m_timer = 0;
    bool m_polling = false;
    bool m_again = false;
    int m_inFlight = 0;
    int m_newInPoll = 0;
    quint64 m_polls = 0;
    /// Entries we already handled whose remote delete may still be on its way.
    QSet<QByteArray> m_handled;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace cairn::mail
