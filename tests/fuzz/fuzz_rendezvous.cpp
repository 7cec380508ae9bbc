// libFuzzer target: the rendezvous control-channel decoder.
// Invariants: whatever decodes re-encodes to the same bytes (one encoding
// per message), decodes again to an equal message, and stays within the
// size limit; failures always say why.
#include "core/rendezvous/messages.h"

#include <cstdint>
#include <cstdlib>

using namespace cairn::rendezvous;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    auto decoded = ControlMessage::decode(input);
    if (!decoded.ok()) {
        if (decoded.message().isEmpty())
            std::abort();
        return 0;
    }
    const QByteArray again = decoded->encode();
    if (again != input || again.size() > ControlMessage::kMaxBytes)
        std::abort();
    auto twice = ControlMessage::decode(again);
    if (!twice.ok() || !(twice.value() == decoded.value()))
        std::abort();
    return 0;
}
