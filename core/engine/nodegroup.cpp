// Node: creating, joining and running a group.
#include "core/base/log.h"
#include "core/base/qt/qtscheduler.h"
#include "core/base/qt/udptransport.h"
#include "core/engine/node.h"
#include "core/identity/names.h"
#include "core/rendezvous/client.h"
#include "core/rendezvous/controlchannel.h"
#include "core/rendezvous/service.h"

#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QtConcurrent>

namespace cairn::engine {

namespace {

constexpr auto kCaSecret = "ca";

base::Error<EngineError> notOperator()
{
    return base::fail(EngineError::NotOperator, QStringLiteral("only the group's operator can do this"));
}

EngineError fromRendezvous(rendezvous::RendezvousError code)
{
    using R = rendezvous::RendezvousError;
    switch (code) {
    case R::InvalidArgument:
    case R::BadToken:
    case R::InviteExpired:
    case R::InviteUsedUp:
    case R::UsernameTaken:
    case R::BadProof:
        return EngineError::InvalidArgument;
    case R::NotFound:
        return EngineError::NotFound;
    case R::Denied:
        return EngineError::Denied;
    case R::NotOperator:
        return EngineError::NotOperator;
    case R::Revoked:
        return EngineError::Denied;
    case R::AlreadyExists:
        return EngineError::AlreadyInGroup;
    case R::Unreachable:
    case R::Malformed:
    case R::BadResponse:
    case R::Cancelled:
        return EngineError::Network;
    case R::Storage:
    case R::TooLarge:
        return EngineError::Storage;
    case R::Corrupt:
        return EngineError::Corrupt;
    }
    return EngineError::Storage;
}

template <typename T> base::Error<EngineError> wrap(const rendezvous::Result<T> &r)
{
    return base::fail(fromRendezvous(r.code()), r.message());
}

} // namespace

void Node::createGroup(
    const QString &name, const rendezvous::SigningPolicy &policy, const QString &username, Callback<void> done)
{
    if (m_membership.isMember() || m_authority || !m_membership.pendingInvite.isEmpty())
        return done(base::fail(EngineError::AlreadyInGroup,
            QStringLiteral("this profile is already in group \"%1\"").arg(m_membership.groupName)));
    if (auto valid = identity::names::validateGroupName(name); !valid)
        return done(
            base::fail(EngineError::InvalidArgument, QStringLiteral("bad group name: %1").arg(valid.message())));
    if (auto valid = identity::names::validateUsername(username); !valid)
        return done(base::fail(EngineError::InvalidArgument, QStringLiteral("bad username: %1").arg(valid.message())));

    // The CA key goes into the keystore before anything refers to it, so a
    // crash can leave an unused key but never a group without its key.
    crypto::DeviceKey caKey = crypto::DeviceKey::generate(*m_rng);
    crypto::KeystoreContents contents = m_keystore.clone();
    contents.secrets.insert_or_assign(QString::fromLatin1(kCaSecret), caKey.seed().clone());
    const QString keystorePath = identity::Profile::keystorePath(m_config.profileDir);
    auto *watcher = new QFutureWatcher<crypto::Result<void>>(this);
    auto shared = std::make_shared<crypto::KeystoreContents>(std::move(contents));
    auto sharedCa = std::make_shared<crypto::DeviceKey>(std::move(caKey));
    connect(
        watcher, &QFutureWatcherBase::finished, this, [this, watcher, shared, sharedCa, name, policy, username, done] {
            watcher->deleteLater();
            const auto saved = watcher->result();
            if (!saved)
                return done(base::fail(EngineError::Storage,
                    QStringLiteral("cannot save the CA key in the keystore: %1").arg(saved.message())));
            m_keystore = std::move(*shared);
            done(finishCreateGroup(*sharedCa, name, policy, username));
        });
    auto passphrase = std::make_shared<crypto::SecretBytes>(m_passphrase.clone());
    watcher->setFuture(QtConcurrent::run([keystorePath, shared, passphrase]() {
        return crypto::Keystore::save(keystorePath, *shared, passphrase->view());
    }));
}

Result<void> Node::finishCreateGroup(const crypto::DeviceKey &caKey, const QString &name,
    const rendezvous::SigningPolicy &policy, const QString &username)
{
    const QString dbPath = QDir(m_config.profileDir).filePath(QStringLiteral("rendezvous.db"));
    // Left by a creation that crashed before the membership was written.
    if (QFile::exists(dbPath)) {
        QFile::remove(dbPath);
        QFile::remove(dbPath + QStringLiteral("-wal"));
        QFile::remove(dbPath + QStringLiteral("-shm"));
    }
    const qint64 now = m_scheduler->unixTime();
    auto created = rendezvous::Authority::create(dbPath, caKey, name, policy, *m_rng, now);
    if (!created)
        return wrap(created);
    auto &authority = created.value();
    auto own = authority->issueOwn(m_keystore.deviceKey.publicKey(), username, now);
    if (!own)
        return wrap(own);

    Membership m;
    m.groupName = name;
    m.groupId = authority->groupId();
    m.caKey = authority->caKey();
    m.username = username;
    m.certificate = own.value();
    m.crl = authority->revocationList();
    m.isOperator = true;
    m.rendezvous = advertisedEndpoints();
    authority.reset(); // reopened below, the same way a restart opens it
    if (auto saved = m.save(m_config.profileDir); !saved)
        return saved;
    m_membership = m;

    // The operator's sessions accept joiners, which needs a new transport
    // (nothing runs over the old one yet: we had no group).
    makeSessions();
    if (auto opened = openAuthority(); !opened)
        return opened;
    becomeMember(m);
    qCDebug(lcEngine).noquote() << "created group" << name << "as" << username;
    return {};
}

Result<identity::Invite> Node::createInvite(int uses, qint64 expiresInSeconds)
{
    if (!m_authority)
        return notOperator();
    if (uses < 1 || uses > 10000)
        return base::fail(EngineError::InvalidArgument, QStringLiteral("--uses must be between 1 and 10000"));
    if (expiresInSeconds < 60 || expiresInSeconds > 365LL * 86400)
        return base::fail(
            EngineError::InvalidArgument, QStringLiteral("--expires must be between 1 minute and 365 days"));
    const qint64 now = m_scheduler->unixTime();
    auto invite = m_authority->createInvite(uses, now + expiresInSeconds, advertisedEndpoints(), *m_rng, now);
    if (!invite)
        return wrap(invite);
    return invite.value();
}

void Node::join(const QString &link, const QString &username, Callback<Membership> done)
{
    if (m_membership.isMember() || m_authority)
        return done(base::fail(EngineError::AlreadyInGroup,
            QStringLiteral("this profile is already in group \"%1\"").arg(m_membership.groupName)));
    if (m_joinClient)
        return done(base::fail(EngineError::Busy, QStringLiteral("a join is already in progress")));
    auto invite = identity::Invite::parse(link, m_scheduler->unixTime());
    if (!invite)
        return done(base::fail(EngineError::InvalidArgument, QStringLiteral("bad invite: %1").arg(invite.message())));
    if (auto valid = identity::names::validateUsername(username); !valid)
        return done(base::fail(EngineError::InvalidArgument, QStringLiteral("bad username: %1").arg(valid.message())));

    const identity::Invite inv = invite.value();
    m_sessions->setTrustAnchor(inv.caKey(), inv.groupId());
    m_joinClient
        = std::make_unique<rendezvous::JoinClient>(*m_channel, *m_scheduler, inv, username, m_keystore.deviceKey);
    auto answered = std::make_shared<bool>(false);
    auto progress = [this, answered, done, inv, username, link](const rendezvous::JoinResponse &response) {
        if (response.status != rendezvous::JoinResponse::Status::Pending || *answered)
            return;
        *answered = true;
        // Remember the request, so polling resumes after a restart.
        m_membership.groupName = inv.groupName();
        m_membership.groupId = inv.groupId();
        m_membership.caKey = inv.caKey();
        m_membership.username = username;
        m_membership.rendezvous = inv.rendezvous();
        m_membership.pendingInvite = link;
        if (auto saved = saveMembership(); !saved)
            qCWarning(lcEngine).noquote() << saved.message();
        done(base::fail(EngineError::Pending,
            QStringLiteral("waiting for the operator of \"%1\" to approve %2").arg(inv.groupName(), username)));
    };
    auto finished = [this, answered, done, inv, username, alive = std::weak_ptr<bool>(m_alive)](
                        rendezvous::Result<rendezvous::JoinResponse> result) {
        if (alive.expired())
            return;
        m_scheduler->callAfter(base::Duration(0), [this, alive] {
            if (!alive.expired())
                m_joinClient.reset();
        });
        if (!result) {
            if (result.code() == rendezvous::RendezvousError::Denied
                || result.code() == rendezvous::RendezvousError::UsernameTaken) {
                // The request is over: forget it.
                m_membership = Membership {};
                QFile::remove(Membership::path(m_config.profileDir));
            }
            qCWarning(lcEngine).noquote() << "join failed:" << result.message();
            if (!*answered)
                done(wrap(result));
            *answered = true;
            return;
        }
        const rendezvous::JoinResponse &r = result.value();
        Membership m;
        m.groupName = inv.groupName();
        m.groupId = inv.groupId();
        m.caKey = inv.caKey();
        m.username = username;
        m.certificate = r.certificate;
        m.crl = r.crl;
        m.rendezvous = inv.rendezvous();
        for (const auto &e : r.bootstrap) {
            if (!m_config.bootstrap.contains(e))
                m_config.bootstrap.append(e);
        }
        becomeMember(m);
        qCDebug(lcEngine).noquote() << "joined group" << m.groupName << "as" << username;
        if (!*answered)
            done(m);
        *answered = true;
    };
    m_joinClient->start(progress, finished);
}

Result<QList<rendezvous::PendingRequest>> Node::pending() const
{
    if (!m_authority)
        return notOperator();
    return m_authority->pending();
}

Result<QList<identity::Certificate>> Node::approve(const QString &username)
{
    if (!m_service)
        return notOperator();
    auto approved = m_service->approve(username);
    if (!approved)
        return wrap(approved);
    return approved.value();
}

Result<void> Node::deny(const QString &username)
{
    if (!m_service)
        return notOperator();
    auto denied = m_service->deny(username);
    if (!denied)
        return wrap(denied);
    return {};
}

Result<identity::RevocationList> Node::revokeUser(const QString &username)
{
    if (!m_authority)
        return notOperator();
    if (username == m_membership.username)
        return base::fail(EngineError::InvalidArgument, QStringLiteral("the operator cannot revoke itself"));
    auto crl = m_service->revokeUser(username);
    if (!crl)
        return wrap(crl);
    rememberRevocationList(crl.value());
    return crl.value();
}

Result<identity::RevocationList> Node::revokeSerial(quint64 serial)
{
    if (!m_authority)
        return notOperator();
    if (serial == m_membership.certificate.serial())
        return base::fail(EngineError::InvalidArgument, QStringLiteral("the operator cannot revoke its own device"));
    auto crl = m_service->revokeSerial(serial);
    if (!crl)
        return wrap(crl);
    rememberRevocationList(crl.value());
    return crl.value();
}

void Node::members(Callback<QList<rendezvous::Member>> done)
{
    if (m_authority)
        return done(m_authority->members());
    if (!m_memberClient)
        return done(base::fail(EngineError::NotInGroup, QStringLiteral("this node is not a member of a group yet")));
    m_memberClient->fetchDirectory(
        [done, alive = std::weak_ptr<bool>(m_alive)](rendezvous::Result<QList<identity::Certificate>> certs) {
            if (alive.expired())
                return;
            if (!certs)
                return done(wrap(certs));
            QList<rendezvous::Member> members;
            for (const auto &cert : certs.value()) {
                auto it = std::find_if(members.begin(), members.end(),
                    [&](const rendezvous::Member &m) { return m.username == cert.username(); });
                if (it == members.end())
                    members.append(rendezvous::Member {cert.username(), {cert}, false});
                else
                    it->devices.append(cert);
            }
            done(members);
        });
}

Result<rendezvous::SigningPolicy> Node::policy() const
{
    if (!m_authority)
        return notOperator();
    return m_authority->policy();
}

Result<void> Node::setPolicy(const rendezvous::SigningPolicy &policy)
{
    if (!m_authority)
        return notOperator();
    auto set = m_authority->setPolicy(policy);
    if (!set)
        return wrap(set);
    return {};
}

} // namespace cairn::engine
