// One hall as a floor plan: every rack a tile at its place in the hall's own frame (the hall's
// box, its yaw undone), coloured by a quantity through the fixed colour map exactly as the 3D
// view colours racks. The wheel zooms, a drag pans, a click selects the rack under the pointer,
// a double-click fits the hall again.
// The selected rack is outlined; with a job selected its racks are outlined and the rest dimmed.
#pragma once

#include "common/input_help.h"

#include "common/colour_map.h"
#include "common/rack_values.h"

#include "twin/session/session.h"

#include <QColor>
#include <QRectF>
#include <QWidget>

#include <unordered_map>
#include <vector>

namespace views {

class HallFloorPlan : public QWidget {
    Q_OBJECT
public:
    // The keys and mouse gestures this view answers (Help ▸ Keyboard shortcuts).
    static std::vector<InputHelp> inputHelp();
    HallFloorPlan(twin::Session& session, twin::AssetIndex hall, QWidget* parent = nullptr);

    twin::AssetIndex hall() const { return hall_; }
    void setQuantity(RackQuantity q);
    RackQuantity quantity() const { return quantity_; }

    // For tests and the benchmark.
    int tileCount() const { return static_cast<int>(tiles_.size()); }
    std::vector<twin::AssetIndex> racks() const;
    // The rack's tile in widget pixels (empty if the rack is not in this hall).
    QRectF tileRect(twin::AssetIndex rack) const;
    // The tile's fill before any dimming: colourAt(tileValue(rack)).
    QColor tileColour(twin::AssetIndex rack) const;
    double tileValue(twin::AssetIndex rack) const;   // normalised, NaN without data
    std::vector<twin::AssetIndex> outlinedRacks() const;   // the selected job's racks in this hall
    twin::AssetIndex rackAt(const QPointF& pos) const;
    bool rackLabelsShown() const;
    double pixelsPerMetre() const { return scale_; }
    // The whole hall fitted again, following the widget's size (a double-click on the plan, or
    // the panel's Fit button, after a zoom or a stray drag).
    void resetView();
    bool isFitted() const { return fitted_; }
    // Zooms by `factor` about a widget point (the wheel does this).
    void zoom(double factor, const QPointF& about);
    // Recomputes the tiles' values from the session's state now (otherwise done when painted).
    void refresh() const;

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void wheelEvent(QWheelEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void mouseDoubleClickEvent(QMouseEvent* e) override;

private:
    struct Tile {
        twin::AssetIndex rack = twin::kNoAsset;
        std::size_t position = 0;   // in Campus::racks(), the "rack" series
        QRectF box;                 // in the hall frame, metres (u east along the hall, v north)
        QString label;              // "Rack 3"
        twin::AssetIndex row = twin::kNoAsset;
    };
    struct RowLabel {
        QRectF box;                 // the row's extent in the hall frame
        QString text;               // "Row 5"
    };
    void buildTiles();
    void followSelection();
    void fit();
    QRectF toWidget(const QRectF& hallBox) const;
    int tileIndex(twin::AssetIndex rack) const;

    twin::Session& session_;
    twin::AssetIndex hall_;
    RackQuantity quantity_ = RackQuantity::Power;
    RackFacts facts_;
    std::vector<Tile> tiles_;
    std::vector<RowLabel> rows_;
    std::unordered_map<twin::AssetIndex, int> tileOfRack_;
    QRectF hallBox_;                       // the hall in its own frame
    mutable std::vector<double> values_;   // normalised, per tile
    mutable bool stale_ = true;            // values_ wait for the next paint or refresh()
    std::vector<char> inJob_;              // per tile: in the selected job
    std::vector<QRectF> jobRuns_;          // hall frame: each run of the job's racks along a row, outlined once
    bool jobSelected_ = false;
    int selectedTile_ = -1;

    // View: widget = offset + (u, -v) * scale.
    double scale_ = 1;
    QPointF offset_;
    bool fitted_ = true;                   // follow the widget's size until the user zooms or pans
    QPointF pressPos_, lastPos_;
    bool dragging_ = false;
};

} // namespace views
