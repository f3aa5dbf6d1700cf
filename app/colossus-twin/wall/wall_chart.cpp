#include "wall/wall_chart.h"

#include "common/hmi_colours.h"
#include "common/time_axis.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QResizeEvent>

#include <algorithm>
#include <cmath>
#include <limits>

namespace views {

using namespace twin;

namespace {

const QColor kGrid(42, 49, 59);
const QColor kAxisText(170, 179, 191);
const QColor kText(233, 237, 242);
constexpr TimeMs kMinTickMs = 5'000;

double mean(const Bucket& b) { return b.count ? b.sum / b.count : b.firstValue; }

// 1, 2, 2.5 or 5 x 10^k, the smallest at least `raw`.
double niceStep(double raw) {
    if (!(raw > 0) || !std::isfinite(raw)) return 1;
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * p >= raw) return m * p;
    return 10 * p;
}

} // namespace

WallChart::WallChart(Session& session, const QString& unit, QWidget* parent)
    : QWidget(parent), session_(session), unit_(unit) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(1, 1);
    // Reload at most twice a second: live data moves the clock ten times a second.
    reloadTimer_.setSingleShot(true);
    reloadTimer_.setInterval(500);
    connect(&reloadTimer_, &QTimer::timeout, this, &WallChart::reload);
    connect(&session_.clock(), &Clock::timeChanged, this, &WallChart::scheduleReload);
    connect(&session_, &Session::dataGrew, this, &WallChart::scheduleReload);
}

void WallChart::addSeries(const QString& name, const QColor& colour, Fetch fetch, Kind kind) {
    series_.push_back({name, colour, std::move(fetch), kind, {}});
    scheduleReload();
}

void WallChart::clearSeries() {
    series_.clear();
    update();
}

void WallChart::addReference(double value, const QString& label, bool always) {
    references_.push_back({value, label, always});
    update();
}

bool WallChart::referenceDrawn(int r) const {
    const double v = references_.at(static_cast<std::size_t>(r)).value;
    return drawnHi_ > drawnLo_ && v >= drawnLo_ && v <= drawnHi_;
}

void WallChart::setWindowMs(TimeMs ms) {
    windowMs_ = std::max<TimeMs>(0, ms);
    reload();
}

void WallChart::scheduleReload() {
    if (!reloadTimer_.isActive()) reloadTimer_.start();
}

void WallChart::resizeEvent(QResizeEvent* e) {
    QWidget::resizeEvent(e);
    reload();   // one bucket per two pixels
}

double WallChart::currentValue(int i) const {
    // The mean of the last bucket: what the chart draws there (sums of channels keep no last sample).
    const auto& b = series_.at(static_cast<std::size_t>(i)).buckets;
    return b.empty() ? std::numeric_limits<double>::quiet_NaN() : mean(b.back());
}

void WallChart::reload() {
    reloadTimer_.stop();
    t0_ = t1_ = 0;
    for (auto& s : series_) s.buckets.clear();
    if (session_.isOpen() && !session_.clock().span().empty) {
        const TimeSpan sp = session_.clock().span();
        t1_ = std::clamp(session_.clock().time(), sp.first, sp.last);
        t0_ = windowMs_ > 0 ? std::max(sp.first, t1_ - windowMs_) : sp.first;
        if (t1_ - t0_ < 1000) t0_ = t1_ - 1000;   // the first second of a recording
        const int n = std::max(50, plotRect().width() / 2);
        for (auto& s : series_) s.buckets = s.fetch(t0_, t1_, n);
    }
    update();
}

std::vector<WallChart::LegendItem> WallChart::legendItems() const {
    std::vector<LegendItem> out;
    const QLocale c = QLocale::c();
    for (int i = 0; i < seriesCount(); ++i) {
        const auto& s = series_[static_cast<std::size_t>(i)];
        const double v = currentValue(i);
        out.push_back({drawnColour(i), s.name, std::isfinite(v) ? c.toString(v, 'f', decimals_) + " " + unit_ : QString::fromUtf8("—"), false});
    }
    for (const Reference& r : references_)
        if (r.always)
            out.push_back({QColor(150, 156, 166), r.label.isEmpty() ? c.toString(r.value, 'f', decimals_) + " " + unit_ : r.label, {}, true});
    return out;
}

// Items flow left to right and wrap: each item's top-left corner, and the height they take.
std::vector<QPoint> WallChart::legendLayout(const std::vector<LegendItem>& items, int* height) const {
    const QFontMetrics fm(font());
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics bm(bold);
    const int line = fm.height();
    std::vector<QPoint> at;
    int x = line / 2, y = 0;
    for (const LegendItem& item : items) {
        const int w = line + fm.horizontalAdvance(item.name + "  ") + bm.horizontalAdvance(item.value) + line;
        if (x > line / 2 && x + w > width() - line / 2) {
            x = line / 2;
            y += line;
        }
        at.emplace_back(x, y);
        x += w;
    }
    if (height) *height = items.empty() ? 0 : y + line + line / 3;
    return at;
}

