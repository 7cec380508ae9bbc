#pragma once

#include "core/crypto/keys.h"
#include "core/identity/revocationlist.h"
#include "core/rendezvous/controlchannel.h"

#include <QByteArray>

#include <functional>
#include <optional>

namespace cairn::rendezvous {

/// Spreads the group's revocation list through the overlay, so that a
/// revocation reaches every node within seconds and a node that was offline
/// gets it when it reconnects (docs/protocol.md, "Revocation
/// distribution"). Every node runs one. It holds the newest list that
/// verified against the group's CA key and id; when a session comes up it
/// offers its version (CrlOffer), a peer holding an older one is pushed
/// ours (CrlPush), and a newer list pushed to it is verified, applied to
/// the sessions (which close the ones it revokes), forwarded to every other
/// session once, and handed to onNewList for the caller to persist.
class RevocationGossip {
public:
    using NewListHandler = std::function<void(const identity::RevocationList &crl)>;

    /// `initial` (for instance the list kept in the profile) is applied to
    /// the channel if it verifies; a null or foreign one is ignored.
    RevocationGossip(ControlChannel &channel, const crypto::PublicKey &caKey, const QByteArray &groupId,
        const identity::RevocationList &initial = {});
    ~RevocationGossip();
    RevocationGossip(const RevocationGossip &) = delete;
    RevocationGossip &operator=(const RevocationGossip &) = delete;

    void setNewListHandler(NewListHandler handler) { m_onNewList = std::move(handler); }

    /// The newest verified list (null until one is known).
    const identity::RevocationList &current() const { return m_current; }
    quint64 version() const { return m_current.isNull() ? 0 : m_current.version(); }

    /// A list from outside the gossip (the rendezvous just issued it, or
    /// the profile had it): verified, and if newer adopted and pushed to
    /// every session except `from`. Returns true if it was adopted.
    bool adopt(const identity::RevocationList &crl, const std::optional<base::Endpoint> &from = std::nullopt);

    /// Entry points the channel listener calls; public so tests can drive them.
    void handleControl(const net::PeerInfo &from, const QByteArray &message);
    void handleSessionUp(const net::PeerInfo &peer);

    quint64 pushesSent() const { return m_pushesSent; }

private:
    void offer(const base::Endpoint &to);
    void push(const base::Endpoint &to);

    ControlChannel &m_channel;
    crypto::PublicKey m_caKey;
    QByteArray m_groupId;
    identity::RevocationList m_current;
    NewListHandler m_onNewList;
    ControlChannel::ListenerId m_listener = 0;
    quint64 m_pushesSent = 0;
};

} // namespace cairn::rendezvous
