// Noise_*_25519_ChaChaPoly_BLAKE2b: the public cacophony/snow test vectors,
// plus the behaviour a transport relies on (tampering, wrong keys, turn order).
#include "core/base/rng.h"
#include "core/crypto/noise/cipherstate.h"
#include "core/crypto/noise/handshakepattern.h"
#include "core/crypto/noise/handshakestate.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <sodium.h>

using namespace cairn;
using namespace cairn::crypto;
using namespace cairn::crypto::noise;

namespace {

const char *msg(const QString &text)
{
    // QVERIFY2 wants a C string that lives until the macro is done.
    static QByteArray storage;
    storage = text.toUtf8();
    return storage.constData();
}

template <typename T> QString describe(const Result<T> &result)
{
    return result.ok() ? QStringLiteral("ok") : result.message();
}

QString vectorFilePath()
{
    const QString overridePath = qEnvironmentVariable("CAIRN_NOISE_VECTORS");
    if (!overridePath.isEmpty())
        return overridePath;
    // The shared folder beside the repository is the reference; the copy in
    // tests/data keeps a checkout that has no such folder testable.
    const QString name = QStringLiteral("noise-25519-chachapoly-blake2b.json");
    const QString shared = qEnvironmentVariable("CAIRN_SHARED_DIR") + QStringLiteral("/test-vectors/") + name;
    if (QFile::exists(shared))
        return shared;
    return QStringLiteral(CAIRN_TEST_DATA_DIR "/") + name;
}

QByteArray hexField(const QJsonObject &object, const char *key)
{
    return QByteArray::fromHex(object.value(QLatin1String(key)).toString().toLatin1());
}

SecretBytes randomSecret(base::Rng &rng)
{
    SecretBytes secret(32);
    rng.fill(secret.span());
    return secret;
}

PublicKey publicOf(const SecretBytes &secret)
{
    PublicKey key;
    crypto_scalarmult_base(key.bytes.data(), secret.data());
    return key;
}

/// Keys for one party of a test handshake. The ephemeral is only used when
/// a test needs to replay the same handshake bytes.
struct Party {
    SecretBytes staticSecret;
    PublicKey staticPublic;
    SecretBytes ephemeralSecret;
};

Party makeParty(base::Rng &rng)
{
    Party party {randomSecret(rng), {}, randomSecret(rng)};
    party.staticPublic = publicOf(party.staticSecret);
    return party;
}

enum class Ephemerals { Random, Fixed };

HandshakeConfig configFor(const HandshakePattern &pattern, bool initiator, const Party &self, const Party &peer,
    QByteArrayView psk, Ephemerals ephemerals = Ephemerals::Random)
{
    HandshakeConfig config;
    config.protocolName = pattern.protocolName();
    config.initiator = initiator;
    config.prologue = QByteArrayLiteral("cairn test");
    if (pattern.needsLocalStatic(initiator))
        config.localStaticSecret = self.staticSecret.clone();
    if (pattern.staticIsPreKnown(!initiator))
        config.remoteStatic = peer.staticPublic;
    for (int i = 0; i < pattern.pskCount(); ++i)
        config.psks.push_back(SecretBytes::fromView(psk));
    if (ephemerals == Ephemerals::Fixed)
        config.fixedEphemeralSecret = self.ephemeralSecret.clone();
    return config;
}

/// Runs a whole handshake; returns the first error, with who hit it.
QString runHandshake(HandshakeState &initiator, HandshakeState &responder)
{
    for (int i = 0; !initiator.isComplete() || !responder.isComplete(); ++i) {
        if (i > 16)
            return QStringLiteral("handshake did not finish");
        HandshakeState &sender = initiator.isMyTurn() ? initiator : responder;
        HandshakeState &receiver = initiator.isMyTurn() ? responder : initiator;
        const QByteArray payload = QByteArrayLiteral("payload ") + QByteArray::number(i);
        auto message = sender.writeMessage(payload);
        if (!message)
            return QStringLiteral("write %1: %2").arg(i).arg(message.message());
        auto received = receiver.readMessage(message.value());
        if (!received)
            return QStringLiteral("read %1: %2").arg(i).arg(received.message());
        if (received.value() != payload)
            return QStringLiteral("payload %1 differs").arg(i);
    }
    return {};
}

struct Pair {
    HandshakeState initiator;
    HandshakeState responder;
};

std::optional<Pair> makePair(const QString &patternName, const Party &i, const Party &r, QByteArrayView psk,
    base::Rng &rng, Ephemerals ephemerals = Ephemerals::Random)
{
    auto pattern = HandshakePattern::fromName(patternName);
    if (!pattern)
        return std::nullopt;
    auto initiator = HandshakeState::create(configFor(pattern.value(), true, i, r, psk, ephemerals), rng);
    auto responder = HandshakeState::create(configFor(pattern.value(), false, r, i, psk, ephemerals), rng);
    if (!initiator || !responder)
        return std::nullopt;
    return Pair {std::move(initiator).value(), std::move(responder).value()};
}

} // namespace

