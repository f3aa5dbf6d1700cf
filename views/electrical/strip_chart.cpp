#include "electrical/strip_chart.h"

#include "common/hmi_colours.h"
#include "common/time_axis.h"

#include <QContextMenuEvent>
#include <QElapsedTimer>
#include <QMenu>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QOpenGLFramebufferObject>
#include <QOpenGLFunctions>
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

namespace views {

using namespace twin;

namespace {

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
    setMinimumSize(240, 90);   // five of them stack in one dock on a 1080p screen
    view_->SetRenderWindow(window_);
    view_->GetScene()->AddItem(chart_);
    chart_->SetTitle(title.toStdString());
    chart_->GetTitleProperties()->SetFontSize(14);
    chart_->GetAxis(vtkAxis::BOTTOM)->SetTitle("UTC");
    chart_->GetAxis(vtkAxis::LEFT)->SetTitle(unit.toStdString());
    chart_->SetShowLegend(true);
    chart_->GetLegend()->SetHorizontalAlignment(vtkChartLegend::RIGHT);
    chart_->GetLegend()->SetVerticalAlignment(vtkChartLegend::TOP);
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
        series_.back().buckets = series_.back().fetch(a, b, std::max(50, width()));
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
    update();
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
    const int n = std::max(50, width());   // one bucket per pixel
    for (auto& s : series_) s.buckets = s.fetch(a, b, n);
    rebuildPlots();
    reloadMs_ = static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

void StripChart::buildPlots() {
    plotsDirty_ = false;
    chart_->ClearPlots();
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
        addLine(s, o);
        if (!right)
            for (const Bucket& k : s.buckets) extend(k.min, k.max);
    }
    chart_->GetAxis(vtkAxis::RIGHT)->SetTitle(rightUnit.toStdString());
    // A legend of dozens of lines (every turbine) hides the chart: the lines speak for themselves.
    chart_->SetShowLegend(series_.size() <= 8);
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

// Stacked areas need one row per time for every series: series are placed on the first one's
// bucket grid by time (series fetched over the same range and width share it). The stacking is
// done here rather than by vtkPlotStacked, which does not stack negative values below zero.
void StripChart::addStacked(TimeMs o) {
    std::vector<const Series*> stacked;
    for (const auto& s : series_)
        if (!s.options.overlay) stacked.push_back(&s);
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
    for (int j = 0; j < i; ++j) k += series_.at(j).options.overlay ? 0 : 1;
    return {stackedTable_->GetValue(row, 1 + 2 * k).ToDouble(), stackedTable_->GetValue(row, 2 + 2 * k).ToDouble()};
}

// The cursor is drawn over a cached picture of the chart (paintGL): moving it costs a copy and
// a line, not a VTK render.
void StripChart::moveCursor() {
    if (!session_.isOpen()) return;
    cursorS_ = static_cast<double>(session_.clock().time() - origin()) / 1000;
    update();
}

void StripChart::initializeGL() {
    window_->SetOwnContext(false);
    window_->SetReadyForRendering(false);
    window_->SetFrameBlitModeToBlitToCurrent();
    window_->InitializeFromCurrentContext();
    view_->GetRenderer()->SetBackground(0.08, 0.09, 0.11);
    view_->GetRenderer()->SetBackgroundAlpha(1.0);
    chart_->GetAxis(vtkAxis::LEFT)->GetLabelProperties()->SetColor(0.85, 0.85, 0.85);
    chart_->GetAxis(vtkAxis::BOTTOM)->GetLabelProperties()->SetColor(0.85, 0.85, 0.85);
    chart_->GetAxis(vtkAxis::LEFT)->GetTitleProperties()->SetColor(0.85, 0.85, 0.85);
    chart_->GetAxis(vtkAxis::BOTTOM)->GetTitleProperties()->SetColor(0.85, 0.85, 0.85);
    chart_->GetTitleProperties()->SetColor(0.95, 0.95, 0.95);
    chart_->GetLegend()->GetLabelProperties()->SetColor(0.9, 0.9, 0.9);
    chart_->GetLegend()->GetBrush()->SetColor(30, 33, 40, 230);
    for (int axis : {vtkAxis::LEFT, vtkAxis::BOTTOM}) chart_->GetAxis(axis)->GetGridPen()->SetColor(70, 74, 82, 255);
    initialised_ = true;
}

void StripChart::resizeGL(int w, int h) {
    const double dpr = devicePixelRatioF();
    window_->SetSize(static_cast<int>(w * dpr), static_cast<int>(h * dpr));
    vtkDirty_ = true;
    reload();   // one bucket per pixel
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
}

void StripChart::renderVtk() {
    // The context is shared with Qt (and other GL views): VTK must not trust its cached GL
    // state. As in Kitware's QVTKOpenGLNativeWidget: reset, push, and Qt's GL_LESS -> GL_LEQUAL.
    vtkOpenGLState* state = window_->GetState();
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
    const double x = std::clamp(e->position().x() / std::max(1, width()), 0.0, 1.0);
    const double at = static_cast<double>(a) + x * static_cast<double>(b - a);
    const TimeSpan sp = session_.clock().span();
    TimeMs na = static_cast<TimeMs>(at - (at - static_cast<double>(a)) * f);
    TimeMs nb = static_cast<TimeMs>(at + (static_cast<double>(b) - at) * f);
    na = std::max(na, sp.first);
    nb = std::min(nb, sp.last);
    if (nb - na < 1000) return;   // a second at most zoomed in
    userRange(na, nb);
}

void StripChart::mousePressEvent(QMouseEvent* e) { dragX_ = e->pos().x(); }

void StripChart::mouseMoveEvent(QMouseEvent* e) {
    if (!(e->buttons() & Qt::LeftButton) || !session_.isOpen()) return;
    auto [a, b] = range();
    const TimeMs shift = static_cast<TimeMs>(static_cast<double>(dragX_ - e->pos().x()) / std::max(1, width()) *
                                             static_cast<double>(b - a));
    dragX_ = e->pos().x();
    const TimeSpan sp = session_.clock().span();
    if (a + shift < sp.first || b + shift > sp.last) return;
    userRange(a + shift, b + shift);
}

} // namespace views

namespace views {

void StripChart::contextMenuEvent(QContextMenuEvent* e) {
    QMenu menu(this);
    menu.addAction("Show the whole recording", this, [this] { userRange(0, 0); });
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

} // namespace views
