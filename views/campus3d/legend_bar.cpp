#include "campus3d/legend_bar.h"

#include <QLinearGradient>
#include <QPainter>

namespace views {

LegendBar::LegendBar(QWidget* parent) : QWidget(parent) {
    setObjectName("legend");
    setMinimumHeight(40);
}

void LegendBar::setQuantity(RackQuantity q) {
    q_ = q;
    update();
}

void LegendBar::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(18, 20, 24));
    const QuantityRange r = rangeOf(q_);
    const QRect bar(10, 22, width() - 20, 14);
    QLinearGradient g(bar.topLeft(), bar.topRight());
    for (int i = 0; i <= 20; ++i) g.setColorAt(i / 20.0, qcolourAt(i / 20.0));
    p.fillRect(bar, g);
    p.setPen(QColor(230, 230, 230));
    p.drawText(QRect(10, 2, width() - 20, 18), Qt::AlignHCenter | Qt::AlignVCenter, r.label);
    p.drawText(QRect(10, 2, width() - 20, 18), Qt::AlignLeft | Qt::AlignVCenter, r.lowText);
    p.drawText(QRect(10, 2, width() - 20, 18), Qt::AlignRight | Qt::AlignVCenter, r.highText);
}

} // namespace views
