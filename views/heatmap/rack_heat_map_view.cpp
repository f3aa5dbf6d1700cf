#include "heatmap/rack_heat_map_view.h"

#include "common/time_axis.h"
#include "common/time_format.h"

#include "twin/query/series_query.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPolygon>

#include <algorithm>
#include <chrono>
#include <cmath>

using namespace twin;

namespace views {

namespace {

constexpr int kLabelWidth = 170, kReadoutHeight = 22, kAxisHeight = 22, kRightMargin = 10;
constexpr int kMaxBuckets = 4000;
constexpr int kLiveQueryMs = 5000;   // a growing live store: at most one query this often
const QColor kBackground(0x1b, 0x1f, 0x25), kText(0xd8, 0xdc, 0xe2), kClock(255, 255, 255);

} // namespace

std::vector<InputHelp> RackHeatMapView::inputHelp() {
    return {{"Pointer on the heat map", "Read out the rack, the time bucket and its mean"},
            {"Click on the heat map", "Select that rack and move the clock to that time"}};
}

RackHeatMapView::RackHeatMapView(Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    setMouseTracking(true);
    setMinimumSize(240, 60);   // small enough not to push the desk's bottom docks taller than their share
    liveTimer_.setSingleShot(true);
    connect(&liveTimer_, &QTimer::timeout, this, &RackHeatMapView::invalidate);
    resizeTimer_.setSingleShot(true);
    resizeTimer_.setInterval(150);
    connect(&resizeTimer_, &QTimer::timeout, this, &RackHeatMapView::invalidate);
    auto reopened = [this] {
        scope_ = kNoAsset;
        rows_ = heatMapRows(session_.campus(), scope_);
        facts_ = rackFactsOf(session_.campus());
        invalidate();
    };
    connect(&session_, &Session::opened, this, reopened);
    if (session_.isOpen()) reopened();
    connect(&session_.clock(), &Clock::timeChanged, this, [this] { update(); });
    connect(&session_.clock(), &Clock::spanChanged, this, &RackHeatMapView::spanGrew);
    connect(&session_.clock(), &Clock::loopChanged, this, [this] {
        if (!fixed_) invalidate();
    });
    connect(&session_, &Session::selectionChanged, this, [this] { update(); });
}

void RackHeatMapView::setScope(AssetIndex asset) {
    scope_ = asset;
    if (session_.isOpen()) rows_ = heatMapRows(session_.campus(), scope_);
    invalidate();
}

void RackHeatMapView::setQuantity(RackQuantity q) {
    quantity_ = q;
    invalidate();
}

void RackHeatMapView::setRange(TimeMs t0, TimeMs t1) {
    fixed_ = std::pair{std::min(t0, t1), std::max(t0, t1)};
    invalidate();
}

void RackHeatMapView::followRecording() {
    fixed_.reset();
    invalidate();
}

void RackHeatMapView::invalidate() {
    stale_ = true;
    update();
}

// A live store grows every second: the raster follows it, but not at every commit.
void RackHeatMapView::spanGrew() {
    if (fixed_ || session_.clock().hasLoop()) return;
    const qint64 since = sinceQuery_.isValid() ? sinceQuery_.elapsed() : kLiveQueryMs;
    if (since >= kLiveQueryMs) invalidate();
    else if (!liveTimer_.isActive()) liveTimer_.start(static_cast<int>(kLiveQueryMs - since));
}

std::pair<TimeMs, TimeMs> RackHeatMapView::range() const {
    if (fixed_) return *fixed_;
    const Clock& c = session_.clock();
    if (c.hasLoop()) return {c.loop().first, c.loop().last};
    if (c.span().empty) return {0, -1};
    return {c.span().first, c.span().last};
}

QRect RackHeatMapView::plotRect() const {
    return QRect(kLabelWidth, kReadoutHeight, std::max(0, width() - kLabelWidth - kRightMargin),
                 std::max(0, height() - kReadoutHeight - kAxisHeight));
}

const query::RackHeatMap& RackHeatMapView::heatMap() const {
    if (stale_) compute();
    return map_;
}

void RackHeatMapView::compute() const {
    stale_ = false;
    imageStale_ = true;
    message_.clear();
    map_ = {};
    sinceQuery_.restart();
    const QRect plot = plotRect();
    lastWidth_ = plot.width();
    const auto [t0, t1] = range();
    if (!session_.isOpen()) message_ = "No store open";
    else if (rows_.positions.empty()) message_ = "No racks here";
    else if (quantity_ != RackQuantity::Power && quantity_ != RackQuantity::InletTemperature)
        message_ = rangeOf(quantity_).label + " is not in the rack series: choose power or inlet temperature";
    else if (t1 < t0) message_ = "No data yet";
    else if (plot.width() < 2 || plot.height() < 2) message_ = "Too small to draw";
    if (message_.isEmpty()) {
        try {
            const auto start = std::chrono::steady_clock::now();
            // A bucket per pixel column, but no more buckets than frames (a short recording would
            // otherwise be stripes of no data between its frames).
            int buckets = std::min(plot.width(), kMaxBuckets);
            if (const SeriesInfo* rack = query::seriesOf<sim::series::Rack>(session_.reader()))
                buckets = static_cast<int>(std::clamp<std::size_t>(session_.reader().frameTimes(rack->id, t0, t1).size(), 1,
                                                                   static_cast<std::size_t>(buckets)));
            map_ = query::rackHeatMap(session_.reader(), {rows_.positions, nameOf(quantity_).toStdString(), t0, t1, buckets});
            queryMs_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        } catch (const std::exception& e) {
            map_ = {};
            message_ = QString::fromStdString(e.what());
        }
    }
    emit const_cast<RackHeatMapView*>(this)->computed();
}

double RackHeatMapView::normalised(int row, int bucket) const {
    const auto& m = heatMap();
    double v = m.at(row, bucket);
    if (std::isnan(v)) return v;
    if (quantity_ == RackQuantity::Power) v /= facts_.ratedKw[static_cast<std::size_t>(rows_.positions[static_cast<std::size_t>(row)])];
    const QuantityRange r = rangeOf(quantity_);
    return (v - r.low) / (r.high - r.low);
}

// One pixel row per rack when they fit, else each pixel row the mean of its racks' normalised values.
QImage RackHeatMapView::image(int height) const {
    const auto& m = heatMap();
    const int rows = m.rows, n = m.buckets, h = std::min(rows, std::max(height, 1));
    QImage img(n, h, QImage::Format_RGB32);
    std::vector<double> sum(static_cast<std::size_t>(n)), count(static_cast<std::size_t>(n));
    // normalised(), with the range and each row's rated power looked up once.
    const QuantityRange range = rangeOf(quantity_);
    std::vector<double> divisor(static_cast<std::size_t>(rows), 1.0);
    if (quantity_ == RackQuantity::Power)
        for (int r = 0; r < rows; ++r)
            divisor[static_cast<std::size_t>(r)] = facts_.ratedKw[static_cast<std::size_t>(rows_.positions[static_cast<std::size_t>(r)])];
    for (int y = 0; y < h; ++y) {
        std::fill(sum.begin(), sum.end(), 0.0);
        std::fill(count.begin(), count.end(), 0.0);
        const int r0 = static_cast<int>(static_cast<std::int64_t>(y) * rows / h);
        const int r1 = static_cast<int>(static_cast<std::int64_t>(y + 1) * rows / h);
        for (int r = r0; r < r1; ++r)
            for (int b = 0; b < n; ++b) {
                const double v = (m.at(r, b) / divisor[static_cast<std::size_t>(r)] - range.low) / (range.high - range.low);
                if (std::isnan(v)) continue;
                sum[static_cast<std::size_t>(b)] += v;
                count[static_cast<std::size_t>(b)] += 1;
            }
        auto* line = reinterpret_cast<QRgb*>(img.scanLine(y));
        for (int b = 0; b < n; ++b) {
            const auto c = colourAt(count[static_cast<std::size_t>(b)] > 0 ? sum[static_cast<std::size_t>(b)] / count[static_cast<std::size_t>(b)]
                                                                            : std::nan(""));
            line[b] = qRgb(c[0], c[1], c[2]);
        }
    }
    return img;
}

QRectF RackHeatMapView::cellRect(int row, int bucket) const {
    const auto& m = heatMap();
    const QRect p = plotRect();
    if (m.rows == 0 || m.buckets == 0) return {};
    const double w = static_cast<double>(p.width()) / m.buckets, h = static_cast<double>(p.height()) / m.rows;
    return QRectF(p.left() + bucket * w, p.top() + row * h, w, h);
}

int RackHeatMapView::clockX() const {
    const auto& m = heatMap();
    const int b = m.bucketOf(session_.clock().time());
    if (b < 0) return -1;
    return plotRect().left() + static_cast<int>(static_cast<std::int64_t>(b) * plotRect().width() / m.buckets);
}

int RackHeatMapView::rowAt(QPointF p) const {
    const auto& m = heatMap();
    const QRect r = plotRect();
    if (m.rows == 0 || p.y() < r.top() || p.y() >= r.top() + r.height() || p.x() < r.left() || p.x() >= r.left() + r.width())
        return -1;
    return std::min(m.rows - 1, static_cast<int>((p.y() - r.top()) * m.rows / r.height()));
}

int RackHeatMapView::bucketAt(QPointF p) const {
    const auto& m = heatMap();
    const QRect r = plotRect();
    if (m.buckets == 0 || rowAt(p) < 0) return -1;
    return std::min(m.buckets - 1, static_cast<int>((p.x() - r.left()) * m.buckets / r.width()));
}

QString RackHeatMapView::readoutAt(QPointF p) const {
    const int row = rowAt(p), b = bucketAt(p);
    if (row < 0 || b < 0) return {};
    const auto& m = heatMap();
    const auto pos = static_cast<std::size_t>(rows_.positions[static_cast<std::size_t>(row)]);
    const Asset& rack = session_.campus().assets[static_cast<std::size_t>(session_.campus().racks()[pos])];
    const QString when = formatUtcClock(m.bucketStart(b)) + "–" + formatUtcClock(m.bucketStart(b + 1) - 1) + " UTC";
    const double v = m.at(row, b);
    QString value = "no data";
    if (!std::isnan(v)) {
        value = formatValue(std::round(v * 10) / 10) + " " + QString::fromStdString(m.unit == "degC" ? "°C" : m.unit);
        if (quantity_ == RackQuantity::Power) value += QString(" (%1 % of rated)").arg(std::lround(100 * v / facts_.ratedKw[pos]));
    }
    return QString::fromStdString(rack.name) + " · " + when + " · " + value;
}

void RackHeatMapView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    p.setPen(kText);
    const auto& m = heatMap();
    const QRect plot = plotRect();
    if (!message_.isEmpty()) {
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, message_);
        return;
    }
    if (imageStale_ || image_.height() != std::min(m.rows, plot.height())) {
        image_ = image(plot.height());
        imageStale_ = false;
    }
    p.drawImage(QRectF(plot), image_);
    const QFontMetrics fm(font());
    // Halls: a line between them, the name where its rows have room for it; buildings instead
    // when most halls are too thin for their names.
    int labelled = 0;
    for (const auto& g : rows_.groups) labelled += static_cast<std::int64_t>(g.count) * plot.height() / m.rows >= fm.height();
    const auto& groups = labelled * 2 >= static_cast<int>(rows_.groups.size()) ? rows_.groups : rows_.buildings;
    for (const auto& g : groups) {
        const int y0 = plot.top() + static_cast<int>(static_cast<std::int64_t>(g.first) * plot.height() / m.rows);
        const int y1 = plot.top() + static_cast<int>(static_cast<std::int64_t>(g.first + g.count) * plot.height() / m.rows);
        if (g.first > 0 && y1 - y0 >= 3) p.fillRect(QRect(plot.left() - 6, y0, plot.width() + 6, 1), kBackground);
        if (y1 - y0 >= fm.height())
            p.drawText(QRect(4, y0, kLabelWidth - 16, y1 - y0), Qt::AlignRight | Qt::AlignVCenter,
                       fm.elidedText(g.label, Qt::ElideMiddle, kLabelWidth - 16));
    }
    // The selected rack: a marker beside its row.
    const AssetIndex selected = rackOfSelection(session_.campus(), session_.selection());
    for (std::size_t r = 0; selected != kNoAsset && r < rows_.positions.size(); ++r) {
        if (session_.campus().racks()[static_cast<std::size_t>(rows_.positions[r])] != selected) continue;
        const int y = static_cast<int>(cellRect(static_cast<int>(r), 0).center().y());
        p.setBrush(kClock);
        p.setPen(Qt::NoPen);
        p.drawPolygon(QPolygon({QPoint(plot.left() - 9, y - 5), QPoint(plot.left() - 2, y), QPoint(plot.left() - 9, y + 5)}));
        p.setPen(kText);
    }
    // The time axis below.
    const TimeMs span = m.t1 - m.t0 + 1;
    const TimeMs step = tickStep(span, plot.width() / 90.0);
    for (const TimeMs t : ticks(m.t0, m.t1, step)) {
        const int x = plot.left() + static_cast<int>(static_cast<double>(t - m.t0) * plot.width() / span);
        p.drawLine(x, plot.bottom() + 1, x, plot.bottom() + 4);
        const QString label = tickLabel(t, step);
        const int half = fm.horizontalAdvance(label) / 2 + 1;
        if (x + half > width()) continue;   // not cut at the right edge
        p.drawText(QRect(x - half, plot.bottom() + 4, 2 * half, kAxisHeight - 4), Qt::AlignHCenter | Qt::AlignTop, label);
    }
    // The clock.
    if (const int x = clockX(); x >= 0) p.fillRect(QRect(x, plot.top(), 2, plot.height()), kClock);
    // The read-out, or what is shown.
    QString top = readoutAt(pointer_);
    if (top.isEmpty())
        top = QString("%1 racks · %2 · %3 – %4 UTC · %5 buckets of %6 s")
                  .arg(m.rows)
                  .arg(rangeOf(quantity_).label, formatUtcClock(m.t0), formatUtcClock(m.t1))
                  .arg(m.buckets)
                  .arg(formatValue(std::round(span / static_cast<double>(m.buckets)) / 1000.0));
    p.drawText(QRect(8, 0, width() - 16, kReadoutHeight), Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(top, Qt::ElideRight, width() - 16));
}

// A new width is a new bucket count: a query once the width has settled (a dragged splitter
// sends many), the old raster stretched meanwhile. A new height only colours the raster again.
void RackHeatMapView::resizeEvent(QResizeEvent* e) {
    QWidget::resizeEvent(e);
    if (!stale_ && plotRect().width() != lastWidth_) resizeTimer_.start();
    update();
}

void RackHeatMapView::mouseMoveEvent(QMouseEvent* e) {
    pointer_ = e->position();
    update();
}

void RackHeatMapView::leaveEvent(QEvent*) {
    pointer_ = {-1, -1};
    update();
}

void RackHeatMapView::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return;
    const int row = rowAt(e->position()), b = bucketAt(e->position());
    if (row < 0 || b < 0) return;
    Selection s;
    s.asset = session_.campus().racks()[static_cast<std::size_t>(rows_.positions[static_cast<std::size_t>(row)])];
    session_.clock().seek(heatMap().bucketMiddle(b));
    session_.select(s);
}

} // namespace views
