#include "common/asset_trend.h"

#include "common/time_format.h"

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace twin;

namespace views {

AssetTrend::AssetTrend(Session& session, QWidget* parent) : PainterChart(session, {46, 8, 16, 14}, parent) {
    setObjectName("assetTrend");
    setMinimumSize(180, 96);
    setMaximumHeight(140);
    setToolTip("The last 5 minutes up to the clock's time");
    // A GPU's trend reads a slice of every frame of the GPU series (~40 ms for 5 min of a million
    // GPUs): while playing or live it follows the clock four times a second; a seek at once.
    playing_.setSingleShot(true);
    playing_.setInterval(250);
    connect(&playing_, &QTimer::timeout, this, &AssetTrend::reload);
    connect(&session_, &Session::stateChanged, this, [this] {
        if (!session_.clock().playing() && !session_.clock().live()) reload();
        else if (!playing_.isActive()) playing_.start();
    });
}

void AssetTrend::setSubject(const query::MainQuantity& quantity) {
    subject_ = quantity;
    reload();
}

void AssetTrend::fetch() {
    buckets_.clear();
    if (!session_.isOpen()) return;
    const TimeMs t1 = session_.clock().time();
    const TimeMs t0 = std::max(session_.clock().span().first, t1 - kWindowMs);
    setTimeRange(t0, t1);
    if (!subject_.empty() && t1 > t0) buckets_ = query::sumRange(session_.reader(), subject_.channels, t0, t1, plotWidth());
}

double AssetTrend::lastValue() const {
    return buckets_.empty() ? std::numeric_limits<double>::quiet_NaN() : buckets_.back().lastValue;
}

void AssetTrend::paintPlot(QPainter& p, const QRectF& plot) {
    const QString label = subject_.empty() ? QString("Trend")
                                           : QString::fromStdString(subject_.quantity).replace('_', ' ') + ", " +
                                                 QString::fromStdString(subject_.unit);
    p.setPen(QColor(170, 175, 182));
    p.drawText(QRectF(plot.left(), 0, plot.width(), 15), Qt::AlignLeft | Qt::AlignVCenter, label);
    drawTimeEnds(p, plot);
    if (buckets_.empty()) {
        drawNote(p, plot, subject_.empty() ? "No trend recorded for this" : "No data in this window");
        return;
    }
    double lo = buckets_.front().min, hi = buckets_.front().max;
    for (const Bucket& b : buckets_) lo = std::min(lo, b.min), hi = std::max(hi, b.max);
    // A flat line sits mid-plot; otherwise a margin of 8 % above and below.
    const double pad = hi > lo ? (hi - lo) * 0.08 : std::max(std::abs(hi) * 0.01, 1e-3);
    lo -= pad;
    hi += pad;
    auto y = [&](double v) { return plot.bottom() - plot.height() * std::clamp((v - lo) / (hi - lo), 0.0, 1.0); };
    drawLeftValue(p, plot.top() + 6, formatValue(hi - pad));
    drawLeftValue(p, plot.bottom() - 6, formatValue(lo + pad));
    p.drawText(QRectF(plot.left(), 0, plot.width(), 15), Qt::AlignRight | Qt::AlignVCenter,
               "now " + formatValue(lastValue()));
    p.setRenderHint(QPainter::Antialiasing);
    drawBandAndMean(p, plot, buckets_, y, QColor(80, 150, 230, 90), QColor(110, 190, 255));
    drawCursor(p, plot);   // the window ends at the clock
}

} // namespace views
