#include "compute/floor_plans_panel.h"

#include "common/legend_bar.h"
#include "common/rack_values.h"
#include "compute/hall_floor_plan.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

using namespace twin;

namespace views {

FloorPlansPanel::FloorPlansPanel(Session& session, QWidget* parent) : QWidget(parent), session_(session) {
    setObjectName("floorPlans");
    building_ = new QComboBox;
    building_->setObjectName("building");
    quantity_ = new QComboBox;
    quantity_->setObjectName("quantity");
    for (auto q : {RackQuantity::Power, RackQuantity::Utilisation, RackQuantity::InletTemperature, RackQuantity::Health})
        quantity_->addItem(rangeOf(q).label, static_cast<int>(q));
    tabs_ = new QTabWidget;
    tabs_->setObjectName("halls");
    tabs_->setDocumentMode(true);
    tabs_->setUsesScrollButtons(true);   // many halls: scroll the tabs rather than widen the dock
    fit_ = new QToolButton;
    fit_->setObjectName("fitHall");
    fit_->setText("Fit");
    fit_->setToolTip("Show the whole hall again (or double-click the plan)");
    tabs_->setCornerWidget(fit_, Qt::TopRightCorner);
    connect(fit_, &QToolButton::clicked, this, [this] {
        if (HallFloorPlan* p = currentPlan()) p->resetView();
    });
    legend_ = new LegendBar;

    // Two rows, label and box: the dock stays narrow (it shares a side with the inspector), and
    // the combo boxes shrink to about ten characters (the full text in their lists).
    auto* bar = new QGridLayout;
    for (QComboBox* c : {building_, quantity_}) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(10);
    }
    bar->addWidget(new QLabel("Building"), 0, 0);
    bar->addWidget(building_, 0, 1);
    bar->addWidget(new QLabel("Colour by"), 1, 0);
    bar->addWidget(quantity_, 1, 1);
    bar->setColumnStretch(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(tabs_, 1);
    layout->addWidget(legend_);

    connect(building_, &QComboBox::activated, this,
            [this](int i) { setBuilding(static_cast<AssetIndex>(building_->itemData(i).toInt())); });
    connect(quantity_, &QComboBox::currentIndexChanged, this,
            [this](int i) {
                const auto q = static_cast<RackQuantity>(quantity_->itemData(i).toInt());
                setQuantity(q);
                emit quantityChosen(q);
            });
    connect(&session_, &Session::opened, this, &FloorPlansPanel::fillBuildings);
    connect(&session_, &Session::selectionChanged, this, [this](const Selection& s) {
        if (!session_.isOpen()) return;
        AssetIndex rack = rackOfSelection(session_.campus(), s);
        if (rack == kNoAsset && s.job != 0)
            for (const Job& j : session_.reader().jobs())
                if (j.id == s.job && !j.racks.empty()) rack = session_.campus().find(j.racks.front());
        showHallOf(rack);
    });
    if (session_.isOpen()) fillBuildings();
}

void FloorPlansPanel::fillBuildings() {
    building_->clear();
    for (auto* p : plans_) delete p;   // now: they hold the old campus's indices
    plans_.clear();
    tabs_->clear();
    const Campus& campus = session_.campus();
    for (AssetIndex b : campus.assetsOfKind(AssetKind::Building))
        if (campus.assets[static_cast<std::size_t>(b)].gpuCount > 0)
            building_->addItem(QString::fromStdString(campus.assets[static_cast<std::size_t>(b)].name), b);
    if (building_->count() > 0) setBuilding(static_cast<AssetIndex>(building_->itemData(0).toInt()));
}

AssetIndex FloorPlansPanel::building() const {
    return building_->currentIndex() < 0 ? kNoAsset : static_cast<AssetIndex>(building_->currentData().toInt());
}

void FloorPlansPanel::setBuilding(AssetIndex b) {
    const int item = building_->findData(b);
    if (item < 0) return;
    building_->setCurrentIndex(item);
    for (auto* p : plans_) delete p;
    plans_.clear();
    tabs_->clear();
    const Campus& campus = session_.campus();
    const auto q = static_cast<RackQuantity>(quantity_->currentData().toInt());
    for (AssetIndex hall : campus.assetsOfKind(AssetKind::Hall)) {
        if (campus.assets[static_cast<std::size_t>(hall)].parent != b) continue;
        auto* plan = new HallFloorPlan(session_, hall);
        plan->setQuantity(q);
        plans_.push_back(plan);
        const std::string& name = campus.assets[static_cast<std::size_t>(hall)].name;
        const auto dot = name.rfind("\xC2\xB7 ");
        tabs_->addTab(plan, QString::fromStdString(dot == std::string::npos ? name : name.substr(dot + 3)));
    }
}

void FloorPlansPanel::setQuantity(RackQuantity q) {
    const int item = quantity_->findData(static_cast<int>(q));
    if (item >= 0 && item != quantity_->currentIndex()) quantity_->setCurrentIndex(item);   // comes back here
    for (auto* p : plans_) p->setQuantity(q);
    legend_->setQuantity(q);
}

HallFloorPlan* FloorPlansPanel::currentPlan() const { return qobject_cast<HallFloorPlan*>(tabs_->currentWidget()); }

void FloorPlansPanel::showHallOf(AssetIndex rack) {
    if (rack == kNoAsset) return;
    const Campus& campus = session_.campus();
    const AssetIndex hall = ancestorOfKind(campus, rack, AssetKind::Hall);
    const AssetIndex b = ancestorOfKind(campus, hall, AssetKind::Building);
    if (b != building()) setBuilding(b);
    for (std::size_t k = 0; k < plans_.size(); ++k)
        if (plans_[k]->hall() == hall) tabs_->setCurrentIndex(static_cast<int>(k));
}

} // namespace views
