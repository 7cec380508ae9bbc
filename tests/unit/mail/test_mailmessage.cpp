// MailMessage: the message a sender signs. Round trips, every limit, and
// strict decoding of malformed input.
#include "core/base/cbor.h"
#include "core/base/rng.h"
#include "core/crypto/envelope.h"
#include "core/dht/message.h"
#include "core/mail/mailmessage.h"
#include "tests/unit/resultchecks.h"

#include <QTest>

using namespace cairn;
using namespace cairn::mail;

namespace {

MailMessage sample(base::Rng &rng)
{
    MailMessage m;
    m.id = MailMessage::newId(rng);
    m.from = QStringLiteral("alice");
    m.to = {QStringLiteral("bob"), QStringLiteral("carol.2")};
    m.sentAt = 1'700'000'000'123;
    m.subject = QStringLiteral("Gipfelbuch – Grüße");
    m.body = QStringLiteral("Hello Bob,\nthe note is under the third stone.\n");
    return m;
}

// The encoded message as a CBOR map, to alter one field and re-encode.
QCborMap asMap(const MailMessage &m)
{
    return base::cbor::decode(m.encode().value()).value().toMap();
}

QByteArray withField(const MailMessage &m, qint64 key, const QCborValue &value)
{
    QCborMap map = asMap(m);
    map.insert(key, value);
    return base::cbor::encode(map);
}

QByteArray withoutField(const MailMessage &m, qint64 key)
{
    QCborMap map = asMap(m);
    map.remove(key);
    return base::cbor::encode(map);
}

QString repeated(const QString &unit, int times)
{
    return unit.repeated(times);
}

} // namespace

class TestMailMessage : public QObject {
    Q_OBJECT

private:
    base::SeededRng m_rng {42};

    void expectEncodeError(const MailMessage &m, MailError code)
    {
        auto r = m.encode();
        CAIRN_VERIFY_ERROR(r, code);
    }

private Q_SLOTS:
    void minimalRoundTrip()
    {
        const MailMessage m = sample(m_rng);
        auto bytes = m.encode();
        CAIRN_VERIFY_OK(bytes);
        auto decoded = MailMessage::decode(bytes.value());
        CAIRN_VERIFY_OK(decoded);
        QCOMPARE(decoded.value(), m);
        QCOMPARE(decoded->encode().value(), bytes.value());
        // Optional fields are absent, not empty.
        const QCborMap map = asMap(m);
        QVERIFY(!map.contains(9) && !map.contains(10) && !map.contains(11));
        QCOMPARE(map.value(1).toInteger(), 1);
    }

    void fullRoundTrip()
    {
        MailMessage m = sample(m_rng);
        m.kind = MailKind::FileDrop;
        m.attachments = m_rng.bytes(3000);
        m.summary = {{QStringLiteral("photos/summit.jpg"), 2'345'678}, {QStringLiteral("empty.txt"), 0},
            {QStringLiteral("größe.bin"), MailMessage::kMaxSummarySize}};
        auto bytes = m.encode();
        CAIRN_VERIFY_OK(bytes);
        auto decoded = MailMessage::decode(bytes.value());
        CAIRN_VERIFY_OK(decoded);
        QCOMPARE(decoded.value(), m);

        m.attachments.clear();
        m.attachmentsStream = m_rng.bytes(200);
        auto streamed = MailMessage::decode(m.encode().value());
        CAIRN_VERIFY_OK(streamed);
        QCOMPARE(streamed->attachmentsStream, m.attachmentsStream);
        QVERIFY(streamed->attachments.isEmpty());
    }

    void encodingIsDeterministic()
    {
        const MailMessage m = sample(m_rng);
        QCOMPARE(m.encode().value(), m.encode().value());
        MailMessage other = m;
        other.id = MailMessage::newId(m_rng);
        QVERIFY(other.id != m.id);
        QCOMPARE(other.id.size(), MailMessage::kIdBytes);
    }

    void subjectLimitCountsUtf8Bytes()
    {
        MailMessage m = sample(m_rng);
        m.subject = repeated(QStringLiteral("é"), 500); // 1000 bytes, 500 characters
        CAIRN_VERIFY_OK(m.encode());
        m.subject += QLatin1Char('x');
        auto r = m.encode();
        CAIRN_VERIFY_ERROR(r, MailError::TooLarge);
        QVERIFY2(r.message().contains(QLatin1String("subject")), qPrintable(r.message()));
    }

    void bodyLimit()
    {
        MailMessage m = sample(m_rng);
        m.body = QString(MailMessage::kMaxBodyBytes, QLatin1Char('a'));
        auto ok = m.encode();
        CAIRN_VERIFY_OK(ok);
        CAIRN_VERIFY_OK(MailMessage::decode(ok.value()));
        m.body += QLatin1Char('a');
        auto r = m.encode();
        CAIRN_VERIFY_ERROR(r, MailError::TooLarge);
        QCOMPARE(r.message(), QStringLiteral("the message body is too long: at most 32 KiB of text"));
        // Multi-byte text: 16,385 two-byte characters are 32,770 bytes.
        m.body = repeated(QStringLiteral("ü"), MailMessage::kMaxBodyBytes / 2 + 1);
        expectEncodeError(m, MailError::TooLarge);
    }

