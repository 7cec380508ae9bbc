#include "core/crypto/noise/handshakestate.h"

#include <sodium.h>

namespace cairn::crypto::noise {
namespace {

constexpr qsizetype kDhSize = 32;

static_assert(crypto_scalarmult_BYTES == kDhSize && crypto_scalarmult_SCALARBYTES == kDhSize);

QByteArrayView viewOf(const PublicKey &key)
{
    return QByteArrayView(key.bytes.data(), kDhSize);
}

Result<PublicKey> publicKeyFor(const SecretBytes &secret, const char *what)
{
    if (secret.size() != kDhSize)
        return base::fail(CryptoError::InvalidKey,
            QStringLiteral("the %1 must be a 32-byte X25519 secret, got %2 bytes")
                .arg(QLatin1String(what))
                .arg(secret.size()));
    PublicKey key;
    if (crypto_scalarmult_base(key.bytes.data(), secret.data()) != 0)
        return base::fail(CryptoError::InvalidKey, QStringLiteral("the %1 is not usable").arg(QLatin1String(what)));
    return key;
}

QString sideName(bool initiator)
{
    return initiator ? QStringLiteral("initiator") : QStringLiteral("responder");
}

} // namespace

HandshakeState::HandshakeState(HandshakePattern pattern, bool initiator)
    : m_pattern(std::move(pattern)), m_symmetric(m_pattern.protocolName().toLatin1()), m_initiator(initiator)
{ }

Result<HandshakeState> HandshakeState::create(HandshakeConfig config, base::Rng &rng)
{
    if (!initSodium())
        return base::fail(CryptoError::Unsupported, QStringLiteral("libsodium cannot be initialised"));
    auto parsed = HandshakePattern::fromProtocolName(config.protocolName);
    if (!parsed)
        return parsed.error();
    const bool initiator = config.initiator;
    HandshakeState state(std::move(parsed).value(), initiator);
    const HandshakePattern &pattern = state.m_pattern;

    if (pattern.needsLocalStatic(initiator)) {
        if (config.localStaticSecret.isEmpty())
            return base::fail(CryptoError::InvalidKey,
                QStringLiteral("%1 needs a static key for the %2").arg(pattern.name(), sideName(initiator)));
        auto pub = publicKeyFor(config.localStaticSecret, "static key");
        if (!pub)
            return pub.error();
        state.m_localStaticSecret = std::move(config.localStaticSecret);
        state.m_localStaticPublic = pub.value();
    }

    if (pattern.staticIsPreKnown(!initiator)) {
        if (!config.remoteStatic)
            return base::fail(CryptoError::InvalidKey,
                QStringLiteral("%1 needs the %2's static key in advance").arg(pattern.name(), sideName(!initiator)));
        state.m_remoteStatic = config.remoteStatic;
    } else if (config.remoteStatic) {
        // Silently replacing a key the caller meant to pin would defeat the pinning.
        return base::fail(CryptoError::InvalidKey,
            QStringLiteral("%1 does not take the %2's static key in advance; compare remoteStatic() "
                           "after the handshake instead")
                .arg(pattern.name(), sideName(!initiator)));
    }

    if (qsizetype(config.psks.size()) != pattern.pskCount())
        return base::fail(CryptoError::InvalidKey,
            QStringLiteral("%1 needs %2 PSK(s), got %3")
                .arg(pattern.name())
                .arg(pattern.pskCount())
                .arg(config.psks.size()));
    for (const SecretBytes &psk : config.psks) {
        if (psk.size() != 32)
            return base::fail(
                CryptoError::InvalidKey, QStringLiteral("a Noise PSK is 32 bytes, got %1").arg(psk.size()));
    }
    state.m_psks = std::move(config.psks);

    if (pattern.sendsEphemeral(initiator)) {
        SecretBytes ephemeral;
        if (!config.fixedEphemeralSecret.isEmpty()) {
            ephemeral = std::move(config.fixedEphemeralSecret);
        } else {
            ephemeral = SecretBytes(kDhSize);
            rng.fill(ephemeral.span());
        }
        auto pub = publicKeyFor(ephemeral, "ephemeral key");
        if (!pub)
            return pub.error();
        state.m_ephemeralSecret = std::move(ephemeral);
        state.m_ephemeralPublic = pub.value();
    }

    // Initialize(): prologue, then the pre-message keys, initiator's first.
    state.m_symmetric.mixHash(config.prologue);
    for (const bool side : {true, false}) {
        if (!pattern.staticIsPreKnown(side))
            continue;
        const PublicKey &key = side == initiator ? *state.m_localStaticPublic : *state.m_remoteStatic;
        state.m_symmetric.mixHash(viewOf(key));
    }
    return state;
}

bool HandshakeState::isMyTurn() const
{
    return !m_failed && !isComplete() && currentMessage().fromInitiator == m_initiator;
}

Result<void> HandshakeState::checkTurn(bool writing) const
{
    if (m_failed)
        return base::fail(CryptoError::InvalidState,
            QStringLiteral("this handshake already failed and cannot continue; start a new one"));
    if (isComplete())
        return base::fail(
            CryptoError::InvalidState, QStringLiteral("the handshake is complete; use split() for transport messages"));
    if ((currentMessage().fromInitiator == m_initiator) != writing)
        return base::fail(CryptoError::InvalidState,
            QStringLiteral("out of turn: message %1 of %2 is written by the %3, and this is the %4")
                .arg(m_messageIndex + 1)
                .arg(m_pattern.name(), sideName(currentMessage().fromInitiator), sideName(m_initiator)));
    return {};
}

qsizetype HandshakeState::fixedLength(bool *payloadEncrypted) const
{
    // Mirrors the key schedule of the token loops so that lengths can be
    // checked before any state changes.
    bool keyed = m_symmetric.hasKey();
    qsizetype length = 0;
    for (const Token token : currentMessage().tokens) {
        switch (token) {
        case Token::E:
            length += kDhSize;
            if (m_pattern.hasPsk())
                keyed = true;
            break;
        case Token::S:
            length += kDhSize + (keyed ? kTagSize : 0);
            break;
        case Token::EE:
        case Token::ES:
        case Token::SE:
        case Token::SS:
        case Token::Psk:
            keyed = true;
            break;
        }
    }
    *payloadEncrypted = keyed;
    return length;
}

Result<void> HandshakeState::mixDh(Token token)
{
    // Which of our keys meets which of theirs (spec section 5.3): the
    // letters name the initiator's key first, the responder's second.
    bool useEphemeral = false;
    bool remoteEphemeral = false;
    switch (token) {
    case Token::EE:
        useEphemeral = remoteEphemeral = true;
        break;
    case Token::ES:
        useEphemeral = m_initiator;
        remoteEphemeral = !m_initiator;
        break;
    case Token::SE:
        useEphemeral = !m_initiator;
        remoteEphemeral = m_initiator;
        break;
    case Token::SS:
        break;
    default:
        return base::fail(CryptoError::InvalidState, QStringLiteral("not a DH token"));
    }
    const SecretBytes &secret = useEphemeral ? m_ephemeralSecret : m_localStaticSecret;
    const std::optional<PublicKey> &remote = remoteEphemeral ? m_remoteEphemeral : m_remoteStatic;
    if (secret.size() != kDhSize || (useEphemeral && !m_ephemeralSent) || !remote)
        return base::fail(CryptoError::InvalidState,
            QStringLiteral("%1 uses a key that is not known at this point").arg(m_pattern.name()));

    SecretBytes shared(kDhSize);
    // libsodium refuses low-order points; the zero check covers the rest.
    if (crypto_scalarmult(shared.data(), secret.data(), remote->bytes.data()) != 0
        || sodium_is_zero(shared.data(), size_t(kDhSize)))
        return base::fail(CryptoError::InvalidKey,
            QStringLiteral("the peer's %1 key is a low-order point (all-zero DH result)")
                .arg(remoteEphemeral ? QStringLiteral("ephemeral") : QStringLiteral("static")));
    m_symmetric.mixKey(shared.view());
    return {};
}

base::Error<CryptoError> HandshakeState::failWith(CryptoError code, QString message)
{
    m_failed = true;
    return base::fail(code, std::move(message));
}

void HandshakeState::finishMessage()
{
    ++m_messageIndex;
    if (isComplete()) {
        // Only ck is needed from here on (for split); drop the rest early.
        m_ephemeralSecret = SecretBytes();
        m_localStaticSecret = SecretBytes();
        m_psks.clear();
    }
}

Result<QByteArray> HandshakeState::writeMessage(QByteArrayView payload)
{
    if (auto turn = checkTurn(true); !turn)
        return turn.error();
    bool payloadEncrypted = false;
    const qsizetype total = fixedLength(&payloadEncrypted) + payload.size() + (payloadEncrypted ? kTagSize : 0);
    if (total > kMaxMessageSize)
        return base::fail(CryptoError::TooLarge,
            QStringLiteral("handshake message would be %1 bytes; the limit is %2").arg(total).arg(kMaxMessageSize));

    QByteArray out;
    out.reserve(total);
    for (const Token token : currentMessage().tokens) {
        switch (token) {
        case Token::E:
            out.append(viewOf(m_ephemeralPublic));
            m_symmetric.mixHash(viewOf(m_ephemeralPublic));
            if (m_pattern.hasPsk())
                m_symmetric.mixKey(viewOf(m_ephemeralPublic));
            m_ephemeralSent = true;
            break;
        case Token::S: {
            if (!m_localStaticPublic)
                return failWith(CryptoError::InvalidState, QStringLiteral("no static key to send"));
            auto sealed = m_symmetric.encryptAndHash(viewOf(*m_localStaticPublic));
            if (!sealed)
                return failWith(sealed.code(), sealed.message());
            out.append(sealed.value());
            break;
        }
        case Token::Psk:
            if (m_nextPsk >= m_psks.size())
                return failWith(CryptoError::InvalidState, QStringLiteral("more psk tokens than PSKs"));
            m_symmetric.mixKeyAndHash(m_psks[m_nextPsk++].view());
            break;
        default:
            if (auto mixed = mixDh(token); !mixed)
                return failWith(mixed.code(), mixed.message());
            break;
        }
    }
    auto sealedPayload = m_symmetric.encryptAndHash(payload);
    if (!sealedPayload)
        return failWith(sealedPayload.code(), sealedPayload.message());
    out.append(sealedPayload.value());
    finishMessage();
    return out;
}

Result<QByteArray> HandshakeState::readMessage(QByteArrayView message)
{
    if (auto turn = checkTurn(false); !turn)
        return turn.error();
    if (message.size() > kMaxMessageSize)
        return base::fail(CryptoError::TooLarge,
            QStringLiteral("handshake message of %1 bytes exceeds the limit of %2")
                .arg(message.size())
                .arg(kMaxMessageSize));
    bool payloadEncrypted = false;
    const qsizetype minimum = fixedLength(&payloadEncrypted) + (payloadEncrypted ? kTagSize : 0);
    if (message.size() < minimum)
        return base::fail(CryptoError::Corrupt,
            QStringLiteral("handshake message %1 of %2 has %3 bytes; it needs at "
                           "least %4")
                .arg(m_messageIndex + 1)
                .arg(m_pattern.name())
                .arg(message.size())
                .arg(minimum));

    qsizetype pos = 0;
    // Bounds-checked even though the length check above makes it redundant:
    // a slip in fixedLength() must not turn into an overread.
    auto take = [&](qsizetype count, QByteArrayView *part) {
        if (count > message.size() - pos)
            return false;
        *part = message.sliced(pos, count);
        pos += count;
        return true;
    };
    for (const Token token : currentMessage().tokens) {
        switch (token) {
        case Token::E: {
            QByteArrayView key;
            if (!take(kDhSize, &key))
                return failWith(CryptoError::Corrupt, QStringLiteral("handshake message ends inside a key"));
            m_remoteEphemeral = PublicKey::fromBytes(key).value();
            m_symmetric.mixHash(key);
            if (m_pattern.hasPsk())
                m_symmetric.mixKey(key);
            break;
        }
        case Token::S: {
            QByteArrayView sealed;
            if (!take(kDhSize + (m_symmetric.hasKey() ? kTagSize : 0), &sealed))
                return failWith(CryptoError::Corrupt, QStringLiteral("handshake message ends inside a key"));
            auto key = m_symmetric.decryptAndHash(sealed);
            if (!key)
                return failWith(
                    key.code(), QStringLiteral("the peer's static key did not decrypt: %1").arg(key.message()));
            m_remoteStatic = PublicKey::fromBytes(key.value()).value();
            break;
        }
        case Token::Psk:
            if (m_nextPsk >= m_psks.size())
                return failWith(CryptoError::InvalidState, QStringLiteral("more psk tokens than PSKs"));
            m_symmetric.mixKeyAndHash(m_psks[m_nextPsk++].view());
            break;
        default:
            if (auto mixed = mixDh(token); !mixed)
                return failWith(mixed.code(), mixed.message());
            break;
        }
    }
    auto payload = m_symmetric.decryptAndHash(message.sliced(pos));
    if (!payload)
        return failWith(
            payload.code(), QStringLiteral("the handshake payload did not decrypt: %1").arg(payload.message()));
    finishMessage();
    return payload;
}

Result<std::pair<CipherState, CipherState>> HandshakeState::split() const
{
    if (m_failed || !isComplete())
        return base::fail(CryptoError::InvalidState,
            m_failed ? QStringLiteral("cannot split a failed handshake")
                     : QStringLiteral("cannot split before the handshake is complete"));
    return m_symmetric.split();
}

} // namespace cairn::crypto::noise
