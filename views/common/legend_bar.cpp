#include "common/legend_bar.h"

#include "common/hmi_colours.h"

#include <QFontMetrics>
#include <QLinearGradient>
#include <QPainter>

#include <algorithm>
#include <tuple>

namespace views {

LegendBar::LegendBar(QWidget* parent) : QWidget(parent) {
    setObjectName("legend");
    setMinimumHeight(40);
}

void LegendBar::setQuantity(RackQuantity q) {
    q_ = q;
    update();
}

namespace {
constexpr int kSwatch = 14, kSwatchText = 46;
} // namespace

// Right of the ramp: two swatches with their words ("stale", "no data").
QRect LegendBar::missingSwatch() const { return {width() - 10 - kSwatchText - kSwatch, 22, kSwatch, kSwatch}; }
QRect LegendBar::staleSwatch() const { return missingSwatch().translated(-(kSwatch + kSwatchText + 8), 0); }
QRect LegendBar::rampRect() const { return {10, 22, std::max(40, staleSwatch().left() - 22), 14}; }

void LegendBar::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(18, 20, 24));
    const QuantityRange r = rangeOf(q_);
    const QRect bar = rampRect();
    QLinearGradient g(bar.topLeft(), bar.topRight());
    for (int i = 0; i <= 20; ++i) g.setColorAt(i / 20.0, qcolourAt(i / 20.0));
    p.fillRect(bar, g);
    p.setPen(QColor(230, 230, 230));
    const QRect text(bar.left(), 2, bar.width(), 18);
    // In a narrow dock the quantity's name gives way (elided) to the ends' values.
    const QFontMetrics fm(font());
    const int room = bar.width() - 2 * std::max(fm.horizontalAdvance(r.lowText), fm.horizontalAdvance(r.highText)) - 16;
    p.drawText(text, Qt::AlignHCenter | Qt::AlignVCenter, fm.elidedText(r.label, Qt::ElideRight, std::max(0, room)));
    p.drawText(text, Qt::AlignLeft | Qt::AlignVCenter, r.lowText);
    p.drawText(text, Qt::AlignRight | Qt::AlignVCenter, r.highText);
    for (auto [swatch, colour, word] : {std::tuple{staleSwatch(), hmi::kStale, "stale"}, {missingSwatch(), hmi::kMissing, "no data"}}) {
        p.fillRect(swatch, colour);
        p.drawText(QRect(swatch.right() + 4, swatch.top() - 2, kSwatchText, swatch.height() + 4), Qt::AlignLeft | Qt::AlignVCenter, word);
    }
}

} // namespace views
