// InboxHeader: the sealed per-device inbox entry, and the inbox key.
#include "core/base/cbor.h"
#include "core/base/rng.h"
#include "core/dht/message.h"
#include "core/mail/inboxheader.h"
#include "tests/unit/resultchecks.h"

#include <QTest>

#include <functional>
#include <sodium.h>

using namespace cairn;
using namespace cairn::mail;

namespace {

InboxHeader sample(base::Rng &rng)
{
    InboxHeader h;
    h.messageId = rng.bytes(InboxHeader::kIdBytes);
    h.envelopeKey = rng.bytes(InboxHeader::kKeyBytes);
    h.copies = 5;
    h.deleteToken = InboxHeader::newToken(rng);
    h.sentAt = 1'700'000'000'456;
    h.envelopeSize = 40'000;
    return h;
}

bool sameHeader(const InboxHeader &a, const InboxHeader &b)
{
    return a.messageId == b.messageId && a.envelopeKey == b.envelopeKey && a.copies == b.copies
        && a.deleteToken.equals(b.deleteToken.view()) && a.sentAt == b.sentAt && a.envelopeSize == b.envelopeSize;
}

// Seals arbitrary bytes the way seal() does, to put any plaintext in an entry.
QByteArray sealRaw(const crypto::PublicKey &to, const QByteArray &plain)
{
    QByteArray sealed(plain.size() + crypto_box_SEALBYTES, Qt::Uninitialized);
    crypto_box_seal(reinterpret_cast<unsigned char *>(sealed.data()),
        reinterpret_cast<const unsigned char *>(plain.constData()), plain.size(), to.bytes.data());
    return sealed;
}

QCborMap plainMap(const InboxHeader &h)
{
    return base::cbor::decode(h.encodePlain().value().view()).value().toMap();
}

} // namespace

class TestInboxHeader : public QObject {
    Q_OBJECT

private:
    base::SeededRng m_rng {7};
    crypto::DeviceKey m_device = crypto::DeviceKey::generate(m_rng);
    crypto::DeviceKey m_otherDevice = crypto::DeviceKey::generate(m_rng);

private Q_SLOTS:
    void plainRoundTrip()
    {
        const InboxHeader h = sample(m_rng);
        auto plain = h.encodePlain();
        CAIRN_VERIFY_OK(plain);
        QVERIFY(plain->size() <= InboxHeader::kMaxPlain);
        auto decoded = InboxHeader::decodePlain(plain->view());
        CAIRN_VERIFY_OK(decoded);
        QVERIFY(sameHeader(decoded.value(), h));
        QCOMPARE(decoded->encodePlain().value().view(), plain->view());
        // The hand-written encoding is the canonical one.
        QCOMPARE(base::cbor::encode(plainMap(h)), plain->view().toByteArray());
        const InboxHeader copy = h.clone();
        QVERIFY(sameHeader(copy, h));
    }

    void tokenHashIsBlake2bOfTheToken()
    {
        const InboxHeader h = sample(m_rng);
        QCOMPARE(h.tokenHash(), crypto::blake2b(h.deleteToken.view(), 32));
        QCOMPARE(h.tokenHash().size(), 32);
        const InboxHeader other = sample(m_rng);
        QVERIFY(other.tokenHash() != h.tokenHash());
    }

    void sealAndOpenForTheRightDevice()
    {
        const InboxHeader h = sample(m_rng);
        auto sealed = InboxHeader::seal(m_device.x25519Public(), h);
        CAIRN_VERIFY_OK(sealed);
        QVERIFY(sealed->size() <= InboxHeader::kMaxSealed);
        QVERIFY(sealed->size() <= dht::Message::kMaxEntry);
        // The token never appears in the clear.
        QVERIFY(!sealed->contains(h.deleteToken.view()));
        auto opened = InboxHeader::open(m_device, sealed.value());
        CAIRN_VERIFY_OK(opened);
        QVERIFY(sameHeader(opened.value(), h));
        QCOMPARE(opened->tokenHash(), h.tokenHash());
        // Sealing is randomised: two entries for one header differ (distinct DHT entry ids).
        QVERIFY(InboxHeader::seal(m_device.x25519Public(), h).value() != sealed.value());
    }

    void anotherDeviceGetsNotForUs()
    {
        const InboxHeader h = sample(m_rng);
        const QByteArray sealed = InboxHeader::seal(m_device.x25519Public(), h).value();
        CAIRN_VERIFY_ERROR(InboxHeader::open(m_otherDevice, sealed), MailError::NotForUs);
    }

    void tamperedEntryDoesNotOpen()
    {
        const InboxHeader h = sample(m_rng);
        const QByteArray sealed = InboxHeader::seal(m_device.x25519Public(), h).value();
        for (qsizetype at : {qsizetype(0), qsizetype(40), sealed.size() - 1}) {
            QByteArray tampered = sealed;
            tampered[at] = char(tampered[at] ^ 0x01);
            // The authentication fails exactly as for another device's entry.
            CAIRN_VERIFY_ERROR(InboxHeader::open(m_device, tampered), MailError::NotForUs);
        }
    }

    void wrongSizedEntriesAreMalformed()
    {
        const QByteArray sealed = InboxHeader::seal(m_device.x25519Public(), sample(m_rng)).value();
        CAIRN_VERIFY_ERROR(InboxHeader::open(m_device, QByteArray()), MailError::Malformed);
        CAIRN_VERIFY_ERROR(InboxHeader::open(m_device, sealed.left(crypto_box_SEALBYTES)), MailError::Malformed);
        CAIRN_VERIFY_ERROR(InboxHeader::open(m_device, QByteArray(InboxHeader::kMaxSealed, 'x')), MailError::Malformed);
        CAIRN_VERIFY_ERROR(InboxHeader::open(m_device, sealed.left(sealed.size() - 1)), MailError::NotForUs);
    }

