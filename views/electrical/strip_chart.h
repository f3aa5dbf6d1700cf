// A strip chart drawn by VTK (vtkChartXY in a vtkContextView) inside a Qt 6 QOpenGLWidget,
// without VTK's Qt 5 module (see docs/toolkit.md). Each series is one
// channel of the store reduced to min/max per pixel (so a one-second spike in a day stays
// visible), drawn as a band with its mean line (or a thin mean line when there are many).
// Above the plot, never over the data: the title and a legend of chips (colour, name, value at
// the read-out time: the crosshair's while the pointer is over a chart, else the clock's).
// Interactions (docs/views.md, "Power charts"): hovering draws a dashed crosshair labelled with
// its UTC time (shared by the charts of a panel: pointerTimeChanged / setCrosshair); a click
// seeks the clock to the time under the pointer; dragging the time cursor (within 5 px of it)
// scrubs the clock; a drag elsewhere pans; the wheel zooms in time around the pointer; a click
// on a legend chip hides or shows its series; the context menu resets the zoom, exports the
// visible range as CSV, removes added series and offers what its owner adds (setMenuHook).
#pragma once

#include "common/input_help.h"

#include "twin/session/session.h"

#include <QColor>
#include <QOpenGLWidget>
#include <QTimer>

#include <vtkNew.h>
#include <vtkSmartPointer.h>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QMenu;
class QOpenGLFramebufferObject;
class vtkChartXY;
class vtkContextView;
class vtkGenericOpenGLRenderWindow;
class vtkTable;

namespace views {

class StripChart : public QOpenGLWidget {
    Q_OBJECT
public:
    // The keys and mouse gestures this view answers (Help ▸ Keyboard shortcuts).
    static std::vector<InputHelp> inputHelp();
    // Buckets of one channel over [t0, t1], at most n.
    using Fetch = std::function<std::vector<twin::Bucket>(twin::TimeMs t0, twin::TimeMs t1, int n)>;

    enum class Style {
        Band,   // min/max band and mean line
        Line,   // mean line only, thin (charts of many series, e.g. every turbine)
    };
    struct SeriesOptions {
        Style style = Style::Band;
        QString unit;            // empty: the chart's unit (left axis); another: the right axis
        bool removable = false;  // added by the user: the context menu can remove it
        bool overlay = false;    // stacked charts: drawn as a line over the stack, not stacked
        QString group;           // charts of many series: one legend chip per group (e.g. a site's turbines)
        bool dashed = false;     // the mean line dashed, 1.5 px (a compared recording's)
    };
    // One chip of the legend: a series (or a group of them), its colour, and its value at the
    // read-out time ("—" where it has none).
    struct LegendChip {
        QString name, value;
        QColor colour;
        std::vector<int> series;   // the series it stands for
        bool hidden = false;       // its series are hidden (a click on the chip)
        QRect rect;                // where it is drawn, widget coordinates
    };
    // A horizontal reference line (e.g. 60 Hz nominal, the ±0.5 Hz limits), dashed and labelled.
    // `always`: the vertical range always includes it (nominal); else it is drawn only when the
    // range, set by the data, reaches it (limits: they never squash a small excursion flat).
    struct Reference {
        double value = 0;
        QString label;
        bool always = false;
    };

    StripChart(twin::Session& session, const QString& title, const QString& unit, QWidget* parent = nullptr);
    ~StripChart() override;

    void addSeries(const QString& name, const QColor& colour, Fetch fetch, const SeriesOptions& options);
    void addSeries(const QString& name, const QColor& colour, Fetch fetch);
    void removeSeries(int i);
    void setUnit(const QString& unit);   // the left axis' unit
    void clearSeries();
    // Stacked: the series' means drawn as stacked areas (e.g. generation by source). Positive
    // values stack up from zero, negative ones (a charging battery) down from zero.
    void setStacked(bool on) { stacked_ = on; rebuildPlots(); }
    bool isStacked() const { return stacked_; }

    // The time range shown; empty: the whole recording.
    void setRange(twin::TimeMs t0, twin::TimeMs t1);
    std::pair<twin::TimeMs, twin::TimeMs> range() const;
    void showWholeRecording() { setRange(0, 0); }

    void addReference(double value, const QString& label, bool always);
    const std::vector<Reference>& references() const { return references_; }
    // The left axis spans at least this much when it has references (a steady 60 Hz is a flat
    // line, not noise).
    void setMinimumSpan(double span) { minSpan_ = span; rebuildPlots(); }
    // The left axis' range as drawn, and whether reference r is drawn in it.
    std::pair<double, double> valueRange() const;
    bool referenceDrawn(int r) const;

    // The crosshair: drawn at time t (nullopt: none); the read-out follows it.
    void setCrosshair(std::optional<twin::TimeMs> t);
    std::optional<twin::TimeMs> crosshairTime() const { return crosshair_; }
    int crosshairColumn() const { return crosshairX_; }   // framebuffer column last drawn, -1: none
    // The time the legend reads values at: the crosshair's, else the clock's.
    twin::TimeMs readoutTime() const;
    // Series i's value at time t: the mean of its bucket at t (the last bucket that starts at or
    // before t, as the state at a time is the last sample at or before it); NaN before its first.
    double valueAt(int i, twin::TimeMs t) const;
    std::vector<LegendChip> legendChips() const;
    static int decimalsFor(const QString& unit);
    void setSeriesVisible(int i, bool visible);
    bool seriesVisible(int i) const { return !series_.at(static_cast<std::size_t>(i)).hidden; }

