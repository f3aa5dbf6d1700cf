// The heat map panel (the app's "Heat map" dock): which racks (the campus, a building, a hall),
// which quantity (rack power or coolant inlet temperature), the rack x time heat map, and the
// shared colour legend.
#pragma once

#include "heatmap/rack_heat_map_view.h"

#include "twin/session/session.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace views {

class LegendBar;

class HeatMapPanel : public QWidget {
    Q_OBJECT
public:
    explicit HeatMapPanel(twin::Session& session, QWidget* parent = nullptr);
    RackHeatMapView* view() const { return view_; }
    QComboBox* scopeBox() const { return scope_; }
    QComboBox* quantityBox() const { return quantity_; }

private:
    void fillScopes();

    twin::Session& session_;
    RackHeatMapView* view_ = nullptr;
    QComboBox* scope_ = nullptr;
    QComboBox* quantity_ = nullptr;
    LegendBar* legend_ = nullptr;
    QLabel* status_ = nullptr;
};

} // namespace views
