#pragma once

#include "core/base/scheduler.h"
#include "core/engine/error.h"
#include "core/mail/mailcontext.h"
#include "core/mail/outbox.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace cairn::dht {
class DhtNode;
}
namespace cairn::mail {
class Mailbox;
class InboxReader;
} // namespace cairn::mail
namespace cairn::transfer {
class TransferManager;
}

namespace cairn::engine {

class Node;
struct NodeConfig;
struct Membership;

/// How many copies new items get, and why: the target success rate, the
/// measured availability of storage nodes and what the group can still hold.
struct ReplicationInfo {
    double targetSuccess = 0;
    double availability = 0;
    int availabilitySamples = 0;
    int copies = 0;
    int storageNodes = 0;
    qint64 groupFreeBytes = -1; // -1: no census yet
};

/// Mail and file drops on a member node: the local mailbox, the transfer
/// journal, the outbox and the inbox reader, the group directory they
/// check names and signers against (cached, verified against the CA), and
/// the storage census that gives k and the group's free space.
class Messaging : public QObject {
    Q_OBJECT
public:
    template <typename T> using Callback = std::function<void(Result<T>)>;

    Messaging(Node &node, dht::DhtNode &dht, base::Scheduler &scheduler, base::Rng &rng,
        const crypto::DeviceKey &device, const Membership &membership, const NodeConfig &config,
        QObject *parent = nullptr);
    ~Messaging() override;

    /// Opens mailbox.db and transfers.db in the profile, resumes unfinished
    /// transfers and sends, and starts polling the inbox.
    Result<void> open();

    mail::Mailbox &mailbox() { return *m_mailbox; }
    transfer::TransferManager &transfers() { return *m_transfers; }

    /// Sends a mail or a drop. Anything with files first checks that the
    /// group can hold it (k copies of every byte): if not, it fails at once.
    void send(const mail::SendRequest &request, Callback<QByteArray> done);
    /// Downloads a received drop (or a mail's attachments again) into `dir`
    /// (empty: the configured download folder). The transfer's id.
    Result<QString> receive(const QString &mailId, const QString &dir);
    /// Polls the inbox now (after reconnecting, or when asked).
    void pollNow();
    /// Polls now and calls `then` once that poll is over.
    void pollAndThen(std::function<void()> then);
    ReplicationInfo replication() const;
    /// Why the group cannot hold k copies of `fileBytes` of files, from the
    /// last census; empty if it can (or no census has answered yet).
    QString capacityProblem(qint64 fileBytes) const;
    /// Bytes of the files and folders (everything below them); -1 if one
    /// path is missing.
    static qint64 filesSize(const QStringList &paths);
    int copiesNow() const;

Q_SIGNALS:
    void newMail(const QByteArray &id);
    void mailSent(const QByteArray &id);
    void mailFailed(const QByteArray &id, const QString &error);

private:
    void lookupDirectory(bool fresh, std::function<void(const mail::Directory *, const QString &)> done);
    void runCensus(std::function<void()> then = {});
    void onTransferFinished(const QString &transferId);
    void markAttachments(
        const mail::MailRecord &mail, mail::AttachmentState state, const QStringList &paths, const QString &transferId);

    Node &m_node;
    dht::DhtNode &m_dht;
    base::Scheduler &m_scheduler;
    base::Rng &m_rng;
    const crypto::DeviceKey &m_device;
    QString m_profileDir;
    QString m_username;
    QByteArray m_groupId;
    QString m_downloadDir;
    bool m_autoReceive = false;
    double m_targetSuccess;
    int m_minCopies;
    int m_readCopies;
    base::Duration m_pollInterval;

    std::unique_ptr<mail::Mailbox> m_mailbox;
    std::unique_ptr<transfer::TransferManager> m_transfers;
    std::unique_ptr<mail::MailContext> m_context;
    std::unique_ptr<mail::Outbox> m_outbox;
    std::unique_ptr<mail::InboxReader> m_reader;

    std::optional<mail::Directory> m_directory;
    base::Instant m_directoryAt {0};
    QList<std::function<void(const mail::Directory *, const QString &)>> m_directoryWaiters;
    bool m_directoryBusy = false;

    ReplicationInfo m_replication;
    base::Instant m_censusAt {0};
    bool m_censusBusy = false;
    QList<std::function<void()>> m_censusWaiters;
    QList<std::function<void()>> m_pollWaiters;
    base::TimerId m_censusTimer = 0;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace cairn::engine
