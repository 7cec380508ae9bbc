#include "ui/appicon.h"

#include <QPainter>
#include <QPixmap>

namespace cairn::ui {

QIcon appIcon()
{
    QIcon icon;
    for (int size : {16, 22, 32, 48, 64, 128, 256}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        // resources/cairn.svg's stones: centre y, radii, colour (64-unit box).
        struct Stone {
            double cy, rx, ry;
            QRgb colour;
        };
        const Stone stones[]
            = {{54, 22, 7, 0x6b7b8c}, {41, 17, 7, 0x8a9aab}, {29, 12, 6, 0xa9b8c6}, {18, 8, 5, 0xc8d4de}};
        const double s = size / 64.0;
        for (const Stone &stone : stones) {
            p.setBrush(QColor(stone.colour));
            p.drawEllipse(QPointF(32 * s, stone.cy * s), stone.rx * s, stone.ry * s);
        }
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace cairn::ui
