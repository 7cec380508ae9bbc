#include "core/identity/verify.h"
#include "core/rendezvous/client.h"
#include "core/rendezvous/clientsupport.h"

#include <QSet>

namespace cairn::rendezvous {

namespace {

base::Error<RendezvousError> unreachable()
{
    return base::fail(RendezvousError::Unreachable, QStringLiteral("no answer from the rendezvous"));
}

} // namespace

MemberClient::MemberClient(ControlChannel &channel, base::Scheduler &scheduler, QList<base::Endpoint> rendezvous)
    : m_channel(channel),
      m_scheduler(scheduler),
      m_renewRetrier(scheduler, rendezvous),
      m_directoryRetrier(scheduler, rendezvous)
{
    ControlChannel::Listener listener;
    listener.control = [this](const net::PeerInfo &from, const QByteArray &message) { handleControl(from, message); };
    m_listener = m_channel.addListener(std::move(listener));
}

MemberClient::~MemberClient()
{
    m_channel.removeListener(m_listener);
}

void MemberClient::renew(RenewDone done)
{
    m_renewWaiters.append(std::move(done));
    if (m_renewRetrier.running())
        return;
    const QByteArray request = ControlMessage(RenewRequest {}).encode();
    m_renewRetrier.start([this, request](const base::Endpoint &to) { m_channel.sendControl(to, request); },
        [this] { finishRenew(unreachable()); });
}

void MemberClient::fetchDirectory(DirectoryDone done)
{
    m_directoryWaiters.append(std::move(done));
    if (m_directoryRetrier.running())
        return;
    m_pages.clear();
    m_offset = 0;
    m_directoryRetrier.start(
        [this](const base::Endpoint &to) {
            m_channel.sendControl(to, ControlMessage(DirectoryRequest {m_offset}).encode());
        },
        [this] { finishDirectory(unreachable()); });
}

void MemberClient::handleControl(const net::PeerInfo &from, const QByteArray &message)
{
    if (!isRendezvousPeer(m_renewRetrier, from))
        return;
    auto decoded = ControlMessage::decode(message);
    if (!decoded.ok())
        return;
    if (decoded->is<RenewResponse>() && m_renewRetrier.running()) {
        m_renewRetrier.answered(from.endpoint);
        onRenewResponse(decoded->as<RenewResponse>());
    } else if (decoded->is<DirectoryResponse>() && m_directoryRetrier.running()) {
        m_directoryRetrier.answered(from.endpoint);
        onDirectoryResponse(decoded->as<DirectoryResponse>());
    }
}

void MemberClient::onRenewResponse(const RenewResponse &response)
{
    if (response.status != ResponseStatus::Issued) {
        const QString text = response.message.isEmpty() ? QStringLiteral("renewal refused") : response.message;
        return finishRenew(base::fail(response.error, text));
    }
    const net::SessionIdentity &self = m_channel.identity();
    const identity::Certificate &cert = response.certificate;
    const crypto::PublicKey ours = self.deviceKey.publicKey();
    const identity::RevocationList crl = m_channel.revocationList();
    auto valid = identity::verifyCertificate(
        cert, self.caKey, self.groupId, m_scheduler.unixTime(), crl.isNull() ? nullptr : &crl, &ours);
    if (!valid.ok())
        return finishRenew(base::fail(RendezvousError::BadResponse, valid.message()));
    if (!self.certificate.isNull() && cert.username() != self.certificate.username())
        return finishRenew(base::fail(
            RendezvousError::BadResponse, QStringLiteral("the renewed certificate is for '%1'").arg(cert.username())));
    finishRenew(cert);
}

void MemberClient::onDirectoryResponse(const DirectoryResponse &response)
{
    if (response.offset != m_offset)
        return; // an answer to an earlier page, resent
    const net::SessionIdentity &self = m_channel.identity();
    const identity::RevocationList crl = m_channel.revocationList();
    const qint64 now = m_scheduler.unixTime();
    for (const identity::Certificate &cert : response.certificates) {
        if (identity::verifyCertificate(cert, self.caKey, self.groupId, now, crl.isNull() ? nullptr : &crl).ok())
            m_pages.append(cert);
    }
    if (response.more && !response.certificates.isEmpty()) {
        m_offset += quint32(response.certificates.size());
        return m_directoryRetrier.sendNow();
    }
    // Pages are cut from a list that may change in between: keep one
    // certificate per device, the newest.
    QList<identity::Certificate> out;
    QHash<QByteArray, qsizetype> byDevice;
    for (const identity::Certificate &cert : m_pages) {
        const QByteArray key = cert.deviceKey().toByteArray();
        const auto it = byDevice.constFind(key);
        if (it == byDevice.constEnd()) {
            byDevice.insert(key, out.size());
            out.append(cert);
        } else if (out[it.value()].serial() < cert.serial()) {
            out[it.value()] = cert;
        }
    }
    finishDirectory(out);
}

void MemberClient::finishRenew(const Result<identity::Certificate> &result)
{
    m_renewRetrier.stop();
    const QList<RenewDone> waiters = std::exchange(m_renewWaiters, {});
    for (const RenewDone &done : waiters) {
        if (done)
            done(result);
    }
}

void MemberClient::finishDirectory(const Result<QList<identity::Certificate>> &result)
{
    m_directoryRetrier.stop();
    m_pages.clear();
    const QList<DirectoryDone> waiters = std::exchange(m_directoryWaiters, {});
    for (const DirectoryDone &done : waiters) {
        if (done)
            done(result);
    }
}

} // namespace cairn::rendezvous
