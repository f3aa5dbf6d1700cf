// The selected rack (or the rack of the selected GPU) in detail: its GPUs as cells (GpuCells)
// coloured by a chosen quantity with the colour map's legend, and its power over the last ten
// minutes (RackPowerChart).
#pragma once

#include "common/colour_map.h"

#include "twin/session/session.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace views {

class GpuCells;
class LegendBar;
class RackPowerChart;

class RackDrilldown : public QWidget {
    Q_OBJECT
public:
    explicit RackDrilldown(twin::Session& session, QWidget* parent = nullptr);

    twin::AssetIndex rack() const { return rack_; }
    void setQuantity(RackQuantity q);
    // For tests: a cell's text ("97 %\n640 W\n65 °C"), and the chart's buckets.
    QString cellText(int gpuInRack) const;
    const std::vector<twin::Bucket>& chartBuckets() const;
    GpuCells* cells() const { return cells_; }
    RackPowerChart* chart() const { return chart_; }
    LegendBar* legend() const { return legend_; }

signals:
    // The colour-by choice changed here (the app shares one choice between its views).
    void quantityChosen(views::RackQuantity q);

private:
    void followSelection();

    twin::Session& session_;
    LegendBar* legend_ = nullptr;
    twin::AssetIndex rack_ = twin::kNoAsset;
    QLabel* title_ = nullptr;
    QComboBox* quantity_ = nullptr;
    GpuCells* cells_ = nullptr;
    RackPowerChart* chart_ = nullptr;
};

} // namespace views
