// Canonical CBOR: deterministic encoding and a strict, bounded decoder.
#include "core/base/cbor.h"

#include <QTest>

using namespace cairn::base;
using namespace cairn::base::cbor;

class TestCbor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void integersUseTheShortestForm_data()
    {
        QTest::addColumn<qint64>("value");
        QTest::addColumn<QByteArray>("hex");
        // RFC 8949 appendix A examples.
        QTest::newRow("0") << qint64(0) << QByteArray("00");
        QTest::newRow("23") << qint64(23) << QByteArray("17");
        QTest::newRow("24") << qint64(24) << QByteArray("1818");
        QTest::newRow("1000") << qint64(1000) << QByteArray("1903e8");
        QTest::newRow("1000000") << qint64(1000000) << QByteArray("1a000f4240");
        QTest::newRow("1e12") << qint64(1000000000000) << QByteArray("1b000000e8d4a51000");
        QTest::newRow("-1") << qint64(-1) << QByteArray("20");
        QTest::newRow("-1000") << qint64(-1000) << QByteArray("3903e7");
    }
    void integersUseTheShortestForm()
    {
        QFETCH(qint64, value);
        QFETCH(QByteArray, hex);
        QCOMPARE(encode(QCborValue(value)).toHex(), hex);
        auto back = decode(QByteArray::fromHex(hex));
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.message()));
        QCOMPARE(back.value().toInteger(), value);
    }

    void mapKeysAreSortedBytewise()
    {
        QCborMap m;
        m.insert(QStringLiteral("aa"), 1);
        m.insert(10, 2);
        m.insert(QStringLiteral("b"), 3);
        m.insert(-1, 4);
        m.insert(100, 5);
        // encoded keys: 0a, 1864, 20, 61 62, 62 61 61
        QCOMPARE(encode(m).toHex(), QByteArray("a50a02186405200461620362616101"));
    }

    void nestedRoundTripIsByteIdentical()
    {
        QCborMap inner;
        inner.insert(2, QByteArray(300, 'x'));
        inner.insert(1, QStringLiteral("grüße"));
        QCborArray arr {1, true, false, QCborValue(nullptr), inner};
        QCborMap outer;
        outer.insert(0, arr);
        const QByteArray bytes = encode(outer);
        auto back = decode(bytes);
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.message()));
        QCOMPARE(encode(back.value()), bytes);
        QCOMPARE(back.value().toMap().value(0).toArray().at(4).toMap().value(1).toString(), QStringLiteral("grüße"));
    }

    void rejects_data()
    {
        QTest::addColumn<QByteArray>("hex");
        QTest::addColumn<int>("code");
        QTest::newRow("empty") << QByteArray("") << int(CborError::Malformed);
        QTest::newRow("truncated int") << QByteArray("19 03") << int(CborError::Malformed);
        QTest::newRow("truncated bytes") << QByteArray("45 0102") << int(CborError::Malformed);
        QTest::newRow("huge string claim") << QByteArray("5b 7fffffffffffffff 00") << int(CborError::StringTooLong);
        QTest::newRow("huge array claim") << QByteArray("9b 00000000ffffffff 00") << int(CborError::TooManyItems);
        QTest::newRow("trailing") << QByteArray("01 02") << int(CborError::TrailingData);
        QTest::newRow("non-shortest int") << QByteArray("1817") << int(CborError::NotCanonical);
        QTest::newRow("unsorted map") << QByteArray("a2 02 00 01 00") << int(CborError::NotCanonical);
        QTest::newRow("indefinite array") << QByteArray("9f 01 ff") << int(CborError::NotCanonical);
        QTest::newRow("duplicate key") << QByteArray("a2 01 00 01 00") << int(CborError::DuplicateKey);
        QTest::newRow("float") << QByteArray("f9 3c00") << int(CborError::UnsupportedType);
        QTest::newRow("tag") << QByteArray("c1 01") << int(CborError::UnsupportedType);
        QTest::newRow("undefined") << QByteArray("f7") << int(CborError::UnsupportedType);
        QTest::newRow("bytes as key") << QByteArray("a1 41 00 01") << int(CborError::UnsupportedType);
        QTest::newRow("uint64 max") << QByteArray("1b ffffffffffffffff") << int(CborError::UnsupportedType);
        QTest::newRow("bad utf8") << QByteArray("62 c328") << int(CborError::Malformed);
    }
    void rejects()
    {
        QFETCH(QByteArray, hex);
        QFETCH(int, code);
        auto r = decode(QByteArray::fromHex(hex.replace(' ', "")));
        QVERIFY(!r.ok());
        QCOMPARE(int(r.code()), code);
        QVERIFY(!r.message().isEmpty());
    }

    void limitsAreEnforced()
    {
        Limits limits;
        limits.maxDepth = 3;
        // [[[[1]]]] is four deep
        QVERIFY(decode(QByteArray::fromHex("8181818101"), limits).code() == CborError::TooDeep);
        QVERIFY(decode(QByteArray::fromHex("81818101"), limits).ok());

        limits = Limits {};
        limits.maxItems = 3;
        QCOMPARE(decode(QByteArray::fromHex("83010203"), limits).code(), CborError::TooManyItems);
        QVERIFY(decode(QByteArray::fromHex("820102"), limits).ok());

        limits = Limits {};
        limits.maxStringLength = 4;
        QCOMPARE(decode(QByteArray::fromHex("4501020304 05"), limits).code(), CborError::StringTooLong);

        limits = Limits {};
        limits.maxBytes = 2;
        QCOMPARE(decode(QByteArray::fromHex("1903e8"), limits).code(), CborError::TooLarge);
    }

    void deepInputDoesNotOverflowTheStack()
    {
        QByteArray deep(100000, char(0x81));
        deep.append(char(0x01));
        Limits limits;
        limits.maxBytes = deep.size();
        QCOMPARE(decode(deep, limits).code(), CborError::TooDeep);
    }

    void mapReaderReportsWrongTypes()
    {
        QCborMap m;
        m.insert(1, 5);
        m.insert(2, QByteArray(4, 'a'));
        m.insert(3, QStringLiteral("text"));
        auto reader = MapReader::from(m);
        QVERIFY(reader.ok());
        QCOMPARE(reader->integer(1, 0, 10).value(), 5);
        QCOMPARE(reader->integer(1, 6, 10).code(), CborError::OutOfRange);
        QCOMPARE(reader->integer(2, 0, 10).code(), CborError::WrongType);
        QCOMPARE(reader->bytes(2, 4).value(), QByteArray(4, 'a'));
        QCOMPARE(reader->bytes(2, 5).code(), CborError::WrongType);
        QCOMPARE(reader->text(3, 2).code(), CborError::StringTooLong);
        QCOMPARE(reader->text(9, 10).code(), CborError::MissingField);
        QVERIFY(reader->hasOnlyKeys({1, 2, 3}));
        QVERIFY(!reader->hasOnlyKeys({1, 2}));
        QCOMPARE(MapReader::from(QCborValue(1)).code(), CborError::WrongType);
    }
};

QTEST_GUILESS_MAIN(TestCbor)
#include "test_cbor.moc"
