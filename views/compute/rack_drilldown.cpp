#include "compute/rack_drilldown.h"

#include "common/legend_bar.h"
#include "common/rack_values.h"
#include "compute/gpu_cells.h"
#include "compute/rack_power_chart.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

using namespace twin;

namespace views {

RackDrilldown::RackDrilldown(Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    setObjectName("rackDrilldown");
    title_ = new QLabel("Select a rack or a GPU");
    title_->setObjectName("title");
    title_->setWordWrap(true);
    QFont bold = title_->font();
    bold.setBold(true);
    title_->setFont(bold);
    quantity_ = new QComboBox;
    quantity_->setObjectName("quantity");
    // The GPU cells' own scales (docs/views.md, "Per-GPU detail").
    quantity_->addItem("GPU power, % of TDP", static_cast<int>(RackQuantity::Power));
    quantity_->addItem("GPU utilisation", static_cast<int>(RackQuantity::Utilisation));
    quantity_->addItem(QString::fromUtf8("GPU temperature, 30–90 °C"), static_cast<int>(RackQuantity::InletTemperature));
    quantity_->addItem("Alive / failed", static_cast<int>(RackQuantity::Health));
    quantity_->setCurrentIndex(1);
    cells_ = new GpuCells(session_);
    cells_->setQuantity(RackQuantity::Utilisation);
    chart_ = new RackPowerChart(session_);

    auto* bar = new QHBoxLayout;
    bar->addWidget(title_, 1);
    bar->addWidget(new QLabel("Colour by"));
    bar->addWidget(quantity_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(cells_, 3);
    legend_ = new LegendBar;   // the cells' colour map
    layout->addWidget(legend_);
    layout->addWidget(chart_, 1);

    connect(quantity_, &QComboBox::currentIndexChanged, this,
            [this](int i) {
                const auto q = static_cast<RackQuantity>(quantity_->itemData(i).toInt());
                cells_->setQuantity(q);
                legend_->setQuantity(q);
                emit quantityChosen(q);
            });
    connect(&session_, &Session::selectionChanged, this, &RackDrilldown::followSelection);
    connect(&session_, &Session::opened, this, [this] {
        rack_ = kNoAsset;
        title_->setText("Select a rack or a GPU");
        cells_->setRack(kNoAsset);
        chart_->setRack(kNoAsset);
        followSelection();
    });
    if (session_.isOpen()) followSelection();
}

void RackDrilldown::setQuantity(RackQuantity q) {
    const int item = quantity_->findData(static_cast<int>(q));
    if (item >= 0) quantity_->setCurrentIndex(item);
}

// Shows the rack of the selection; any other selection leaves the last rack in view.
void RackDrilldown::followSelection() {
    const AssetIndex rack = rackOfSelection(session_.campus(), session_.selection());
    if (rack == kNoAsset || rack == rack_) return;
    rack_ = rack;
    title_->setText(QString::fromStdString(session_.campus().assets[static_cast<std::size_t>(rack_)].name));
    cells_->setRack(rack_);
    chart_->setRack(rack_);
}

QString RackDrilldown::cellText(int gpuInRack) const { return cells_->cellText(gpuInRack); }

const std::vector<Bucket>& RackDrilldown::chartBuckets() const { return chart_->buckets(); }

} // namespace views
