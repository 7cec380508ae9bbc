// libFuzzer target: fragment reassembly. The input is split into datagrams
// (a big-endian 16-bit length before each) and fed to a FragmentingTransport from two
// senders, with time advancing between them.
// Invariants: no crash or sanitizer report; reassembly memory stays within
// its bound; every delivered message is within the message size limit.
#include "core/base/rng.h"
#include "core/base/scheduler.h"
#include "core/base/transport.h"
#include "core/net/fragmentingtransport.h"
#include "tests/fuzz/manualscheduler.h"

#include <cstdint>
#include <cstdlib>

using namespace cairn;
using fuzzing::ManualScheduler;

namespace {

// The seams, driven by the fuzzer: a Transport that only receives, a
// Scheduler whose clock the input moves.
class InputTransport final : public base::Transport {
public:
    base::Endpoint localEndpoint() const override { return {}; }
    bool send(const base::Endpoint &, const QByteArray &) override { return true; }
    void inject(const base::Endpoint &from, const QByteArray &d) { deliver(from, d); }
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
