// The one-line diagram's symbols, drawn with QPainter paths into a box: generator (a circle with
// a sine), battery (long / short plate pairs), solar array (a panel and a sun), grid tie (a
// pylon), bus (a thick bar), transformer (two overlapping circles), feeder breaker (a small
// square, filled when closed), loads (an arrow into a box; a cooling plant's box holds a fan).
#pragma once

#include "twin/campus.h"

#include <QColor>
#include <QRectF>

class QPainter;

namespace views {

struct SymbolStyle {
    QColor line = QColor(0x30, 0x34, 0x3a);   // strokes
    QColor fill = Qt::white;                  // the symbol's face (state colour, tinted)
    QColor background = Qt::white;            // a battery's empty case, an open breaker
    double lineWidth = 1.5;
    bool closed = true;                       // breakers: filled when closed
    double level = -1;                        // batteries: state of charge 0..1 (< 0: unknown)
};

void drawOneLineSymbol(QPainter& p, twin::AssetKind kind, const QRectF& box, const SymbolStyle& style);
// A breaker: a small square on a line, filled when closed.
void drawBreaker(QPainter& p, const QRectF& box, const SymbolStyle& style);

} // namespace views
