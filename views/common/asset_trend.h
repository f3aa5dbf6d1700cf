// The inspector's trend: the selection's main quantity (twin/query/main_quantity.h) over the
// last minutes up to the clock's time (5 min, from the recording's start when it is shorter),
// drawn as the min-max band and mean line of the QPainter charts, its scale's ends and its value
// now written beside it, the clock's time at the right end. Read again on a seek, and four times
// a second while the clock plays.
#pragma once

#include "common/painter_chart.h"

#include "twin/query/main_quantity.h"

#include <QTimer>

namespace views {

class AssetTrend : public PainterChart {
    Q_OBJECT
public:
    explicit AssetTrend(twin::Session& session, QWidget* parent = nullptr);

    // What to draw (empty: nothing recorded for the selection; the chart says so).
    void setSubject(const twin::query::MainQuantity& quantity);
    const twin::query::MainQuantity& subject() const { return subject_; }

    // What it draws (for tests): the buckets, and the value of the last sample at or before the
    // clock (NaN when there is none).
    const std::vector<twin::Bucket>& buckets() const { return buckets_; }
    double lastValue() const;

    static constexpr twin::TimeMs kWindowMs = 5 * 60'000;

protected:
    void fetch() override;
    void paintPlot(QPainter& p, const QRectF& plot) override;

private:
    twin::query::MainQuantity subject_;
    std::vector<twin::Bucket> buckets_;
    QTimer playing_;   // the next reload while the clock runs
};

} // namespace views
