#include "core/engine/messaging.h"

#include "core/base/log.h"
#include "core/base/scheduler.h"
#include "core/dht/dhtnode.h"
#include "core/engine/membership.h"
#include "core/engine/node.h"
#include "core/engine/nodeconfig.h"
#include "core/identity/verify.h"
#include "core/mail/inboxreader.h"
#include "core/mail/mailbox.h"
#include "core/transfer/manifest.h"
#include "core/transfer/transfermanager.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

namespace cairn::engine {

namespace {

constexpr base::Duration kDirectoryMaxAge = std::chrono::minutes(5);
constexpr base::Duration kCensusInterval = std::chrono::minutes(1);
constexpr base::Duration kCensusMaxAge = std::chrono::seconds(20);

/// Bytes on disk (files under folders included), -1 if unreadable.
qint64 diskSize(const QString &path)
{
    const QFileInfo info(path);
    if (info.isFile())
        return info.size();
    if (!info.isDir())
        return -1;
    qint64 total = 0;
    QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

/// What storing `bytes` of files costs the group per copy: each 64 KiB
/// chunk grows by its tag and is charged a per-item overhead by donors.
qint64 storedSize(qint64 bytes)
{
    const qint64 chunks = bytes / (64 * 1024) + 1;
    return bytes + chunks * (17 + 256);
}

QString humanBytes(qint64 bytes)
{
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    return unit == 0 ? QStringLiteral("%1 B").arg(bytes)
                     : QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1String(units[unit]));
}

} // namespace

Messaging::Messaging(Node &node, dht::DhtNode &dht, base::Scheduler &scheduler, base::Rng &rng,
    const crypto::DeviceKey &device, const Membership &membership, const NodeConfig &config, QObject *parent)
    : QObject(parent),
      m_node(node),
      m_dht(dht),
      m_scheduler(scheduler),
      m_rng(rng),
      m_device(device),
      m_profileDir(config.profileDir),
      m_downloadDir(config.downloadDir),
      m_autoReceive(config.autoReceive),
      m_targetSuccess(config.targetSuccess),
      m_minCopies(config.minCopies),
      m_readCopies(qMax(config.replicas, config.minCopies)),
      m_pollInterval(std::chrono::seconds(config.mailPollSeconds))
{
    m_replication.targetSuccess = m_targetSuccess;
    m_replication.availability = m_dht.availability().p;
    m_replication.copies = copiesNow();
    m_username = membership.username;
    m_groupId = membership.groupId;
}

Messaging::~Messaging()
{
    if (m_censusTimer)
        m_scheduler.cancel(m_censusTimer);
}

Result<void> Messaging::open()
{
    const QDir profile(m_profileDir);
    auto mailbox = mail::Mailbox::open(profile.filePath(QStringLiteral("mailbox.db")),
        profile.filePath(QStringLiteral("attachments")), m_scheduler, m_rng);
    if (!mailbox)
        return base::fail(EngineError::Storage, QStringLiteral("cannot open the mailbox: %1").arg(mailbox.message()));
    m_mailbox = std::move(mailbox.value());
    m_transfers = std::make_unique<transfer::TransferManager>(m_dht, m_scheduler);
    std::weak_ptr<bool> alive = m_alive;
    m_context = std::make_unique<mail::MailContext>(mail::MailContext {
        m_dht,
        *m_transfers,
        *m_mailbox,
        m_scheduler,
        m_rng,
        m_device,
        m_username,
        m_groupId,
        [this](bool fresh, std::function<void(const mail::Directory *, const QString &)> done) {
            lookupDirectory(fresh, std::move(done));
        },
        [this] { return copiesNow(); },
        [this] { return qMax(m_readCopies, copiesNow()); },
        [this] { return m_autoReceive ? m_downloadDir : QString(); },
    });
    m_outbox = std::make_unique<mail::Outbox>(*m_context);
    m_reader = std::make_unique<mail::InboxReader>(*m_context);
    connect(m_outbox.get(), &mail::Outbox::sent, this, &Messaging::mailSent);
    connect(m_outbox.get(), &mail::Outbox::sendFailed, this, &Messaging::mailFailed);
    connect(m_reader.get(), &mail::InboxReader::newMail, this, &Messaging::newMail);
    connect(m_reader.get(), &mail::InboxReader::pollFinished, this, [this] {
        if (m_reader->isPolling())
            return; // another round was asked for meanwhile
        const auto waiters = std::exchange(m_pollWaiters, {});
        for (const auto &w : waiters)
            w();
    });
    connect(m_transfers.get(), &transfer::TransferManager::downloadFinished, this,
        [this](const QString &id, const QStringList &) { onTransferFinished(id); });
    connect(m_transfers.get(), &transfer::TransferManager::failed, this,
        [this](const QString &id, const QString &) { onTransferFinished(id); });
    if (auto opened = m_transfers->open(profile.filePath(QStringLiteral("transfers.db"))); !opened)
        return base::fail(
            EngineError::Storage, QStringLiteral("cannot open the transfer journal: %1").arg(opened.message()));
    m_outbox->resume();
    m_reader->start(m_pollInterval);
    auto census = std::make_shared<std::function<void()>>();
    *census = [this, census, alive] {
        if (alive.expired())
            return;
        runCensus();
        m_censusTimer = m_scheduler.callAfter(kCensusInterval, *census);
    };
    // The overlay needs a moment after start to fill the routing table.
    m_censusTimer = m_scheduler.callAfter(std::chrono::seconds(2), *census);
    return {};
}

int Messaging::copiesNow() const
{
    return dht::replicasFor(m_targetSuccess, m_dht.availability().p, m_minCopies, dht::DhtNode::kMaxCopies);
}

ReplicationInfo Messaging::replication() const
{
    ReplicationInfo info = m_replication;
    const auto availability = m_dht.availability();
    info.availability = availability.p;
    info.availabilitySamples = availability.samples;
    info.copies = copiesNow();
    return info;
}

void Messaging::pollNow()
{
    if (m_reader)
        m_reader->pollNow();
}

void Messaging::pollAndThen(std::function<void()> then)
{
    m_pollWaiters.append(std::move(then));
    m_reader->pollNow();
}

void Messaging::runCensus(std::function<void()> then)
{
    if (then)
        m_censusWaiters.append(std::move(then));
    if (m_censusBusy)
        return;
    m_censusBusy = true;
    std::weak_ptr<bool> alive = m_alive;
    m_dht.census([this, alive](const dht::Census &census) {
        if (alive.expired())
            return;
        m_censusBusy = false;
        m_censusAt = m_scheduler.now();
        m_replication.storageNodes = census.storageNodes;
        m_replication.groupFreeBytes = census.freeBytes;
        const auto waiters = std::exchange(m_censusWaiters, {});
        for (const auto &w : waiters)
            w();
    });
}

qint64 Messaging::filesSize(const QStringList &paths)
{
    qint64 total = 0;
    for (const QString &path : paths) {
        const qint64 size = diskSize(path);
        if (size < 0)
            return -1;
        total += size;
    }
    return total;
}

QString Messaging::capacityProblem(qint64 fileBytes) const
{
    const int k = copiesNow();
    const qint64 needed = storedSize(fileBytes) * k;
    const qint64 free = m_replication.groupFreeBytes;
    if (fileBytes <= 0 || free < 0 || needed <= free)
        return {};
    return QStringLiteral("the group cannot hold this: %1 of files needs %2 of donated storage (%3 copies), but only "
                          "%4 is free on %5 storage nodes")
        .arg(humanBytes(fileBytes), humanBytes(needed))
        .arg(k)
        .arg(humanBytes(free))
        .arg(m_replication.storageNodes);
}

void Messaging::send(const mail::SendRequest &request, Callback<QByteArray> done)
{
    qint64 total = 0;
    for (const QString &path : request.paths) {
        const qint64 size = diskSize(path);
        if (size < 0)
            return done(
                base::fail(EngineError::InvalidArgument, QStringLiteral("%1: no such file or folder").arg(path)));
        total += size;
    }
    auto go = [this, request, done] {
        auto id = m_outbox->send(request);
        if (!id)
            return done(base::fail(EngineError::InvalidArgument, id.message()));
        done(id.value());
    };
    if (total == 0)
        return go();
    // Files: the group must be able to hold k copies of them. Asked now
    // unless a census is recent, since storage fills up.
    std::weak_ptr<bool> alive = m_alive;
    auto check = [this, alive, total, go, done] {
        if (alive.expired())
            return;
        if (const QString problem = capacityProblem(total); !problem.isEmpty())
            return done(base::fail(EngineError::Storage, problem));
        go();
    };
    if (m_censusAt.count() > 0 && m_scheduler.now() - m_censusAt < kCensusMaxAge)
        return check();
    runCensus(check);
}

Result<QString> Messaging::receive(const QString &mailId, const QString &dir)
{
    auto mail = m_mailbox->get(mailId);
    if (!mail)
        return base::fail(EngineError::NotFound, mail.message());
    if (mail->manifest.isEmpty())
        return base::fail(EngineError::InvalidArgument, QStringLiteral("this message carries no files"));
    auto manifest = transfer::Manifest::decode(mail->manifest);
    if (!manifest)
        return base::fail(EngineError::InvalidArgument, manifest.message());
    QString target = dir.isEmpty() ? m_downloadDir : QDir(dir).absolutePath();
    if (target.isEmpty())
        return base::fail(
            EngineError::InvalidArgument, QStringLiteral("no download folder is set: name one with --to DIR"));
    if (!QDir().mkpath(target))
        return base::fail(EngineError::Storage, QStringLiteral("cannot create the folder %1").arg(target));
    auto transfer = m_transfers->download(manifest.value(), target,
        mail->kind == mail::MailKind::FileDrop ? QStringLiteral("Drop from %1").arg(mail->from)
                                               : QStringLiteral("Attachments of \"%1\"").arg(mail->subject),
        mail->id);
    if (!transfer)
        return base::fail(EngineError::Storage, transfer.message());
    markAttachments(mail.value(), mail::AttachmentState::Downloading, {}, transfer.value());
    return transfer.value();
}

void Messaging::onTransferFinished(const QString &transferId)
{
    const auto info = m_transfers->info(transferId);
    if (!info || info->direction != transfer::Direction::Download)
        return;
    auto mail = m_mailbox->get(QString::fromLatin1(info->tag.toHex()));
    if (!mail)
        return;
    const bool ok = info->state == transfer::TransferState::Done;
    markAttachments(mail.value(), ok ? mail::AttachmentState::Done : mail::AttachmentState::Failed,
        ok ? info->savedPaths : QStringList(), transferId);
}

void Messaging::markAttachments(
    const mail::MailRecord &mail, mail::AttachmentState state, const QStringList &paths, const QString &transferId)
{
    for (int i = 0; i < mail.attachments.size(); ++i) {
        auto updated = m_mailbox->updateAttachment(mail.id, i, state, paths.value(i), transferId);
        if (!updated)
            qCWarning(lcEngine) << "cannot record the state of an attachment:" << updated.message();
    }
}

void Messaging::lookupDirectory(bool fresh, std::function<void(const mail::Directory *, const QString &)> done)
{
    if (!fresh && m_directory && m_scheduler.now() - m_directoryAt < kDirectoryMaxAge)
        return done(&*m_directory, {});
    m_directoryWaiters.append(std::move(done));
    if (m_directoryBusy)
        return;
    m_directoryBusy = true;
    std::weak_ptr<bool> alive = m_alive;
    m_node.members([this, alive](Result<QList<rendezvous::Member>> members) {
        if (alive.expired())
            return;
        m_directoryBusy = false;
        QString error;
        if (members) {
            // Only certificates the CA signed for this group, unexpired and
            // not revoked, count: the directory comes over the network.
            const Membership &ms = m_node.membership();
            const qint64 now = m_scheduler.unixTime();
            mail::Directory directory;
            for (const rendezvous::Member &member : members.value()) {
                if (member.revoked)
                    continue;
                for (const identity::Certificate &cert : member.devices) {
                    const auto *crl = ms.crl.isNull() ? nullptr : &ms.crl;
                    if (!identity::verifyCertificate(cert, ms.caKey, ms.groupId, now, crl).ok())
                        continue;
                    directory[cert.username()].append(mail::DirectoryDevice {cert.serial(), cert.deviceKey()});
                }
            }
            m_directory = std::move(directory);
            m_directoryAt = m_scheduler.now();
        } else {
            error = members.message();
        }
        const auto waiters = std::exchange(m_directoryWaiters, {});
        for (const auto &w : waiters)
            w(m_directory ? &*m_directory : nullptr, error); // an older copy beats none
    });
}

} // namespace cairn::engine
