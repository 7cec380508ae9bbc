// File streams: secretstream in 64 KiB chunks; truncation and reordering are detected.
#include "core/base/rng.h"
#include "core/crypto/filestream.h"

#include <QBuffer>
#include <QTest>

using namespace cairn;
using namespace cairn::crypto;

namespace {
constexpr qsizetype kHeader = FileStreamEncryptor::kHeaderSize;
constexpr qsizetype kCipherChunk = FileStreamEncryptor::kCipherChunk;

QByteArray encryptBytes(const QByteArray &plain, const SecretBytes &key)
{
    QBuffer in, out;
    in.setData(plain);
    in.open(QIODevice::ReadOnly);
    out.open(QIODevice::WriteOnly);
    auto r = encryptStream(in, out, key);
    return r.ok() ? out.data() : QByteArray();
}

Result<QByteArray> decryptBytes(const QByteArray &cipher, const SecretBytes &key)
{
    QBuffer in, out;
    in.setData(cipher);
    in.open(QIODevice::ReadOnly);
    out.open(QIODevice::WriteOnly);
    auto r = decryptStream(in, out, key);
    if (!r.ok())
        return r.error();
    return out.data();
}
} // namespace

class TestFileStream : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripsAtChunkBoundaries_data()
    {
        QTest::addColumn<qsizetype>("size");
        for (qsizetype n : {qsizetype(0), qsizetype(1), qsizetype(65535), qsizetype(65536), qsizetype(65537),
                 qsizetype(3 * 65536), qsizetype(1000003)})
            QTest::newRow(qPrintable(QString::number(n))) << n;
    }
    void roundTripsAtChunkBoundaries()
    {
        QFETCH(qsizetype, size);
        base::SeededRng rng {quint64(size)};
        const QByteArray plain = rng.bytes(size);
        const SecretBytes key = FileStreamEncryptor::generateKey();
        const QByteArray cipher = encryptBytes(plain, key);
        const qsizetype chunks = std::max<qsizetype>(1, (size + 65535) / 65536);
        QCOMPARE(cipher.size(), kHeader + size + chunks * 17);
        auto back = decryptBytes(cipher, key);
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.message()));
        QCOMPARE(back.value(), plain);
    }

    void aTruncatedStreamIsDetected()
    {
        const SecretBytes key = FileStreamEncryptor::generateKey();
        const QByteArray cipher = encryptBytes(QByteArray(3 * 65536 + 10, 'a'), key);
        // Cut at a chunk boundary: every remaining chunk is authentic, but
        // the FINAL tag never comes.
        auto r = decryptBytes(cipher.left(kHeader + 2 * kCipherChunk), key);
        QCOMPARE(r.code(), CryptoError::Truncated);
        QCOMPARE(decryptBytes(cipher.left(kHeader - 1), key).code(), CryptoError::Truncated);
        QCOMPARE(decryptBytes(cipher.left(cipher.size() - 1), key).code(), CryptoError::DecryptFailed);
    }

    void reorderedOrRepeatedChunksAreDetected()
    {
        const SecretBytes key = FileStreamEncryptor::generateKey();
        const QByteArray cipher = encryptBytes(QByteArray(3 * 65536, 'b'), key);
        const QByteArray c0 = cipher.mid(kHeader, kCipherChunk);
        const QByteArray c1 = cipher.mid(kHeader + kCipherChunk, kCipherChunk);
        const QByteArray rest = cipher.mid(kHeader + 2 * kCipherChunk);
        const QByteArray header = cipher.left(kHeader);
        QCOMPARE(decryptBytes(header + c1 + c0 + rest, key).code(), CryptoError::DecryptFailed);
        QCOMPARE(decryptBytes(header + c0 + c0 + c1 + rest, key).code(), CryptoError::DecryptFailed);
    }

    void dataAfterTheFinalChunkIsRejected()
    {
        const SecretBytes key = FileStreamEncryptor::generateKey();
        // A full final chunk followed by more bytes...
        const QByteArray full = encryptBytes(QByteArray(65536, 'f'), key);
        QCOMPARE(decryptBytes(full + "x", key).code(), CryptoError::Corrupt);
        // ...and a short one whose read runs into the extra bytes.
        QVERIFY(!decryptBytes(encryptBytes("short", key) + "x", key).ok());
    }

    void aWrongKeyFails()
    {
        const QByteArray cipher = encryptBytes("hello", FileStreamEncryptor::generateKey());
        QCOMPARE(decryptBytes(cipher, FileStreamEncryptor::generateKey()).code(), CryptoError::DecryptFailed);
    }

    void chunkApiRefusesMisuse()
    {
        const SecretBytes key = FileStreamEncryptor::generateKey();
        auto enc = FileStreamEncryptor::create(key);
        QVERIFY(enc.ok());
        QCOMPARE(enc->push(QByteArray(FileStreamEncryptor::kChunk + 1, 'x'), false).code(), CryptoError::TooLarge);
        QVERIFY(enc->push("last", true).ok());
        QCOMPARE(enc->push("more", true).code(), CryptoError::InvalidState);
        QCOMPARE(FileStreamEncryptor::create(SecretBytes(5)).code(), CryptoError::InvalidKey);
        QCOMPARE(FileStreamDecryptor::create(key, "short").code(), CryptoError::Corrupt);
    }

    void progressIsReported()
    {
        const SecretBytes key = FileStreamEncryptor::generateKey();
        QBuffer in, out;
        in.setData(QByteArray(200000, 'p'));
        in.open(QIODevice::ReadOnly);
        out.open(QIODevice::WriteOnly);
        QList<qint64> seen;
        QVERIFY(encryptStream(in, out, key, [&](qint64 done, qint64 total) {
            QCOMPARE(total, 200000);
            seen << done;
        }).ok());
        QCOMPARE(seen, (QList<qint64> {65536, 131072, 196608, 200000}));
    }
};

QTEST_GUILESS_MAIN(TestFileStream)
#include "test_filestream.moc"
