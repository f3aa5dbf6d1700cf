// A rack's power over the last ten minutes up to the clock's time (common/painter_chart.h):
// per pixel the min-max band of the samples and their mean as a line, the rated power dashed,
// the clock's time as a cursor.
#pragma once

#include "common/painter_chart.h"

#include <vector>

namespace views {

class RackPowerChart : public PainterChart {
    Q_OBJECT
public:
    static constexpr twin::TimeMs kWindowMs = 10 * 60 * 1000;

    explicit RackPowerChart(twin::Session& session, QWidget* parent = nullptr);

    void setRack(twin::AssetIndex rack);

    // For tests: the buckets drawn (one per pixel of the plot at most).
    const std::vector<twin::Bucket>& buckets() const { return buckets_; }

    QSize sizeHint() const override { return {440, 160}; }

protected:
    // The window ending at the clock's time (read again on every state change).
    void fetch() override;
    void paintPlot(QPainter& p, const QRectF& plot) override;

private:
    twin::AssetIndex rack_ = twin::kNoAsset;
    double ratedKw_ = 0;
    std::vector<twin::Bucket> buckets_;
};

} // namespace views
