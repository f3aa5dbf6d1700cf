#include "electrical/strip_chart.h"

#include "common/hmi_colours.h"
#include "common/time_axis.h"
#include "common/time_format.h"
#include "electrical/chart_csv.h"

#include <QContextMenuEvent>
#include <QFileDialog>
#include <QLocale>
#include <QMessageBox>
#include <QPainter>
#include <QElapsedTimer>
#include <QMenu>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QOpenGLFramebufferObject>
#include <QOpenGLFunctions>
#include <QOpenGLPaintDevice>
#include <QWheelEvent>

#include <vtkAxis.h>
#include <vtkBrush.h>
#include <vtkChartLegend.h>
#include <vtkChartXY.h>
#include <vtkContextScene.h>
#include <vtkContextView.h>
#include <vtkDoubleArray.h>
#include <vtkFloatArray.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkOpenGLShaderCache.h>
#include <vtkOpenGLState.h>
#include <vtkPen.h>
#include <vtkPlot.h>
#include <vtkPlotArea.h>
#include <vtkRenderer.h>
#include <vtkStringArray.h>
#include <vtkTable.h>
#include <vtkTextProperty.h>
#include <vtkVector.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace views {

using namespace twin;

namespace {

const QColor kReferenceColour(170, 176, 186);   // nominal and limit lines

vtkSmartPointer<vtkTable> makeTable(std::initializer_list<const char*> columns) {
    auto t = vtkSmartPointer<vtkTable>::New();
    for (const char* c : columns) {
        vtkNew<vtkDoubleArray> a;
        a->SetName(c);
        t->AddColumn(a);
    }
    return t;
}

} // namespace

StripChart::StripChart(Session& session, const QString& title, const QString& unit, QWidget* parent)
    : QOpenGLWidget(parent), session_(session), title_(title), unit_(unit) {
    setMouseTracking(true);   // the crosshair follows the pointer
    view_->SetRenderWindow(window_);
    newChart();
    connect(&session_, &Session::opened, this, &StripChart::reload);
    // Live data: reload at most once a second (a reload queries every series again).
    reloadTimer_.setSingleShot(true);
    reloadTimer_.setInterval(1000);
    connect(&reloadTimer_, &QTimer::timeout, this, &StripChart::reload);
    connect(&session_, &Session::dataGrew, this, [this] {
        if (!reloadTimer_.isActive()) reloadTimer_.start();
    });
    connect(&session_.clock(), &Clock::timeChanged, this, &StripChart::moveCursor);
}

StripChart::~StripChart() {
    makeCurrent();   // the cached picture is a GL object of this widget's context
    cache_.reset();
    doneCurrent();
}

TimeMs StripChart::origin() const { return session_.isOpen() ? session_.clock().span().first : 0; }

void StripChart::addSeries(const QString& name, const QColor& colour, Fetch fetch, const SeriesOptions& options) {
    series_.push_back({name, colour, std::move(fetch), options, {}, nullptr});
    if (session_.isOpen()) {   // only the new series: a chart of 80 turbines is built one by one
        const auto [a, b] = range();
        fetchN_ = std::max(50, width());
        series_.back().buckets = series_.back().fetch(a, b, fetchN_);
    }
    rebuildPlots();
}

void StripChart::addSeries(const QString& name, const QColor& colour, Fetch fetch) {
    addSeries(name, colour, std::move(fetch), SeriesOptions{});
}

void StripChart::setUnit(const QString& unit) {
    unit_ = unit;
    chart_->GetAxis(vtkAxis::LEFT)->SetTitle(unit.toStdString());
    rebuildPlots();
}

void StripChart::rebuildPlots() {
    plotsDirty_ = true;
    layoutChart();   // the legend's height may have changed
    update();
}

void StripChart::addReference(double value, const QString& label, bool always) {
    references_.push_back({value, label, always});
    rebuildPlots();
}

QString StripChart::seriesUnit(int i) const {
    const auto& o = series_.at(static_cast<std::size_t>(i)).options;
    return o.unit.isEmpty() ? unit_ : o.unit;
}

void StripChart::setSeriesVisible(int i, bool visible) {
    if (i < 0 || i >= seriesCount()) return;
    series_[static_cast<std::size_t>(i)].hidden = !visible;
    rebuildPlots();
}

void StripChart::buildIfDirty() {
    if (plotsDirty_) buildPlots();
}

void StripChart::removeSeries(int i) {
    if (i < 0 || i >= seriesCount()) return;
    series_.erase(series_.begin() + i);
    rebuildPlots();
}

void StripChart::clearSeries() {
    series_.clear();
    rebuildPlots();
}

void StripChart::setRange(TimeMs t0, TimeMs t1) {
    t0_ = t0;
    t1_ = t1;
    reload();
}

std::pair<TimeMs, TimeMs> StripChart::range() const {
    if (t0_ == 0 && t1_ == 0 && session_.isOpen()) return {session_.clock().span().first, session_.clock().span().last};
    return {t0_, t1_};
}