int WallChart::legendHeight() const {
    int h = 0;
    legendLayout(legendItems(), &h);
    return h;
}

QRect WallChart::plotRect() const {
    const QFontMetrics fm(font());
    const int line = fm.height();
    const int left = fm.horizontalAdvance("-0000.00") + line / 2;
    const int top = legendHeight() + line / 2;
    const int bottom = line + line / 3;   // time labels
    return QRect(left, top, std::max(1, width() - left - line), std::max(1, height() - top - bottom));
}

void WallChart::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), background());
    const QFontMetrics fm(font());
    const int line = fm.height();
    const QRect plot = plotRect();
    const QLocale c = QLocale::c();
    auto number = [&](double v, int decimals) { return c.toString(v, 'f', decimals); };

    // Legend: each series with its value at the clock's time, then the reference lines.
    {
        const auto items = legendItems();
        const auto at = legendLayout(items, nullptr);
        QFont bold = font();
        bold.setBold(true);
        for (std::size_t i = 0; i < items.size(); ++i) {
            const LegendItem& item = items[i];
            const int x = at[i].x(), y = at[i].y();
            if (item.dashed) {
                p.setPen(QPen(item.colour, std::max(1.5, line / 14.0), Qt::DashLine));
                p.drawLine(QPointF(x, y + line / 2.0), QPointF(x + line * 0.6, y + line / 2.0));
            } else {
                p.fillRect(QRect(x, y + line / 4, line / 2, line / 2), item.colour);
            }
            p.setPen(kAxisText);
            p.setFont(font());
            p.drawText(QPoint(x + line * 3 / 4, y + fm.ascent()), item.name);
            p.setFont(bold);
            p.setPen(kText);
            p.drawText(QPoint(x + line * 3 / 4 + fm.horizontalAdvance(item.name + "  "), y + fm.ascent()), item.value);
        }
        p.setFont(font());
    }

    bool any = false;
    for (const auto& s : series_) any = any || !s.buckets.empty();
    if (!any || t1_ <= t0_) {
        p.setPen(kAxisText);
        p.drawText(plot, Qt::AlignCenter, session_.isOpen() ? "no data" : "waiting for data");
        return;
    }

    // Stacked areas on the first stacked series' bucket grid.
    std::vector<const Series*> stacked;
    for (const auto& s : series_)
        if (s.kind == Kind::Stacked) stacked.push_back(&s);
    std::vector<std::vector<std::pair<double, double>>> bands(stacked.size());   // [series][row] = lo, hi
    std::vector<TimeMs> rowTimes;
    if (!stacked.empty()) {
        const auto& grid = stacked.front()->buckets;
        for (const Bucket& g : grid) {
            rowTimes.push_back((g.first + g.last) / 2);
            double up = 0, down = 0;
            for (std::size_t k = 0; k < stacked.size(); ++k) {
                const auto& b = stacked[k]->buckets;
                const auto it = std::lower_bound(b.begin(), b.end(), g.first, [](const Bucket& x, TimeMs t) { return x.last < t; });
                const double v = it != b.end() && it->first <= g.last && it->count ? mean(*it) : 0;
                if (v >= 0) bands[k].emplace_back(up, up + v), up += v;
                else bands[k].emplace_back(down + v, down), down += v;
            }
        }
    }

    // Vertical range: everything drawn, the references, the minimum span; then nice ticks.
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& rows : bands)
        for (auto [a, b] : rows) lo = std::min(lo, a), hi = std::max(hi, b);
    for (const auto& s : series_)
        if (s.kind != Kind::Stacked)
            for (const Bucket& b : s.buckets) lo = std::min(lo, b.min), hi = std::max(hi, b.max);
    for (const Reference& r : references_)
        if (r.always) lo = std::min(lo, r.value), hi = std::max(hi, r.value);
    if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
    if (hi - lo < minSpan_) {
        const double mid = (lo + hi) / 2;
        lo = mid - minSpan_ / 2;
        hi = mid + minSpan_ / 2;
    }
    if (hi - lo < 1e-9) lo -= 0.5, hi += 0.5;
    const int maxTicks = std::max(2, plot.height() / (line * 2));
    const double step = niceStep((hi - lo) / maxTicks);
    lo = std::floor(lo / step - 1e-9) * step;
    hi = std::ceil(hi / step + 1e-9) * step;
    const int tickDecimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
    drawnLo_ = lo;
    drawnHi_ = hi;
    auto yOf = [&](double v) { return plot.bottom() - (v - lo) / (hi - lo) * plot.height(); };
    auto xOf = [&](TimeMs t) { return plot.left() + static_cast<double>(t - t0_) / static_cast<double>(t1_ - t0_) * plot.width(); };

    // Grid and axes.
    p.setPen(QPen(kGrid, 1));
    for (double v = lo; v <= hi + step / 2; v += step) {
        const double y = yOf(v);
        p.setPen(QPen(kGrid, 1));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(kAxisText);
        p.drawText(QRectF(0, y - line / 2.0, plot.left() - line / 4.0, line), Qt::AlignRight | Qt::AlignVCenter,
                   number(v, tickDecimals));
    }
    {
        // As many whole labels as fit; read from across a room, no step under 5 s.
        const int labelW = fm.horizontalAdvance("00:00:00") + line;
        const TimeMs tick = tickStep(t1_ - t0_, std::max(1, plot.width() / labelW), kMinTickMs);
        double free = -1e9;   // labels never overlap: one that would is left out
        for (TimeMs t : ticks(t0_, t1_, tick)) {
            const double x = xOf(t);
            p.setPen(QPen(kGrid, 1));
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
            const QString label = tickLabel(t, tick);
            const double w = fm.horizontalAdvance(label);
            const double lx = std::clamp(x - w / 2, static_cast<double>(plot.left()), plot.right() - w);
            if (lx < free) continue;
            free = lx + w + line / 2.0;
            p.setPen(kAxisText);
            p.drawText(QPointF(lx, plot.bottom() + line / 6.0 + fm.ascent()), label);
        }
    }
    p.save();
    p.setClipRect(plot.adjusted(0, -2, 0, 2));

    // Reference lines under the data: a backdrop, not hiding a series that sits on them.
    for (int i = 0; i < static_cast<int>(references_.size()); ++i) {
        if (!referenceDrawn(i)) continue;
        const Reference& r = references_[static_cast<std::size_t>(i)];
        const double y = yOf(r.value);
        p.setPen(QPen(QColor(150, 156, 166), std::max(1.5, line / 14.0), r.always ? Qt::DashLine : Qt::DashDotLine));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        if (!r.always) {   // a limit: named on its line, at the right
            p.setPen(kAxisText);
            p.drawText(QRectF(plot.left(), y - line - 2, plot.width() - line / 2.0, line), Qt::AlignRight | Qt::AlignBottom, r.label);
        }
    }
    const double lineWidth = std::max(2.0, line / 9.0);
    for (std::size_t k = 0; k < stacked.size(); ++k) {
        QPolygonF area;
        for (std::size_t r = 0; r < rowTimes.size(); ++r) area << QPointF(xOf(rowTimes[r]), yOf(bands[k][r].second));
        for (std::size_t r = rowTimes.size(); r-- > 0;) area << QPointF(xOf(rowTimes[r]), yOf(bands[k][r].first));
        QColor fill = stacked[k]->colour;
        if (stale_) fill = hmi::withQuality(fill, twin::query::DataQuality::Stale);
        fill.setAlpha(215);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawPolygon(area);
    }
    for (const auto& s : series_) {
        if (s.kind == Kind::Stacked || s.buckets.empty()) continue;
        if (s.kind == Kind::Band) {
            QPolygonF band;
            for (const Bucket& b : s.buckets) band << QPointF(xOf((b.first + b.last) / 2), yOf(b.max));
            for (auto it = s.buckets.rbegin(); it != s.buckets.rend(); ++it) band << QPointF(xOf((it->first + it->last) / 2), yOf(it->min));
            QColor fill = stale_ ? hmi::withQuality(s.colour, twin::query::DataQuality::Stale) : s.colour;
            fill.setAlpha(80);
            p.setPen(Qt::NoPen);
            p.setBrush(fill);
            p.drawPolygon(band);
        }
        QPolygonF meanLine;
        for (const Bucket& b : s.buckets) meanLine << QPointF(xOf((b.first + b.last) / 2), yOf(mean(b)));
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(stale_ ? hmi::withQuality(s.colour, twin::query::DataQuality::Stale) : s.colour, lineWidth,
                      Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPolyline(meanLine);
    }
    p.restore();
    if (stale_) {   // in the plot's top right corner, over the data
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.setPen(hmi::kStale);
        p.drawText(plot.adjusted(line / 2, line / 4, -line / 2, 0), Qt::AlignTop | Qt::AlignRight, "STALE");
    }
}

void WallChart::setStale(bool stale) {
    if (stale == stale_) return;
    stale_ = stale;
    update();
}

QColor WallChart::drawnColour(int i) const {
    const QColor c = series_.at(static_cast<std::size_t>(i)).colour;
    return stale_ ? hmi::withQuality(c, twin::query::DataQuality::Stale) : c;
}

} // namespace views
