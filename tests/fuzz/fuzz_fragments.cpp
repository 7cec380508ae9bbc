// libFuzzer target: fragment reassembly. The input is split into datagrams
// (a big-endian 16-bit length before each) and fed to a FragmentingTransport from two
// senders, with time advancing between them.
// Invariants: no crash or sanitizer report; reassembly memory stays within
// its bound; every delivered message is within the message size limit.
#include "core/base/rng.h"
#include "core/base/scheduler.h"
#include "core/base/transport.h"
#include "core/net/fragmentingtransport.h"

#include <cstdint>
#include <cstdlib>
#include <map>

using namespace cairn;

namespace {

// The seams, driven by the fuzzer: a Transport that only receives, a
// Scheduler whose clock the input moves.
class InputTransport final : public base::Transport {
public:
    base::Endpoint localEndpoint() const override { return {}; }
    bool send(const base::Endpoint &, const QByteArray &) override { return true; }
    void inject(const base::Endpoint &from, const QByteArray &d) { deliver(from, d); }
};

class ManualScheduler final : public base::Scheduler {
public:
    base::Instant now() const override { return m_now; }
    qint64 unixTime() const override { return 1'800'000'000 + m_now.count() / 1'000'000; }
    base::TimerId callAt(base::Instant when, std::function<void()> fn) override
    {
        m_timers.emplace(std::make_pair(when, ++m_next), std::move(fn));
        return m_next;
    }
    bool cancel(base::TimerId id) override
    {
        for (auto it = m_timers.begin(); it != m_timers.end(); ++it) {
            if (it->first.second == id) {
                m_timers.erase(it);
                return true;
            }
        }
        return false;
    }
    void advance(base::Duration by)
    {
        m_now += by;
        while (!m_timers.empty() && m_timers.begin()->first.first <= m_now) {
            auto fn = std::move(m_timers.begin()->second);
            m_timers.erase(m_timers.begin());
            fn();
        }
    }

private:
    base::Instant m_now {0};
    base::TimerId m_next = 0;
    std::map<std::pair<base::Instant, base::TimerId>, std::function<void()>> m_timers;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    InputTransport transport;
    ManualScheduler scheduler;
    base::SeededRng rng(1);
    net::FragmentingTransport fragments(transport, scheduler, rng);
    fragments.setReceiveHandler([](const base::Endpoint &, const QByteArray &m) {
        if (m.isEmpty() || m.size() > net::MessageTransport::kMaxMessage)
            std::abort();
    });
    const base::Endpoint a = base::Endpoint::parse(QStringLiteral("192.0.2.1:1"));
    const base::Endpoint b = base::Endpoint::parse(QStringLiteral("192.0.2.2:1"));
    size_t pos = 0;
    while (pos + 2 <= size) {
        const size_t head = size_t(data[pos]) << 8 | data[pos + 1];
        pos += 2;
        const size_t len = head & 0x7fff;
        const size_t take = len < size - pos ? len : size - pos;
        // The top bit of the length picks the sender; every 8th datagram
        // moves the clock a second.
        transport.inject(
            head & 0x8000 ? a : b, QByteArray(reinterpret_cast<const char *>(data + pos), qsizetype(take)));
        pos += take;
        if ((pos & 7) == 0)
            scheduler.advance(base::Duration(1'000'000));
        if (fragments.partialBytes() > net::FragmentingTransport::kMaxPartialBytes)
            std::abort();
    }
    return 0;
}