    void invalidUnicodeRefused()
    {
        MailMessage m = sample(m_rng);
        m.body = QString(QChar(0xD800)); // a lone surrogate
        expectEncodeError(m, MailError::InvalidField);
        m = sample(m_rng);
        m.subject = QString(QChar(0xDC00));
        expectEncodeError(m, MailError::InvalidField);
    }

    void recipientLimits()
    {
        MailMessage m = sample(m_rng);
        m.to.clear();
        expectEncodeError(m, MailError::InvalidField);
        for (int i = 0; i < MailMessage::kMaxRecipients; ++i)
            m.to.append(QStringLiteral("user%1").arg(i));
        CAIRN_VERIFY_OK(MailMessage::decode(m.encode().value()));
        m.to.append(QStringLiteral("one-too-many"));
        expectEncodeError(m, MailError::InvalidField);

        m = sample(m_rng);
        m.to.append(QStringLiteral("bob"));
        auto twice = m.encode();
        CAIRN_VERIFY_ERROR(twice, MailError::InvalidField);
        QVERIFY(twice.message().contains(QLatin1String("twice")));
    }

    void usernamesAreChecked()
    {
        MailMessage m = sample(m_rng);
        m.from = QStringLiteral("Alice");
        expectEncodeError(m, MailError::InvalidField);
        m.from = QString();
        expectEncodeError(m, MailError::InvalidField);
        m = sample(m_rng);
        m.to = {QStringLiteral("bob smith")};
        expectEncodeError(m, MailError::InvalidField);
        m.to = {QString(33, QLatin1Char('b'))};
        expectEncodeError(m, MailError::InvalidField);
    }

    void idTimeAndKind()
    {
        MailMessage m = sample(m_rng);
        m.id.chop(1);
        expectEncodeError(m, MailError::InvalidField);
        m = sample(m_rng);
        m.sentAt = -1;
        expectEncodeError(m, MailError::InvalidField);
        m.sentAt = MailMessage::kMaxSentAt;
        CAIRN_VERIFY_OK(m.encode());
        m.sentAt = MailMessage::kMaxSentAt + 1;
        expectEncodeError(m, MailError::InvalidField);
        m = sample(m_rng);
        m.kind = MailKind::Notice; // local only
        expectEncodeError(m, MailError::InvalidField);
    }

    void attachmentLimits()
    {
        MailMessage m = sample(m_rng);
        m.attachments = QByteArray(MailMessage::kMaxAttachmentsBytes, 'm');
        CAIRN_VERIFY_OK(MailMessage::decode(m.encode().value()));
        m.attachments.append('m');
        expectEncodeError(m, MailError::TooLarge);

        m = sample(m_rng);
        m.attachmentsStream = QByteArray(MailMessage::kMaxStreamRefBytes, 's');
        CAIRN_VERIFY_OK(MailMessage::decode(m.encode().value()));
        m.attachmentsStream.append('s');
        expectEncodeError(m, MailError::TooLarge);

        m = sample(m_rng);
        m.attachments = "inline";
        m.attachmentsStream = "stream";
        expectEncodeError(m, MailError::InvalidField);
    }

    void summaryLimits()
    {
        MailMessage m = sample(m_rng);
        for (int i = 0; i < MailMessage::kMaxSummaryEntries; ++i)
            m.summary.append({QStringLiteral("f"), i % 20});
        auto full = m.encode();
        CAIRN_VERIFY_OK(full);
        auto decoded = MailMessage::decode(full.value());
        CAIRN_VERIFY_OK(decoded);
        QCOMPARE(decoded->summary.size(), MailMessage::kMaxSummaryEntries);
        m.summary.append({QStringLiteral("f"), 1});
        expectEncodeError(m, MailError::TooLarge);

        m = sample(m_rng);
        m.summary = {{QString(), 1}};
        expectEncodeError(m, MailError::InvalidField);
        m.summary = {{QStringLiteral("a"), -1}};
        expectEncodeError(m, MailError::InvalidField);
        m.summary = {{QStringLiteral("a"), MailMessage::kMaxSummarySize + 1}};
        expectEncodeError(m, MailError::InvalidField);
        m.summary = {{QString(MailMessage::kMaxSummaryNameBytes, QLatin1Char('n')), 1}};
        CAIRN_VERIFY_OK(m.encode());
        m.summary = {{QString(MailMessage::kMaxSummaryNameBytes + 1, QLatin1Char('n')), 1}};
        expectEncodeError(m, MailError::TooLarge);
    }