    void sealedGarbageIsMalformed()
    {
        const crypto::PublicKey us = m_device.x25519Public();
        CAIRN_VERIFY_ERROR(InboxHeader::open(m_device, sealRaw(us, "not cbor at all")), MailError::Malformed);
        QCborMap map = plainMap(sample(m_rng));
        map.insert(8, 0);
        CAIRN_VERIFY_ERROR(InboxHeader::open(m_device, sealRaw(us, base::cbor::encode(map))), MailError::Malformed);
        map = plainMap(sample(m_rng));
        map.insert(1, 2);
        CAIRN_VERIFY_ERROR(
            InboxHeader::open(m_device, sealRaw(us, base::cbor::encode(map))), MailError::UnsupportedVersion);
    }

    void decodePlainRefusesWrongFields()
    {
        const InboxHeader h = sample(m_rng);
        const struct {
            qint64 key;
            QCborValue value;
        } cases[] = {
            {2, QByteArray(15, 'i')},
            {2, QStringLiteral("id")},
            {3, QByteArray(31, 'k')},
            {4, 0},
            {4, InboxHeader::kMaxCopies + 1},
            {5, QByteArray(31, 't')},
            {5, QByteArray(33, 't')},
            {6, -1},
            {6, InboxHeader::kMaxSentAt + 1},
            {7, 0},
            {7, InboxHeader::kMaxEnvelopeSize + 1},
            {7, QStringLiteral("big")},
        };
        for (const auto &c : cases) {
            QCborMap map = plainMap(h);
            map.insert(c.key, c.value);
            auto r = InboxHeader::decodePlain(base::cbor::encode(map));
            QVERIFY2(!r.ok(), qPrintable(QStringLiteral("field %1 accepted").arg(c.key)));
            QVERIFY(r.code() == MailError::Malformed || r.code() == MailError::TooLarge);
        }
        for (qint64 key = 1; key <= 7; ++key) {
            QCborMap map = plainMap(h);
            map.remove(key);
            CAIRN_VERIFY_ERROR(InboxHeader::decodePlain(base::cbor::encode(map)), MailError::Malformed);
        }
        QByteArray plain = h.encodePlain().value().view().toByteArray();
        CAIRN_VERIFY_ERROR(InboxHeader::decodePlain(plain + '\0'), MailError::Malformed);
        CAIRN_VERIFY_ERROR(InboxHeader::decodePlain(plain.left(plain.size() - 1)), MailError::Malformed);
        CAIRN_VERIFY_ERROR(InboxHeader::decodePlain(QByteArray(InboxHeader::kMaxPlain + 1, 'x')), MailError::TooLarge);
    }

    void encodeChecksEveryRule()
    {
        const std::function<void(InboxHeader &)> breakers[] = {
            [](InboxHeader &h) { h.messageId.chop(1); },
            [](InboxHeader &h) { h.envelopeKey.append('k'); },
            [](InboxHeader &h) { h.copies = 0; },
            [](InboxHeader &h) { h.copies = InboxHeader::kMaxCopies + 1; },
            [](InboxHeader &h) { h.deleteToken = crypto::SecretBytes(16); },
            [](InboxHeader &h) { h.sentAt = -1; },
            [](InboxHeader &h) { h.envelopeSize = 0; },
            [](InboxHeader &h) { h.envelopeSize = InboxHeader::kMaxEnvelopeSize + 1; },
        };
        for (const auto &breakIt : breakers) {
            InboxHeader h = sample(m_rng);
            breakIt(h);
            CAIRN_VERIFY_ERROR(h.encodePlain(), MailError::InvalidField);
            CAIRN_VERIFY_ERROR(InboxHeader::seal(m_device.x25519Public(), h), MailError::InvalidField);
        }
        InboxHeader edge = sample(m_rng);
        edge.copies = InboxHeader::kMaxCopies;
        edge.envelopeSize = InboxHeader::kMaxEnvelopeSize;
        edge.sentAt = InboxHeader::kMaxSentAt;
        CAIRN_VERIFY_OK(edge.encodePlain());
        edge.copies = 1;
        edge.envelopeSize = 1;
        edge.sentAt = 0;
        CAIRN_VERIFY_OK(InboxHeader::decodePlain(edge.encodePlain().value().view()));
    }

    void sealToAnUnusableKeyFails()
    {
        crypto::PublicKey zero; // a low-order point: no shared secret
        CAIRN_VERIFY_ERROR(InboxHeader::seal(zero, sample(m_rng)), MailError::CryptoFailed);
    }

    void inboxKeyIsTheHashOfGroupAndUser()
    {
        const QByteArray group = m_rng.bytes(32);
        const QByteArray key = inboxKey(group, QStringLiteral("bob"));
        QCOMPARE(key.size(), 32);
        QCOMPARE(key, crypto::blake2b(group + QByteArray("bob"), 32));
        QCOMPARE(inboxKey(group, QStringLiteral("bob")), key);
        QVERIFY(inboxKey(group, QStringLiteral("bob2")) != key);
        QVERIFY(inboxKey(m_rng.bytes(32), QStringLiteral("bob")) != key);
    }
};

QTEST_GUILESS_MAIN(TestInboxHeader)
#include "test_inboxheader.moc"
