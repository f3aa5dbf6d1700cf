#include "heatmap/heat_map_panel.h"

#include "common/legend_bar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

using namespace twin;

namespace views {

HeatMapPanel::HeatMapPanel(Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(2);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel("Racks of"));
    scope_ = new QComboBox;
    scope_->setObjectName("heatMapScope");
    scope_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    scope_->setMinimumContentsLength(18);
    bar->addWidget(scope_);
    bar->addSpacing(12);
    bar->addWidget(new QLabel("by"));
    quantity_ = new QComboBox;
    quantity_->setObjectName("heatMapQuantity");
    for (auto q : {RackQuantity::Power, RackQuantity::InletTemperature}) quantity_->addItem(rangeOf(q).label, static_cast<int>(q));
    bar->addWidget(quantity_);
    bar->addSpacing(12);
    status_ = new QLabel;
    status_->setObjectName("heatMapStatus");
    status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    bar->addWidget(status_, 1);
    layout->addLayout(bar);
    view_ = new RackHeatMapView(session_);
    view_->setObjectName("rackHeatMap");
    layout->addWidget(view_, 1);
    legend_ = new LegendBar;
    legend_->setQuantity(RackQuantity::Power);
    layout->addWidget(legend_);

    connect(scope_, &QComboBox::activated, this, [this](int i) { view_->setScope(static_cast<AssetIndex>(scope_->itemData(i).toLongLong())); });
    connect(quantity_, &QComboBox::activated, this, [this](int i) {
        const auto q = static_cast<RackQuantity>(quantity_->itemData(i).toInt());
        view_->setQuantity(q);
        legend_->setQuantity(q);
    });
    connect(view_, &RackHeatMapView::computed, this, [this] {
        status_->setText(view_->message().isEmpty() ? QString("query %1 ms").arg(view_->lastQueryMs(), 0, 'f', 0) : QString());
    });
    connect(&session_, &Session::opened, this, &HeatMapPanel::fillScopes);
    if (session_.isOpen()) fillScopes();
}

void HeatMapPanel::fillScopes() {
    scope_->clear();
    for (const auto& [asset, label] : heatMapScopes(session_.campus())) scope_->addItem(label, static_cast<qlonglong>(asset));
}

} // namespace views
