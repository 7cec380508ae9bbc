#pragma once

#include <QList>
#include <QString>
#include <QWidget>

namespace cairn::ui {

/// Bandwidth in and out as two lines over a trailing window (an hour by
/// default) that ends at the newest sample. Painted with QPainter on the
/// widget's palette, so it reads on light and dark themes alike.
class BandwidthChart : public QWidget {
    Q_OBJECT
public:
    struct Point {
        qint64 atMs = 0; // sample time, milliseconds (any epoch, increasing)
        double inRate = 0; // bytes per second
        double outRate = 0;
    };

    explicit BandwidthChart(QWidget *parent = nullptr);

    /// Samples in time order. Only those inside the window set the scale.
    void setSeries(QList<Point> points);
    QList<Point> series() const { return m_points; }
    void setWindowSeconds(int seconds);
    int windowSeconds() const { return m_windowSeconds; }

    /// The y-axis maximum in bytes/s: the smallest 1, 2 or 5 × 10^n at or
    /// above the highest visible rate (at least 10); 0 for an empty series.
    double scaleMax() const { return m_scaleMax; }

    /// The y-axis maximum for a highest rate (see scaleMax()).
    static double niceMax(double rate);

    static QColor inColor();
    static QColor outColor();

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void rescale();
    qint64 windowStartMs() const;

    QList<Point> m_points;
    int m_windowSeconds = 3600;
    double m_scaleMax = 0;
};

} // namespace cairn::ui