    void wholeMessageLimit()
    {
        // Each field within its own limit, together over 48 KiB.
        MailMessage m = sample(m_rng);
        m.body = QString(MailMessage::kMaxBodyBytes, QLatin1Char('b'));
        m.attachments = QByteArray(MailMessage::kMaxAttachmentsBytes, 'm');
        auto r = m.encode();
        CAIRN_VERIFY_ERROR(r, MailError::TooLarge);
        QVERIFY2(r.message().contains(QLatin1String("48 KiB")), qPrintable(r.message()));
        // The largest message that encodes stays within the cap.
        m.attachments = QByteArray(MailMessage::kMaxEncoded - MailMessage::kMaxBodyBytes - 200, 'm');
        auto ok = m.encode();
        CAIRN_VERIFY_OK(ok);
        QVERIFY(ok->size() <= MailMessage::kMaxEncoded);
    }

    void largestMessageSealedTo64DevicesFitsOneBlob()
    {
        MailMessage m = sample(m_rng);
        m.body = QString(MailMessage::kMaxBodyBytes, QLatin1Char('b'));
        qsizetype room = MailMessage::kMaxEncoded - m.encode().value().size();
        m.attachments = QByteArray(room - 4, 'm'); // the length head grows by two bytes
        while (m.encode().ok() && m.encode()->size() < MailMessage::kMaxEncoded)
            m.attachments.append('m');
        auto plain = m.encode();
        CAIRN_VERIFY_OK(plain);
        QCOMPARE(plain->size(), MailMessage::kMaxEncoded);

        const crypto::DeviceKey sender = crypto::DeviceKey::generate(m_rng);
        QList<crypto::PublicKey> devices;
        for (int i = 0; i < crypto::Envelope::kMaxRecipients; ++i)
            devices.append(crypto::DeviceKey::generate(m_rng).x25519Public());
        auto envelope = crypto::Envelope::seal(sender, devices, plain.value());
        QVERIFY(envelope.ok());
        QVERIFY2(envelope->size() <= dht::Message::kMaxValue, qPrintable(QString::number(envelope->size())));
    }

    void decodeRefusesMalformed()
    {
        const MailMessage m = sample(m_rng);
        const QByteArray good = m.encode().value();
        CAIRN_VERIFY_ERROR(MailMessage::decode(QByteArray()), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(good.left(good.size() - 1)), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(good + '\0'), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(QByteArray::fromHex("a0")), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(QByteArray::fromHex("80")), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(QByteArray(MailMessage::kMaxEncoded + 1, '\0')), MailError::TooLarge);
        // A non-canonical integer (1 written in two bytes) for the version.
        QByteArray longForm = good;
        QVERIFY(longForm.startsWith(QByteArray::fromHex("a80101")));
        longForm.replace(0, 3, QByteArray::fromHex("a8011801"));
        CAIRN_VERIFY_ERROR(MailMessage::decode(longForm), MailError::Malformed);
    }

    void decodeRefusesWrongFields()
    {
        const MailMessage m = sample(m_rng);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 1, 2)), MailError::UnsupportedVersion);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 12, 0)), MailError::Malformed);
        CAIRN_VERIFY_ERROR(
            MailMessage::decode(withField(m, 2, QStringLiteral("0123456789abcdef"))), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 2, QByteArray(17, 'i'))), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 3, QStringLiteral("Alice"))), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 4, QCborArray {})), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 4, QCborArray {1})), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 4, QStringLiteral("bob"))), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 5, -1)), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 6, QByteArray("subject"))), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 8, 2)), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 8, true)), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 9, QByteArray())), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 9, QStringLiteral("x"))), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 10, QByteArray())), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 11, QCborArray {})), MailError::Malformed);
        CAIRN_VERIFY_ERROR(
            MailMessage::decode(withField(m, 11, QCborArray {QCborArray {QStringLiteral("a")}})), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 11, QCborArray {QCborArray {1, QStringLiteral("a")}})),
            MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 11, QCborArray {QCborArray {QStringLiteral("a"), -5}})),
            MailError::Malformed);
        CAIRN_VERIFY_ERROR(
            MailMessage::decode(withField(m, 7, QString(MailMessage::kMaxBodyBytes + 1, QLatin1Char('b')))),
            MailError::TooLarge);
        for (qint64 key = 1; key <= 8; ++key)
            CAIRN_VERIFY_ERROR(MailMessage::decode(withoutField(m, key)), MailError::Malformed);
        CAIRN_VERIFY_ERROR(MailMessage::decode(base::cbor::encode(QCborArray {1, 2})), MailError::Malformed);
    }

    void decodeRefusesDeepNesting()
    {
        const MailMessage m = sample(m_rng);
        const QCborArray deep {QCborArray {QStringLiteral("a"), QCborArray {1}}};
        CAIRN_VERIFY_ERROR(MailMessage::decode(withField(m, 11, deep)), MailError::Malformed);
    }
};

QTEST_GUILESS_MAIN(TestMailMessage)
#include "test_mailmessage.moc"
