#include "strip_chart.h"

#include <QMouseEvent>
#include <QOpenGLContext>
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
#include <vtkPlotStacked.h>
#include <vtkColorSeries.h>
#include <vtkStringArray.h>
#include <vtkRenderer.h>
#include <vtkTable.h>
#include <vtkTextProperty.h>

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
    chart_->GetAxis(vtkAxis::BOTTOM)->SetTitle("seconds from the start of the recording");
    chart_->GetAxis(vtkAxis::LEFT)->SetTitle(unit.toStdString());
    chart_->SetShowLegend(true);
    chart_->GetLegend()->SetHorizontalAlignment(vtkChartLegend::RIGHT);
    chart_->GetLegend()->SetVerticalAlignment(vtkChartLegend::TOP);
    cursor_ = makeTable({"t", "y"});
    cursor_->SetNumberOfRows(2);   // before the first timeChanged, which may come before any series
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

StripChart::~StripChart() = default;

TimeMs StripChart::origin() const { return session_.isOpen() ? session_.clock().span().first : 0; }

void StripChart::addSeries(const QString& name, const QColor& colour, Fetch fetch) {
    series_.push_back({name, colour, std::move(fetch), {}, nullptr});
    reload();
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

void StripChart::reload() {
    if (!session_.isOpen()) return;
    const auto [a, b] = range();
    const int n = std::max(50, width());   // one bucket per pixel
    for (auto& s : series_) s.buckets = s.fetch(a, b, n);
    rebuildPlots();
}

void StripChart::rebuildPlots() {
    chart_->ClearPlots();
    const TimeMs o = origin();
    if (stacked_ && !series_.empty()) addStacked(o);
    for (auto& s : series_) {
        if (stacked_) break;   // the stacked plot shows every series
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
        // The band between each pixel's minimum and maximum keeps short spikes visible.
        auto* band = vtkPlotArea::SafeDownCast(chart_->AddPlot(vtkChart::AREA));
        band->SetInputData(s.table);
        band->SetInputArray(0, "t");
        band->SetInputArray(1, "min");
        band->SetInputArray(2, "max");
        band->SetColor(c.red(), c.green(), c.blue(), 90);
        band->SetLegendVisibility(false);
        vtkPlot* line = chart_->AddPlot(vtkChart::LINE);
        line->SetInputData(s.table, "t", "mean");
        line->SetColor(c.red(), c.green(), c.blue(), 255);
        line->SetWidth(1.5);
        line->SetLabel(s.name.toStdString());
    }
    cursor_->SetNumberOfRows(2);
    vtkPlot* cursor = chart_->AddPlot(vtkChart::LINE);
    cursor->SetInputData(cursor_, "t", "y");
    cursor->SetColor(40, 160, 255, 255);
    cursor->SetWidth(2);
    cursor->SetLegendVisibility(false);
    const auto [a, b] = range();
    chart_->GetAxis(vtkAxis::BOTTOM)->SetBehavior(vtkAxis::FIXED);
    chart_->GetAxis(vtkAxis::BOTTOM)->SetRange(static_cast<double>(a - o) / 1000, static_cast<double>(b - o) / 1000);
    moveCursor();
}

// Stacked areas need one row per time for every series: series are placed on the first one's
// bucket grid by time (series fetched over the same range and width share it).
void StripChart::addStacked(TimeMs o) {
    const auto& grid = series_.front().buckets;
    auto table = vtkSmartPointer<vtkTable>::New();
    vtkNew<vtkDoubleArray> t;
    t->SetName("t");
    table->AddColumn(t);
    for (std::size_t k = 0; k < series_.size(); ++k) {
        vtkNew<vtkDoubleArray> a;
        a->SetName(("s" + std::to_string(k)).c_str());
        table->AddColumn(a);
    }
    table->SetNumberOfRows(static_cast<vtkIdType>(grid.size()));
    for (std::size_t i = 0; i < grid.size(); ++i) {
        table->SetValue(static_cast<vtkIdType>(i), 0, static_cast<double>((grid[i].first + grid[i].last) / 2 - o) / 1000);
        for (std::size_t k = 0; k < series_.size(); ++k) {
            const auto& b = series_[k].buckets;
            // The bucket of series k that covers this row's time (same grid: same index if present).
            double v = 0;
            const auto it = std::lower_bound(b.begin(), b.end(), grid[i].first,
                                             [](const Bucket& x, TimeMs t) { return x.last < t; });
            if (it != b.end() && it->first <= grid[i].last && it->count) v = it->sum / it->count;
            table->SetValue(static_cast<vtkIdType>(i), static_cast<vtkIdType>(k + 1), v);
        }
    }
    stackedTable_ = table;
    auto* plot = vtkPlotStacked::SafeDownCast(chart_->AddPlot(vtkChart::STACKED));
    plot->SetInputData(table, "t", "s0");
    for (std::size_t k = 1; k < series_.size(); ++k) plot->SetInputArray(static_cast<int>(k + 1), ("s" + std::to_string(k)).c_str());
    vtkNew<vtkColorSeries> colours;
    colours->SetNumberOfColors(static_cast<int>(series_.size()));
    for (std::size_t k = 0; k < series_.size(); ++k) {
        const QColor& c = series_[k].colour;
        colours->SetColor(static_cast<int>(k), vtkColor3ub(c.red(), c.green(), c.blue()));
    }
    plot->SetColorSeries(colours);
    vtkNew<vtkStringArray> labels;
    for (const auto& s : series_) labels->InsertNextValue(s.name.toStdString());
    plot->SetLabels(labels);
}

void StripChart::moveCursor() {
    if (!session_.isOpen()) return;
    cursorS_ = static_cast<double>(session_.clock().time() - origin()) / 1000;
    double lo = 0, hi = 1;
    bool any = false;
    for (const auto& s : series_)
        for (const auto& k : s.buckets) {
            lo = any ? std::min(lo, k.min) : k.min;
            hi = any ? std::max(hi, k.max) : k.max;
            any = true;
        }
    cursor_->SetValue(0, 0, cursorS_);
    cursor_->SetValue(0, 1, lo);
    cursor_->SetValue(1, 0, cursorS_);
    cursor_->SetValue(1, 1, hi);
    cursor_->Modified();
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
    reload();   // one bucket per pixel
}

void StripChart::paintGL() {
    if (!initialised_) return;
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
    setRange(na, nb);
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
    setRange(a + shift, b + shift);
}

} // namespace views