void StripChart::userRange(TimeMs t0, TimeMs t1) {
    setRange(t0, t1);
    emit rangeChangedByUser(t0, t1);
}

void StripChart::reload() {
    if (!session_.isOpen()) return;
    QElapsedTimer timer;
    timer.start();
    const auto [a, b] = range();
    fetchN_ = std::max(50, width());   // one bucket per pixel
    for (auto& s : series_) s.buckets = s.fetch(a, b, fetchN_);
    rebuildPlots();
    reloadMs_ = static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

void StripChart::buildPlots() {
    plotsDirty_ = false;
    chart_->ClearPlots();
    plotsNew_ = true;
    stackedTable_ = nullptr;
    const TimeMs o = origin();
    yLow_ = 0;
    yHigh_ = 1;
    bool any = false;
    auto extend = [&](double lo, double hi) {
        yLow_ = any ? std::min(yLow_, lo) : lo;
        yHigh_ = any ? std::max(yHigh_, hi) : hi;
        any = true;
    };
    if (stacked_ && !series_.empty()) {
        addStacked(o);
        for (vtkIdType r = 0; r < stackedTable_->GetNumberOfRows(); ++r)
            for (vtkIdType c = 1; c < stackedTable_->GetNumberOfColumns(); ++c) {
                const double v = stackedTable_->GetValue(r, c).ToDouble();
                extend(v, v);
            }
    }
    QString rightUnit;
    for (auto& s : series_) {
        const bool right = !s.options.unit.isEmpty() && s.options.unit != unit_;
        if (right) rightUnit = s.options.unit;
        if (stacked_ && !s.options.overlay) continue;   // in the stacked areas
        if (s.hidden) continue;
        addLine(s, o);
        if (!right)
            for (const Bucket& k : s.buckets) extend(k.min, k.max);
    }
    chart_->GetAxis(vtkAxis::RIGHT)->SetTitle(rightUnit.toStdString());
    // With reference lines the left axis is set here: the data's range and the lines that must
    // always show (nominal), at least the minimum span, padded by 8 % each side; a limit line is
    // drawn when that range reaches it. Without, VTK picks a range round the data.
    vtkAxis* left = chart_->GetAxis(vtkAxis::LEFT);
    if (!references_.empty()) {
        double lo = yLow_, hi = yHigh_;
        for (const Reference& r : references_)
            if (r.always) {
                lo = any ? std::min(lo, r.value) : r.value;
                hi = any ? std::max(hi, r.value) : r.value;
                any = true;
            }
        if (hi - lo < minSpan_) {
            const double mid = (lo + hi) / 2;
            lo = mid - minSpan_ / 2;
            hi = mid + minSpan_ / 2;
        }
        const double pad = std::max(hi - lo, 1e-6) * 0.08;
        left->SetBehavior(vtkAxis::FIXED);
        left->SetRange(lo - pad, hi + pad);
    } else {
        left->SetBehavior(vtkAxis::AUTO);
    }
    const auto [a, b] = range();
    chart_->GetAxis(vtkAxis::BOTTOM)->SetBehavior(vtkAxis::FIXED);
    chart_->GetAxis(vtkAxis::BOTTOM)->SetRange(static_cast<double>(a - o) / 1000, static_cast<double>(b - o) / 1000);
    setTimeTicks(a, b, o);
    vtkDirty_ = true;
    moveCursor();
}

// Ticks at round UTC times (16:00, 16:15, ... or 16:02:10, 16:02:20, ...), about one per 110
// pixels; the axis' values stay seconds from the recording's start.
void StripChart::setTimeTicks(TimeMs a, TimeMs b, TimeMs o) {
    const TimeMs step = tickStep(b - a, std::max(2.0, width() / 110.0));
    vtkNew<vtkDoubleArray> positions;
    vtkNew<vtkStringArray> labels;
    for (TimeMs t : ticks(a, b, step)) {
        positions->InsertNextValue(static_cast<double>(t - o) / 1000);
        labels->InsertNextValue(tickLabel(t, step).toStdString());
    }
    chart_->GetAxis(vtkAxis::BOTTOM)->SetCustomTickPositions(positions, labels);
}

void StripChart::addLine(Series& s, TimeMs o) {
    s.table = makeTable({"t", "min", "max", "mean"});
    s.table->SetNumberOfRows(static_cast<vtkIdType>(s.buckets.size()));
    for (std::size_t i = 0; i < s.buckets.size(); ++i) {
        const Bucket& k = s.buckets[i];
        const auto r = static_cast<vtkIdType>(i);
        s.table->SetValue(r, 0, static_cast<double>((k.first + k.last) / 2 - o) / 1000);
        s.table->SetValue(r, 1, k.min);
        s.table->SetValue(r, 2, k.max);
        s.table->SetValue(r, 3, k.count ? k.sum / k.count : k.firstValue);
    }
    const QColor c = s.colour;
    const bool right = !s.options.unit.isEmpty() && s.options.unit != unit_;
    if (s.options.style == Style::Band) {
        // The band between each pixel's minimum and maximum keeps short spikes visible.
        auto* band = vtkPlotArea::SafeDownCast(chart_->AddPlot(vtkChart::AREA));
        band->SetInputData(s.table);
        band->SetInputArray(0, "t");
        band->SetInputArray(1, "min");
        band->SetInputArray(2, "max");
        band->SetColor(c.red(), c.green(), c.blue(), 90);
        band->SetLegendVisibility(false);
        if (right) chart_->SetPlotCorner(band, 1);
    }
    vtkPlot* line = chart_->AddPlot(vtkChart::LINE);
    line->SetInputData(s.table, "t", "mean");
    line->SetColor(c.red(), c.green(), c.blue(), 255);
    line->SetWidth(s.options.style == Style::Band || s.options.dashed ? 1.5 : 1.0);
    if (s.options.dashed) line->GetPen()->SetLineType(vtkPen::DASH_LINE);
    line->SetLabel((s.name + (right ? " (" + s.options.unit + ")" : QString())).toStdString());
    if (right) chart_->SetPlotCorner(line, 1);
}

std::pair<double, double> StripChart::valueRange() const {
    const_cast<StripChart*>(this)->buildIfDirty();
    vtkAxis* left = chart_->GetAxis(vtkAxis::LEFT);
    if (left->GetBehavior() == vtkAxis::FIXED) return {left->GetMinimum(), left->GetMaximum()};
    return {yLow_, yHigh_};
}

bool StripChart::referenceDrawn(int r) const {
    const auto [lo, hi] = valueRange();
    const double v = references_.at(static_cast<std::size_t>(r)).value;
    return v >= lo && v <= hi;
}

// Stacked areas need one row per time for every series: series are placed on the first one's
// bucket grid by time (series fetched over the same range and width share it). The stacking is
// done here rather than by vtkPlotStacked, which does not stack negative values below zero.
void StripChart::addStacked(TimeMs o) {
    std::vector<const Series*> stacked;
    for (const auto& s : series_)
        if (!s.options.overlay && !s.hidden) stacked.push_back(&s);
    if (stacked.empty()) return;
    const auto& grid = stacked.front()->buckets;
    auto table = vtkSmartPointer<vtkTable>::New();
    vtkNew<vtkDoubleArray> t;
    t->SetName("t");
    table->AddColumn(t);
    for (std::size_t k = 0; k < stacked.size(); ++k)
        for (const char* edge : {"lo", "hi"}) {
            vtkNew<vtkDoubleArray> a;
            a->SetName((edge + std::to_string(k)).c_str());
            table->AddColumn(a);
        }
    table->SetNumberOfRows(static_cast<vtkIdType>(grid.size()));
    for (std::size_t i = 0; i < grid.size(); ++i) {
        const auto row = static_cast<vtkIdType>(i);
        table->SetValue(row, 0, static_cast<double>((grid[i].first + grid[i].last) / 2 - o) / 1000);
        double up = 0, down = 0;
        for (std::size_t k = 0; k < stacked.size(); ++k) {
            const auto& b = stacked[k]->buckets;
            // The bucket of series k that covers this row's time (same grid: same index if present).
            double v = 0;
            const auto it = std::lower_bound(b.begin(), b.end(), grid[i].first,
                                             [](const Bucket& x, TimeMs time) { return x.last < time; });
            if (it != b.end() && it->first <= grid[i].last && it->count) v = it->sum / it->count;
            double lo, hi;
            if (v >= 0) lo = up, hi = up += v;
            else hi = down, lo = down += v;
            table->SetValue(row, static_cast<vtkIdType>(1 + 2 * k), lo);
            table->SetValue(row, static_cast<vtkIdType>(2 + 2 * k), hi);
        }
    }
    stackedTable_ = table;
    for (std::size_t k = 0; k < stacked.size(); ++k) {
        const QColor& c = stacked[k]->colour;
        auto* area = vtkPlotArea::SafeDownCast(chart_->AddPlot(vtkChart::AREA));
        area->SetInputData(table);
        area->SetInputArray(0, "t");
        area->SetInputArray(1, ("lo" + std::to_string(k)).c_str());
        area->SetInputArray(2, ("hi" + std::to_string(k)).c_str());
        area->SetColor(c.red(), c.green(), c.blue(), 210);
        area->SetLabel(stacked[k]->name.toStdString());
    }
}

int StripChart::stackedRows() const {
    const_cast<StripChart*>(this)->buildIfDirty();
    return stackedTable_ ? static_cast<int>(stackedTable_->GetNumberOfRows()) : 0; }

std::pair<double, double> StripChart::stackedBand(int i, int row) const {
    const_cast<StripChart*>(this)->buildIfDirty();
    if (!stackedTable_ || row < 0 || row >= stackedRows()) return {0, 0};
    // Column of the i-th stacked series (overlays are not stacked).
    int k = 0;
    for (int j = 0; j < i; ++j) k += series_.at(j).options.overlay || series_.at(j).hidden ? 0 : 1;
    return {stackedTable_->GetValue(row, 1 + 2 * k).ToDouble(), stackedTable_->GetValue(row, 2 + 2 * k).ToDouble()};
}

// The cursor is drawn over a cached picture of the chart (paintGL): moving it costs a copy and
// a line, not a VTK render.
void StripChart::moveCursor() {
    if (!session_.isOpen()) return;
    cursorS_ = static_cast<double>(session_.clock().time() - origin()) / 1000;
    update();
}

// The vtkChartXY in the scene, set up: axes' titles and colours, no VTK legend or title.
void StripChart::newChart() {
    const vtkRectf size = chart_ ? chart_->GetSize() : vtkRectf(0, 0, 1, 1);
    if (chart_) view_->GetScene()->RemoveItem(chart_);
    chart_ = vtkSmartPointer<vtkChartXY>::New();
    view_->GetScene()->AddItem(chart_);
    // The title and the legend are drawn above the plot by paintOverlay (never over the data);
    // the axes' corners go on the rectangle layoutChart sets.
    chart_->SetLayoutStrategy(vtkChart::AXES_TO_RECT);
    chart_->SetSize(size);
    chart_->GetAxis(vtkAxis::BOTTOM)->SetTitle("UTC");
    chart_->GetAxis(vtkAxis::LEFT)->SetTitle(unit_.toStdString());
    chart_->SetShowLegend(false);
    chart_->GetAxis(vtkAxis::LEFT)->GetLabelProperties()->SetColor(0.85, 0.85, 0.85);
    chart_->GetAxis(vtkAxis::BOTTOM)->GetLabelProperties()->SetColor(0.85, 0.85, 0.85);
    chart_->GetAxis(vtkAxis::LEFT)->GetTitleProperties()->SetColor(0.85, 0.85, 0.85);
    chart_->GetAxis(vtkAxis::BOTTOM)->GetTitleProperties()->SetColor(0.85, 0.85, 0.85);
    chart_->GetTitleProperties()->SetColor(0.95, 0.95, 0.95);
    chart_->GetLegend()->GetLabelProperties()->SetColor(0.9, 0.9, 0.9);
    chart_->GetLegend()->GetBrush()->SetColor(30, 33, 40, 230);
    for (int axis : {vtkAxis::LEFT, vtkAxis::BOTTOM}) chart_->GetAxis(axis)->GetGridPen()->SetColor(70, 74, 82, 255);
    // The right axis (a second unit) draws no grid of its own: its light lines would cross the data.
    chart_->GetAxis(vtkAxis::RIGHT)->SetGridVisible(false);
    chart_->GetAxis(vtkAxis::RIGHT)->GetLabelProperties()->SetColor(0.85, 0.85, 0.85);
    chart_->GetAxis(vtkAxis::RIGHT)->GetTitleProperties()->SetColor(0.85, 0.85, 0.85);
}

void StripChart::initializeGL() {
    window_->SetOwnContext(false);
    window_->SetReadyForRendering(false);
    window_->SetFrameBlitModeToBlitToCurrent();
    window_->InitializeFromCurrentContext();
    view_->GetRenderer()->SetBackground(0.08, 0.09, 0.11);
    view_->GetRenderer()->SetBackgroundAlpha(1.0);
    initialised_ = true;
}

void StripChart::resizeGL(int w, int h) {
    const double dpr = devicePixelRatioF();
    window_->SetSize(static_cast<int>(w * dpr), static_cast<int>(h * dpr));
    vtkDirty_ = true;
    layoutChart();
    reload();   // one bucket per pixel
}

// The plot below the title and legend, with fixed margins for the axes' labels (VTK's own
// layout keeps room for a title we do not draw there): left for the values, bottom for the time,
// right for a second axis when a series has another unit.
void StripChart::layoutChart() {
    int h = 0;
    chipsFor(readoutTime(), &h);
    bool rightAxis = false;
    for (const auto& s : series_) rightAxis = rightAxis || (!s.options.unit.isEmpty() && s.options.unit != unit_);
    const double dpr = devicePixelRatioF();
    const double left = 64, right = rightAxis ? 84 : 18, bottom = kBottomMargin, top = kTopMargin;
    const vtkRectf rect(static_cast<float>(left * dpr), static_cast<float>(bottom * dpr),
                        static_cast<float>(std::max(1.0, (width() - left - right) * dpr)),
                        static_cast<float>(std::max(1.0, (height() - h - top - bottom) * dpr)));
    const vtkRectf now = chart_->GetSize();
    if (h == headerH_ && now.GetX() == rect.GetX() && now.GetY() == rect.GetY() && now.GetWidth() == rect.GetWidth() &&
        now.GetHeight() == rect.GetHeight())
        return;
    const bool taller = h != headerH_;
    headerH_ = h;
    chart_->SetSize(rect);
    vtkDirty_ = true;
    if (taller) updateGeometry();   // the minimum height follows the legend's rows
}

QSize StripChart::minimumSizeHint() const {
    return QSize(240, headerH_ + kTopMargin + kBottomMargin + std::max(40, minimumPlotHeight_));
}

void StripChart::setMinimumPlotHeight(int px) {
    minimumPlotHeight_ = px;
    updateGeometry();
}

int StripChart::headerHeight() const { return headerH_; }

int StripChart::decimalsFor(const QString& unit) {
    if (unit == "Hz") return 3;
    if (unit == "Hz/s") return 3;
    if (unit == "MW" || unit == "%" || unit == "°C" || unit == "kW") return 1;
    return 2;
}

TimeMs StripChart::readoutTime() const {
    if (crosshair_) return *crosshair_;
    return session_.isOpen() ? session_.clock().time() : 0;
}

double StripChart::valueAt(int i, TimeMs t) const {
    const auto& b = series_.at(static_cast<std::size_t>(i)).buckets;
    const auto it = std::upper_bound(b.begin(), b.end(), t, [](TimeMs time, const Bucket& k) { return time < k.first; });
    if (it == b.begin()) return std::numeric_limits<double>::quiet_NaN();
    const Bucket& k = *std::prev(it);
    return k.count ? k.sum / k.count : k.firstValue;
}

std::vector<StripChart::LegendChip> StripChart::legendChips() const { return chipsFor(readoutTime(), nullptr); }

// The chips in reading order: one per series, or, on a chart of more than eight series, one per
// group (the range of its series' values). Each chip's width is set by its name and the widest
// value its unit can take, so the layout does not move as the values change.
std::vector<StripChart::LegendChip> StripChart::chipsFor(TimeMs t, int* height) const {
    std::vector<LegendChip> chips;
    const QLocale c = QLocale::c();
    auto format = [&](double v, const QString& unit) {
        return std::isfinite(v) ? c.toString(v, 'f', decimalsFor(unit)) + " " + unit : QString::fromUtf8("—");
    };
    if (seriesCount() <= 8) {
        for (int i = 0; i < seriesCount(); ++i) {
            const auto& s = series_[static_cast<std::size_t>(i)];
            chips.push_back({s.name, format(valueAt(i, t), seriesUnit(i)), s.colour, {i}, s.hidden, {}});
        }
    } else {
        for (int i = 0; i < seriesCount(); ++i) {
            const auto& s = series_[static_cast<std::size_t>(i)];
            const QString g = s.options.group.isEmpty() ? s.name : s.options.group;
            auto it = std::find_if(chips.begin(), chips.end(), [&](const LegendChip& k) { return k.name == g; });
            if (it == chips.end()) {
                chips.push_back({g, {}, s.colour, {}, true, {}});
                it = std::prev(chips.end());
            }
            it->series.push_back(i);
            it->hidden = it->hidden && s.hidden;
        }
        for (LegendChip& k : chips) {
            double lo = std::numeric_limits<double>::infinity(), hi = -lo;
            for (int i : k.series)
                if (const double v = valueAt(i, t); std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
            const QString unit = seriesUnit(k.series.front());
            k.value = std::isfinite(lo) ? c.toString(lo, 'f', decimalsFor(unit)) + QString::fromUtf8(" – ") + format(hi, unit)
                                        : QString::fromUtf8("—");
            k.name += QString(" (%1)").arg(k.series.size());
        }
    }
    // Flow: the title first, then the chips, wrapping.
    QFont f = font();
    f.setPixelSize(12);
    QFont bold = f;
    bold.setBold(true);
    const QFontMetrics fm(f), bm(bold);
    const int line = fm.height() + 4, pad = 6;
    int x = pad + bm.horizontalAdvance(title_) + 2 * pad, y = 2;
    for (LegendChip& k : chips) {
        // The widest value the unit takes here: 60 Hz "00.000", "000.0 %", "-0000.0 MW".
        const QString unit = seriesUnit(k.series.front());
        const int decimals = decimalsFor(unit);
        const QString number = unit == "Hz" ? "00." + QString(decimals, '0')
                               : unit == "%" ? "000." + QString(decimals, '0')
                                             : "-0000" + (decimals ? "." + QString(decimals, '0') : QString());
        const QString widest = (seriesCount() <= 8 ? number : number + QString::fromUtf8(" – ") + number) + " " + unit;
        const int w = 10 + 4 + fm.horizontalAdvance(k.name) + 6 + bm.horizontalAdvance(widest) + pad;
        if (x > pad && x + w > width() - pad) {
            x = pad;
            y += line;
        }
        k.rect = QRect(x, y, w, line);
        x += w + pad;
    }
    if (height) *height = y + line + 2;
    return chips;
}

// The axes' corners are placed on the chart's rectangle (AXES_TO_RECT): the plot is that
// rectangle, known before VTK has drawn.
QRect StripChart::plotArea() const {
    const double dpr = devicePixelRatioF();
    const vtkRectf r = chart_->GetSize();
    const int left = static_cast<int>(std::lround(r.GetX() / dpr)), right = static_cast<int>(std::lround((r.GetX() + r.GetWidth()) / dpr));
    const int bottom = height() - static_cast<int>(std::lround(r.GetY() / dpr));
    const int top = height() - static_cast<int>(std::lround((r.GetY() + r.GetHeight()) / dpr));
    return QRect(QPoint(left, top), QPoint(right - 1, bottom - 1));
}

TimeMs StripChart::timeAtX(double x) const {
    const QRect plot = plotArea();
    const auto [a, b] = range();
    const double l = plot.left(), r = plot.right() + 1;
    if (r <= l) return a;
    const double f = std::clamp((x - l) / (r - l), 0.0, 1.0);
    return a + static_cast<TimeMs>(std::llround(f * static_cast<double>(b - a)));
}

double StripChart::xOfTime(TimeMs t) const {
    const QRect plot = plotArea();
    const auto [a, b] = range();
    if (b <= a) return plot.left();
    return plot.left() + static_cast<double>(t - a) / static_cast<double>(b - a) * (plot.width());
}

void StripChart::setCrosshair(std::optional<TimeMs> t) {
    if (t == crosshair_) return;
    crosshair_ = t;
    update();
}

void StripChart::paintGL() {
    if (!initialised_) return;
    buildIfDirty();
    auto* f = QOpenGLContext::currentContext()->extraFunctions();
    const int w = static_cast<int>(width() * devicePixelRatioF()), h = static_cast<int>(height() * devicePixelRatioF());
    const GLuint target = defaultFramebufferObject();
    if (!cache_ || cache_->size() != QSize(w, h)) {
        cache_ = std::make_unique<QOpenGLFramebufferObject>(w, h);
        vtkDirty_ = true;
        f->glBindFramebuffer(GL_FRAMEBUFFER, target);   // creating the FBO bound it: VTK draws into ours
    }
    // VTK's first render into a new context comes out empty: render until it has drawn twice.
    if (vtkDirty_ || vtkRenders_ < 2) {
        renderVtk();
        // New plots take the axes' shift and scale (VTK draws in floats) during their first
        // render, after they have computed their points: a chart of values far from zero (60 Hz)
        // drew its lines off the plot until a second render. Render again when they are new.
        if (plotsNew_) renderVtk();
        plotsNew_ = false;
        ++vtkRenders_;
        // Keep the picture: the next cursor move copies it back instead of rendering again.
        f->glBindFramebuffer(GL_READ_FRAMEBUFFER, target);
        f->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, cache_->handle());
        f->glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
        vtkDirty_ = false;
    } else {
        f->glBindFramebuffer(GL_READ_FRAMEBUFFER, cache_->handle());
        f->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, target);
        f->glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    }
    f->glBindFramebuffer(GL_FRAMEBUFFER, target);
    // The cursor: a 2-pixel line over the plot area at the clock's time (a scissored clear).
    const vtkVector2i p1(chart_->GetPoint1()), p2(chart_->GetPoint2());   // plot area, pixels from bottom left
    vtkAxis* x = chart_->GetAxis(vtkAxis::BOTTOM);
    const double lo = x->GetMinimum(), hi = x->GetMaximum();
    cursorX_ = -1;
    if (hi > lo && cursorS_ >= lo && cursorS_ <= hi && p2.GetX() > p1.GetX()) {
        const int cx = p1.GetX() + static_cast<int>(std::lround((cursorS_ - lo) / (hi - lo) * (p2.GetX() - p1.GetX())));
        const int lineW = std::max(2, static_cast<int>(std::lround(2 * devicePixelRatioF())));
        cursorX_ = cx;
        f->glEnable(GL_SCISSOR_TEST);
        // Its edges first, one pixel wider each side, then its core (common/hmi_colours.h).
        for (const auto& [colour, w] : {std::pair{hmi::kTimeCursorEdge, lineW + 2}, std::pair{hmi::kTimeCursor, lineW}}) {
            f->glScissor(cx - w / 2, p1.GetY(), w, p2.GetY() - p1.GetY());
            f->glClearColor(colour.redF(), colour.greenF(), colour.blueF(), 1.f);
            f->glClear(GL_COLOR_BUFFER_BIT);
        }
        f->glDisable(GL_SCISSOR_TEST);
    }
    paintOverlay(w, h);
}

