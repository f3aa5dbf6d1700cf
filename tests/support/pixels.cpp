#include "support/pixels.h"

#include <QOpenGLWidget>
#include <QSet>

#include <cstdlib>

namespace testsupport {

bool near(const QColor& a, const QColor& b, int tolerance) {
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance &&
           std::abs(a.blue() - b.blue()) <= tolerance;
}

int colourDistance(const QColor& a, const QColor& b) {
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue());
}

int distinctColours(const QImage& img, const QRect& r, int step) {
    QSet<QRgb> seen;
    for (int y = r.top(); y <= r.bottom(); y += step)
        for (int x = r.left(); x <= r.right(); x += step) seen.insert(img.pixel(x, y));
    return static_cast<int>(seen.size());
}

QColor framebufferPixel(QOpenGLWidget* widget, QPoint inWidget) {
    const QImage img = widget->grabFramebuffer();
    return img.pixelColor(inWidget * img.devicePixelRatio());
}

} // namespace testsupport
