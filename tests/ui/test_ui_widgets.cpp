// The QR code and bandwidth chart widgets, on the offscreen platform: the QR
// image has the structure a scanner looks for, and the chart picks a readable
// scale and says rates in human units.
#include "ui/bandwidthchart.h"
#include "ui/format.h"
#include "ui/qrcodewidget.h"

#include <QTest>

using namespace cairn::ui;

namespace {
// A finder pattern: a dark 7×7 ring, a light ring inside it, a dark 3×3 centre.
bool finderDarkAt(int i, int j)
{
    const bool border = i == 0 || i == 6 || j == 0 || j == 6;
    const bool centre = i >= 2 && i <= 4 && j >= 2 && j <= 4;
    return border || centre;
}

bool isBlack(QRgb c)
{
    return qRed(c) == 0 && qGreen(c) == 0 && qBlue(c) == 0;
}

bool isWhite(QRgb c)
{
    return qRed(c) == 255 && qGreen(c) == 255 && qBlue(c) == 255;
}

QString inviteLink(int totalLength)
{
    const QString prefix = QStringLiteral("cairn://join/");
    const QString alphabet = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    QString link = prefix;
    for (int i = 0; link.size() < totalLength; ++i)
        link += alphabet.at((i * 37 + 11) % alphabet.size());
    return link;
}

bool hasColorNear(const QImage &image, const QColor &want)
{
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - want.red()) + std::abs(c.green() - want.green()) + std::abs(c.blue() - want.blue())
                < 30)
                return true;
        }
    }
    return false;
}
} // namespace