// Over the cached picture, with QPainter: the title and the legend above the plot, the reference
// lines' labels, the crosshair (thin, dashed, grey: unlike the time cursor, white and solid).
void StripChart::paintOverlay(int w, int h) {
    // On a paint device of the bound framebuffer, not QPainter(this): a QWidget::grab of a parent
    // redirects a widget's painter into the grab's picture, under this one's framebuffer.
    QOpenGLPaintDevice device(w, h);
    device.setDevicePixelRatio(devicePixelRatioF());
    QPainter p(&device);
    QFont f = font();
    f.setPixelSize(12);
    QFont bold = f;
    bold.setBold(true);
    const QFontMetrics fm(f), bm(bold);
    // Title and chips.
    p.setFont(bold);
    p.setPen(QColor(242, 242, 242));
    const int line = fm.height() + 4;
    p.drawText(QRect(6, 2, bm.horizontalAdvance(title_) + 2, line), Qt::AlignVCenter | Qt::AlignLeft, title_);
    for (const LegendChip& k : legendChips()) {
        const QRect r = k.rect;
        QColor swatch = k.colour;
        if (k.hidden) swatch.setAlpha(60);
        p.fillRect(QRect(r.left(), r.top() + (r.height() - 10) / 2, 10, 10), swatch);
        p.setFont(f);
        p.setPen(k.hidden ? QColor(110, 114, 122) : QColor(190, 196, 205));
        p.drawText(QRect(r.left() + 14, r.top(), fm.horizontalAdvance(k.name) + 2, r.height()), Qt::AlignVCenter | Qt::AlignLeft, k.name);
        p.setFont(bold);
        p.setPen(k.hidden ? QColor(110, 114, 122) : QColor(240, 242, 245));
        p.drawText(QRect(r.left() + 14 + fm.horizontalAdvance(k.name) + 6, r.top(), r.right(), r.height()), Qt::AlignVCenter | Qt::AlignLeft, k.value);
    }
    const QRect plot = plotArea();
    // Reference lines inside the range: dashed (nominal) or dash-dot (limits), 1 px grey, with
    // their label right-aligned just above.
    p.setFont(f);
    if (!references_.empty() && plot.height() > 0) {
        const auto [lo, hi] = valueRange();
        for (int i = 0; i < static_cast<int>(references_.size()); ++i) {
            if (!referenceDrawn(i) || hi <= lo) continue;
            const Reference& r = references_[static_cast<std::size_t>(i)];
            const double y = std::round(plot.top() + (hi - r.value) / (hi - lo) * (plot.height() - 1)) + 0.5;
            QPen pen(kReferenceColour, 1, Qt::CustomDashLine);
            pen.setDashPattern(r.always ? QList<qreal>{8, 4} : QList<qreal>{8, 3, 2, 3});
            p.setPen(pen);
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right() + 1, y));
            p.setPen(QColor(170, 176, 186));
            p.drawText(QRectF(plot.left(), y - fm.height() - 1, plot.width() - 4, fm.height()), Qt::AlignRight | Qt::AlignBottom,
                       references_[static_cast<std::size_t>(i)].label);
        }
    }
    // The crosshair.
    crosshairX_ = -1;
    if (crosshair_) {
        const auto [a, b] = range();
        if (*crosshair_ >= a && *crosshair_ <= b && plot.width() > 0) {
            const double x = std::round(xOfTime(*crosshair_));
            crosshairX_ = static_cast<int>(std::lround(x * devicePixelRatioF()));
            QPen pen(QColor(150, 156, 166), 1, Qt::CustomDashLine);
            pen.setDashPattern({4, 3});
            p.setPen(pen);
            p.drawLine(QPointF(x + 0.5, plot.top()), QPointF(x + 0.5, plot.bottom()));
            // Its time at the top, beside the line (on the left of it near the right edge).
            const QString text = formatUtcClockMs(*crosshair_);
            const int tw = fm.horizontalAdvance(text) + 8;
            QRectF box(x + 4, plot.top() + 2, tw, fm.height() + 2);
            if (box.right() > plot.right()) box.moveRight(x - 4);
            p.fillRect(box, QColor(20, 23, 28, 220));
            p.setPen(QColor(200, 204, 212));
            p.drawText(box, Qt::AlignCenter, text);
        }
    }
}

