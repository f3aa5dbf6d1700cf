#include "common/painter_chart.h"

#include "common/hmi_colours.h"
#include "common/time_format.h"

#include <QPainter>

#include <algorithm>

using namespace twin;

namespace views {

PainterChart::PainterChart(Session& session, Margins margins, QWidget* parent)
    : QWidget(parent), session_(session), margins_(margins) {}

void PainterChart::reload() {
    fetch();
    update();
}

QRectF PainterChart::plotRect() const {
    return QRectF(margins_.left, margins_.top, std::max(1.0, width() - margins_.left - margins_.right),
                  std::max(1.0, height() - margins_.top - margins_.bottom));
}

int PainterChart::plotWidth() const { return std::max(1, static_cast<int>(plotRect().width())); }

void PainterChart::setTimeRange(TimeMs t0, TimeMs t1) {
    t0_ = t0;
    t1_ = t1;
}

double PainterChart::xAt(const QRectF& plot, TimeMs t) const {
    const double span = static_cast<double>(std::max<TimeMs>(t1_ - t0_, 1));
    return plot.left() + plot.width() * static_cast<double>(t - t0_) / span;
}

double PainterChart::yAt(const QRectF& plot, double v, double top) {
    return plot.bottom() - plot.height() * std::clamp(v / top, 0.0, 1.0);
}

void PainterChart::resizeEvent(QResizeEvent*) { reload(); }

void PainterChart::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(27, 30, 35));
    const QRectF plot = plotRect();
    p.setPen(QColor(70, 75, 82));
    p.drawRect(plot);
    QFont font = p.font();
    font.setPixelSize(10);
    p.setFont(font);
    paintPlot(p, plot);
}

void PainterChart::drawTimeEnds(QPainter& p, const QRectF& plot) const {
    p.setPen(QColor(170, 175, 182));
    p.drawText(QRectF(plot.left(), plot.bottom() + 2, 120, 14), Qt::AlignLeft, formatUtcClock(t0_));
    p.drawText(QRectF(plot.right() - 120, plot.bottom() + 2, 120, 14), Qt::AlignRight, formatUtcClock(t1_));
}

void PainterChart::drawLeftValue(QPainter& p, double y, const QString& text) const {
    p.drawText(QRectF(0, y - 7, margins_.left - 4, 14), Qt::AlignRight | Qt::AlignVCenter, text);
}

void PainterChart::drawRightValue(QPainter& p, const QRectF& plot, double y, const QString& text) const {
    p.drawText(QRectF(plot.right() + 4, y - 7, margins_.right - 4, 14), Qt::AlignLeft | Qt::AlignVCenter, text);
}

void PainterChart::drawCurve(QPainter& p, const QPolygonF& points, const QColor& colour) {
    p.setPen(QPen(colour, 1.5));
    p.drawPolyline(points);
}

void PainterChart::drawBandAndMean(QPainter& p, const QRectF& plot, const std::vector<Bucket>& buckets,
                                   const std::function<double(double)>& y, const QColor& band, const QColor& line) const {
    QPolygonF mean;
    p.setPen(Qt::NoPen);
    p.setBrush(band);
    for (const Bucket& b : buckets) {
        const double xm = xAt(plot, (b.first + b.last) / 2);
        p.drawRect(QRectF(QPointF(xm - 0.5, y(b.max)), QPointF(xm + 0.5, y(b.min))));
        mean << QPointF(xm, y(b.sum / b.count));
    }
    p.setBrush(Qt::NoBrush);
    drawCurve(p, mean, line);
}

void PainterChart::drawCursor(QPainter& p, const QRectF& plot) const {
    const double x = xAt(plot, session_.clock().time());
    // The time cursor of every chart (hmi_colours.h): white edged in black, not the alarm red.
    for (const auto& [colour, w] : {std::pair{hmi::kTimeCursorEdge, 3.5}, std::pair{hmi::kTimeCursor, 1.5}}) {
        p.setPen(QPen(colour, w));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }
}

void PainterChart::drawNote(QPainter& p, const QRectF& plot, const QString& text) {
    p.setPen(QColor(150, 150, 150));
    p.drawText(plot, Qt::AlignCenter, text);
}

} // namespace views
