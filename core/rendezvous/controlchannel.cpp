#include "core/rendezvous/controlchannel.h"

namespace cairn::rendezvous {

ControlChannel::ListenerId ControlChannel::addListener(Listener listener)
{
    const ListenerId id = m_nextId++;
    m_listeners.append({id, std::move(listener)});
    return id;
}

void ControlChannel::removeListener(ListenerId id)
{
    m_listeners.removeIf([id](const auto &entry) { return entry.first == id; });
}

const ControlChannel::Listener *ControlChannel::find(ListenerId id) const
{
    for (const auto &entry : m_listeners) {
        if (entry.first == id)
            return &entry.second;
    }
    return nullptr;
}

// A listener may remove itself or others while it runs, so the loop walks
// a copy of the ids and copies each handler before calling it.
template <typename Handler, typename... Args>
void ControlChannel::dispatch(Handler Listener::*member, const Args &...args)
{
    QList<ListenerId> ids;
    ids.reserve(m_listeners.size());
    for (const auto &entry : m_listeners)
        ids.append(entry.first);
    for (ListenerId id : ids) {
        const Listener *listener = find(id);
        if (!listener || !(listener->*member))
            continue;
        const Handler handler = listener->*member;
        handler(args...);
    }
}

void ControlChannel::dispatchControl(const net::PeerInfo &from, const QByteArray &message)
{
    dispatch(&Listener::control, from, message);
}

void ControlChannel::dispatchSessionUp(const net::PeerInfo &peer)
{
    dispatch(&Listener::sessionUp, peer);
}

void ControlChannel::dispatchSessionDown(const net::PeerInfo &peer, net::CloseReason reason)
{
    dispatch(&Listener::sessionDown, peer, reason);
}

} // namespace cairn::rendezvous
