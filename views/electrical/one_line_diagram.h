// The one-line diagram of the electrical view: the open store's campus's electrical graph
// (Campus::feeds) drawn automatically (layout: one_line_layout.h; symbols: one_line_symbols.h),
// with live values from the session's state at the clock's time, flows animated along the
// edges, and the supply path of the selection highlighted.
//
// Live values (from the session's "source", "megapack", "bus", "flow" and "hall" series): MW on
// every source, transformer and feeder, a hall's IT power; a bus's rated kV and frequency; a
// source's breaker (closed when online) and state (turbines: running / starting / synchronising
// / tripped / faulted / offline, coloured); a Megapack block's SoC. Elements above their rating
// are outlined in red. Dashes move along every edge carrying power, in the direction of the flow
// (a charging Megapack's edge runs into it), faster and wider the more loaded the element.
//
// Mouse: the wheel zooms about the pointer, a left drag pans, a click selects the element under
// the pointer (session.select). It opens fitted: whole when its labels stay readable, else its
// width from the top; a double-click on empty space alternates that with the whole diagram.
#pragma once

#include "electrical/one_line_layout.h"

#include "twin/query/data_quality.h"
#include "twin/query/series_query.h"
#include "twin/session/session.h"

#include <QElapsedTimer>
#include <QGraphicsView>
#include <QTimer>

#include <vector>

class QGraphicsScene;

namespace views {

class OneLineNodeItem;
class OneLineEdgeItem;

class OneLineDiagram : public QGraphicsView {
    Q_OBJECT
public:
    explicit OneLineDiagram(twin::Session& session, QWidget* parent = nullptr);
    ~OneLineDiagram() override;

    const OneLineLayout& layout() const { return layout_; }

    // For tests and other views.
    int itemCount() const { return static_cast<int>(nodes_.size()); }   // one per electrical asset
    bool hasItem(twin::AssetIndex a) const;
    QRectF itemRect(twin::AssetIndex a) const;        // scene rect of the asset's item (empty if none)
    QRectF symbolRect(twin::AssetIndex a) const;      // scene rect of its symbol alone (empty if none)
    QString labelText(twin::AssetIndex a) const;      // its text, lines joined by '\n'
    // The animated flow of the edge from -> to (a Campus::feeds edge): +1 along it, -1 against
    // it, 0 none (or no such edge).
    int flowDirection(twin::AssetIndex from, twin::AssetIndex to) const;
    double flowMw(twin::AssetIndex from, twin::AssetIndex to) const;
    std::vector<twin::AssetIndex> highlightedAssets() const;   // sorted
    int highlightedEdges() const;
    bool isOverloaded(twin::AssetIndex a) const;
    // The quality of the asset's values as last drawn (Good where the store records none).
    twin::query::DataQuality quality(twin::AssetIndex a) const;
    // Scrolls the asset's item into view and returns its centre in viewport coordinates (where
    // a click selects it).
    QPoint viewPointOf(twin::AssetIndex a);

    // Dash animation (on while the widget is visible); the flow directions follow the data
    // whether it runs or not.
    void setAnimated(bool on);

public slots:
    void fitDiagram();

protected:
    void wheelEvent(QWheelEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void mouseDoubleClickEvent(QMouseEvent* e) override;
    void showEvent(QShowEvent* e) override;
    void hideEvent(QHideEvent* e) override;
    void drawBackground(QPainter* p, const QRectF& rect) override;

private:
    void rebuild();          // a store was opened: the campus may differ
    void updateValues();     // the clock's time or the data changed
    void updateSelection();
    void tick();
    twin::AssetIndex assetAt(const QPoint& viewportPos) const;

    // A value of a series at the clock's time: quantity index and asset position.
    using Channel = twin::query::Channel;
    bool read(const Channel& c, double& out) const;

    twin::Session& session_;
    QGraphicsScene* scene_ = nullptr;
    OneLineLayout layout_;
    std::vector<OneLineNodeItem*> nodes_;          // as layout_.nodes
    std::vector<OneLineEdgeItem*> edges_;          // as layout_.edges
    struct NodeChannels {
        Channel power, state, soc, frequency, flow, itPower;
        Channel quality;   // its "<series>_quality" channel, empty when the store records none
    };
    std::vector<NodeChannels> channels_;           // as layout_.nodes
    std::vector<QString> names_;                   // as layout_.nodes: the label's first line
    std::vector<std::int32_t> itemOfAsset_;        // asset -> index into nodes_, -1
    QTimer animation_;
    QElapsedTimer clock_;
    bool animated_ = true;
    bool fitted_ = false;
    bool fitWhole_ = false;   // fit the whole diagram even when its labels become unreadable
    QPoint pressPos_;
    QPoint lastDragPos_;
    bool pressed_ = false, dragging_ = false;
};

} // namespace views