void StripChart::renderVtk() {
    // The context is shared with Qt (and other GL views): VTK must not trust its cached GL
    // state. As in Kitware's QVTKOpenGLNativeWidget: reset, push, and Qt's GL_LESS -> GL_LEQUAL.
    vtkOpenGLState* state = window_->GetState();
    // QPainter (the legend, paintOverlay) binds shader programs of its own: VTK must not take its
    // last program for still bound.
    window_->GetShaderCache()->ReleaseCurrentShader();
    state->Reset();
    state->Push();
    state->vtkglDepthFunc(GL_LEQUAL);
    window_->SetReadyForRendering(true);
    window_->SetIsCurrent(true);
    window_->Render();
    window_->SetReadyForRendering(false);
    state->Pop();
    // VTK blends into the alpha channel too; Qt composes this framebuffer as premultiplied
    // alpha, so anything below 1 would show the widget behind. Make the picture opaque.
    auto* f = context()->functions();
    f->glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
    f->glClearColor(0, 0, 0, 1);
    f->glClear(GL_COLOR_BUFFER_BIT);
    f->glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
}

double StripChart::drawNow(bool full) {
    QElapsedTimer timer;
    timer.start();
    if (full) vtkDirty_ = true;
    makeCurrent();
    paintGL();
    context()->functions()->glFinish();
    doneCurrent();
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

void StripChart::wheelEvent(QWheelEvent* e) {
    if (!session_.isOpen()) return;
    auto [a, b] = range();
    const double f = e->angleDelta().y() > 0 ? 0.8 : 1.25;
    const double at = static_cast<double>(timeAtX(e->position().x()));
    const TimeSpan sp = session_.clock().span();
    TimeMs na = static_cast<TimeMs>(at - (at - static_cast<double>(a)) * f);
    TimeMs nb = static_cast<TimeMs>(at + (static_cast<double>(b) - at) * f);
    na = std::max(na, sp.first);
    nb = std::min(nb, sp.last);
    if (nb - na < 1000) return;   // a second at most zoomed in
    userRange(na, nb);
}

// Within 5 pixels of the time cursor: a press there grabs it.
bool StripChart::nearCursor(double x) const {
    if (!session_.isOpen()) return false;
    const auto [a, b] = range();
    const TimeMs t = session_.clock().time();
    return t >= a && t <= b && std::abs(x - xOfTime(t)) <= 5;
}

void StripChart::mousePressEvent(QMouseEvent* e) {
    dragX_ = e->pos().x();
    pressPos_ = e->pos();
    drag_ = Drag::None;
    if (e->button() != Qt::LeftButton || !session_.isOpen()) return;
    drag_ = nearCursor(e->position().x()) && plotArea().contains(e->pos()) ? Drag::Scrub : Drag::Pending;
}

void StripChart::hover(double x) {
    const QRect plot = plotArea();
    const bool inside = session_.isOpen() && plot.width() > 0 && x >= plot.left() && x <= plot.right() + 1;
    const TimeMs t = timeAtX(x);
    setCrosshair(inside ? std::optional<TimeMs>(t) : std::nullopt);
    emit pointerTimeChanged(t, inside);
}

void StripChart::mouseMoveEvent(QMouseEvent* e) {
    hover(e->position().x());
    if (!(e->buttons() & Qt::LeftButton) || !session_.isOpen()) {
        setCursor(nearCursor(e->position().x()) && plotArea().contains(e->pos()) ? Qt::SizeHorCursor : Qt::ArrowCursor);
        return;
    }
    if (drag_ == Drag::Scrub) {   // the time cursor follows the pointer, and the clock with it
        session_.clock().seek(timeAtX(e->position().x()));
        return;
    }
    // A press moved more than a few pixels is a pan, not a click.
    if (drag_ == Drag::Pending && (e->pos() - pressPos_).manhattanLength() > 4) drag_ = Drag::Pan;
    if (drag_ != Drag::Pan) return;
    auto [a, b] = range();
    const QRect plot = plotArea();
    const TimeMs shift = static_cast<TimeMs>(static_cast<double>(dragX_ - e->pos().x()) / std::max(1, plot.width()) *
                                             static_cast<double>(b - a));
    dragX_ = e->pos().x();
    const TimeSpan sp = session_.clock().span();
    if (a + shift < sp.first || b + shift > sp.last) return;
    userRange(a + shift, b + shift);
}

void StripChart::mouseReleaseEvent(QMouseEvent* e) {
    const Drag d = drag_;
    drag_ = Drag::None;
    if (e->button() != Qt::LeftButton || d != Drag::Pending || !session_.isOpen()) return;
    // A click: on a legend chip it hides or shows its series; on the plot it seeks the clock.
    for (const LegendChip& k : legendChips())
        if (k.rect.contains(e->pos())) {
            for (int i : k.series) series_[static_cast<std::size_t>(i)].hidden = !k.hidden;
            rebuildPlots();
            return;
        }
    const QRect plot = plotArea();
    if (e->position().x() >= plot.left() && e->position().x() <= plot.right() + 1 && e->position().y() >= plot.top() &&
        e->position().y() <= plot.bottom() + 1)
        session_.clock().seek(timeAtX(e->position().x()));
}

void StripChart::leaveEvent(QEvent* e) {
    QOpenGLWidget::leaveEvent(e);
    setCrosshair(std::nullopt);
    emit pointerTimeChanged(0, false);
}

} // namespace views

