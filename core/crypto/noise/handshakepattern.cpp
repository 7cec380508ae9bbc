#include "core/crypto/noise/handshakepattern.h"

#include <QByteArray>
#include <QLatin1String>

#include <algorithm>
#include <optional>

namespace cairn::crypto::noise {
namespace {

// Patterns written as in the spec: messages separated by '|', each starting
// with its direction. Pre-messages list which statics are known in advance.
struct PatternDefinition {
    const char *name;
    const char *preMessages;
    const char *messages;
};

// Spec rev 34: one-way patterns (7.4), fundamental interactive patterns
// (7.5) and deferred patterns (7.6).
constexpr PatternDefinition kPatterns[] = {
    {"N", "<- s", "-> e, es"},
    {"K", "-> s | <- s", "-> e, es, ss"},
    {"X", "<- s", "-> e, es, s, ss"},

    {"NN", "", "-> e | <- e, ee"},
    {"NK", "<- s", "-> e, es | <- e, ee"},
    {"NX", "", "-> e | <- e, ee, s, es"},
    {"XN", "", "-> e | <- e, ee | -> s, se"},
    {"XK", "<- s", "-> e, es | <- e, ee | -> s, se"},
    {"XX", "", "-> e | <- e, ee, s, es | -> s, se"},
    {"KN", "-> s", "-> e | <- e, ee, se"},
    {"KK", "-> s | <- s", "-> e, es, ss | <- e, ee, se"},
    {"KX", "-> s", "-> e | <- e, ee, se, s, es"},
    {"IN", "", "-> e, s | <- e, ee, se"},
    {"IK", "<- s", "-> e, es, s, ss | <- e, ee, se"},
    {"IX", "", "-> e, s | <- e, ee, se, s, es"},

    {"NK1", "<- s", "-> e | <- e, ee, es"},
    {"NX1", "", "-> e | <- e, ee, s | -> es"},
    {"X1N", "", "-> e | <- e, ee | -> s | <- se"},
    {"X1K", "<- s", "-> e, es | <- e, ee | -> s | <- se"},
    {"XK1", "<- s", "-> e | <- e, ee, es | -> s, se"},
    {"X1K1", "<- s", "-> e | <- e, ee, es | -> s | <- se"},
    {"X1X", "", "-> e | <- e, ee, s, es | -> s | <- se"},
    {"XX1", "", "-> e | <- e, ee, s | -> es, s, se"},
    {"X1X1", "", "-> e | <- e, ee, s | -> es, s | <- se"},
    {"K1N", "-> s", "-> e | <- e, ee | -> se"},
    {"K1K", "-> s | <- s", "-> e, es | <- e, ee | -> se"},
    {"KK1", "-> s | <- s", "-> e | <- e, ee, se, es"},
    {"K1K1", "-> s | <- s", "-> e | <- e, ee, es | -> se"},
    {"K1X", "-> s", "-> e | <- e, ee, s, es | -> se"},
    {"KX1", "-> s", "-> e | <- e, ee, se, s | -> es"},
    {"K1X1", "-> s", "-> e | <- e, ee, s | -> se, es"},
    {"I1N", "", "-> e, s | <- e, ee | -> se"},
    {"I1K", "<- s", "-> e, es, s | <- e, ee | -> se"},
    {"IK1", "<- s", "-> e, s | <- e, ee, se, es"},
    {"I1K1", "<- s", "-> e, s | <- e, ee, es | -> se"},
    {"I1X", "", "-> e, s | <- e, ee, s, es | -> se"},
    {"IX1", "", "-> e, s | <- e, ee, se, s | -> es"},
    {"I1X1", "", "-> e, s | <- e, ee, s | -> se, es"},
};

std::optional<Token> parseToken(QByteArrayView word)
{
    if (word == "e")
        return Token::E;
    if (word == "s")
        return Token::S;
    if (word == "ee")
        return Token::EE;
    if (word == "es")
        return Token::ES;
    if (word == "se")
        return Token::SE;
    if (word == "ss")
        return Token::SS;
    return std::nullopt;
}

// One "-> e, es" entry: its direction and tokens.
std::optional<MessagePattern> parseMessage(const QByteArray &text)
{
    const QByteArray trimmed = text.trimmed();
    MessagePattern message;
    if (trimmed.startsWith("->"))
        message.fromInitiator = true;
    else if (trimmed.startsWith("<-"))
        message.fromInitiator = false;
    else
        return std::nullopt;
    for (const QByteArray &word : trimmed.mid(2).split(',')) {
        const auto token = parseToken(word.trimmed());
        if (!token)
            return std::nullopt;
        message.tokens.push_back(*token);
    }
    return message;
}

std::optional<std::vector<MessagePattern>> parseMessages(const char *text)
{
    std::vector<MessagePattern> messages;
    const QByteArray all(text);
    if (all.trimmed().isEmpty())
        return messages;
    for (const QByteArray &part : all.split('|')) {
        auto message = parseMessage(part);
        if (!message)
            return std::nullopt;
        messages.push_back(std::move(*message));
    }
    return messages;
}

// Digits only, without leading zeros, small enough to be a message index.
std::optional<int> parsePskIndex(QStringView digits)
{
    if (digits.isEmpty() || digits.size() > 3 || (digits.size() > 1 && digits.front() == u'0'))
        return std::nullopt;
    int value = 0;
    for (QChar c : digits) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value;
}

base::Error<CryptoError> unsupported(QString message)
{
    return base::fail(CryptoError::Unsupported, std::move(message));
}

} // namespace

Result<HandshakePattern> HandshakePattern::fromProtocolName(QStringView protocolName)
{
    const QList<QStringView> parts = protocolName.split(u'_');
    if (parts.size() != 5 || parts[0] != u"Noise")
        return unsupported(QStringLiteral("'%1' is not a Noise protocol name of the form "
                                          "Noise_<pattern>_25519_ChaChaPoly_BLAKE2b")
                               .arg(protocolName));
    QStringList problems;
    if (parts[2] != u"25519")
        problems << QStringLiteral("DH function '%1' (only 25519 is supported)").arg(parts[2]);
    if (parts[3] != u"ChaChaPoly")
        problems << QStringLiteral("cipher '%1' (only ChaChaPoly is supported)").arg(parts[3]);
    if (parts[4] != u"BLAKE2b")
        problems << QStringLiteral("hash '%1' (only BLAKE2b is supported)").arg(parts[4]);
    if (!problems.isEmpty())
        return unsupported(QStringLiteral("unsupported Noise protocol '%1': %2")
                               .arg(protocolName, problems.join(QStringLiteral("; "))));

    auto pattern = fromName(parts[1]);
    if (!pattern)
        return unsupported(QStringLiteral("unsupported Noise protocol '%1': %2").arg(protocolName, pattern.message()));
    // Keep the caller's exact spelling: it is hashed into the handshake.
    pattern->m_protocolName = protocolName.toString();
    return pattern;
}

Result<HandshakePattern> HandshakePattern::fromName(QStringView patternName)
{
    // The base name is upper-case letters and digits ("X1K1"); modifiers
    // follow in lower case ("psk0+psk2").
    qsizetype baseLength = 0;
    while (baseLength < patternName.size()) {
        const QChar c = patternName[baseLength];
        if (!((c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')))
            break;
        ++baseLength;
    }
    const QStringView baseName = patternName.left(baseLength);
    const QStringView modifiers = patternName.mid(baseLength);

    const PatternDefinition *definition = nullptr;
    for (const PatternDefinition &candidate : kPatterns) {
        if (baseName == QLatin1String(candidate.name)) {
            definition = &candidate;
            break;
        }
    }
    if (!definition)
        return unsupported(QStringLiteral("unknown handshake pattern '%1'").arg(baseName));

    HandshakePattern pattern;
    const auto messages = parseMessages(definition->messages);
    const auto preMessages = parseMessages(definition->preMessages);
    if (!messages || !preMessages || messages->empty())
        return unsupported(QStringLiteral("the built-in table for pattern '%1' is malformed").arg(baseName));
    for (size_t i = 0; i < messages->size(); ++i) {
        if ((*messages)[i].fromInitiator != (i % 2 == 0))
            return unsupported(QStringLiteral("the built-in table for pattern '%1' does not alternate").arg(baseName));
    }
    for (const MessagePattern &pre : *preMessages) {
        if (pre.tokens.size() != 1 || pre.tokens.front() != Token::S)
            return unsupported(QStringLiteral("pattern '%1' has pre-messages other than static keys").arg(baseName));
        (pre.fromInitiator ? pattern.m_initiatorStaticPreKnown : pattern.m_responderStaticPreKnown) = true;
    }
    pattern.m_messages = std::move(*messages);

    if (!modifiers.isEmpty()) {
        int previous = -1;
        for (QStringView modifier : modifiers.split(u'+')) {
            if (!modifier.startsWith(u"psk"))
                return unsupported(
                    QStringLiteral("modifier '%1' is not supported (only psk0, psk1, ...)").arg(modifier));
            const auto index = parsePskIndex(modifier.mid(3));
            if (!index)
                return unsupported(QStringLiteral("malformed modifier '%1'").arg(modifier));
            if (*index > int(pattern.m_messages.size()))
                return unsupported(QStringLiteral("%1 needs a handshake message %2, but %3 has only %4")
                                       .arg(modifier)
                                       .arg(*index)
                                       .arg(baseName)
                                       .arg(pattern.m_messages.size()));
            if (*index <= previous)
                return unsupported(QStringLiteral("psk modifiers must be in ascending order without repeats, as in "
                                                  "'psk0+psk2'"));
            previous = *index;
            // psk0 opens the first message; pskN closes message N.
            if (*index == 0) {
                auto &tokens = pattern.m_messages.front().tokens;
                tokens.insert(tokens.begin(), Token::Psk);
            } else {
                pattern.m_messages[size_t(*index - 1)].tokens.push_back(Token::Psk);
            }
            ++pattern.m_pskCount;
        }
    }

    pattern.m_name = patternName.toString();
    pattern.m_protocolName = QStringLiteral("Noise_%1_25519_ChaChaPoly_BLAKE2b").arg(patternName);
    return pattern;
}

QStringList HandshakePattern::supportedBaseNames()
{
    QStringList names;
    for (const PatternDefinition &definition : kPatterns)
        names << QLatin1String(definition.name);
    return names;
}

bool HandshakePattern::anyTokenFrom(bool initiator, Token token) const
{
    return std::any_of(m_messages.begin(), m_messages.end(), [&](const MessagePattern &message) {
        return message.fromInitiator == initiator
            && std::find(message.tokens.begin(), message.tokens.end(), token) != message.tokens.end();
    });
}

bool HandshakePattern::sendsStatic(bool initiator) const
{
    return anyTokenFrom(initiator, Token::S);
}

bool HandshakePattern::sendsEphemeral(bool initiator) const
{
    return anyTokenFrom(initiator, Token::E);
}

bool HandshakePattern::needsLocalStatic(bool initiator) const
{
    if (staticIsPreKnown(initiator) || sendsStatic(initiator))
        return true;
    // A DH with our static key needs it even if the pattern were to never
    // send it (no standard pattern does that, but the check costs nothing).
    const Token ours = initiator ? Token::SE : Token::ES;
    return std::any_of(m_messages.begin(), m_messages.end(), [&](const MessagePattern &message) {
        return std::find_if(message.tokens.begin(), message.tokens.end(), [&](Token t) {
            return t == ours || t == Token::SS;
        }) != message.tokens.end();
    });
}

} // namespace cairn::crypto::noise
