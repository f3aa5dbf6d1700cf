// The rack x time heat map: one row per rack (grouped by hall, labelled on the left), one column
// per time bucket across [t0, t1], each cell the rack's mean in its bucket coloured through the
// shared colour map (common/colour_map.h: rack power as a share of rated, or the coolant inlet
// temperature; grey without data). The clock's time is a white line that moves with it; the
// pointer reads out rack, time and value; a click selects that rack and seeks the clock to the
// middle of the bucket. The range is the review loop when there is one, else the recording's
// span (setRange fixes it). One query (twin/query/rack_heat_map.h) per range, width or scope:
// a bucket per pixel column (no more than the frames in the range); with more racks than pixel
// rows, a pixel row shows its racks' mean.
#pragma once

#include "heatmap/heat_map_rows.h"

#include "common/colour_map.h"
#include "common/input_help.h"
#include "common/rack_values.h"

#include "twin/query/rack_heat_map.h"
#include "twin/session/session.h"

#include <QElapsedTimer>
#include <QImage>
#include <QTimer>
#include <QWidget>

#include <optional>

namespace views {

class RackHeatMapView : public QWidget {
    Q_OBJECT
public:
    static std::vector<InputHelp> inputHelp();
    explicit RackHeatMapView(twin::Session& session, QWidget* parent = nullptr);

    // The racks: those under a hall, building or site; kNoAsset every rack.
    void setScope(twin::AssetIndex asset);
    twin::AssetIndex scope() const { return scope_; }
    // Power (share of rated) or InletTemperature; the others are not in the rack series.
    void setQuantity(RackQuantity q);
    RackQuantity quantity() const { return quantity_; }
    // A fixed range, or back to following the review loop / the recording's span.
    void setRange(twin::TimeMs t0, twin::TimeMs t1);
    void followRecording();

    // The raster as last computed (computed now if the view changed since), its rows.
    const twin::query::RackHeatMap& heatMap() const;
    const HeatMapRows& rows() const { return rows_; }
    QString message() const { return message_; }     // why nothing is drawn ("" when drawn)
    double lastQueryMs() const { return queryMs_; }
    // Geometry, widget pixels: the raster's area, a cell, the clock line's column (-1 outside).
    QRect plotRect() const;
    QRectF cellRect(int row, int bucket) const;
    int clockX() const;
    int rowAt(QPointF p) const;       // -1 outside
    int bucketAt(QPointF p) const;    // -1 outside
    // A cell's value normalised for the colour map (NaN without data).
    double normalised(int row, int bucket) const;
    // The read-out the pointer at p shows (empty outside the raster).
    QString readoutAt(QPointF p) const;

signals:
    void computed();                  // a new raster (tests, the panel's status line)

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void leaveEvent(QEvent*) override;

private:
    void invalidate();
    void compute() const;
    void spanGrew();
    std::pair<twin::TimeMs, twin::TimeMs> range() const;
    QImage image(int height) const;

    twin::Session& session_;
    twin::AssetIndex scope_ = twin::kNoAsset;
    RackQuantity quantity_ = RackQuantity::Power;
    std::optional<std::pair<twin::TimeMs, twin::TimeMs>> fixed_;
    HeatMapRows rows_;
    RackFacts facts_;
    mutable twin::query::RackHeatMap map_;
    mutable QString message_;
    mutable bool stale_ = true;
    mutable QImage image_;            // the raster coloured, for the plot's height
    mutable bool imageStale_ = true;
    mutable double queryMs_ = 0;
    mutable int lastWidth_ = -1;      // the plot's width at the last query
    mutable QElapsedTimer sinceQuery_;
    QTimer liveTimer_;                // a live store's span: at most one query every few seconds
    QTimer resizeTimer_;              // a new width: the query once it has settled
    QPointF pointer_{-1, -1};
};

} // namespace views
