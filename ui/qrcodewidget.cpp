#include "ui/qrcodewidget.h"

#include <QPainter>
#include <qrencode.h>

#include <algorithm>
#include <cmath>

namespace cairn::ui {

QrCodeWidget::QrCodeWidget(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(tr("QR code"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void QrCodeWidget::setText(const QString &text)
{
    m_text = text;
    m_modules = 0;
    m_cells.clear();
    setAccessibleDescription(text);

    const QByteArray bytes = text.toUtf8();
    // libqrencode rejects empty input; encodeData takes the bytes as they are,
    // so non-ASCII text and any byte value survive.
    QRcode *code = bytes.isEmpty() ? nullptr
                                   : QRcode_encodeData(int(bytes.size()),
                                       reinterpret_cast<const unsigned char *>(bytes.constData()), 0, QR_ECLEVEL_M);
    if (code) {
        m_modules = code->width;
        m_cells.resize(qsizetype(m_modules) * m_modules);
        for (qsizetype i = 0; i < m_cells.size(); ++i)
            m_cells[i] = char(code->data[i] & 1); // bit 0: dark module; the other bits describe its role
        QRcode_free(code);
    }
    updateGeometry();
    update();
}

QImage QrCodeWidget::image(int moduleSize) const
{
    if (!isValid() || moduleSize < 1)
        return {};
    const int side = (m_modules + 2 * kQuietZone) * moduleSize;
    QImage img(side, side, QImage::Format_RGB32);
    img.fill(Qt::white);
    const QRgb black = qRgb(0, 0, 0);
    for (int y = 0; y < m_modules; ++y) {
        for (int x = 0; x < m_modules; ++x) {
            if (!dark(x, y))
                continue;
            const int px = (x + kQuietZone) * moduleSize, py = (y + kQuietZone) * moduleSize;
            for (int dy = 0; dy < moduleSize; ++dy) {
                QRgb *line = reinterpret_cast<QRgb *>(img.scanLine(py + dy));
                std::fill(line + px, line + px + moduleSize, black);
            }
        }
    }
    return img;
}

QSize QrCodeWidget::sizeHint() const
{
    return {240, 240};
}

QSize QrCodeWidget::minimumSizeHint() const
{
    if (!isValid())
        return {120, 60};
    const int side = (m_modules + 2 * kQuietZone) * 3;
    return {side, side};
}

void QrCodeWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    if (!isValid()) {
        p.setPen(palette().color(QPalette::WindowText));
        const QString message = m_text.isEmpty() ? QString() : tr("This code is too long to show as a QR code.");
        p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, message);
        return;
    }
    // White square (scanners need the light quiet zone, whatever the theme),
    // whole-pixel modules where the widget is big enough so edges stay crisp.
    const int total = m_modules + 2 * kQuietZone;
    const int side = std::min(width(), height());
    const double module = side >= total ? double(side / total) : double(side) / total;
    const double drawn = module * total;
    const QPointF origin(std::floor((width() - drawn) / 2), std::floor((height() - drawn) / 2));
    p.fillRect(QRectF(origin, QSizeF(drawn, drawn)), Qt::white);
    p.setPen(Qt::NoPen);
    p.setBrush(Qt::black);
    p.setRenderHint(QPainter::Antialiasing, false);
    for (int y = 0; y < m_modules; ++y) {
        for (int x = 0; x < m_modules; ++x) {
            if (dark(x, y))
                p.drawRect(QRectF(
                    origin.x() + (x + kQuietZone) * module, origin.y() + (y + kQuietZone) * module, module, module));
        }
    }
}

} // namespace cairn::ui
