#include "compute/rack_power_chart.h"

#include "common/series_lookup.h"

#include <QPainter>

#include <algorithm>

using namespace twin;
using twin::sim::series::Rack;

namespace views {

RackPowerChart::RackPowerChart(Session& session, QWidget* parent)
    : PainterChart(session, {44, 8, 18, 18}, parent) {
    setObjectName("rackPowerChart");
    setMinimumSize(200, 110);
    connect(&session_, &Session::stateChanged, this, &RackPowerChart::reload);
}

void RackPowerChart::setRack(AssetIndex rack) {
    rack_ = rack;
    ratedKw_ = 0;
    if (rack_ != kNoAsset)
        if (const RackType* rt = session_.campus().rackType(session_.campus().assets[static_cast<std::size_t>(rack_)].model))
            ratedKw_ = rt->ratedKw;
    reload();
}

void RackPowerChart::fetch() {
    buckets_.clear();
    const std::int64_t pos = positionIn<Rack>(session_, rack_);
    const int series = session_.isOpen() ? session_.reader().findSeries(Rack::name) : 0;
    const TimeMs t1 = session_.clock().time(), t0 = t1 - kWindowMs;
    setTimeRange(t0, t1);
    if (pos >= 0 && series != 0) buckets_ = session_.reader().seriesRange(series, Rack::Power, pos, t0, t1, plotWidth());
}

void RackPowerChart::paintPlot(QPainter& p, const QRectF& plot) {
    double top = std::max(ratedKw_, 1.0);
    for (const Bucket& b : buckets_) top = std::max(top, b.max);
    top *= 1.05;
    auto y = [&](double kw) { return yAt(plot, kw, top); };

    // Axes: 0, rated and the top in kW; the window's ends in UTC.
    p.setPen(QColor(170, 175, 182));
    for (double kw : {0.0, ratedKw_}) {
        if (kw == ratedKw_ && kw <= 0) continue;
        drawLeftValue(p, y(kw), QString::number(kw, 'f', 0));
    }
    p.drawText(QRectF(0, 2, plot.left() + 80, 14), Qt::AlignLeft | Qt::AlignVCenter, "Rack power, kW");
    drawTimeEnds(p, plot);
    if (ratedKw_ > 0) {
        p.setPen(QPen(QColor(120, 120, 130), 1, Qt::DashLine));
        p.drawLine(QPointF(plot.left(), y(ratedKw_)), QPointF(plot.right(), y(ratedKw_)));
    }

    p.setRenderHint(QPainter::Antialiasing);
    drawBandAndMean(p, plot, buckets_, y, QColor(80, 150, 230, 90), QColor(110, 190, 255));
    drawCursor(p, plot);   // the window ends there
    if (buckets_.empty()) drawNote(p, plot, rack_ == kNoAsset ? "No rack selected" : "No rack data in this window");
}

} // namespace views
