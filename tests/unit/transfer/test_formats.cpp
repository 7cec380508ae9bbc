// File-drop formats: StreamRef and Manifest encodings, their strict
// decoders and limits, and the relative-path rules a receiver relies on.
#include "core/base/rng.h"
#include "core/transfer/manifest.h"
#include "tests/unit/resultchecks.h"

#include <QCborArray>
#include <QCborMap>

using namespace cairn;
using namespace cairn::transfer;

namespace {

enum : qint64 { RefKey = 1, RefHeader, RefSize, RefPlainHash, RefIndex, RefCopies, RefExpiresAt };

StreamRef makeRef(base::Rng &rng, qint64 size)
{
    StreamRef ref;
    ref.key = crypto::SecretBytes::fromView(rng.bytes(kStreamKeyBytes));
    ref.header = rng.bytes(kStreamHeaderBytes);
    ref.size = size;
    ref.plainHash = rng.bytes(kHashBytes);
    for (qint64 i = 0; i < indexBlobCount(size); ++i)
        ref.index.append(rng.bytes(kHashBytes));
    ref.copies = 5;
    ref.expiresAt = 1'800'000'000;
    return ref;
}

FileEntry makeEntry(base::Rng &rng, const QString &path, qint64 size)
{
    return FileEntry {path, size, makeRef(rng, size)};
}

QCborMap refMap(const StreamRef &ref)
{
    return ref.toCbor().toMap();
}

} // namespace

