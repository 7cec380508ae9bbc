#pragma once

#include "core/base/scheduler.h"
#include "core/crypto/noise/cipherstate.h"
#include "core/net/error.h"
#include "core/net/replaywindow.h"
#include "core/net/sessionwire.h"

#include <QByteArray>

namespace cairn::net {

/// One set of session keys with one peer: the two transport ciphers of a
/// completed handshake, the indices each side chose, the replay window, and
/// the times the keepalive, idle and rekey rules read. Every datagram names
/// its counter, which is the AEAD nonce, so each one decrypts on its own;
/// the sending counter only grows, so no nonce repeats under this key.
class Session {
public:
    Session(quint32 localIndex, quint32 remoteIndex, crypto::noise::CipherState send,
        crypto::noise::CipherState receive, QByteArray handshakeHash, bool initiator, base::Instant now);
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    /// Ours: the peer puts it in every datagram it sends us.
    quint32 localIndex() const { return m_localIndex; }
    /// The peer's: we put it in every datagram we send.
    quint32 remoteIndex() const { return m_remoteIndex; }
    bool initiator() const { return m_initiator; }
    const QByteArray &handshakeHash() const { return m_handshakeHash; }

    /// A data datagram carrying `plaintext` (already padded) under the next
    /// counter. Fails only when the counters are used up.
    Result<QByteArray> seal(QByteArrayView plaintext, base::Instant now);
    /// The plaintext of a data datagram addressed to this session:
    /// DecryptFailed if it does not authenticate, Replay if its counter was
    /// seen before or is too old (the window moves only on authentic ones).
    Result<QByteArray> open(const sessionwire::Data &data, base::Instant now);

    /// Datagrams sealed so far (the rekey rule counts them).
    quint64 sentCount() const { return m_send.nonce(); }
    base::Instant established() const { return m_established; }
    base::Instant lastSent() const { return m_lastSent; }
    base::Instant lastReceived() const { return m_lastReceived; }
    /// Whether anything authentic arrived under this key yet.
    bool hasReceived() const { return m_received; }

    /// Responder: the handshake's last message, so a retransmission of it
    /// (our confirmation was lost) can be told from junk.
    void setFinishDigest(QByteArray digest) { m_finishDigest = std::move(digest); }
    bool isFinishDigest(const QByteArray &digest) const
    {
        return !m_finishDigest.isEmpty() && digest == m_finishDigest;
    }

private:
    quint32 m_localIndex;
    quint32 m_remoteIndex;
    crypto::noise::CipherState m_send;
    crypto::noise::CipherState m_receive;
    ReplayWindow m_window;
    QByteArray m_handshakeHash;
    QByteArray m_finishDigest;
    bool m_initiator;
    bool m_received = false;
    base::Instant m_established;
    base::Instant m_lastSent;
    base::Instant m_lastReceived;
};

} // namespace cairn::net
