// libFuzzer target: the DHT's RPC message decoder.
// Invariants: whatever decodes re-encodes to the same bytes (the reader
// accepts only the canonical form the writer produces) and decodes again.
#include "core/dht/message.h"

#include <cstdint>
#include <cstdlib>

using namespace cairn::dht;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    auto decoded = Message::decode(input);
    if (!decoded.ok())
        return 0;
    const QByteArray again = decoded->encode();
    if (again != input)
        std::abort();
    if (!Message::decode(again).ok())
        std::abort();
    return 0;
}
