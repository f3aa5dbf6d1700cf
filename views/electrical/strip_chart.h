// A strip chart drawn by VTK (vtkChartXY in a vtkContextView) inside a Qt 6 QOpenGLWidget,
// without VTK's Qt 5 module (see docs/toolkit.md). Each series is one
// channel of the store reduced to min/max per pixel (so a one-second spike in a day stays
// visible), drawn as a band with its mean line (or a thin mean line when there are many); a
// cursor follows the clock; the wheel zooms in time around the pointer, a drag pans; the context
// menu resets the zoom, removes added series and offers what its owner adds (setMenuHook).
#pragma once

#include "twin/session/session.h"

#include <QColor>
#include <QOpenGLWidget>
#include <QTimer>

#include <vtkNew.h>
#include <vtkSmartPointer.h>

#include <functional>
#include <memory>
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
        bool dashed = false;     // the mean line dashed, 1.5 px (a compared recording's)
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

public slots:
    void reload();

protected:
    void initializeGL() override;
    void resizeGL(int w, int h) override;
    void paintGL() override;
    void wheelEvent(QWheelEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void contextMenuEvent(QContextMenuEvent* e) override;

private:
    struct Series {
        QString name;
        QColor colour;
        Fetch fetch;
        SeriesOptions options;
        std::vector<twin::Bucket> buckets;
        vtkSmartPointer<vtkTable> table;
    };
    void rebuildPlots();   // marks the plots for building at the next paint (or query)
    void buildPlots();
    void buildIfDirty();
    void addStacked(twin::TimeMs origin);
    void addLine(Series& s, twin::TimeMs origin);
    void moveCursor();
    void renderVtk();
    void setTimeTicks(twin::TimeMs a, twin::TimeMs b, twin::TimeMs origin);
    void userRange(twin::TimeMs t0, twin::TimeMs t1);
    twin::TimeMs origin() const;

    twin::Session& session_;
    QString title_, unit_;
    std::vector<Series> series_;
    vtkNew<vtkGenericOpenGLRenderWindow> window_;
    vtkNew<vtkContextView> view_;
    vtkNew<vtkChartXY> chart_;
    vtkSmartPointer<vtkTable> stackedTable_;
    std::unique_ptr<QOpenGLFramebufferObject> cache_;   // the chart without its cursor
    twin::TimeMs t0_ = 0, t1_ = 0;   // 0, 0: the whole recording
    double cursorS_ = 0;
    double yLow_ = 0, yHigh_ = 1;    // the left axis' data range (the cursor spans it)
    double reloadMs_ = 0;
    int dragX_ = 0;
    int cursorX_ = -1;
    int vtkRenders_ = 0;
    bool initialised_ = false, stacked_ = false, plotsDirty_ = true, vtkDirty_ = true;
    QTimer reloadTimer_;
    std::function<void(QMenu&)> menuHook_;
};

} // namespace views
