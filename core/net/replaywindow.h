#pragma once

#include <QtGlobal>

#include <array>

namespace cairn::net {

/// Replay protection for datagrams that carry a 64-bit counter as their
/// AEAD nonce (the secure sessions of DESIGN.md section 5): each counter is
/// accepted at most once, and counters more than kWindow behind the highest
/// one seen are refused, so loss and reordering are fine but a replay is
/// not. A bitmap of kWindow bits, cleared a 64-bit block at a time as the
/// window slides (the scheme of RFC 6479). Call accept() only after the
/// datagram authenticated, or a forger could burn counters.
class ReplayWindow {
public:
    static constexpr quint64 kWindow = 2048;

    /// Whether `counter` would be accepted now (not seen, not too old).
    bool wouldAccept(quint64 counter) const;
    /// Marks `counter` as seen if wouldAccept(); returns whether it did.
    bool accept(quint64 counter);
    /// The highest counter accepted, or 0 before any.
    quint64 highest() const { return m_highest; }

private:
    static constexpr quint64 kBlocks = kWindow / 64 + 1; // one spare block while sliding
    bool isSet(quint64 counter) const { return m_bits[(counter / 64) % kBlocks] >> (counter % 64) & 1; }

    std::array<quint64, kBlocks> m_bits {};
    quint64 m_highest = 0;
    bool m_any = false;
};

} // namespace cairn::net
