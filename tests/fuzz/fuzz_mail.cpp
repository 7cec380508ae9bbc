// libFuzzer target: the mail formats' decoders, MailMessage::decode and
// InboxHeader::decodePlain (the sealed header's plaintext, reachable here
// without a key). Both run on every input.
// Invariants: whatever decodes re-encodes to the same bytes (the decoders
// accept only the canonical form the encoders write) and decodes again to
// the same value.
#include "core/mail/inboxheader.h"
#include "core/mail/mailmessage.h"

#include <cstdint>
#include <cstdlib>

using namespace cairn::mail;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    auto message = MailMessage::decode(input);
    if (message.ok()) {
        auto again = message->encode();
        if (!again.ok() || again.value() != input)
            std::abort();
        auto decoded = MailMessage::decode(again.value());
        if (!decoded.ok() || !(decoded.value() == message.value()))
            std::abort();
    }

    auto header = InboxHeader::decodePlain(input);
    if (header.ok()) {
        auto again = header->encodePlain();
        if (!again.ok() || again->view() != input)
            std::abort();
        if (header->tokenHash().size() != 32)
            std::abort();
    }
    return 0;
}
