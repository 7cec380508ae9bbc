#pragma once

#include "core/base/rng.h"
#include "core/base/scheduler.h"
#include "core/base/transport.h"
#include "core/net/messagetransport.h"
#include "core/net/reassembler.h"

namespace cairn::net {

/// Splits messages into datagrams and reassembles them (docs/protocol.md,
/// "Fragments"). A message whose fragments do not all arrive within
/// kReassemblyTimeout is dropped; the RPC above retransmits. Reassembly
/// memory is bounded per peer and in total, so a flood of first fragments
/// cannot exhaust memory. Sans-I/O: datagrams through the Transport, time
/// through the Scheduler.
class FragmentingTransport final : public MessageTransport {
public:
    static constexpr quint8 kVersion = 1;
    static constexpr qsizetype kHeaderSize = 9;
    static constexpr qsizetype kFragmentPayload = base::Transport::kMaxDatagram - kHeaderSize;
    static constexpr int kMaxFragments = int((kMaxMessage + kFragmentPayload - 1) / kFragmentPayload);
    static constexpr base::Duration kReassemblyTimeout {5'000'000};
    static constexpr qsizetype kMaxPartialPerPeer = 16;
    static constexpr qsizetype kMaxPartialBytes = 8 * 1024 * 1024;

    FragmentingTransport(base::Transport &transport, base::Scheduler &scheduler, base::Rng &rng);
    ~FragmentingTransport() override;
    FragmentingTransport(const FragmentingTransport &) = delete;
    FragmentingTransport &operator=(const FragmentingTransport &) = delete;

    base::Endpoint localEndpoint() const override { return m_transport.localEndpoint(); }
    bool send(const base::Endpoint &to, const QByteArray &message) override;

    /// Messages dropped unfinished (timeout or memory bound), for statistics.
    quint64 droppedPartial() const { return m_reassembler.dropped(); }
    qsizetype partialBytes() const { return m_reassembler.partialBytes(); }

private:
    void onDatagram(const base::Endpoint &from, const QByteArray &datagram);

    base::Transport &m_transport;
    quint32 m_nextMessageId;
    Reassembler m_reassembler;
};

} // namespace cairn::net
