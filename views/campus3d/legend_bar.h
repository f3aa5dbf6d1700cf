// The colour legend of the 3D view: the fixed ramp with the quantity's range.
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

protected:
    void paintEvent(QPaintEvent*) override;

private:
    RackQuantity q_ = RackQuantity::Power;
};

} // namespace views
