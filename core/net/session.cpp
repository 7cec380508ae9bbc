#include "core/net/session.h"

namespace cairn::net {

Session::Session(quint32 localIndex, quint32 remoteIndex, crypto::noise::CipherState send,
    crypto::noise::CipherState receive, QByteArray handshakeHash, bool initiator, base::Instant now)
    : m_localIndex(localIndex),
      m_remoteIndex(remoteIndex),
      m_send(std::move(send)),
      m_receive(std::move(receive)),
      m_handshakeHash(std::move(handshakeHash)),
      m_initiator(initiator),
      m_established(now),
      m_lastSent(now),
      m_lastReceived(now)
{ }

Result<QByteArray> Session::seal(QByteArrayView plaintext, base::Instant now)
{
    const quint64 counter = m_send.nonce();
    QByteArray datagram = sessionwire::encodeDataHeader(m_remoteIndex, counter);
    auto sealed = m_send.encryptWithAd(datagram, plaintext);
    if (!sealed)
        return base::fail(NetError::Internal, sealed.message());
    datagram.append(sealed.value());
    m_lastSent = now;
    return datagram;
}

Result<QByteArray> Session::open(const sessionwire::Data &data, base::Instant now)
{
    // The reserved nonce is never used by a sender; refusing it here keeps
    // the cipher from ever being asked to decrypt under it.
    if (data.counter == crypto::noise::CipherState::kReservedNonce)
        return base::fail(NetError::Malformed, QStringLiteral("data: reserved counter"));
    m_receive.setNonce(data.counter);
    auto plaintext = m_receive.decryptWithAd(data.header, data.ciphertext);
    if (!plaintext)
        return base::fail(NetError::DecryptFailed, plaintext.message());
    // Only after authentication, or a forger could move the window.
    if (!m_window.accept(data.counter))
        return base::fail(NetError::Replay, QStringLiteral("data: counter %1 already seen").arg(data.counter));
    m_lastReceived = now;
    m_received = true;
    return std::move(plaintext).value();
}

} // namespace cairn::net
