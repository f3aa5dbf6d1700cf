// The one-line diagram's two palettes (OneLineDiagram::setDark): light for the desk, dark for the
// operations-room wall. Both after ISA-101 (common/hmi_colours.h): normal equipment in greys (dark
// lines on light grey at the desk, mid-grey lines on dark grey on the wall), text in the
// palette's ink; the abnormal colours (alarm red, warning amber, stale lilac) are the same in
// both, so that an alarm reads the same wherever it is drawn.
#pragma once

#include <QColor>

namespace views {

struct OneLinePalette {
    QColor background = Qt::white;                  // the view
    QColor lane{0xf1, 0xf3, 0xf4};                  // an island's band / an overview block
    QColor laneBorder{0xda, 0xdc, 0xe0};            // an overview block's edge, a grid's dashed box
    QColor ink{0x30, 0x34, 0x3a};                   // normal equipment lines, edges
    QColor text{0x30, 0x34, 0x3a};                  // names, figures
    QColor muted{0x80, 0x86, 0x8b};                 // second label lines, captions of figures
    QColor plate{0xf1, 0xf3, 0xf4, 235};            // under a bus's label (opaque: bars may cross)
    QColor symbolBack = Qt::white;                  // a battery's empty case, an open breaker
    bool dark = false;

    // A state colour as a symbol's face: `amount` of it over the palette's paper (white at the
    // desk, the background on the wall).
    QColor face(const QColor& c, double amount) const {
        const QColor paper = dark ? background : QColor(Qt::white);
        auto mix = [&](double a, double b) { return b + (a - b) * amount; };
        return QColor::fromRgbF(mix(c.redF(), paper.redF()), mix(c.greenF(), paper.greenF()), mix(c.blueF(), paper.blueF()));
    }

    static OneLinePalette light() { return {}; }
    // ISA-101 dark: dark-grey paper (a shade above the wall's panels), mid-grey equipment lines,
    // light-grey text.
    static OneLinePalette darkGrey() {
        OneLinePalette p;
        p.background = QColor(0x1b, 0x1f, 0x25);
        p.lane = QColor(0x22, 0x27, 0x2e);
        p.laneBorder = QColor(0x3a, 0x41, 0x4b);
        p.ink = QColor(0x8f, 0x96, 0x9f);
        p.text = QColor(0xd8, 0xdc, 0xe1);
        p.muted = QColor(0x96, 0x9f, 0xaa);
        p.plate = QColor(0x22, 0x27, 0x2e, 235);
        p.symbolBack = p.background;
        p.dark = true;
        return p;
    }
};

} // namespace views
