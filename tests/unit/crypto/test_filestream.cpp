// File streams: secretstream in 64 KiB chunks; truncation and reordering are detected.
#include "core/base/rng.h"
#include "core/crypto/blake2bstream.h"
#include "core/crypto/filestream.h"
#include "core/crypto/keys.h"

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
    void encryptionResumesFromASavedState()
    {
        // Five chunks with a save/restore after the second give the same
        // ciphertext as the uninterrupted encryptor, and they decrypt with
        // a decryptor that is itself saved and restored halfway.
        base::SeededRng rng(77);
        QList<QByteArray> chunks;
        for (int i = 0; i < 5; ++i)
            chunks.append(rng.bytes(i == 4 ? 100 : FileStreamEncryptor::kChunk));
        const SecretBytes key = FileStreamEncryptor::generateKey();
        auto enc = FileStreamEncryptor::create(key);
        QVERIFY(enc.ok());
        QList<QByteArray> resumed;
        for (int i = 0; i < 2; ++i)
            resumed.append(enc->push(chunks[i], false).value());
        const SecretBytes state = enc->saveState();
        QCOMPARE(state.size(), FileStreamEncryptor::kStateSize);
        const QByteArray header = enc->header();
        QList<QByteArray> straight = resumed;
        for (int i = 2; i < 5; ++i)
            straight.append(enc->push(chunks[i], i == 4).value());
        QVERIFY(enc->saveState().isEmpty()); // a finished stream has no state
        QVERIFY(!FileStreamEncryptor::restore(enc->saveState(), header).ok());

        auto restored = FileStreamEncryptor::restore(state, header);
        QVERIFY(restored.ok());
        QCOMPARE(restored->header(), header);
        for (int i = 2; i < 5; ++i)
            resumed.append(restored->push(chunks[i], i == 4).value());
        QCOMPARE(resumed, straight);
        QVERIFY(restored->finished());

        auto dec = FileStreamDecryptor::create(key, header);
        QVERIFY(dec.ok());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(dec->pull(resumed[i]).value(), chunks[i]);
        auto dec2 = FileStreamDecryptor::restore(dec->saveState());
        QVERIFY(dec2.ok());
        for (int i = 3; i < 5; ++i)
            QCOMPARE(dec2->pull(resumed[i]).value(), chunks[i]);
        QVERIFY(dec2->finished());
        QVERIFY(dec2->saveState().isEmpty());
        // The restored decryptor is at chunk 3: an earlier chunk fails.
        auto dec3 = FileStreamDecryptor::restore(dec->saveState());
        QVERIFY(dec3.ok());
        QCOMPARE(dec3->pull(resumed[2]).code(), CryptoError::DecryptFailed);
    }

    void savedStatesAreCheckedForSize()
    {
        const SecretBytes key = FileStreamEncryptor::generateKey();
        auto enc = FileStreamEncryptor::create(key);
        QVERIFY(enc.ok());
        const SecretBytes state = enc->saveState();
        SecretBytes shorter(state.size() - 1);
        QCOMPARE(FileStreamEncryptor::restore(shorter, enc->header()).code(), CryptoError::Corrupt);
        QCOMPARE(FileStreamEncryptor::restore(state, enc->header().left(23)).code(), CryptoError::Corrupt);
        QCOMPARE(FileStreamDecryptor::restore(SecretBytes()).code(), CryptoError::Corrupt);
        QCOMPARE(FileStreamDecryptor::restore(SecretBytes(state.size() + 1)).code(), CryptoError::Corrupt);
    }

    void hashResumesFromASavedState()
    {
        base::SeededRng rng(78);
        const QByteArray data = rng.bytes(1000003);
        Blake2bStream whole;
        whole.update(data);
        const QByteArray expected = whole.final();
        QCOMPARE(expected, blake2b(data, 32));
        QVERIFY(whole.final().isEmpty());
        QVERIFY(whole.saveState().isEmpty());

        // Split at odd offsets, so the saved state holds a partial block.
        Blake2bStream part;
        part.update(QByteArrayView(data).first(333333));
        const SecretBytes state = part.saveState();
        part.update(QByteArrayView(data).sliced(333333)); // the original goes on untouched by the save
        QCOMPARE(part.final(), expected);
        auto resumed = Blake2bStream::restore(state);
        QVERIFY(resumed.ok());
        resumed->update(QByteArrayView(data).sliced(333333, 7));
        resumed->update(QByteArrayView(data).sliced(333340));
        QCOMPARE(resumed->final(), expected);

        Blake2bStream short16(16);
        short16.update(data);
        auto r16 = Blake2bStream::restore(Blake2bStream(16).saveState());
        QVERIFY(r16.ok());
        r16->update(data);
        QCOMPARE(r16->final(), short16.final());
        QCOMPARE(r16->outLength(), 16);
    }

    void aDamagedHashStateIsRefused()
    {
        Blake2bStream h;
        h.update("abc");
        SecretBytes state = h.saveState();
        QVERIFY(Blake2bStream::restore(state).ok());
        for (qsizetype at : {qsizetype(0), qsizetype(1), state.size() / 2, state.size() - 1}) {
            SecretBytes bad = state.clone();
            bad.data()[at] ^= 0x01;
            QCOMPARE(Blake2bStream::restore(bad).code(), CryptoError::Corrupt);
        }
        QCOMPARE(Blake2bStream::restore(SecretBytes(state.size() - 1)).code(), CryptoError::Corrupt);
        QCOMPARE(Blake2bStream::restore(SecretBytes()).code(), CryptoError::Corrupt);
    }
};

QTEST_GUILESS_MAIN(TestFileStream)
#include "test_filestream.moc"
