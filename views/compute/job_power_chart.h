// One job's power over the whole recording next to the campus load (the sum of every island's
// load), each on its own scale (job MW on the left, campus MW on the right), with the clock's
// time as a cursor (common/painter_chart.h), from reduced ranges, one bucket per pixel.
#pragma once

#include "common/painter_chart.h"

#include <vector>

namespace views {

class JobPowerChart : public PainterChart {
    Q_OBJECT
public:
    explicit JobPowerChart(twin::Session& session, QWidget* parent = nullptr);

    // The job at `position` in StoreReader::jobs(), or -1 for none.
    void setJob(int position);

    struct Point {
        twin::TimeMs t = 0;
        double mw = 0;   // bucket mean
    };
    const std::vector<Point>& jobCurve() const { return job_; }
    const std::vector<Point>& campusCurve() const { return campus_; }

    QSize sizeHint() const override { return {480, 150}; }

protected:
    // Both curves (a job chosen, the data grew, the size changed).
    void fetch() override;
    void paintPlot(QPainter& p, const QRectF& plot) override;

private:
    int position_ = -1;
    std::vector<Point> job_, campus_;
    twin::TimeSpan span_;
};

} // namespace views
