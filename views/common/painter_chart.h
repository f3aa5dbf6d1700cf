// What the small QPainter charts share (the rack drill-down's power, a job's power): a dark plot
// inside margins kept for the axes' text, a time axis labelled at its two ends, per pixel the
// min-max band of the buckets and their mean as a line, the clock's time as the white time cursor.
// A subclass says what to fetch and which values and scales to draw.
#pragma once

#include "twin/session/session.h"

#include <QWidget>

#include <functional>
#include <vector>

class QPainter;

namespace views {

class PainterChart : public QWidget {
    Q_OBJECT
public:
    // Fetches the data again (a new subject, new data, a new size) and repaints.
    void reload();

    // Pixels across the plot: one bucket each at most.
    int plotWidth() const;
    // The time axis' ends.
    twin::TimeMs timeStart() const { return t0_; }
    twin::TimeMs timeEnd() const { return t1_; }

protected:
    struct Margins {
        double left, right, top, bottom;
    };
    PainterChart(twin::Session& session, Margins margins, QWidget* parent);

    // Reads what the chart draws, for the plot's current width.
    virtual void fetch() = 0;
    // Draws on the empty plot: background and frame drawn, a 10-pixel font set.
    virtual void paintPlot(QPainter& p, const QRectF& plot) = 0;

    QRectF plotRect() const;
    void setTimeRange(twin::TimeMs t0, twin::TimeMs t1);
    double xAt(const QRectF& plot, twin::TimeMs t) const;
    // Height of value v on a scale from 0 (the plot's bottom) to top, clamped to the plot.
    static double yAt(const QRectF& plot, double v, double top);

    // The time axis' two ends in UTC under the plot.
    void drawTimeEnds(QPainter& p, const QRectF& plot) const;
    // A scale's value beside the plot at height y, in the current pen: left or right of it.
    void drawLeftValue(QPainter& p, double y, const QString& text) const;
    void drawRightValue(QPainter& p, const QRectF& plot, double y, const QString& text) const;
    // A line through points, 1.5 pixels wide.
    static void drawCurve(QPainter& p, const QPolygonF& points, const QColor& colour);
    // Per bucket a one-pixel band from its minimum to its maximum, then the line of the means.
    void drawBandAndMean(QPainter& p, const QRectF& plot, const std::vector<twin::Bucket>& buckets,
                         const std::function<double(double)>& y, const QColor& band, const QColor& line) const;
    // The clock's time.
    void drawCursor(QPainter& p, const QRectF& plot) const;
    // Why there is nothing to draw, in the middle of the plot.
    static void drawNote(QPainter& p, const QRectF& plot, const QString& text);

    twin::Session& session_;

private:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;

    Margins margins_;
    twin::TimeMs t0_ = 0, t1_ = 0;
};

} // namespace views