class TestNoise : public QObject {
    Q_OBJECT
private:
    int m_vectorsTotal = 0;
    int m_vectorsPassed = 0;
    base::SodiumRng m_rng;
    QByteArray m_psk = QByteArray(32, '\x42');

private Q_SLOTS:
    void initTestCase() { QVERIFY(initSodium()); }

    void cleanupTestCase() { qInfo("Noise vectors passed: %d of %d", m_vectorsPassed, m_vectorsTotal); }

    // ---- known-answer vectors ----

    void everyPublishedVectorIsReproducedExactly_data()
    {
        QTest::addColumn<QJsonObject>("vector");
        QTest::addColumn<QString>("loadError");

        const QString path = vectorFilePath();
        qInfo("Noise vectors from %s", qPrintable(path));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            QTest::newRow("vector file") << QJsonObject()
                                         << QStringLiteral("cannot open the Noise test vectors at '%1' (set "
                                                           "CAIRN_SHARED_DIR or CAIRN_NOISE_VECTORS)")
                                                .arg(path);
            return;
        }
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
        const QJsonArray vectors = document.object().value(QStringLiteral("vectors")).toArray();
        if (parseError.error != QJsonParseError::NoError || vectors.isEmpty()) {
            QTest::newRow("vector file")
                << QJsonObject()
                << QStringLiteral("'%1' holds no Noise vectors: %2").arg(path, parseError.errorString());
            return;
        }
        for (const QJsonValue &value : vectors) {
            const QJsonObject vector = value.toObject();
            QTest::newRow(qPrintable(vector.value(QStringLiteral("protocol_name")).toString())) << vector << QString();
            ++m_vectorsTotal;
        }
    }
    void everyPublishedVectorIsReproducedExactly()
    {
        QFETCH(QJsonObject, vector);
        QFETCH(QString, loadError);
        if (!loadError.isEmpty())
            QFAIL(msg(loadError));

        auto configFromVector = [&](const char *prefix, bool initiator) {
            auto field = [&](const char *name) { return QByteArray(prefix) + name; };
            HandshakeConfig config;
            config.protocolName = vector.value(QStringLiteral("protocol_name")).toString();
            config.initiator = initiator;
            config.prologue = hexField(vector, field("prologue"));
            config.localStaticSecret = SecretBytes::fromView(hexField(vector, field("static")));
            config.fixedEphemeralSecret = SecretBytes::fromView(hexField(vector, field("ephemeral")));
            if (vector.contains(QLatin1String(field("remote_static"))))
                config.remoteStatic = PublicKey::fromBytes(hexField(vector, field("remote_static"))).value();
            const QJsonArray psks = vector.value(QLatin1String(field("psks"))).toArray();
            for (const QJsonValue &psk : psks)
                config.psks.push_back(SecretBytes::fromView(QByteArray::fromHex(psk.toString().toLatin1())));
            return config;
        };

        auto created = HandshakeState::create(configFromVector("init_", true), m_rng);
        QVERIFY2(created.ok(), msg(describe(created)));
        HandshakeState initiator = std::move(created).value();
        created = HandshakeState::create(configFromVector("resp_", false), m_rng);
        QVERIFY2(created.ok(), msg(describe(created)));
        HandshakeState responder = std::move(created).value();

        const QJsonArray messages = vector.value(QStringLiteral("messages")).toArray();
        std::optional<std::pair<CipherState, CipherState>> initiatorCiphers, responderCiphers;
        for (qsizetype index = 0; index < messages.size(); ++index) {
            const QJsonObject message = messages.at(index).toObject();
            const QByteArray payload = hexField(message, "payload");
            const QByteArray expected = hexField(message, "ciphertext");

            if (!initiator.isComplete()) {
                const bool fromInitiator = index % 2 == 0;
                HandshakeState &sender = fromInitiator ? initiator : responder;
                HandshakeState &receiver = fromInitiator ? responder : initiator;
                auto written = sender.writeMessage(payload);
                QVERIFY2(written.ok(), msg(QStringLiteral("message %1: %2").arg(index).arg(describe(written))));
                QCOMPARE(written.value().toHex(), expected.toHex());
                auto read = receiver.readMessage(written.value());
                QVERIFY2(read.ok(), msg(QStringLiteral("message %1: %2").arg(index).arg(describe(read))));
                QCOMPARE(read.value().toHex(), payload.toHex());
                continue;
            }

            if (!initiatorCiphers) {
                QVERIFY(responder.isComplete());
                QCOMPARE(initiator.handshakeHash().toHex(), hexField(vector, "handshake_hash").toHex());
                QCOMPARE(responder.handshakeHash().toHex(), hexField(vector, "handshake_hash").toHex());
                auto i = initiator.split();
                auto r = responder.split();
                QVERIFY(i.ok() && r.ok());
                initiatorCiphers = std::move(i).value();
                responderCiphers = std::move(r).value();
            }
            // One-way patterns only ever send from the initiator.
            const bool fromInitiator = initiator.pattern().isOneWay() || index % 2 == 0;
            CipherState &send = fromInitiator ? initiatorCiphers->first : responderCiphers->second;
            CipherState &receive = fromInitiator ? responderCiphers->first : initiatorCiphers->second;
            auto written = send.encryptWithAd({}, payload);
            QVERIFY2(written.ok(), msg(describe(written)));
            QCOMPARE(written.value().toHex(), expected.toHex());
            auto read = receive.decryptWithAd({}, written.value());
            QVERIFY2(read.ok(), msg(describe(read)));
            QCOMPARE(read.value().toHex(), payload.toHex());
        }
        QVERIFY2(initiator.isComplete() && responder.isComplete(), "the vector ended mid-handshake");
        QCOMPARE(initiator.handshakeHash().toHex(), hexField(vector, "handshake_hash").toHex());
        // Where a party learned its peer's static key, it is the right one.
        if (initiator.remoteStatic() && responder.localStaticPublic())
            QCOMPARE(initiator.remoteStatic()->toHex(), responder.localStaticPublic()->toHex());
        if (responder.remoteStatic() && initiator.localStaticPublic())
            QCOMPARE(responder.remoteStatic()->toHex(), initiator.localStaticPublic()->toHex());
        ++m_vectorsPassed;
    }

    // ---- handshakes between two live parties ----

    void xxHandshakeWithRandomKeysAuthenticatesBothStatics()
    {
        const Party alice = makeParty(m_rng), bob = makeParty(m_rng);
        auto pair = makePair(QStringLiteral("XX"), alice, bob, {}, m_rng);
        QVERIFY(pair);
        const QString error = runHandshake(pair->initiator, pair->responder);
        QVERIFY2(error.isEmpty(), msg(error));
        QCOMPARE(pair->initiator.remoteStatic()->toHex(), bob.staticPublic.toHex());
        QCOMPARE(pair->responder.remoteStatic()->toHex(), alice.staticPublic.toHex());
        QCOMPARE(pair->initiator.handshakeHash(), pair->responder.handshakeHash());

        auto initiatorCiphers = pair->initiator.split();
        auto responderCiphers = pair->responder.split();
        QVERIFY(initiatorCiphers.ok() && responderCiphers.ok());
        auto toBob = initiatorCiphers->first.encryptWithAd({}, "hello bob");
        QCOMPARE(responderCiphers->first.decryptWithAd({}, toBob.value()).value(), QByteArray("hello bob"));
        auto toAlice = responderCiphers->second.encryptWithAd({}, "hello alice");
        QCOMPARE(initiatorCiphers->second.decryptWithAd({}, toAlice.value()).value(), QByteArray("hello alice"));
    }

    void everySupportedPatternCompletesWithRandomKeys_data()
    {
        QTest::addColumn<QString>("pattern");
        for (const QString &base : HandshakePattern::supportedBaseNames()) {
            QTest::newRow(qPrintable(base)) << base;
            QTest::newRow(qPrintable(base + QStringLiteral("psk0"))) << base + QStringLiteral("psk0");
            QTest::newRow(qPrintable(base + QStringLiteral("psk0+psk1"))) << base + QStringLiteral("psk0+psk1");
        }
        QTest::newRow("XXpsk0+psk1+psk2+psk3") << QStringLiteral("XXpsk0+psk1+psk2+psk3");
        QTest::newRow("IKpsk2") << QStringLiteral("IKpsk2");
    }
    void everySupportedPatternCompletesWithRandomKeys()
    {
        QFETCH(QString, pattern);
        const Party alice = makeParty(m_rng), bob = makeParty(m_rng);
        auto pair = makePair(pattern, alice, bob, m_psk, m_rng);
        QVERIFY(pair);
        const QString error = runHandshake(pair->initiator, pair->responder);
        QVERIFY2(error.isEmpty(), msg(error));
        QCOMPARE(pair->initiator.handshakeHash(), pair->responder.handshakeHash());
        if (pair->initiator.pattern().needsLocalStatic(false))
            QCOMPARE(pair->initiator.remoteStatic()->toHex(), bob.staticPublic.toHex());
        if (pair->initiator.pattern().needsLocalStatic(true))
            QCOMPARE(pair->responder.remoteStatic()->toHex(), alice.staticPublic.toHex());
        auto a = pair->initiator.split();
        auto b = pair->responder.split();
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(
            b->first.decryptWithAd("ad", a->first.encryptWithAd("ad", "ping").value()).value(), QByteArray("ping"));
    }

    // ---- what must fail ----

    void aFlippedByteInAnyHandshakeMessageIsRejected_data()
    {
        QTest::addColumn<int>("messageIndex");
        QTest::newRow("message 1 (initiator ephemeral, clear)") << 0;
        QTest::newRow("message 2 (responder keys, encrypted)") << 1;
        QTest::newRow("message 3 (initiator static, encrypted)") << 2;
    }
    void aFlippedByteInAnyHandshakeMessageIsRejected()
    {
        QFETCH(int, messageIndex);
        const Party alice = makeParty(m_rng), bob = makeParty(m_rng);
        for (qsizetype position = 0;; ++position) {
            auto pair = makePair(QStringLiteral("XX"), alice, bob, {}, m_rng);
            QVERIFY(pair);
            bool rejected = false;
            qsizetype messageSize = 0;
            for (int i = 0; !pair->initiator.isComplete() && !rejected; ++i) {
                HandshakeState &sender = i % 2 == 0 ? pair->initiator : pair->responder;
                HandshakeState &receiver = i % 2 == 0 ? pair->responder : pair->initiator;
                QByteArray message = sender.writeMessage("payload").value();
                if (i == messageIndex) {
                    messageSize = message.size();
                    message[position] = char(message[position] ^ 0x01);
                }
                auto read = receiver.readMessage(message);
                if (!read) {
                    QCOMPARE(read.code(), CryptoError::DecryptFailed);
                    QVERIFY(receiver.hasFailed());
                    QCOMPARE(receiver.writeMessage("more").code(), CryptoError::InvalidState);
                    rejected = true;
                }
            }
            QVERIFY2(rejected,
                msg(QStringLiteral("flipping byte %1 of message %2 went unnoticed")
                        .arg(position)
                        .arg(messageIndex + 1)));
            if (position + 1 >= messageSize)
                break;
        }
    }

    void aWrongPskFailsTheHandshake()
    {
        const Party alice = makeParty(m_rng), bob = makeParty(m_rng);
        auto pattern = HandshakePattern::fromName(QStringLiteral("XXpsk3")).value();
        auto initiator = HandshakeState::create(configFor(pattern, true, alice, bob, m_psk), m_rng);
        auto responder = HandshakeState::create(configFor(pattern, false, bob, alice, QByteArray(32, '\x43')), m_rng);
        QVERIFY(initiator.ok() && responder.ok());
        QVERIFY(responder->readMessage(initiator->writeMessage().value()).ok());
        QVERIFY(initiator->readMessage(responder->writeMessage().value()).ok());
        auto last = responder->readMessage(initiator->writeMessage().value());
        QCOMPARE(last.code(), CryptoError::DecryptFailed);
        QVERIFY(!responder->isComplete());
        QCOMPARE(responder->split().code(), CryptoError::InvalidState);
    }

    void ikWithTheWrongResponderStaticFails()
    {
        const Party alice = makeParty(m_rng), bob = makeParty(m_rng), mallory = makeParty(m_rng);
        auto pattern = HandshakePattern::fromName(QStringLiteral("IK")).value();
        // Alice believes Mallory's key is Bob's.
        auto initiator = HandshakeState::create(configFor(pattern, true, alice, mallory, {}), m_rng);
        auto responder = HandshakeState::create(configFor(pattern, false, bob, alice, {}), m_rng);
        QVERIFY(initiator.ok() && responder.ok());
        auto first = responder->readMessage(initiator->writeMessage("secret").value());
        QCOMPARE(first.code(), CryptoError::DecryptFailed);
        QVERIFY(responder->hasFailed());
    }

    void callsOutOfTurnAreInvalidState()
    {
        const Party alice = makeParty(m_rng), bob = makeParty(m_rng);
        auto pair = makePair(QStringLiteral("XX"), alice, bob, {}, m_rng);
        QVERIFY(pair);
        auto early = pair->responder.writeMessage("too early");
        QCOMPARE(early.code(), CryptoError::InvalidState);
        QVERIFY2(early.message().contains(QStringLiteral("out of turn")), msg(early.message()));
        QCOMPARE(pair->initiator.readMessage(QByteArray(48, 'x')).code(), CryptoError::InvalidState);
        QCOMPARE(pair->initiator.split().code(), CryptoError::InvalidState);
        // The rejected calls changed nothing: the handshake still completes.
        QVERIFY(!pair->responder.hasFailed() && !pair->initiator.hasFailed());
        QCOMPARE(runHandshake(pair->initiator, pair->responder), QString());
        QCOMPARE(pair->initiator.writeMessage("after").code(), CryptoError::InvalidState);
        QCOMPARE(pair->responder.readMessage("after").code(), CryptoError::InvalidState);
    }

    void unsupportedProtocolNamesGiveAClearError_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("448/AESGCM/SHA256") << QStringLiteral("Noise_XX_448_AESGCM_SHA256") << QStringLiteral("448");
        QTest::newRow("AESGCM") << QStringLiteral("Noise_XX_25519_AESGCM_BLAKE2b") << QStringLiteral("AESGCM");
        QTest::newRow("SHA256") << QStringLiteral("Noise_XX_25519_ChaChaPoly_SHA256") << QStringLiteral("SHA256");
        QTest::newRow("unknown pattern") << QStringLiteral("Noise_ZZ_25519_ChaChaPoly_BLAKE2b") << QStringLiteral("ZZ");
        QTest::newRow("psk beyond the messages")
            << QStringLiteral("Noise_NNpsk3_25519_ChaChaPoly_BLAKE2b") << QStringLiteral("psk3");
        QTest::newRow("repeated psk") << QStringLiteral("Noise_XXpsk2+psk2_25519_ChaChaPoly_BLAKE2b")
                                      << QStringLiteral("ascending");
        QTest::newRow("fallback") << QStringLiteral("Noise_XXfallback_25519_ChaChaPoly_BLAKE2b")
                                  << QStringLiteral("fallback");
        QTest::newRow("too few parts") << QStringLiteral("Noise_XX_25519_ChaChaPoly") << QStringLiteral("form");
        QTest::newRow("empty") << QString() << QStringLiteral("form");
    }
    void unsupportedProtocolNamesGiveAClearError()
    {
        QFETCH(QString, name);
        QFETCH(QString, mentions);
        HandshakeConfig config;
        config.protocolName = name;
        config.initiator = true;
        auto state = HandshakeState::create(std::move(config), m_rng);
        QVERIFY(!state.ok());
        QCOMPARE(state.code(), CryptoError::Unsupported);
        QVERIFY2(state.message().contains(mentions), msg(state.message()));
    }

    void anUnsupportedNameListsEveryUnsupportedPart()
    {
        auto pattern = HandshakePattern::fromProtocolName(u"Noise_XX_448_AESGCM_SHA256");
        QVERIFY(!pattern.ok());
        for (const char *part : {"448", "AESGCM", "SHA256"})
            QVERIFY2(pattern.message().contains(QLatin1String(part)), msg(pattern.message()));
    }

    void missingOrSurplusKeysAreRejectedUpFront()
    {
        const Party alice = makeParty(m_rng), bob = makeParty(m_rng);
        auto xx = HandshakePattern::fromName(QStringLiteral("XX")).value();
        HandshakeConfig noStatic = configFor(xx, true, alice, bob, {});
        noStatic.localStaticSecret = SecretBytes();
        QCOMPARE(HandshakeState::create(std::move(noStatic), m_rng).code(), CryptoError::InvalidKey);

        HandshakeConfig pinned = configFor(xx, true, alice, bob, {});
        pinned.remoteStatic = bob.staticPublic;
        QCOMPARE(HandshakeState::create(std::move(pinned), m_rng).code(), CryptoError::InvalidKey);

        auto kk = HandshakePattern::fromName(QStringLiteral("KK")).value();
        HandshakeConfig noRemote = configFor(kk, true, alice, bob, {});
        noRemote.remoteStatic.reset();
        QCOMPARE(HandshakeState::create(std::move(noRemote), m_rng).code(), CryptoError::InvalidKey);

        auto psk = HandshakePattern::fromName(QStringLiteral("NNpsk0")).value();
        HandshakeConfig noPsk = configFor(psk, true, alice, bob, {});
        noPsk.psks.clear();
        QCOMPARE(HandshakeState::create(std::move(noPsk), m_rng).code(), CryptoError::InvalidKey);
        HandshakeConfig shortPsk = configFor(psk, true, alice, bob, QByteArray(16, 'k'));
        QCOMPARE(HandshakeState::create(std::move(shortPsk), m_rng).code(), CryptoError::InvalidKey);
    }

    void truncatedOrGarbageMessagesAreErrorsNotCrashes()
    {
        const Party alice = makeParty(m_rng), bob = makeParty(m_rng);
        // Fixed ephemerals make every fresh pair produce the same bytes, so
        // each truncation of one real message can be tried on a fresh state.
        auto freshInitiatorAwaitingReply = [&]() {
            auto pair = makePair(QStringLiteral("XX"), alice, bob, {}, m_rng, Ephemerals::Fixed);
            const bool ok = pair && pair->responder.readMessage(pair->initiator.writeMessage().value()).ok();
            return ok ? std::move(pair) : std::nullopt;
        };
        QByteArray reply;
        {
            auto pair = freshInitiatorAwaitingReply();
            QVERIFY(pair);
            reply = pair->responder.writeMessage("payload").value();
        }
        for (qsizetype length = 0; length < reply.size(); ++length) {
            auto pair = freshInitiatorAwaitingReply();
            QVERIFY(pair);
            auto read = pair->initiator.readMessage(reply.first(length));
            QVERIFY2(!read.ok(), msg(QStringLiteral("accepted %1 of %2 bytes").arg(length).arg(reply.size())));
            QVERIFY(read.code() == CryptoError::Corrupt || read.code() == CryptoError::DecryptFailed);
        }
        {
            auto pair = freshInitiatorAwaitingReply();
            auto read = pair->initiator.readMessage(reply);
            QVERIFY2(read.ok(), msg(describe(read)));
            QCOMPARE(read.value(), QByteArray("payload"));
        }
        auto pair = freshInitiatorAwaitingReply();
        QCOMPARE(pair->initiator.readMessage(m_rng.bytes(200)).code(), CryptoError::DecryptFailed);
    }

    void messagesOverTheNoiseLimitAreRejected()
    {
        const Party alice = makeParty(m_rng), bob = makeParty(m_rng);
        auto pair = makePair(QStringLiteral("NN"), alice, bob, {}, m_rng);
        QVERIFY(pair);
        // 32 bytes of ephemeral plus a clear payload: 65503 fits, 65504 does not.
        QCOMPARE(pair->initiator.writeMessage(QByteArray(65504, 'p')).code(), CryptoError::TooLarge);
        QVERIFY(!pair->initiator.hasFailed());
        auto largest = pair->initiator.writeMessage(QByteArray(65503, 'p'));
        QVERIFY2(largest.ok(), msg(describe(largest)));
        QCOMPARE(largest->size(), kMaxMessageSize);
        QCOMPARE(pair->responder.readMessage(QByteArray(65536, 'x')).code(), CryptoError::TooLarge);
        QVERIFY(pair->responder.readMessage(largest.value()).ok());
    }

    void aLowOrderEphemeralIsRejected()
    {
        const Party alice = makeParty(m_rng), bob = makeParty(m_rng);
        auto pair = makePair(QStringLiteral("NN"), alice, bob, {}, m_rng);
        QVERIFY(pair->responder.readMessage(QByteArray(32, '\0')).ok());
        auto reply = pair->responder.writeMessage();
        QCOMPARE(reply.code(), CryptoError::InvalidKey);
        QVERIFY(pair->responder.hasFailed());
    }

    // ---- CipherState ----

    void cipherStateRejectsTheReservedNonce()
    {
        CipherState cipher;
        std::array<quint8, kKeySize> key {};
        key.fill(7);
        cipher.initializeKey(key);
        cipher.setNonce(CipherState::kReservedNonce - 1);
        QVERIFY(cipher.encryptWithAd({}, "last").ok());
        auto exhausted = cipher.encryptWithAd({}, "one too many");
        QCOMPARE(exhausted.code(), CryptoError::InvalidState);
        QCOMPARE(cipher.decryptWithAd({}, QByteArray(32, 'x')).code(), CryptoError::InvalidState);
    }

    void cipherStateDoesNotAdvanceOnAFailedDecrypt()
    {
        std::array<quint8, kKeySize> key {};
        key.fill(9);
        CipherState sender, receiver;
        sender.initializeKey(key);
        receiver.initializeKey(key);
        const QByteArray first = sender.encryptWithAd("ad", "one").value();
        QCOMPARE(receiver.decryptWithAd("other ad", first).code(), CryptoError::DecryptFailed);
        QCOMPARE(receiver.nonce(), quint64(0));
        QCOMPARE(receiver.decryptWithAd("ad", first).value(), QByteArray("one"));
        QCOMPARE(receiver.nonce(), quint64(1));
    }

    void cipherStatePassesDataThroughWithoutAKey()
    {
        CipherState cipher;
        QVERIFY(!cipher.hasKey());
        QCOMPARE(cipher.encryptWithAd("ad", "clear").value(), QByteArray("clear"));
        QCOMPARE(cipher.rekey().code(), CryptoError::InvalidState);
    }

    void rekeyFollowsTheSpecAndKeepsTheNonce()
    {
        std::array<quint8, kKeySize> key {};
        key.fill(3);
        // REKEY(k) = ENCRYPT(k, 2^64-1, "", 32 zero bytes)[0..32].
        std::array<quint8, 12> maxNonce {};
        std::fill(maxNonce.begin() + 4, maxNonce.end(), quint8(0xff));
        std::array<quint8, 48> rekeyed {};
        const std::array<quint8, 32> zeros {};
        crypto_aead_chacha20poly1305_ietf_encrypt(
            rekeyed.data(), nullptr, zeros.data(), zeros.size(), nullptr, 0, nullptr, maxNonce.data(), key.data());
        CipherState expected;
        expected.initializeKey(std::span<const quint8, kKeySize>(rekeyed.data(), kKeySize));
        expected.setNonce(5);

        CipherState cipher;
        cipher.initializeKey(key);
        cipher.setNonce(5);
        QVERIFY(cipher.rekey().ok());
        QCOMPARE(cipher.nonce(), quint64(5));
        QCOMPARE(
            cipher.encryptWithAd("ad", "after rekey").value(), expected.encryptWithAd("ad", "after rekey").value());
    }
};

QTEST_GUILESS_MAIN(TestNoise)
#include "test_noise.moc"
