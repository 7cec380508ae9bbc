#include "core/net/handshake.h"

#include "core/identity/verify.h"

#include <algorithm>

namespace cairn::net {
namespace {

// Noise message 1 carries zeros as its (plaintext) payload: the padding
// that gives the initiation its fixed size.
constexpr qsizetype kInitiationPadding = sessionwire::kInitiationNoise - sessionwire::kKeyBytes;

} // namespace

QByteArray sessionPrologue(QByteArrayView groupId)
{
    QByteArray prologue("cairn session v1");
    prologue.append('\0');
    prologue.append(groupId);
    return prologue;
}

Result<AuthenticatedPeer> verifyPeer(
    const HandshakePayload &payload, const crypto::PublicKey &remoteStatic, const TrustPolicy &policy)
{
    if (remoteStatic == policy.identity->deviceKey.x25519Public())
        return base::fail(NetError::SelfConnection, QStringLiteral("the peer's static key is our own"));
    auto x25519 = crypto::ed25519ToX25519(payload.deviceKey);
    if (!x25519 || x25519.value() != remoteStatic)
        return base::fail(NetError::DeviceKeyMismatch,
            QStringLiteral("device key %1 is not the peer's Noise static key").arg(payload.deviceKey.toHex()));
    AuthenticatedPeer peer;
    peer.deviceKey = payload.deviceKey;
    peer.rekey = payload.rekey;
    if (payload.certificate.isEmpty()) {
        if (!policy.acceptUncertified)
            return base::fail(NetError::Uncertified, QStringLiteral("the peer has no certificate"));
        return peer;
    }
    auto cert = identity::Certificate::decode(payload.certificate);
    if (!cert)
        return base::fail(NetError::BadCertificate, QStringLiteral("certificate: %1").arg(cert.message()));
    const identity::RevocationList *crl = policy.crl && !policy.crl->isNull() ? policy.crl : nullptr;
    // The device key is the one the peer proved it holds (its X25519 form is
    // the Noise static key, checked above), so the certificate must name it.
    auto verified = identity::verifyCertificate(
        cert.value(), policy.identity->caKey, policy.identity->groupId, policy.nowUnix, crl, &payload.deviceKey);
    if (!verified)
        return base::fail(NetError::BadCertificate,
            QStringLiteral("%1: %2").arg(identity::errorName(verified.code()), verified.message()));
    peer.certificate = std::move(cert).value();
    return peer;
}

Handshake::Handshake(crypto::noise::HandshakeState noise, bool initiator, quint32 localIndex, bool rekey)
    : m_noise(std::move(noise)), m_initiator(initiator), m_rekey(rekey), m_localIndex(localIndex)
{ }

Result<crypto::noise::HandshakeState> Handshake::start(const SessionIdentity &identity, bool initiator, base::Rng &rng)
{
    crypto::noise::HandshakeConfig config;
    config.protocolName = QString::fromLatin1(kProtocolName);
    config.initiator = initiator;
    config.prologue = sessionPrologue(identity.groupId);
    config.localStaticSecret = identity.deviceKey.x25519Secret();
    auto state = crypto::noise::HandshakeState::create(std::move(config), rng);
    if (!state)
        return base::fail(NetError::Internal, state.message());
    return std::move(state).value();
}

Result<Handshake> Handshake::initiate(const SessionIdentity &identity, base::Rng &rng, quint32 localIndex, bool rekey)
{
    auto noise = start(identity, true, rng);
    if (!noise)
        return noise.error();
    Handshake handshake(std::move(noise).value(), true, localIndex, rekey);
    auto message = handshake.m_noise.writeMessage(QByteArray(kInitiationPadding, '\0'));
    if (!message)
        return base::fail(NetError::Internal, message.message());
    handshake.m_noiseMessage1 = std::move(message).value();
    handshake.m_initiatorEphemeral = handshake.m_noiseMessage1.first(sessionwire::kKeyBytes);
    handshake.setCookie({});
    return handshake;
}

Result<Handshake> Handshake::respond(
    const SessionIdentity &identity, const sessionwire::Initiation &initiation, base::Rng &rng, quint32 localIndex)
{
    auto noise = start(identity, false, rng);
    if (!noise)
        return noise.error();
    Handshake handshake(std::move(noise).value(), false, localIndex, false);
    handshake.m_remoteIndex = initiation.senderIndex;
    auto padding = handshake.m_noise.readMessage(initiation.noise);
    if (!padding || std::any_of(padding->begin(), padding->end(), [](char c) { return c != 0; }))
        return base::fail(NetError::Malformed, QStringLiteral("initiation: bad padding"));
    handshake.m_initiatorEphemeral = initiation.noise.first(sessionwire::kKeyBytes);
    auto message = handshake.writeOurPayload(identity);
    if (!message)
        return message.error();
    handshake.m_datagram
        = sessionwire::encode(sessionwire::Response {localIndex, initiation.senderIndex, message.value()});
    if (handshake.m_datagram.size() > base::Transport::kMaxDatagram)
        return base::fail(NetError::TooLarge, QStringLiteral("our certificate does not fit in a response"));
    return handshake;
}

bool Handshake::isSameInitiation(const sessionwire::Initiation &initiation) const
{
    return !m_initiator && initiation.senderIndex == m_remoteIndex
        && initiation.noise.first(sessionwire::kKeyBytes) == m_initiatorEphemeral;
}

void Handshake::setCookie(const QByteArray &cookie)
{
    m_cookie = cookie;
    m_datagram = sessionwire::encode(sessionwire::Initiation {m_localIndex, m_cookie, m_noiseMessage1});
}

Result<QByteArray> Handshake::writeOurPayload(const SessionIdentity &identity)
{
    HandshakePayload payload;
    payload.certificate = identity.certificate.encode();
    payload.deviceKey = identity.deviceKey.publicKey();
    payload.rekey = m_initiator && m_rekey;
    const QByteArray encoded = payload.encode();
    if (encoded.size() > HandshakePayload::kMaxBytes)
        return base::fail(NetError::TooLarge, QStringLiteral("our handshake payload is too large"));
    auto message = m_noise.writeMessage(encoded);
    if (!message) {
        // A low-order key from the peer makes our DH fail: its fault, not ours.
        const bool peersKey = message.code() == crypto::CryptoError::InvalidKey;
        return base::fail(peersKey ? NetError::Malformed : NetError::Internal, message.message());
    }
    return std::move(message).value();
}

Result<AuthenticatedPeer> Handshake::checkPeer(const QByteArray &payload, const TrustPolicy &policy)
{
    auto decoded = HandshakePayload::decode(payload);
    if (!decoded)
        return decoded.error();
    const auto remote = m_noise.remoteStatic();
    if (!remote)
        return base::fail(NetError::Internal, QStringLiteral("no remote static key after its message"));
    return verifyPeer(decoded.value(), *remote, policy);
}

Result<AuthenticatedPeer> Handshake::readPeerMessage(QByteArrayView noise, const TrustPolicy &policy)
{
    if (m_complete || m_noise.hasFailed() || m_noise.isMyTurn())
        return base::fail(NetError::Internal, QStringLiteral("handshake message out of turn"));
    auto payload = m_noise.readMessage(noise);
    if (!payload)
        return base::fail(NetError::DecryptFailed, payload.message());
    return checkPeer(payload.value(), policy);
}

Result<AuthenticatedPeer> Handshake::readResponse(const sessionwire::Response &response, const TrustPolicy &policy)
{
    if (!m_initiator)
        return base::fail(NetError::Internal, QStringLiteral("a response is for the initiator"));
    auto peer = readPeerMessage(response.noise, policy);
    if (!peer)
        return peer.error();
    m_remoteIndex = response.senderIndex;
    auto message = writeOurPayload(*policy.identity);
    if (!message)
        return message.error();
    m_datagram = sessionwire::encode(sessionwire::Finish {m_remoteIndex, message.value()});
    if (m_datagram.size() > base::Transport::kMaxDatagram)
        return base::fail(NetError::TooLarge, QStringLiteral("our certificate does not fit in a finish"));
    m_complete = true;
    return peer;
}

Result<AuthenticatedPeer> Handshake::readFinish(const sessionwire::Finish &finish, const TrustPolicy &policy)
{
    if (m_initiator)
        return base::fail(NetError::Internal, QStringLiteral("a finish is for the responder"));
    auto peer = readPeerMessage(finish.noise, policy);
    if (peer)
        m_complete = true;
    return peer;
}

std::unique_ptr<Session> Handshake::makeSession(base::Instant now) const
{
    if (!m_complete)
        return nullptr;
    auto ciphers = m_noise.split();
    if (!ciphers)
        return nullptr;
    auto [toResponder, toInitiator] = std::move(ciphers).value();
    if (m_initiator)
        return std::make_unique<Session>(
            m_localIndex, m_remoteIndex, std::move(toResponder), std::move(toInitiator), handshakeHash(), true, now);
    return std::make_unique<Session>(
        m_localIndex, m_remoteIndex, std::move(toInitiator), std::move(toResponder), handshakeHash(), false, now);
}

} // namespace cairn::net
