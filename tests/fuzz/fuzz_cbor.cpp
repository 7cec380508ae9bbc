// libFuzzer target: the strict canonical CBOR decoder and MapReader.
// Invariants: a strict decode re-encodes to the exact input; a lax decode
// re-encodes to bytes the strict decoder accepts; the two modes agree.
#include "core/base/cbor.h"

#include <cstdint>
#include <cstdlib>

using namespace cairn::base;

namespace {

void readFields(const cbor::MapReader &reader)
{
    for (qint64 key = -2; key <= 12; ++key) {
        (void)reader.has(key);
        (void)reader.integer(key, 0, 1000);
        (void)reader.bytes(key, 32);
        (void)reader.bytes(key, -1, 64);
        (void)reader.text(key, 64);
        (void)reader.array(key, 8);
        (void)reader.map(key);
    }
    (void)reader.hasOnlyKeys({0, 1, 2, 3});
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const cbor::Limits limits;

    auto strict = cbor::decode(input, limits, true);
    if (strict.ok() && cbor::encode(strict.value()) != input)
        std::abort(); // accepted as canonical but is not

    auto lax = cbor::decode(input, limits, false);
    if (!lax.ok()) {
        if (strict.ok())
            std::abort(); // strict accepted what lax refused
        return 0;
    }
    const QByteArray canonical = cbor::encode(lax.value());
    if (strict.ok() != (canonical == input))
        std::abort(); // strict mode must be exactly "lax and already canonical"
    // Canonical forms are never longer than the input, except that Qt may
    // replace invalid UTF-8 by U+FFFD; only re-check within the limits.
    if (canonical.size() <= limits.maxBytes) {
        auto again = cbor::decode(canonical, limits, true);
        if (again.ok() && cbor::encode(again.value()) != canonical)
            std::abort();
    }
    if (auto reader = cbor::MapReader::from(lax.value()); reader.ok())
        readFields(reader.value());
    return 0;
}
