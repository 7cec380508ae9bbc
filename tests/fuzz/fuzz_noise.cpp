// libFuzzer entry for the Noise handshake: the input plays the peer of one
// party of an XX, IK or XXpsk3 handshake and, once it completes, sends
// transport messages.
//
// Input layout: byte 0 picks the scenario (see Scenario below); the rest is
// a sequence of messages, each a 2-byte big-endian length and that many
// bytes (a short final message takes what is left). All keys, including
// the ephemerals, are fixed so that the seed corpus (recorded from real
// handshakes with these keys) authenticates and mutations start deep in
// the handshake instead of failing at the first tag.
#include "core/base/rng.h"
#include "core/crypto/noise/handshakepattern.h"
#include "core/crypto/noise/handshakestate.h"

#include <QByteArray>
#include <QByteArrayView>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sodium.h>

namespace {

using namespace cairn;
using namespace cairn::crypto;
using namespace cairn::crypto::noise;

using Key = std::array<quint8, 32>;

constexpr Key kInitiatorStatic = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
    0xf0, 0x01, 0x12, 0x23, 0x34, 0x45, 0x56, 0x67, 0x78, 0x89, 0x9a, 0xab, 0xbc, 0xcd, 0xde, 0xef, 0xf1, 0x02};
constexpr Key kResponderStatic = {0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87, 0x98, 0xa9, 0xba, 0xcb, 0xdc, 0xed, 0xfe,
    0x0f, 0x10, 0x2a, 0x3b, 0x4c, 0x5d, 0x6e, 0x7f, 0x80, 0x91, 0xa2, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7, 0x08, 0x19};
constexpr Key kInitiatorEphemeral = {0x31, 0x41, 0x59, 0x26, 0x53, 0x58, 0x97, 0x93, 0x23, 0x84, 0x62, 0x64, 0x33, 0x83,
    0x27, 0x95, 0x02, 0x88, 0x41, 0x97, 0x16, 0x93, 0x99, 0x37, 0x51, 0x05, 0x82, 0x09, 0x74, 0x94, 0x45, 0x92};
constexpr Key kResponderEphemeral = {0x27, 0x18, 0x28, 0x18, 0x28, 0x45, 0x90, 0x45, 0x23, 0x53, 0x60, 0x28, 0x74, 0x71,
    0x35, 0x26, 0x62, 0x49, 0x77, 0x57, 0x24, 0x70, 0x93, 0x69, 0x99, 0x59, 0x57, 0x49, 0x66, 0x96, 0x76, 0x27};
constexpr Key kPsk = {'c', 'a', 'i', 'r', 'n', ' ', 'f', 'u', 'z', 'z', ' ', 'p', 'r', 'e', '-', 's', 'h', 'a', 'r',
    'e', 'd', ' ', 's', 'e', 'c', 'r', 'e', 't', ' ', 'k', 'e', 'y'};

constexpr const char *kProtocols[] = {
    "Noise_XX_25519_ChaChaPoly_BLAKE2b",
    "Noise_IK_25519_ChaChaPoly_BLAKE2b",
    "Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b",
};
constexpr int kProtocolCount = int(sizeof kProtocols / sizeof kProtocols[0]);

constexpr QByteArrayView kPayload("fuzz payload");

/// What byte 0 selects: the protocol, which party the input talks to, and
/// whether the input is a protocol name for the pattern parser instead.
struct Scenario {
    int protocol = 0;
    bool fuzzInitiator = false;
    bool parseNameOnly = false;

    static Scenario fromByte(quint8 byte)
    {
        Scenario scenario;
        scenario.parseNameOnly = (byte & 0x80) != 0;
        scenario.protocol = (byte & 0x7f) % kProtocolCount;
        scenario.fuzzInitiator = ((byte & 0x7f) / kProtocolCount) % 2 == 1;
        return scenario;
    }
    quint8 toByte() const { return quint8(protocol + (fuzzInitiator ? kProtocolCount : 0)); }
};

/// Splits the input into length-prefixed messages.
class MessageReader {
public:
    MessageReader(const quint8 *data, size_t size) : m_data(data), m_size(size) { }

