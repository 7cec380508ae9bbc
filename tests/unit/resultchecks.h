#pragma once

// Checks on a part's Result in Qt Test, shared by the unit tests. Each
// part's error enum has an errorName() found by argument-dependent lookup.
#include <QString>
#include <QTest>

/// Fails the test with the error's code and message if r is not ok.
#define CAIRN_VERIFY_OK(r)                                                                                             \
    do {                                                                                                               \
        const auto &r_ = (r);                                                                                          \
        QVERIFY2(                                                                                                      \
            r_.ok(), qPrintable(r_.ok() ? QString() : errorName(r_.code()) + QStringLiteral(": ") + r_.message()));    \
    } while (false)

/// Fails the test unless r failed with exactly `expected` and says why.
#define CAIRN_VERIFY_ERROR(r, expected)                                                                                \
    do {                                                                                                               \
        const auto &r_ = (r);                                                                                          \
        QVERIFY2(!r_.ok(), "expected a failure, got success");                                                         \
        QVERIFY2(r_.code() == (expected),                                                                              \
            qPrintable(QStringLiteral("expected %1, got %2: %3")                                                       \
                           .arg(errorName(expected), errorName(r_.code()), r_.message())));                            \
        QVERIFY(!r_.message().isEmpty());                                                                              \
    } while (false)
