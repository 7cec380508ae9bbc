// libFuzzer target: invite links and their CBOR payload.
// The input is tried both as link text (UTF-8) and as a raw payload.
// Invariants: a decoded payload re-encodes byte for byte and its link parses
// back to the same invite; a parsed link prints as a link that parses again.
#include "core/identity/invite.h"

#include <cstdint>
#include <cstdlib>

using namespace cairn;
using namespace cairn::identity;

namespace {
constexpr qint64 kNow = 1'700'000'000;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    auto parsed = Invite::parse(QString::fromUtf8(input), kNow);
    if (parsed.ok()) {
        if (parsed->isExpired(kNow))
            std::abort();
        auto again = Invite::parse(parsed->toLink(), kNow);
        if (!again.ok() || !(again.value() == parsed.value()))
            std::abort();
    }

    auto decoded = Invite::decode(input);
    if (decoded.ok()) {
        if (decoded->encode() != input)
            std::abort();
        auto viaLink = Invite::parse(decoded->toLink(), decoded->expiresAt() - 1);
        if (!viaLink.ok() || !(viaLink.value() == decoded.value()))
            std::abort();
        auto late = Invite::parse(decoded->toLink(), decoded->expiresAt());
        if (late.ok() || late.code() != IdentityError::Expired)
            std::abort();
    }
    return 0;
}
