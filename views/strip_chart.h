// A strip chart drawn by VTK (vtkChartXY in a vtkContextView) inside a Qt 6 QOpenGLWidget,
// without VTK's Qt 5 module (see ../shared/reference/toolkit-notes.md). Each series is one
// channel of the store reduced to min/max per pixel (so a one-second spike in a day stays
// visible), drawn as a band with its mean line; a cursor follows the clock; the wheel zooms
// in time around the pointer, a drag pans.
#pragma once

#include "twin/session/session.h"

#include <QColor>
#include <QOpenGLWidget>
#include <QTimer>

#include <vtkNew.h>
#include <vtkSmartPointer.h>

#include <functional>
#include <vector>

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

    StripChart(twin::Session& session, const QString& title, const QString& unit, QWidget* parent = nullptr);
    ~StripChart() override;

    void addSeries(const QString& name, const QColor& colour, Fetch fetch);
    void clearSeries();
    // Stacked: the series' means drawn as stacked areas (e.g. generation by source), no bands.
    void setStacked(bool on) { stacked_ = on; rebuildPlots(); }

    // The time range shown; empty: the whole recording.
    void setRange(twin::TimeMs t0, twin::TimeMs t1);
    std::pair<twin::TimeMs, twin::TimeMs> range() const;

    // What series i shows now (for tests): the buckets it was given.
    const std::vector<twin::Bucket>& data(int i) const { return series_.at(i).buckets; }
    int seriesCount() const { return static_cast<int>(series_.size()); }
    double cursorSeconds() const { return cursorS_; }

public slots:
    void reload();

protected:
    void initializeGL() override;
    void resizeGL(int w, int h) override;
    void paintGL() override;
    void wheelEvent(QWheelEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;

private:
    struct Series {
        QString name;
        QColor colour;
        Fetch fetch;
        std::vector<twin::Bucket> buckets;
        vtkSmartPointer<vtkTable> table;
    };
    void rebuildPlots();
    void addStacked(twin::TimeMs origin);
    void moveCursor();
    twin::TimeMs origin() const;

    twin::Session& session_;
    QString title_, unit_;
    std::vector<Series> series_;
    vtkNew<vtkGenericOpenGLRenderWindow> window_;
    vtkNew<vtkContextView> view_;
    vtkNew<vtkChartXY> chart_;
    vtkSmartPointer<vtkTable> cursor_, stackedTable_;
    twin::TimeMs t0_ = 0, t1_ = 0;   // 0, 0: the whole recording
    double cursorS_ = 0;
    int dragX_ = 0;
    bool initialised_ = false, stacked_ = false;
    QTimer reloadTimer_;
};

} // namespace views
