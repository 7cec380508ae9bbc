// libFuzzer target: Certificate::decode and verifyCertificate.
// Invariants: whatever decodes re-encodes byte for byte, decodes again to the
// same fields, and can be issued again (decode accepts nothing issue refuses).
#include "core/base/rng.h"
#include "core/identity/certificate.h"
#include "core/identity/verify.h"

#include <cstdint>
#include <cstdlib>

using namespace cairn;
using namespace cairn::identity;

namespace {

const crypto::DeviceKey &fuzzCa()
{
    static const crypto::DeviceKey ca = [] {
        base::SeededRng rng(1);
        return crypto::DeviceKey::generate(rng);
    }();
    return ca;
}

constexpr qint64 kNow = 1'700'000'000;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    auto cert = Certificate::decode(input);
    if (!cert.ok())
        return 0;
    if (cert->encode() != input)
        std::abort();
    auto again = Certificate::decode(cert->encode());
    if (!again.ok() || again->fields() != cert->fields() || again->issuerKey() != cert->issuerKey())
        std::abort();

    const crypto::PublicKey device = cert->deviceKey();
    (void)cert->nodeId();
    (void)verifyCertificate(cert.value(), cert->issuerKey(), cert->groupId(), kNow, nullptr, &device);
    (void)verifyCertificate(cert.value(), fuzzCa().publicKey(), cert->groupId(), kNow);

    auto reissued = Certificate::issue(fuzzCa(), cert->fields());
    if (!reissued.ok())
        std::abort();
    auto decoded = Certificate::decode(reissued->encode());
    if (!decoded.ok() || decoded->fields() != cert->fields())
        std::abort();
    if (!verifyCertificate(decoded.value(), fuzzCa().publicKey(), cert->groupId(), cert->notBefore()).ok())
        std::abort();
    return 0;
}