namespace views {

void StripChart::contextMenuEvent(QContextMenuEvent* e) {
    QMenu menu(this);
    menu.addAction("Show the whole recording", this, [this] { userRange(0, 0); });
    menu.addAction(QString::fromUtf8("Export CSV…"), this, &StripChart::exportCsv);
    if (menuHook_) menuHook_(menu);
    QMenu* remove = nullptr;
    for (int i = 0; i < seriesCount(); ++i) {
        if (!series_[i].options.removable) continue;
        if (!remove) remove = menu.addMenu("Remove");
        const QString name = series_[i].name;
        remove->addAction(name, this, [this, name] {
            for (int j = 0; j < seriesCount(); ++j)
                if (series_[j].name == name && series_[j].options.removable) return removeSeries(j);
        });
    }
    menu.exec(e->globalPos());
}

void StripChart::exportCsv() {
    const QString path = QFileDialog::getSaveFileName(this, "Export " + title_ + " as CSV", title_ + ".csv", "CSV (*.csv)");
    if (path.isEmpty()) return;
    if (QString error; !writeChartCsv(*this, path, &error)) QMessageBox::warning(this, "Export CSV", error);
}

std::vector<InputHelp> StripChart::inputHelp() {
    return {{"Hover", "Charts: crosshair on every chart, the values at that time in the legends"},
            {"Click", "Charts: move the clock there"},
            {"Drag the time cursor", "Charts: scrub the clock"},
            {"Drag, wheel", "Charts: pan, zoom in time (all charts together)"},
            {"Click a legend entry", "Charts: hide or show that series"}};
}

} // namespace views
