#pragma once

// Internal to core/rendezvous: what both clients check about a peer.

#include "core/net/securetransport.h"
#include "core/rendezvous/retrier.h"

namespace cairn::rendezvous {

/// A peer at one of the rendezvous addresses whose certificate (verified by
/// the session layer against our trust anchor) carries the Operator role:
/// only it gets an invite's token, and only its answers count.
inline bool isRendezvousPeer(const Retrier &retrier, const net::PeerInfo &peer)
{
    return retrier.isRendezvous(peer.endpoint) && peer.certified()
        && peer.certificate.hasRole(identity::Role::Operator);
}

} // namespace cairn::rendezvous