class TestFormats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chunkArithmetic()
    {
        QCOMPARE(kChunkCipherBytes, 64 * 1024);
        QCOMPARE(chunkCount(0), 1);
        QCOMPARE(chunkCount(1), 1);
        QCOMPARE(chunkCount(kChunkPlainBytes), 1);
        QCOMPARE(chunkCount(kChunkPlainBytes + 1), 2);
        QCOMPARE(chunkPlainSize(0, 0), 0);
        QCOMPARE(chunkPlainSize(kChunkPlainBytes + 1, 1), 1);
        QCOMPARE(indexBlobCount(0), 1);
        QCOMPARE(indexBlobCount(2000 * kChunkPlainBytes), 1);
        QCOMPARE(indexBlobCount(2000 * kChunkPlainBytes + 1), 2);
        QCOMPARE(hashesInIndexBlob(2000 * kChunkPlainBytes + 1, 0), 2000);
        QCOMPARE(hashesInIndexBlob(2000 * kChunkPlainBytes + 1, 1), 1);
        QCOMPARE(indexBlobCount(kMaxStreamSize), 525);
        // Past 4 GiB everything stays in 64-bit arithmetic.
        const qint64 big = 4LL * 1024 * 1024 * 1024 + 1;
        const qint64 n = chunkCount(big);
        QCOMPARE(n, 65554);
        QCOMPARE((n - 1) * kChunkPlainBytes + chunkPlainSize(big, n - 1), big);
        QCOMPARE(chunkPlainSize(big, n), 0);
        QCOMPARE(indexBlobCount(big), 33);
        QCOMPARE(hashesInIndexBlob(big, 32), 1554);
    }

    void streamRefRoundTrips_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::newRow("empty") << qint64(0);
        QTest::newRow("one chunk") << kChunkPlainBytes;
        QTest::newRow("two index blobs") << 2000 * kChunkPlainBytes + 1;
        QTest::newRow("largest") << kMaxStreamSize;
    }
    void streamRefRoundTrips()
    {
        QFETCH(qint64, size);
        base::SeededRng rng(quint64(size) + 1);
        const StreamRef ref = makeRef(rng, size);
        const QByteArray bytes = ref.encode();
        auto back = StreamRef::decode(bytes);
        CAIRN_VERIFY_OK(back);
        QVERIFY(back.value() == ref);
        QCOMPARE(back->encode(), bytes);
        const StreamRef copy = ref; // a copy owns its own key buffer
        QVERIFY(copy == ref);
        QVERIFY(copy.key.data() != ref.key.data());
    }

    void streamRefRefusesWrongFields_data()
    {
        QTest::addColumn<qint64>("key");
        QTest::addColumn<QCborValue>("value");
        QTest::addColumn<TransferError>("expected");
        const QByteArray b31(31, 'x'), b33(33, 'x');
        QTest::newRow("short key") << qint64(RefKey) << QCborValue(b31) << TransferError::Malformed;
        QTest::newRow("long key") << qint64(RefKey) << QCborValue(b33) << TransferError::TooLarge;
        QTest::newRow("short header") << qint64(RefHeader) << QCborValue(QByteArray(23, 'h'))
                                      << TransferError::Malformed;
        QTest::newRow("negative size") << qint64(RefSize) << QCborValue(-1) << TransferError::InvalidField;
        QTest::newRow("size above 64 GiB")
            << qint64(RefSize) << QCborValue(kMaxStreamSize + 1) << TransferError::InvalidField;
        QTest::newRow("size needs two index blobs")
            << qint64(RefSize) << QCborValue(2000 * kChunkPlainBytes + 1) << TransferError::InvalidField;
        QTest::newRow("hash as text") << qint64(RefPlainHash) << QCborValue(QStringLiteral("x"))
                                      << TransferError::Malformed;
        QTest::newRow("no index") << qint64(RefIndex) << QCborValue(QCborArray()) << TransferError::InvalidField;
        QTest::newRow("short index hash")
            << qint64(RefIndex) << QCborValue(QCborArray {QByteArray(31, 'i')}) << TransferError::Malformed;
        QTest::newRow("zero copies") << qint64(RefCopies) << QCborValue(0) << TransferError::InvalidField;
        QTest::newRow("17 copies") << qint64(RefCopies) << QCborValue(17) << TransferError::InvalidField;
        QTest::newRow("expiry 0") << qint64(RefExpiresAt) << QCborValue(0) << TransferError::InvalidField;
        QTest::newRow("expiry after 9999")
            << qint64(RefExpiresAt) << QCborValue(253402300800LL) << TransferError::InvalidField;
        QTest::newRow("unknown key") << qint64(8) << QCborValue(1) << TransferError::UnknownField;
    }
    void streamRefRefusesWrongFields()
    {
        QFETCH(qint64, key);
        QFETCH(QCborValue, value);
        QFETCH(TransferError, expected);
        base::SeededRng rng(7);
        QCborMap map = refMap(makeRef(rng, 1000));
        map.insert(key, value);
        CAIRN_VERIFY_ERROR(StreamRef::decode(base::cbor::encode(map)), expected);
    }

    void streamRefRefusesMissingFieldsAndGarbage()
    {
        base::SeededRng rng(8);
        const QCborMap full = refMap(makeRef(rng, 10));
        for (qint64 key = RefKey; key <= RefExpiresAt; ++key) {
            QCborMap map = full;
            map.remove(key);
            CAIRN_VERIFY_ERROR(StreamRef::decode(base::cbor::encode(map)), TransferError::Malformed);
        }
        const QByteArray good = base::cbor::encode(full);
        CAIRN_VERIFY_ERROR(StreamRef::decode(good + QByteArray(1, '\0')), TransferError::Malformed);
        CAIRN_VERIFY_ERROR(StreamRef::decode(good.left(good.size() - 1)), TransferError::Malformed);
        CAIRN_VERIFY_ERROR(StreamRef::decode(QByteArray()), TransferError::Malformed);
        CAIRN_VERIFY_ERROR(StreamRef::decode(QByteArray::fromHex("a0")), TransferError::Malformed);
        CAIRN_VERIFY_ERROR(StreamRef::decode(QByteArray(40000, '\x40')), TransferError::TooLarge);
        // A size written in a longer form than needed is not canonical.
        QByteArray longForm = base::cbor::encode(QCborMap {{RefSize, 10}});
        QCOMPARE(longForm, QByteArray::fromHex("a1030a"));
        QByteArray bad = good;
        const qsizetype at = bad.indexOf(QByteArray::fromHex("030a"));
        QVERIFY(at > 0);
        bad.replace(at, 2, QByteArray::fromHex("03180a"));
        CAIRN_VERIFY_ERROR(StreamRef::decode(bad), TransferError::NotCanonical);
    }

    void manifestRoundTrips()
    {
        base::SeededRng rng(9);
        Manifest m;
        m.files = {makeEntry(rng, QStringLiteral("photos/2024/x.jpg"), 3'000'000),
            makeEntry(rng, QStringLiteral("photos/empty"), 0), makeEntry(rng, QStringLiteral("a.txt"), 65536),
            makeEntry(rng, QStringLiteral("ünï cödé/名前.txt"), 12)};
        QCOMPARE(m.totalSize(), 3'000'000 + 65536 + 12);
        CAIRN_VERIFY_OK(m.validate());
        const QByteArray bytes = m.encode();
        auto back = Manifest::decode(bytes);
        CAIRN_VERIFY_OK(back);
        QVERIFY(back.value() == m);
        QCOMPARE(back->encode(), bytes);
        auto empty = Manifest::decode(Manifest().encode());
        CAIRN_VERIFY_OK(empty);
        QVERIFY(empty->files.isEmpty());
    }

    void manifestHoldsTenThousandFilesButNotMore()
    {
        base::SeededRng rng(10);
        Manifest m;
        const FileEntry proto = makeEntry(rng, QStringLiteral("x"), 5);
        for (int i = 0; i < kMaxManifestFiles; ++i) {
            FileEntry f = proto;
            f.path = QStringLiteral("folder/file-%1").arg(i);
            m.files.append(f);
        }
        const QByteArray bytes = m.encode();
        QVERIFY(bytes.size() < kMaxManifestBytes);
        auto back = Manifest::decode(bytes);
        CAIRN_VERIFY_OK(back);
        QCOMPARE(back->files.size(), kMaxManifestFiles);
        m.files.append(proto);
        CAIRN_VERIFY_ERROR(m.validate(), TransferError::TooLarge);
        CAIRN_VERIFY_ERROR(Manifest::decode(m.encode()), TransferError::TooLarge);
    }

    void manifestRefusesOversizedInput()
    {
        CAIRN_VERIFY_ERROR(Manifest::decode(QByteArray(kMaxManifestBytes + 1, '\xa0')), TransferError::TooLarge);
        // Long index lists that stay under the file count still hit the byte limit.
        base::SeededRng rng(11);
        Manifest m;
        for (int i = 0; i < 9; ++i)
            m.files.append(makeEntry(rng, QStringLiteral("big-%1").arg(i), kMaxStreamSize));
        QVERIFY(m.encode().size() < kMaxManifestBytes);
        CAIRN_VERIFY_OK(Manifest::decode(m.encode()));
    }

    void manifestRefusesBadEntries_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("second");
        QTest::addColumn<TransferError>("expected");
        QTest::newRow("absolute") << QStringLiteral("/etc/passwd") << QString() << TransferError::InvalidPath;
        QTest::newRow("dot dot") << QStringLiteral("a/../../b") << QString() << TransferError::InvalidPath;
        QTest::newRow("duplicate") << QStringLiteral("a/b") << QStringLiteral("a/b") << TransferError::InvalidPath;
        QTest::newRow("file and folder") << QStringLiteral("a") << QStringLiteral("a/b") << TransferError::InvalidPath;
        QTest::newRow("folder then file")
            << QStringLiteral("a/b/c") << QStringLiteral("a/b") << TransferError::InvalidPath;
    }
    void manifestRefusesBadEntries()
    {
        QFETCH(QString, path);
        QFETCH(QString, second);
        QFETCH(TransferError, expected);
        base::SeededRng rng(12);
        Manifest m;
        m.files.append(makeEntry(rng, path, 1));
        if (!second.isEmpty())
            m.files.append(makeEntry(rng, second, 1));
        CAIRN_VERIFY_ERROR(m.validate(), expected);
        CAIRN_VERIFY_ERROR(Manifest::decode(m.encode()), expected);
    }

    void manifestRefusesSizeMismatchAndUnknownKeys()
    {
        base::SeededRng rng(13);
        Manifest m;
        m.files.append(makeEntry(rng, QStringLiteral("a"), 100));
        m.files[0].size = 101;
        CAIRN_VERIFY_ERROR(Manifest::decode(m.encode()), TransferError::InvalidField);
        m.files[0].size = 100;
        QCborMap entry;
        entry.insert(1, QStringLiteral("a"));
        entry.insert(2, 100);
        entry.insert(3, m.files[0].stream.toCbor());
        entry.insert(4, 0);
        CAIRN_VERIFY_ERROR(
            Manifest::decode(base::cbor::encode(QCborMap {{1, QCborArray {entry}}})), TransferError::UnknownField);
        CAIRN_VERIFY_ERROR(
            Manifest::decode(base::cbor::encode(QCborMap {{1, QCborArray()}, {2, 0}})), TransferError::UnknownField);
        CAIRN_VERIFY_ERROR(Manifest::decode(base::cbor::encode(QCborMap {{1, 5}})), TransferError::Malformed);
        CAIRN_VERIFY_ERROR(Manifest::decode(base::cbor::encode(QCborArray())), TransferError::Malformed);
        entry.remove(4);
        entry.insert(3, 7);
        CAIRN_VERIFY_ERROR(
            Manifest::decode(base::cbor::encode(QCborMap {{1, QCborArray {entry}}})), TransferError::Malformed);
    }

    void relativePaths_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << QStringLiteral("a.txt") << true;
        QTest::newRow("tree") << QStringLiteral("photos/2024/x.jpg") << true;
        QTest::newRow("dot file") << QStringLiteral(".bashrc") << true;
        QTest::newRow("dots inside") << QStringLiteral("a..b/...") << true;
        QTest::newRow("spaces") << QStringLiteral(" a b /c ") << true;
        QTest::newRow("unicode") << QStringLiteral("日本/ü.txt") << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("absolute") << QStringLiteral("/a") << false;
        QTest::newRow("root") << QStringLiteral("/") << false;
        QTest::newRow("dot") << QStringLiteral(".") << false;
        QTest::newRow("dot component") << QStringLiteral("a/./b") << false;
        QTest::newRow("dot dot") << QStringLiteral("..") << false;
        QTest::newRow("dot dot component") << QStringLiteral("a/../b") << false;
        QTest::newRow("trailing slash") << QStringLiteral("a/") << false;
        QTest::newRow("double slash") << QStringLiteral("a//b") << false;
        QTest::newRow("backslash") << QStringLiteral("a\\b") << false;
        QTest::newRow("windows climb") << QStringLiteral("..\\..\\x") << false;
        QTest::newRow("nul") << QStringLiteral("a") + QChar(0) + QStringLiteral("b") << false;
        QTest::newRow("newline") << QStringLiteral("a\nb") << false;
        QTest::newRow("escape") << QStringLiteral("a\x1b[31m") << false;
        QTest::newRow("delete") << QStringLiteral("a\x7f") << false;
        QTest::newRow("c1 control") << QStringLiteral("a") + QChar(0x85) << false;
        QTest::newRow("lone surrogate") << QStringLiteral("a") + QChar(0xd800) << false;
        QTest::newRow("component 255 bytes") << QString(255, QLatin1Char('x')) << true;
        QTest::newRow("component 256 bytes") << QString(256, QLatin1Char('x')) << false;
        QTest::newRow("component 256 utf8 bytes") << QString(128, QChar(0xe9)) << false;
        const QString x255(255, QLatin1Char('x'));
        const QString slash(1, QLatin1Char('/'));
        QTest::newRow("path 1024 bytes") << QStringList {x255, x255, x255, x255.left(254), QStringLiteral("y")}.join(
            slash) << true;
        QTest::newRow("path 1025 bytes") << QStringList {x255, x255, x255, x255, QStringLiteral("y")}.join(slash)
                                         << false;
    }
    void relativePaths()
    {
        QFETCH(QString, path);
        QFETCH(bool, valid);
        QCOMPARE(validRelativePath(path), valid);
        QCOMPARE(relativePathProblem(path).isEmpty(), valid);
    }
};

QTEST_GUILESS_MAIN(TestFormats)
#include "test_formats.moc"
