#include "ui/bandwidthchart.h"

#include "ui/format.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace cairn::ui {

namespace {
constexpr int kPad = 6;
constexpr double kMinScale = 10; // bytes/s: an idle link still gets a readable axis
} // namespace

BandwidthChart::BandwidthChart(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(tr("Bandwidth over the last hour"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void BandwidthChart::setSeries(QList<Point> points)
{
    m_points = std::move(points);
    rescale();
    if (m_points.isEmpty()) {
        setAccessibleDescription(tr("No traffic yet"));
    } else {
        const Point &last = m_points.constLast();
        setAccessibleDescription(
            tr("In: %1, out: %2").arg(formatBytesRate(last.inRate), formatBytesRate(last.outRate)));
    }
    update();
}

void BandwidthChart::setWindowSeconds(int seconds)
{
    m_windowSeconds = std::max(seconds, 1);
    rescale();
    update();
}

qint64 BandwidthChart::windowStartMs() const
{
    return m_points.isEmpty() ? 0 : m_points.constLast().atMs - qint64(m_windowSeconds) * 1000;
}

void BandwidthChart::rescale()
{
    if (m_points.isEmpty()) {
        m_scaleMax = 0;
        return;
    }
    const qint64 start = windowStartMs();
    double highest = 0;
    for (const Point &p : std::as_const(m_points)) {
        if (p.atMs >= start)
            highest = std::max({highest, p.inRate, p.outRate});
    }
    m_scaleMax = niceMax(highest);
}

double BandwidthChart::niceMax(double rate)
{
    if (!(rate > kMinScale)) // also catches NaN
        return kMinScale;
    // 1, 2 or 5 × 10^n in the unit the labels use (B, KiB, MiB, GiB per
    // second), so the scale reads "5 MiB/s", not "4.77 MiB/s".
    double unit = 1;
    while (rate >= unit * 1024 && unit < 1024.0 * 1024 * 1024)
        unit *= 1024;
    const double scaled = rate / unit;
    double decade = std::pow(10.0, std::floor(std::log10(scaled)));
    for (;;) {
        for (double m : {1.0, 2.0, 5.0}) {
            if (m * decade >= scaled)
                return m * decade * unit;
        }
        decade *= 10; // log10 rounding can leave scaled just above 5 × decade
    }
}

QColor BandwidthChart::inColor()
{
    return QColor(0x2e, 0x86, 0xde); // mid blue: contrast on white and on near-black
}

QColor BandwidthChart::outColor()
{
    return QColor(0xe6, 0x7e, 0x22); // orange: apart from blue also for red-green colour blindness
}

QSize BandwidthChart::sizeHint() const
{
    return {480, 200};
}

QSize BandwidthChart::minimumSizeHint() const
{
    return {240, 120};
}

void BandwidthChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, true);
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::WindowText);
    QColor grid = text;
    grid.setAlphaF(0.15);
    QColor axis = text;
    axis.setAlphaF(0.5);
    const QFontMetrics fm = fontMetrics();

    // Y ticks: 0 and the max, with steps of a fifth (1 and 5 mantissas) or a quarter (2).
    const double max = m_scaleMax;
    const double mantissa = max > 0 ? max / std::pow(10.0, std::floor(std::log10(max) + 1e-9)) : 1;
    const int steps = std::lround(mantissa) == 2 ? 4 : 5;
    QStringList yLabels;
    int labelWidth = 0;
    for (int i = 0; i <= steps && max > 0; ++i) {
        yLabels << formatBytesRate(max * i / steps);
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(yLabels.constLast()));
    }

    const int lineHeight = fm.height();
    const QRect plot = rect().adjusted(
        kPad + labelWidth + kPad, kPad + lineHeight + kPad, -kPad - kPad, -(kPad + lineHeight + kPad));
    if (plot.width() < 10 || plot.height() < 10)
        return;

    // Legend above the plot, right-aligned: a short stroke in each colour and
    // its name. Without lines there is nothing for it to explain.
    if (!m_points.isEmpty()) {
        const QString names[] = {tr("In"), tr("Out")};
        const QColor colors[] = {inColor(), outColor()};
        int x = plot.right();
        const int y = kPad + lineHeight / 2;
        for (int i = 1; i >= 0; --i) {
            const int w = fm.horizontalAdvance(names[i]);
            x -= w;
            p.setPen(text);
            p.drawText(QRect(x, kPad, w, lineHeight), Qt::AlignLeft | Qt::AlignVCenter, names[i]);
            x -= 4 + 16;
            p.setPen(QPen(colors[i], 2));
            p.drawLine(x, y, x + 16, y);
            x -= 3 * kPad;
        }
    }

    // Grid and y labels.
    for (int i = 0; i < yLabels.size(); ++i) {
        const int y = plot.bottom() - int(std::lround(double(plot.height()) * i / steps));
        p.setPen(grid);
        if (i > 0)
            p.drawLine(plot.left(), y, plot.right(), y);
        p.setPen(text);
        p.drawText(
            QRect(kPad, y - lineHeight / 2, labelWidth, lineHeight), Qt::AlignRight | Qt::AlignVCenter, yLabels.at(i));
    }

    // Axes.
    p.setPen(QPen(axis, 1));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.bottomLeft(), plot.topLeft());

    // X labels: the window's start, its middle, now.
    {
        const auto ago = [this](double seconds) {
            return seconds >= 60 ? tr("-%1 min").arg(QString::number(seconds / 60, 'g', 3))
                                 : tr("-%1 s").arg(QString::number(seconds, 'g', 3));
        };
        const QString left = ago(m_windowSeconds), middle = ago(m_windowSeconds / 2.0), right = tr("now");
        const int y = plot.bottom() + kPad;
        p.setPen(text);
        p.drawText(QRect(plot.left(), y, plot.width() / 2, lineHeight), Qt::AlignLeft | Qt::AlignTop, left);
        const int mw = fm.horizontalAdvance(middle);
        p.drawText(QRect(plot.center().x() - mw / 2, y, mw, lineHeight), Qt::AlignCenter, middle);
        p.drawText(QRect(plot.center().x(), y, plot.right() - plot.center().x() + 1, lineHeight),
            Qt::AlignRight | Qt::AlignTop, right);
        p.setPen(grid);
        p.drawLine(plot.center().x(), plot.top(), plot.center().x(), plot.bottom());
    }

    if (m_points.isEmpty()) {
        p.setPen(text);
        p.drawText(plot, Qt::AlignCenter, tr("No traffic yet"));
        return;
    }

    // The two lines, clipped to the plot; the last sample before the window
    // is kept so a line enters from the left edge instead of starting midway.
    const qint64 start = windowStartMs();
    const double span = double(m_windowSeconds) * 1000;
    const auto xAt = [&](qint64 atMs) { return plot.left() + (atMs - start) / span * plot.width(); };
    const auto yAt = [&](double rate) {
        const double f = std::isfinite(rate) ? std::clamp(rate / max, 0.0, 1.0) : 0.0;
        return plot.bottom() - f * plot.height();
    };
    auto first = std::lower_bound(
        m_points.cbegin(), m_points.cend(), start, [](const Point &pt, qint64 t) { return pt.atMs < t; });
    if (first != m_points.cbegin())
        --first;
    p.setClipRect(plot.adjusted(0, -1, 1, 1));
    for (int line = 0; line < 2; ++line) {
        const QColor color = line == 0 ? inColor() : outColor();
        QPainterPath path;
        for (auto it = first; it != m_points.cend(); ++it) {
            const QPointF pt(xAt(it->atMs), yAt(line == 0 ? it->inRate : it->outRate));
            if (it == first)
                path.moveTo(pt);
            else
                path.lineTo(pt);
        }
        if (path.elementCount() == 1) {
            p.setPen(Qt::NoPen);
            p.setBrush(color);
            p.drawEllipse(path.currentPosition(), 2.5, 2.5);
            p.setBrush(Qt::NoBrush);
        } else {
            p.setPen(QPen(color, 2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            p.drawPath(path);
        }
    }
}

} // namespace cairn::ui
