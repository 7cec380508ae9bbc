#pragma once

#include <QByteArray>
#include <QImage>
#include <QString>
#include <QWidget>

namespace cairn::ui {

/// Shows a text (an invite link, a fingerprint) as a QR code, so another
/// device can read it with its camera. Encoded as 8-bit UTF-8 bytes at error
/// correction level M; a text too long for any QR version shows a short
/// message instead of a blank square.
class QrCodeWidget : public QWidget {
    Q_OBJECT
public:
    explicit QrCodeWidget(QWidget *parent = nullptr);

    void setText(const QString &text);
    QString text() const { return m_text; }
    /// False when the text could not be encoded (too long, or empty).
    bool isValid() const { return m_modules > 0; }
    /// The symbol's width in modules (17 + 4 × version), 0 when not valid.
    int modules() const { return m_modules; }
    /// Black modules on white with a 4-module quiet zone on every side;
    /// a null image when not valid.
    QImage image(int moduleSize = 8) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    static constexpr int kQuietZone = 4;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    bool dark(int x, int y) const { return m_cells.at(y * m_modules + x) != 0; }

    QString m_text;
    int m_modules = 0;
    QByteArray m_cells; // m_modules × m_modules, row-major, 1 = dark
};

} // namespace cairn::ui