    // The plot keeps at least this height: the chart's minimum size is its legend's rows, the
    // axes' margins and this (a layout that cannot give it should scroll).
    void setMinimumPlotHeight(int px);
    QSize minimumSizeHint() const override;

    // The plot area in widget coordinates (after the first draw), and the time at a widget x.
    QRect plotArea() const;
    twin::TimeMs timeAtX(double x) const;
    double xOfTime(twin::TimeMs t) const;
    // Buckets the series were fetched in (one per pixel), and the recording's start (t = 0 s).
    int fetchPoints() const { return fetchN_; }
    twin::TimeMs origin() const;
    QString seriesUnit(int i) const;

    // Adds entries to the context menu (e.g. the selected asset's signals).
    void setMenuHook(std::function<void(QMenu&)> hook) { menuHook_ = std::move(hook); }

    // What series i shows now (for tests): the buckets it was given.
    const std::vector<twin::Bucket>& data(int i) const { return series_.at(i).buckets; }
    int seriesCount() const { return static_cast<int>(series_.size()); }
    QColor seriesColour(int i) const { return series_.at(static_cast<std::size_t>(i)).colour; }
    QString seriesName(int i) const { return series_.at(i).name; }
    const SeriesOptions& seriesOptions(int i) const { return series_.at(i).options; }
    // Stacked charts: the lower and upper edge of series i's area at bucket row r.
    std::pair<double, double> stackedBand(int i, int row) const;
    int stackedRows() const;
    double cursorSeconds() const { return cursorS_; }
    // Where the cursor was last drawn: framebuffer column from the left (-1: outside the range).
    int cursorColumn() const { return cursorX_; }
    QString title() const { return title_; }
    QString unit() const { return unit_; }
    // Draws the chart now (full: VTK renders it again; else the cached picture and the cursor)
    // and waits for the GL work to finish; returns milliseconds (benchmarks).
    double drawNow(bool full = false);
    // Milliseconds the last reload spent querying the store and building the plots.
    double lastReloadMs() const { return reloadMs_; }

signals:
    // The user zoomed or panned (the panel keeps its charts on one time range).
    void rangeChangedByUser(twin::TimeMs t0, twin::TimeMs t1);
    // The pointer is over the plot at time t (inside), or has left it (the panel shares the crosshair).
    void pointerTimeChanged(twin::TimeMs t, bool inside);

public slots:
    void reload();

protected:
    void initializeGL() override;
    void resizeGL(int w, int h) override;
    void paintGL() override;
    void wheelEvent(QWheelEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void leaveEvent(QEvent* e) override;
    void contextMenuEvent(QContextMenuEvent* e) override;

private:
    struct Series {
        QString name;
        QColor colour;
        Fetch fetch;
        SeriesOptions options;
        std::vector<twin::Bucket> buckets;
        vtkSmartPointer<vtkTable> table;
        bool hidden = false;
    };
    enum class Drag { None, Pending, Pan, Scrub };
    void rebuildPlots();   // marks the plots for building at the next paint (or query)
    void buildPlots();
    void buildIfDirty();
    void addStacked(twin::TimeMs origin);
    void addLine(Series& s, twin::TimeMs origin);
    void moveCursor();
    void renderVtk();
    void setTimeTicks(twin::TimeMs a, twin::TimeMs b, twin::TimeMs origin);
    void userRange(twin::TimeMs t0, twin::TimeMs t1);
    void layoutChart();   // the VTK chart below the legend
    void newChart();
    int headerHeight() const;
    std::vector<LegendChip> chipsFor(twin::TimeMs t, int* height) const;
    void paintOverlay(int w, int h);   // legend, crosshair, reference labels (QPainter)
    void hover(double x);
    bool nearCursor(double x) const;
    void exportCsv();

    twin::Session& session_;
    QString title_, unit_;
    std::vector<Series> series_;
    vtkNew<vtkGenericOpenGLRenderWindow> window_;
    vtkNew<vtkContextView> view_;
    vtkSmartPointer<vtkChartXY> chart_;   // made and set up by newChart
    vtkSmartPointer<vtkTable> stackedTable_;
    std::unique_ptr<QOpenGLFramebufferObject> cache_;   // the chart without its cursor
    twin::TimeMs t0_ = 0, t1_ = 0;   // 0, 0: the whole recording
    double cursorS_ = 0;
    double yLow_ = 0, yHigh_ = 1;    // the left axis' data range (the cursor spans it)
    std::vector<Reference> references_;
    double minSpan_ = 0;
    std::optional<twin::TimeMs> crosshair_;
    int crosshairX_ = -1;
    int headerH_ = 0;
    int minimumPlotHeight_ = 40;
    static constexpr int kTopMargin = 8, kBottomMargin = 40;   // above the plot; below it, the time axis
    int fetchN_ = 50;
    Drag drag_ = Drag::None;
    QPoint pressPos_;
    double reloadMs_ = 0;
    int dragX_ = 0;
    int cursorX_ = -1;
    int vtkRenders_ = 0;
    bool plotsNew_ = false;   // built since the last VTK render
    bool initialised_ = false, stacked_ = false, plotsDirty_ = true, vtkDirty_ = true;
    QTimer reloadTimer_;
    std::function<void(QMenu&)> menuHook_;
};

} // namespace views