    bool next(QByteArrayView *message)
    {
        if (m_pos >= m_size)
            return false;
        size_t length = m_data[m_pos++];
        if (m_pos < m_size)
            length = (length << 8) | m_data[m_pos++];
        const size_t available = m_size - m_pos;
        if (length > available)
            length = available;
        *message = QByteArrayView(m_data + m_pos, qsizetype(length));
        m_pos += length;
        return true;
    }

private:
    const quint8 *m_data;
    size_t m_size;
    size_t m_pos = 0;
};

SecretBytes secretOf(const Key &key)
{
    return SecretBytes(key.data(), qsizetype(key.size()));
}

/// One party of the scenario's handshake with the fixed keys.
std::optional<HandshakeState> makeParty(int protocol, bool initiator)
{
    HandshakeConfig config;
    config.protocolName = QLatin1String(kProtocols[protocol]);
    config.initiator = initiator;
    config.prologue = QByteArrayLiteral("cairn fuzz");
    config.localStaticSecret = secretOf(initiator ? kInitiatorStatic : kResponderStatic);
    config.fixedEphemeralSecret = secretOf(initiator ? kInitiatorEphemeral : kResponderEphemeral);
    auto pattern = HandshakePattern::fromProtocolName(config.protocolName);
    if (!pattern)
        return std::nullopt;
    if (pattern->staticIsPreKnown(!initiator)) {
        // The peer's public key, derived the same way the peer does.
        PublicKey key;
        const Key &peerSecret = initiator ? kResponderStatic : kInitiatorStatic;
        crypto_scalarmult_base(key.bytes.data(), peerSecret.data());
        config.remoteStatic = key;
    }
    for (int i = 0; i < pattern->pskCount(); ++i)
        config.psks.push_back(secretOf(kPsk));
    base::SeededRng unused(0); // the ephemeral is fixed, so nothing is drawn
    auto state = HandshakeState::create(std::move(config), unused);
    if (!state)
        return std::nullopt;
    return std::move(state).value();
}

// A failed handshake must refuse everything afterwards.
void requireRefusesFurtherUse(HandshakeState &state, QByteArrayView message)
{
    if (state.readMessage(message).ok() || state.writeMessage(kPayload).ok() || state.split().ok())
        std::abort();
}

void fuzzProtocolName(const quint8 *data, size_t size)
{
    const QString name = QString::fromLatin1(reinterpret_cast<const char *>(data), qsizetype(size));
    auto pattern = HandshakePattern::fromProtocolName(name);
    if (pattern && pattern->messages().empty())
        std::abort();
}

void fuzzHandshake(const Scenario &scenario, const quint8 *data, size_t size)
{
    auto party = makeParty(scenario.protocol, scenario.fuzzInitiator);
    if (!party)
        std::abort(); // fixed, valid configuration
    HandshakeState &self = *party;
    MessageReader input(data, size);
    QByteArrayView message;

    while (!self.isComplete()) {
        if (self.isMyTurn()) {
            auto written = self.writeMessage(kPayload);
            if (!written) {
                // Only the peer's keys can make our own message fail: a
                // low-order public key gives an all-zero DH result.
                if (written.code() != CryptoError::InvalidKey || !self.hasFailed())
                    std::abort();
                requireRefusesFurtherUse(self, message);
                return;
            }
            continue;
        }
        if (!input.next(&message))
            return;
        auto payload = self.readMessage(message);
        if (!payload) {
            if (self.hasFailed())
                requireRefusesFurtherUse(self, message);
            return;
        }
        if (payload->size() > message.size())
            std::abort();
    }

    auto ciphers = self.split();
    if (!ciphers)
        std::abort();
    CipherState &receive = self.isInitiator() ? ciphers->second : ciphers->first;
    CipherState &send = self.isInitiator() ? ciphers->first : ciphers->second;
    while (input.next(&message)) {
        auto plaintext = receive.decryptWithAd({}, message);
        if (!plaintext)
            continue;
        // Echo it back so the send side and rekey run under the fuzzer too.
        if (!send.encryptWithAd({}, plaintext.value()))
            std::abort();
        if (plaintext->startsWith("rekey") && !receive.rekey())
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const Scenario scenario = Scenario::fromByte(data[0]);
    if (scenario.parseNameOnly)
        fuzzProtocolName(data + 1, size - 1);
    else
        fuzzHandshake(scenario, data + 1, size - 1);
    return 0;
}
