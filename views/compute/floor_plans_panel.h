// The floor plans of one building: a building chooser, a quantity chooser, and one tab per hall
// (a HallFloorPlan each), the colour map's legend below them and a Fit button that shows the
// whole hall again. Selecting a rack or a job elsewhere brings its hall forward.
#pragma once

#include "common/colour_map.h"

#include "twin/session/session.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QTabWidget;
class QToolButton;

namespace views {

class HallFloorPlan;
class LegendBar;

class FloorPlansPanel : public QWidget {
    Q_OBJECT
public:
    explicit FloorPlansPanel(twin::Session& session, QWidget* parent = nullptr);

    // Shows a building's halls (a building with racks; does nothing for another asset).
    void setBuilding(twin::AssetIndex building);
    twin::AssetIndex building() const;
    void setQuantity(RackQuantity q);
    const std::vector<HallFloorPlan*>& plans() const { return plans_; }
    HallFloorPlan* currentPlan() const;
    LegendBar* legend() const { return legend_; }
    QToolButton* fitButton() const { return fit_; }

signals:
    // The colour-by choice changed here (the app shares one choice between its views).
    void quantityChosen(views::RackQuantity q);

private:
    void fillBuildings();
    void showHallOf(twin::AssetIndex rack);

    twin::Session& session_;
    QComboBox* building_ = nullptr;
    QComboBox* quantity_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    LegendBar* legend_ = nullptr;
    QToolButton* fit_ = nullptr;
    std::vector<HallFloorPlan*> plans_;
};

} // namespace views
