// libFuzzer target: RevocationList::decode, lookups and verification.
// Invariants: whatever decodes re-encodes byte for byte, every listed entry
// is found by the lookups, and the same fields can be issued again.
#include "core/base/rng.h"
#include "core/identity/revocationlist.h"
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

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    auto crl = RevocationList::decode(input);
    if (!crl.ok())
        return 0;
    if (crl->encode() != input)
        std::abort();
    for (const QString &name : crl->revokedUsernames()) {
        if (!crl->isUserRevoked(name))
            std::abort();
    }
    for (quint64 serial : crl->revokedSerials()) {
        if (!crl->isSerialRevoked(serial))
            std::abort();
    }
    (void)crl->isUserRevoked(u"nobody-in-particular");
    (void)crl->isSerialRevoked(quint64(1) << 62);
    (void)verifyRevocationList(crl.value(), crl->issuerKey(), crl->groupId());
    (void)verifyRevocationList(crl.value(), fuzzCa().publicKey(), crl->groupId());

    auto reissued = RevocationList::issue(fuzzCa(), crl->fields());
    if (!reissued.ok() || reissued->fields() != crl->fields())
        std::abort();
    auto decoded = RevocationList::decode(reissued->encode());
    if (!decoded.ok() || decoded->fields() != crl->fields())
        std::abort();
    if (!verifyRevocationList(decoded.value(), fuzzCa().publicKey(), crl->groupId()).ok())
        std::abort();
    return 0;
}
