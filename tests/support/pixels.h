// Pixels: colours near each other, colours found in a picture, a pixel grabbed from an OpenGL view.
#pragma once

#include <QColor>
#include <QImage>
#include <QPoint>
#include <QRect>

#include <cmath>

class QOpenGLWidget;

namespace testsupport {

// Every channel of `a` within `tolerance` of `b`'s.
bool near(const QColor& a, const QColor& b, int tolerance);

// `pixel` is colour `rgb` (rgb[0..2], 0-255) shaded by `shade`: every channel less than `below` off.
template <class RGB> bool nearShaded(const QColor& pixel, const RGB& rgb, double shade, double below) {
    return std::abs(pixel.red() - shade * rgb[0]) < below && std::abs(pixel.green() - shade * rgb[1]) < below &&
           std::abs(pixel.blue() - shade * rgb[2]) < below;
}

// The sum of the three channels' differences.
int colourDistance(const QColor& a, const QColor& b);

// Pixels of `img` in `r` (every `step`-th, both ways) for which `pred` holds.
template <class F> int countPixels(const QImage& img, const QRect& r, int step, F pred) {
    int n = 0;
    for (int y = r.top(); y <= r.bottom(); y += step)
        for (int x = r.left(); x <= r.right(); x += step)
            if (pred(img.pixelColor(x, y))) ++n;
    return n;
}

// How many different colours the pixels of `img` in `r` (every `step`-th, both ways) have.
int distinctColours(const QImage& img, const QRect& r, int step);

// The pixel at `inWidget` (widget coordinates) of what an OpenGL widget last drew.
QColor framebufferPixel(QOpenGLWidget* widget, QPoint inWidget);

} // namespace testsupport
