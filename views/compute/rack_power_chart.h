// A rack's power over the last ten minutes up to the clock's time, drawn with QPainter: per
// pixel the min-max band of the samples and their mean as a line, the clock's time as a
// cursor. (Issue 5 brings VTK strip charts; this one reads the same reduced range.)
#pragma once

#include "twin/session/session.h"

#include <QWidget>

#include <vector>

namespace views {

class RackPowerChart : public QWidget {
    Q_OBJECT
public:
    static constexpr twin::TimeMs kWindowMs = 10 * 60 * 1000;

    explicit RackPowerChart(twin::Session& session, QWidget* parent = nullptr);

    void setRack(twin::AssetIndex rack);
    // Reads the window ending at the clock's time again (done on every state change).
    void refresh();

    // For tests: the buckets drawn (one per pixel of the plot at most) and the window.
    const std::vector<twin::Bucket>& buckets() const { return buckets_; }
    twin::TimeMs windowStart() const { return t0_; }
    twin::TimeMs windowEnd() const { return t1_; }
    int plotWidth() const;

    QSize sizeHint() const override { return {440, 160}; }

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;

private:
    QRectF plotRect() const;

    twin::Session& session_;
    twin::AssetIndex rack_ = twin::kNoAsset;
    double ratedKw_ = 0;
    std::vector<twin::Bucket> buckets_;
    twin::TimeMs t0_ = 0, t1_ = 0;
};

} // namespace views
