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
// Two levels (semantic zoom; docs/views.md, "One-line diagram"). It opens on the overview: one
// block per electrical island with its key figures in large type (one_line_overview.h), laid out
// in the view's pixels. The level is an explicit mode switched by the zoom: the wheel turned
// forward on the overview opens the details at the entry scale (the larger of 0.5, where labels
// start to show, and the whole diagram fitted), centred on the point of the island under the
// pointer; zoomed out below the entry scale the details give way to the overview again. A click
// on an island's block opens that island's details.
//
// Details: the wheel zooms about the pointer, a left drag pans, a click selects the element under
// the pointer (session.select); a double-click on empty space returns to the overview.
//
// Locate: a selection made elsewhere (an alarm, a search, the 3D view) opens the details centred
// on the selected asset (a rack or GPU: its hall); one made in the diagram itself does not move
// it. L (or the context menu's "Locate selection") does the same on demand.
//
// Palettes: light (the desk) or ISA-101 dark greys (setDark: the wall); setOverviewOnly keeps the
// overview level whatever the zoom (the wall).
#pragma once

#include "common/input_help.h"

#include "electrical/one_line_islands.h"
#include "electrical/one_line_layout.h"
#include "electrical/one_line_overview.h"
#include "electrical/one_line_palette.h"

#include "twin/query/data_quality.h"
#include "twin/query/series_query.h"
#include "twin/session/session.h"

#include <QElapsedTimer>
#include <QGraphicsView>
#include <QTimer>

#include <vector>

class QGraphicsScene;
class QGraphicsItem;
class QGraphicsRectItem;
class QGraphicsSimpleTextItem;

namespace views {

class OneLineNodeItem;
class OneLineEdgeItem;

class OneLineDiagram : public QGraphicsView {
    Q_OBJECT
public:
    // The keys and mouse gestures this view answers (Help ▸ Keyboard shortcuts).
    static std::vector<InputHelp> inputHelp();
    explicit OneLineDiagram(twin::Session& session, QWidget* parent = nullptr);
    ~OneLineDiagram() override;

    const OneLineLayout& layout() const { return layout_; }

    enum class Level { Overview, Detail };
    Level level() const { return level_; }
    // The view's scale at which the overview gives way to the details.
    double detailEntryScale() const;
    // The details, `scale` (0: the entry scale) centred on a point of the scene.
    void showDetail(const QPointF& sceneCentre, double scale = 0);
    void showOverview();
    // An island's details (lane index of layout()): its whole height, from its sources.
    void showIsland(int lane);
    // The details centred on an asset (a rack, row or GPU: the hall that holds it), zoomed so
    // that its item is whole in the view. False if it has no place in the diagram.
    bool locate(twin::AssetIndex a);

    // The wall: dark palette, overview level only.
    void setDark(bool dark);
    bool isDark() const { return palette_.dark; }
    const OneLinePalette& palette() const { return palette_; }
    void setOverviewOnly(bool on);
    bool overviewOnly() const { return overviewOnly_; }
    // The overview's largest type in pixels (the wall sets it from its base type size).
    void setOverviewMaxTextPx(double px);

    // The overview as last drawn (for tests and other views): each island's figures at the
    // clock's time (kept up to date while the overview is shown), its block in viewport pixels,
    // the figures' pixel size.
    const std::vector<IslandFigures>& islandFigures() const { return figures_; }
    OverviewGeometry overviewGeometry() const;

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

    // Dash animation (on while the details are visible); the flow directions follow the data
    // whether it runs or not.
    void setAnimated(bool on);

public slots:
    void fitDiagram();        // the fitted state: the overview
    void locateSelection();   // L

protected:
    void wheelEvent(QWheelEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void mouseDoubleClickEvent(QMouseEvent* e) override;
    void showEvent(QShowEvent* e) override;
    void hideEvent(QHideEvent* e) override;
    void drawBackground(QPainter* p, const QRectF& rect) override;
    void drawForeground(QPainter* p, const QRectF& rect) override;
    bool event(QEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;
    void contextMenuEvent(QContextMenuEvent* e) override;

private:
    void rebuild();          // a store was opened: the campus may differ
    void updateValues();     // the clock's time or the data changed
    void updateSelection();
    void onSelectionChanged();
    void setLevel(Level level);
    void applyPalette();
    int blockAt(const QPoint& viewportPos) const;
    bool isOwnKey(const QKeyEvent* e) const;
    double fitAllScale() const;
    QRectF homeSceneRect() const;   // the diagram and a margin
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
    Level level_ = Level::Overview;
    bool overviewOnly_ = false;
    bool selectingHere_ = false;      // a click in the diagram is selecting: do not locate
    double overviewMaxTextPx_ = 40;
    OneLinePalette palette_ = OneLinePalette::light();
    QGraphicsItem* detailRoot_ = nullptr;   // parent of every item of the details
    std::vector<QGraphicsRectItem*> laneBands_, gridBoxes_;
    std::vector<QGraphicsSimpleTextItem*> laneTitles_;
    IslandFigureReader islandReader_;
    std::vector<IslandFigures> figures_;
    QPoint pressPos_;
    QPoint lastDragPos_;
    bool pressed_ = false, dragging_ = false;
};

} // namespace views
