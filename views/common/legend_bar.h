// The colour legend of the rack colour map, wherever racks are coloured (3D view, floor plans):
// the ramp with the quantity's range, then the swatches of what is not a value (stale data,
// no data: common/hmi_colours.h).
#pragma once

#include "common/colour_map.h"

#include <QWidget>

namespace views {

class LegendBar : public QWidget {
    Q_OBJECT
public:
    explicit LegendBar(QWidget* parent = nullptr);
    void setQuantity(RackQuantity q);
    QSize sizeHint() const override { return {420, 44}; }
    RackQuantity quantity() const { return q_; }
    // Where the ramp and the swatches are drawn (tests).
    QRect rampRect() const;
    QRect staleSwatch() const;
    QRect missingSwatch() const;

protected:
    void paintEvent(QPaintEvent*) override;

private:
    RackQuantity q_ = RackQuantity::Power;
};

} // namespace views
