#include "electrical/one_line_symbols.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

using twin::AssetKind;

namespace views {

namespace {

QPen pen(const SymbolStyle& s, double scale = 1) {
    QPen p(s.line, s.lineWidth * scale);
    p.setJoinStyle(Qt::RoundJoin);
    p.setCapStyle(Qt::RoundCap);
    return p;
}

void generator(QPainter& p, const QRectF& b, const SymbolStyle& s) {
    const double d = std::min(b.width(), b.height());
    const QRectF c(b.center().x() - d / 2, b.center().y() - d / 2, d, d);
    p.setPen(pen(s));
    p.setBrush(s.fill);
    p.drawEllipse(c);
    QPainterPath sine;
    const double x0 = c.left() + d * 0.22, w = d * 0.56, h = d * 0.36, cy = c.center().y();
    sine.moveTo(x0, cy);
    sine.quadTo(x0 + w / 4, cy - h, x0 + w / 2, cy);
    sine.quadTo(x0 + 3 * w / 4, cy + h, x0 + w, cy);
    p.setBrush(Qt::NoBrush);
    p.drawPath(sine);
}

void battery(QPainter& p, const QRectF& b, const SymbolStyle& s) {
    p.setPen(pen(s, 0.8));
    p.setBrush(s.background);
    p.drawRoundedRect(b, 2, 2);
    if (s.level >= 0) {   // state of charge: the case filled from the bottom
        const double lv = std::clamp(s.level, 0.0, 1.0);
        QRectF fill = b.adjusted(1, 1, -1, -1);
        fill.setTop(fill.bottom() - fill.height() * lv);
        p.setPen(Qt::NoPen);
        p.setBrush(s.fill);
        p.drawRect(fill);
    }
    // Two cells: a long thin plate (+) then a short thick one (-), across the flow.
    const double cy = b.center().y(), h = b.height();
    QPainterPath longPlates, shortPlates;
    for (int k = 0; k < 2; ++k) {
        const double x = b.left() + b.width() * (0.25 + 0.4 * k);
        longPlates.moveTo(x, cy - h * 0.36);
        longPlates.lineTo(x, cy + h * 0.36);
        shortPlates.moveTo(x + b.width() * 0.14, cy - h * 0.18);
        shortPlates.lineTo(x + b.width() * 0.14, cy + h * 0.18);
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(pen(s));
    p.drawPath(longPlates);
    p.setPen(pen(s, 2.2));
    p.drawPath(shortPlates);
}

void solar(QPainter& p, const QRectF& b, const SymbolStyle& s) {
    // A tilted panel of cells with a diagonal, and a sun in the upper right corner.
    const QRectF panel(b.left(), b.top() + b.height() * 0.3, b.width() * 0.8, b.height() * 0.7);
    const double skew = panel.width() * 0.18;
    QPainterPath outline;
    outline.moveTo(panel.left() + skew, panel.top());
    outline.lineTo(panel.right(), panel.top());
    outline.lineTo(panel.right() - skew, panel.bottom());
    outline.lineTo(panel.left(), panel.bottom());
    outline.closeSubpath();
    p.setPen(pen(s));
    p.setBrush(s.fill);
    p.drawPath(outline);
    QPainterPath cells;
    for (int k = 1; k < 3; ++k) {
        const double f = k / 3.0;
        cells.moveTo(panel.left() + skew + (panel.width() - skew) * f, panel.top());
        cells.lineTo(panel.left() + (panel.width() - skew) * f, panel.bottom());
    }
    cells.moveTo(panel.left() + skew / 2, panel.center().y());
    cells.lineTo(panel.right() - skew / 2, panel.center().y());
    cells.moveTo(panel.left() + skew, panel.top());   // the diagonal
    cells.lineTo(panel.right() - skew, panel.bottom());
    p.setPen(pen(s, 0.6));
    p.setBrush(Qt::NoBrush);
    p.drawPath(cells);
    const double r = b.width() * 0.12;
    const QPointF sun(b.right() - r - 1, b.top() + r + 1);
    p.setPen(pen(s, 0.7));
    p.setBrush(QColor(0xff, 0xc1, 0x07));
    p.drawEllipse(sun, r, r);
}

void gridTie(QPainter& p, const QRectF& b, const SymbolStyle& s) {
    // A lattice pylon: two legs to an apex, two cross-arms and a brace.
    const double cx = b.center().x(), top = b.top(), bottom = b.bottom(), w = b.width();
    QPainterPath py;
    py.moveTo(cx - w * 0.3, bottom);
    py.lineTo(cx, top);
    py.lineTo(cx + w * 0.3, bottom);
    const double arm1 = top + b.height() * 0.25, arm2 = top + b.height() * 0.5;
    py.moveTo(cx - w * 0.45, arm1);
    py.lineTo(cx + w * 0.45, arm1);
    py.moveTo(cx - w * 0.38, arm2);
    py.lineTo(cx + w * 0.38, arm2);
    py.moveTo(cx - w * 0.15, arm2);
    py.lineTo(cx + w * 0.22, bottom - b.height() * 0.15);
    py.moveTo(cx + w * 0.15, arm2);
    py.lineTo(cx - w * 0.22, bottom - b.height() * 0.15);
    p.setPen(pen(s));
    p.setBrush(Qt::NoBrush);
    p.drawPath(py);
    p.setBrush(s.fill);
    p.setPen(pen(s, 0.6));
    for (double x : {cx - w * 0.45, cx + w * 0.45}) p.drawEllipse(QPointF(x, arm1 + 2), 1.6, 1.6);
}

void transformer(QPainter& p, const QRectF& b, const SymbolStyle& s) {
    const double d = std::min(b.height(), b.width() * 0.62);
    const double cy = b.center().y();
    const QRectF left(b.center().x() - d * 0.8, cy - d / 2, d, d), right(b.center().x() - d * 0.2, cy - d / 2, d, d);
    p.setPen(pen(s));
    p.setBrush(s.fill);
    p.drawEllipse(left);
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(right);
}

void bus(QPainter& p, const QRectF& b, const SymbolStyle& s) {
    p.setPen(Qt::NoPen);
    p.setBrush(s.line);
    p.drawRect(b);
}

void load(QPainter& p, const QRectF& b, const SymbolStyle& s, bool cooling) {
    const QRectF box(b.left() + b.width() * 0.38, b.top(), b.width() * 0.62, b.height());
    p.setPen(pen(s));
    p.setBrush(s.fill);
    p.drawRect(box);
    // The arrow into the box.
    const double cy = b.center().y(), tip = box.left() + box.width() * 0.3;
    QPainterPath shaft;
    shaft.moveTo(b.left(), cy);
    shaft.lineTo(tip - 5, cy);
    p.setBrush(Qt::NoBrush);
    p.drawPath(shaft);
    QPainterPath head;
    head.moveTo(tip, cy);
    head.lineTo(tip - 7, cy - 4);
    head.lineTo(tip - 7, cy + 4);
    head.closeSubpath();
    p.setBrush(s.line);
    p.setPen(Qt::NoPen);
    p.drawPath(head);
    if (cooling) {   // a fan: three blades
        const QPointF c(box.left() + box.width() * 0.68, cy);
        const double r = box.height() * 0.32;
        QPainterPath fan;
        for (int k = 0; k < 3; ++k) {
            const double a = k * 2 * M_PI / 3;
            fan.moveTo(c);
            fan.quadTo(c + QPointF(r * std::cos(a + 0.6), r * std::sin(a + 0.6)), c + QPointF(r * std::cos(a), r * std::sin(a)));
        }
        p.setPen(pen(s, 0.8));
        p.setBrush(Qt::NoBrush);
        p.drawPath(fan);
        p.drawEllipse(c, r, r);
    }
}

} // namespace

void drawBreaker(QPainter& p, const QRectF& box, const SymbolStyle& style) {
    p.setPen(pen(style, 0.8));
    p.setBrush(style.closed ? style.line : style.background);
    p.drawRect(box);
}

void drawOneLineSymbol(QPainter& p, AssetKind kind, const QRectF& box, const SymbolStyle& style) {
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    switch (kind) {
    case AssetKind::Turbine: generator(p, box, style); break;
    case AssetKind::MegapackBlock: battery(p, box, style); break;
    case AssetKind::SolarArray: solar(p, box, style); break;
    case AssetKind::GridTie: gridTie(p, box, style); break;
    case AssetKind::Bus: bus(p, box, style); break;
    case AssetKind::Transformer: transformer(p, box, style); break;
    case AssetKind::Feeder: drawBreaker(p, box, style); break;
    case AssetKind::Hall: load(p, box, style, false); break;
    case AssetKind::CoolingPlant: load(p, box, style, true); break;
    default: p.setPen(QPen(style.line, style.lineWidth)); p.setBrush(style.fill); p.drawRect(box); break;
    }
    p.restore();
}

} // namespace views
