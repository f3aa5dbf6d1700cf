// One job's power over the whole recording next to the campus load (the sum of every island's
// load), each on its own scale (job MW on the left, campus MW on the right), with the clock's
// time as a cursor. Drawn with QPainter from reduced ranges, one bucket per pixel.
#pragma once

#include "twin/session/session.h"

#include <QWidget>

#include <vector>

namespace views {

class JobPowerChart : public QWidget {
    Q_OBJECT
public:
    explicit JobPowerChart(twin::Session& session, QWidget* parent = nullptr);

    // The job at `position` in StoreReader::jobs(), or -1 for none.
    void setJob(int position);
    // Reads both curves again (a job chosen, the data grew, the size changed).
    void reload();

    struct Point {
        twin::TimeMs t = 0;
        double mw = 0;   // bucket mean
    };
    const std::vector<Point>& jobCurve() const { return job_; }
    const std::vector<Point>& campusCurve() const { return campus_; }

    QSize sizeHint() const override { return {480, 150}; }

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;

private:
    QRectF plotRect() const;

    twin::Session& session_;
    int position_ = -1;
    std::vector<Point> job_, campus_;
    twin::TimeSpan span_;
};

} // namespace views
