#pragma once

#include "core/crypto/error.h"

#include <QString>
#include <QStringList>
#include <QStringView>

#include <vector>

namespace cairn::crypto::noise {

/// The tokens of a Noise message pattern (spec section 7.1, psk from 9).
enum class Token : quint8 { E, S, EE, ES, SE, SS, Psk };

/// One handshake message: who sends it and the tokens it carries, in order.
struct MessagePattern {
    bool fromInitiator = true;
    std::vector<Token> tokens;
};

/// A Noise handshake pattern with its psk modifiers applied, parsed from a
/// protocol name such as "Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b". Knows all
/// one-way, fundamental and deferred patterns of the spec (rev 34); only
/// 25519, ChaChaPoly and BLAKE2b are accepted, since that is all Cairn
/// implements. Pre-messages in these patterns carry static keys only.
class HandshakePattern {
public:
    /// Unsupported (with the reason) for anything else than
    /// Noise_<pattern>_25519_ChaChaPoly_BLAKE2b with a known pattern.
    static Result<HandshakePattern> fromProtocolName(QStringView protocolName);
    /// A pattern name with modifiers: "XX", "X1K1", "NNpsk0+psk2". The
    /// protocol name becomes Noise_<name>_25519_ChaChaPoly_BLAKE2b.
    static Result<HandshakePattern> fromName(QStringView patternName);
    /// The base names this build knows ("N", "NN", ..., "I1X1").
    static QStringList supportedBaseNames();

    /// The pattern name with modifiers, e.g. "XXpsk3".
    const QString &name() const { return m_name; }
    const QString &protocolName() const { return m_protocolName; }

    /// Whether the party's static key is known to its peer before the
    /// handshake ("-> s" / "<- s" pre-messages).
    bool staticIsPreKnown(bool initiator) const
    {
        return initiator ? m_initiatorStaticPreKnown : m_responderStaticPreKnown;
    }
    /// Whether the party sends its static key during the handshake.
    bool sendsStatic(bool initiator) const;
    /// Whether the party needs a static key pair at all.
    bool needsLocalStatic(bool initiator) const;
    /// Whether the party sends an ephemeral key (the responder of a one-way
    /// pattern does not).
    bool sendsEphemeral(bool initiator) const;

    /// Handshake messages in order; they alternate, starting with the initiator.
    const std::vector<MessagePattern> &messages() const { return m_messages; }
    /// One-way patterns (N, K, X) have a single message and only the
    /// initiator sends transport messages afterwards.
    bool isOneWay() const { return m_messages.size() == 1; }
    int pskCount() const { return m_pskCount; }
    bool hasPsk() const { return m_pskCount > 0; }

private:
    HandshakePattern() = default;
    bool anyTokenFrom(bool initiator, Token token) const;

    QString m_name;
    QString m_protocolName;
    bool m_initiatorStaticPreKnown = false;
    bool m_responderStaticPreKnown = false;
    std::vector<MessagePattern> m_messages;
    int m_pskCount = 0;
};

} // namespace cairn::crypto::noise
