#include "compute/rack_power_chart.h"

#include "common/series_lookup.h"
#include "common/time_format.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

using namespace twin;
using twin::sim::series::Rack;

namespace views {

namespace {
constexpr double kLeft = 44, kRight = 8, kTop = 18, kBottom = 18;   // room for the axes' text
}

RackPowerChart::RackPowerChart(Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    setObjectName("rackPowerChart");
    setMinimumSize(200, 110);
    connect(&session_, &Session::stateChanged, this, &RackPowerChart::refresh);
}

void RackPowerChart::setRack(AssetIndex rack) {
    rack_ = rack;
    ratedKw_ = 0;
    if (rack_ != kNoAsset)
        if (const RackType* rt = session_.campus().rackType(session_.campus().assets[static_cast<std::size_t>(rack_)].model))
            ratedKw_ = rt->ratedKw;
    refresh();
}

QRectF RackPowerChart::plotRect() const {
    return QRectF(kLeft, kTop, std::max(1.0, width() - kLeft - kRight), std::max(1.0, height() - kTop - kBottom));
}

int RackPowerChart::plotWidth() const { return std::max(1, static_cast<int>(plotRect().width())); }

void RackPowerChart::resizeEvent(QResizeEvent*) { refresh(); }

void RackPowerChart::refresh() {
    buckets_.clear();
    const std::int64_t pos = positionIn<Rack>(session_, rack_);
    const int series = session_.isOpen() ? session_.reader().findSeries(Rack::name) : 0;
    t1_ = session_.clock().time();
    t0_ = t1_ - kWindowMs;
    if (pos >= 0 && series != 0) buckets_ = session_.reader().seriesRange(series, Rack::Power, pos, t0_, t1_, plotWidth());
    update();
}

void RackPowerChart::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(27, 30, 35));
    const QRectF plot = plotRect();
    p.setPen(QColor(70, 75, 82));
    p.drawRect(plot);

    double top = std::max(ratedKw_, 1.0);
    for (const Bucket& b : buckets_) top = std::max(top, b.max);
    top *= 1.05;
    const double span = static_cast<double>(std::max<TimeMs>(t1_ - t0_, 1));
    auto x = [&](TimeMs t) { return plot.left() + plot.width() * static_cast<double>(t - t0_) / span; };
    auto y = [&](double kw) { return plot.bottom() - plot.height() * std::clamp(kw / top, 0.0, 1.0); };

    // Axes: 0, rated and the top in kW; the window's ends in UTC.
    QFont font = p.font();
    font.setPixelSize(10);
    p.setFont(font);
    p.setPen(QColor(170, 175, 182));
    for (double kw : {0.0, ratedKw_}) {
        if (kw == ratedKw_ && kw <= 0) continue;
        p.drawText(QRectF(0, y(kw) - 7, kLeft - 4, 14), Qt::AlignRight | Qt::AlignVCenter, QString::number(kw, 'f', 0));
    }
    p.drawText(QRectF(0, 2, kLeft + 80, 14), Qt::AlignLeft | Qt::AlignVCenter, "Rack power, kW");
    p.drawText(QRectF(plot.left(), plot.bottom() + 2, 120, 14), Qt::AlignLeft, formatUtcClock(t0_));
    p.drawText(QRectF(plot.right() - 120, plot.bottom() + 2, 120, 14), Qt::AlignRight, formatUtcClock(t1_));
    if (ratedKw_ > 0) {
        p.setPen(QPen(QColor(120, 120, 130), 1, Qt::DashLine));
        p.drawLine(QPointF(plot.left(), y(ratedKw_)), QPointF(plot.right(), y(ratedKw_)));
    }

    // Band (min to max of each bucket) and the mean line.
    p.setRenderHint(QPainter::Antialiasing);
    QPolygonF mean;
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(80, 150, 230, 90));
    for (const Bucket& b : buckets_) {
        const double xm = x((b.first + b.last) / 2);
        p.drawRect(QRectF(QPointF(xm - 0.5, y(b.max)), QPointF(xm + 0.5, y(b.min))));
        mean << QPointF(xm, y(b.sum / b.count));
    }
    p.setPen(QPen(QColor(110, 190, 255), 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawPolyline(mean);

    // The clock's time (the window ends there).
    const double xc = x(session_.clock().time());
    p.setPen(QPen(QColor(255, 80, 80), 1.5));
    p.drawLine(QPointF(xc, plot.top()), QPointF(xc, plot.bottom()));
    if (buckets_.empty()) {
        p.setPen(QColor(150, 150, 150));
        p.drawText(plot, Qt::AlignCenter, rack_ == kNoAsset ? "No rack selected" : "No rack data in this window");
    }
}

} // namespace views