class TestUiWidgets : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void qrLinkHasFinderPatternsInThreeCorners()
    {
        QrCodeWidget w;
        w.setText(inviteLink(400));
        QVERIFY(w.isValid());
        const int n = w.modules();
        const QImage img = w.image(1);
        const int q = QrCodeWidget::kQuietZone;
        QCOMPARE(img.width(), n + 2 * q);
        QCOMPARE(img.height(), n + 2 * q);
        const QPoint corners[] = {{q, q}, {q + n - 7, q}, {q, q + n - 7}};
        for (const QPoint &corner : corners) {
            for (int i = 0; i < 7; ++i) {
                for (int j = 0; j < 7; ++j) {
                    const QRgb c = img.pixel(corner.x() + i, corner.y() + j);
                    const bool dark = finderDarkAt(i, j);
                    const QString where = QStringLiteral("corner %1,%2 module %3,%4 should be %5")
                                              .arg(corner.x())
                                              .arg(corner.y())
                                              .arg(i)
                                              .arg(j)
                                              .arg(dark ? QStringLiteral("dark") : QStringLiteral("light"));
                    QVERIFY2(dark ? isBlack(c) : isWhite(c), qPrintable(where));
                }
            }
        }
        // The bottom-right corner has no finder pattern: its 7×7 block is not that shape.
        bool differs = false;
        for (int i = 0; i < 7 && !differs; ++i) {
            for (int j = 0; j < 7 && !differs; ++j)
                differs = isBlack(img.pixel(q + n - 7 + i, q + n - 7 + j)) != finderDarkAt(i, j);
        }
        QVERIFY(differs);
    }

    void qrSizeFollowsTheVersion()
    {
        QrCodeWidget w;
        // Byte mode at level M holds 362 bytes in version 14 and 412 in version 15.
        w.setText(inviteLink(400));
        QCOMPARE(w.modules(), 17 + 4 * 15);
        w.setText(inviteLink(362));
        QCOMPARE(w.modules(), 17 + 4 * 14);
        w.setText(inviteLink(363));
        QCOMPARE(w.modules(), 17 + 4 * 15);
        QCOMPARE(w.text(), inviteLink(363));
        QCOMPARE(w.accessibleDescription(), inviteLink(363));
        QVERIFY(!w.accessibleName().isEmpty());
    }

    void qrQuietZoneIsWhite()
    {
        QrCodeWidget w;
        w.setText(inviteLink(500));
        const int moduleSize = 3;
        const QImage img = w.image(moduleSize);
        const int q = QrCodeWidget::kQuietZone * moduleSize;
        QCOMPARE(img.width(), (w.modules() + 2 * QrCodeWidget::kQuietZone) * moduleSize);
        for (int y = 0; y < img.height(); ++y) {
            for (int x = 0; x < img.width(); ++x) {
                const bool inQuietZone = x < q || y < q || x >= img.width() - q || y >= img.height() - q;
                if (inQuietZone)
                    QVERIFY2(isWhite(img.pixel(x, y)), qPrintable(QStringLiteral("pixel %1,%2").arg(x).arg(y)));
            }
        }
        // Modules are whole blocks of moduleSize pixels: the top-left finder's corner module.
        for (int dy = 0; dy < moduleSize; ++dy) {
            for (int dx = 0; dx < moduleSize; ++dx)
                QVERIFY(isBlack(img.pixel(q + dx, q + dy)));
        }
    }

    void qrEncodesNonAsciiText()
    {
        QrCodeWidget w;
        w.setText(QStringLiteral("fingerprint: ключ ✓ 7f3a"));
        QVERIFY(w.isValid());
        QCOMPARE(w.modules() % 4, 1); // 17 + 4 × version
    }

    void qrPaintsScaledAndCentred()
    {
        QrCodeWidget w;
        w.setText(inviteLink(400)); // 77 modules + 8 quiet = 85: module size 2 in 240 px, 170 px drawn
        w.resize(240, 240);
        const QImage shot = w.grab().toImage();
        QCOMPARE(shot.size(), QSize(240, 240));
        if (qEnvironmentVariableIsSet("CAIRN_UI_SHOTS"))
            shot.save(QStringLiteral("qr.png"));
        const int origin = (240 - 170) / 2;
        const int finder = origin + 2 * QrCodeWidget::kQuietZone;
        QVERIFY(isWhite(shot.pixel(origin, origin)));
        QVERIFY(isBlack(shot.pixel(finder, finder)));
        QVERIFY(isBlack(shot.pixel(finder + 1, finder + 1)));
        QVERIFY(isWhite(shot.pixel(finder + 2, finder + 2))); // the light ring, one module in
        QVERIFY(isBlack(shot.pixel(finder + 6, finder + 6))); // the dark centre
    }

    void qrTooLongTextIsInvalidButPaints()
    {
        QrCodeWidget w;
        w.setText(QString(10 * 1024, QLatin1Char('x')));
        QVERIFY(!w.isValid());
        QCOMPARE(w.modules(), 0);
        QVERIFY(w.image().isNull());
        w.resize(240, 240);
        const QImage shot = w.grab().toImage();
        QVERIFY(!shot.isNull());
        if (qEnvironmentVariableIsSet("CAIRN_UI_SHOTS"))
            shot.save(QStringLiteral("qr-too-long.png"));
        // The message is drawn: not every pixel is the background.
        const QRgb background = shot.pixel(0, 0);
        bool drawn = false;
        for (int y = 0; y < shot.height() && !drawn; ++y) {
            for (int x = 0; x < shot.width() && !drawn; ++x)
                drawn = shot.pixel(x, y) != background;
        }
        QVERIFY(drawn);
        // A later short text makes it valid again.
        w.setText(QStringLiteral("cairn://join/AAAA"));
        QVERIFY(w.isValid());
    }

    void chartScaleIsNiceMaxOfVisibleRates()
    {
        BandwidthChart chart;
        QCOMPARE(chart.windowSeconds(), 3600);
        QCOMPARE(chart.scaleMax(), 0.0);
        chart.setSeries({{0, 100, 200}, {60'000, 3000, 1200}, {120'000, 50, 2500}});
        QCOMPARE(chart.scaleMax(), 5120.0); // 5 KiB/s
        chart.setSeries({{0, 0, 0}, {1000, 0, 0}});
        QCOMPARE(chart.scaleMax(), 10.0); // an idle link still gets an axis
        // A spike two hours ago is off the chart and does not flatten the rest.
        const qint64 hour = 3600 * 1000;
        chart.setSeries({{0, 2'000'000, 0}, {2 * hour - 1000, 1500, 900}, {2 * hour, 3000, 10}});
        QCOMPARE(chart.scaleMax(), 5120.0); // 5 KiB/s
        chart.setWindowSeconds(3 * 3600);
        QCOMPARE(chart.scaleMax(), 2.0 * 1024 * 1024); // 2 MiB/s
    }

    void chartNiceMaxSteps_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("max");
        QTest::newRow("zero") << 0.0 << 10.0;
        QTest::newRow("tiny") << 3.0 << 10.0;
        QTest::newRow("11") << 11.0 << 20.0;
        QTest::newRow("exactly 1000") << 1000.0 << 1000.0;
        QTest::newRow("1023 B/s") << 1023.0 << 2000.0; // still counted in B/s
        QTest::newRow("1 KiB/s") << 1024.0 << 1024.0;
        QTest::newRow("just over 1 KiB/s") << 1025.0 << 2048.0;
        QTest::newRow("2001 B/s") << 2001.0 << 2048.0;
        QTest::newRow("3000 B/s") << 3000.0 << 5120.0;
        QTest::newRow("5121 B/s") << 5121.0 << 10240.0;
        QTest::newRow("12.5 MB/s") << 12.5e6 << 20.0 * 1024 * 1024;
    }

    void chartNiceMaxSteps()
    {
        QFETCH(double, rate);
        QFETCH(double, max);
        QCOMPARE(BandwidthChart::niceMax(rate), max);
    }

    void formatRate_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0.0 << QStringLiteral("0 B/s");
        QTest::newRow("negative") << -5.0 << QStringLiteral("0 B/s");
        QTest::newRow("bytes") << 512.0 << QStringLiteral("512 B/s");
        QTest::newRow("just under a KiB") << 1023.0 << QStringLiteral("1023 B/s");
        QTest::newRow("one KiB") << 1024.0 << QStringLiteral("1.00 KiB/s");
        QTest::newRow("12.3 KiB") << 12.3 * 1024 << QStringLiteral("12.3 KiB/s");
        QTest::newRow("150 KiB") << 150.0 * 1024 << QStringLiteral("150 KiB/s");
        QTest::newRow("4.56 MiB") << 4.56 * 1024 * 1024 << QStringLiteral("4.56 MiB/s");
        QTest::newRow("2 GiB") << 2.0 * 1024 * 1024 * 1024 << QStringLiteral("2.00 GiB/s");
    }

    void formatRate()
    {
        QFETCH(double, rate);
        QFETCH(QString, text);
        QCOMPARE(formatBytesRate(rate), text);
    }

    void chartEmptySeriesPaintsPlaceholder()
    {
        BandwidthChart chart;
        chart.setSeries({});
        QCOMPARE(chart.scaleMax(), 0.0);
        chart.resize(480, 200);
        const QImage shot = chart.grab().toImage();
        QVERIFY(!shot.isNull());
        QVERIFY(!hasColorNear(shot, BandwidthChart::inColor())); // no lines, no legend
        if (qEnvironmentVariableIsSet("CAIRN_UI_SHOTS"))
            shot.save(QStringLiteral("chart-empty.png"));
        QCOMPARE(chart.accessibleDescription(), QStringLiteral("No traffic yet"));
    }

    void chartPaintsBothLines()
    {
        BandwidthChart chart;
        QList<BandwidthChart::Point> points;
        for (int i = 0; i <= 60; ++i)
            points.append({qint64(i) * 60'000, 1000.0 + 40 * i, 3000.0 - 30 * i});
        chart.setSeries(points);
        chart.resize(480, 200);
        const QImage shot = chart.grab().toImage();
        QVERIFY(!shot.isNull());
        if (qEnvironmentVariableIsSet("CAIRN_UI_SHOTS"))
            shot.save(QStringLiteral("chart.png"));
        QVERIFY(hasColorNear(shot, BandwidthChart::inColor()));
        QVERIFY(hasColorNear(shot, BandwidthChart::outColor()));
        QVERIFY(chart.accessibleDescription().contains(formatBytesRate(3400)));
    }
};

QTEST_MAIN(TestUiWidgets)
#include "test_ui_widgets.moc"
