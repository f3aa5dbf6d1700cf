#include "electrical/one_line_diagram.h"

#include "common/hmi_colours.h"

#include "common/state_words.h"
#include "common/time_format.h"
#include "electrical/one_line_symbols.h"

#include "twin/query/series_query.h"

#include <QAction>
#include <QContextMenuEvent>
#include <QFontMetricsF>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QStyleOptionGraphicsItem>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using twin::AssetIndex;
using twin::AssetKind;
using twin::kNoAsset;

namespace views {

namespace {

// Colours (docs/views.md, "One-line diagram"); the greys come from the palette
// (one_line_palette.h).
// States after ISA-101 (common/hmi_colours.h): greys when normal, red only when tripped.
const QColor kTripped = hmi::kAlarm;          // tripped, faulted; over rating
const QColor kFlow(0x1a, 0x73, 0xe8);         // the moving dashes
const QColor kPath(0x00, 0xbc, 0xd4);         // the selection's supply path
const QColor kSelected(0x6a, 0x1b, 0x9a);

constexpr double kNoFlowMw = 0.0005;          // |MW| below this: no flow drawn
constexpr int kFrameMs = 50;                  // 20 Hz
constexpr double kMinLabelPx = 5;             // labels smaller than this on screen are not drawn
constexpr double kReadableScale = 0.5;        // smaller than this, labels are not drawn: the overview instead
constexpr double kLocateScale = 1.0;          // a located asset: its labels at their size (10 px)

// An empty parent: the details are shown and hidden together.
class DetailRoot : public QGraphicsItem {
public:
    DetailRoot() { setFlag(QGraphicsItem::ItemHasNoContents); }
    QRectF boundingRect() const override { return {}; }
    void paint(QPainter*, const QStyleOptionGraphicsItem*, QWidget*) override {}
};

QColor stateColour(AssetKind kind, int code) { return hmi::plantStateColour(kind, code); }

// The readable name's last part ("Titan 12", "Bus mv-a"); a feeder keeps what it feeds
// ("Hall 2 · F1").
QString shortName(const twin::Asset& a) {
    const QStringList parts = QString::fromStdString(a.name).split(QString::fromUtf8(" \xC2\xB7 "));
    if (parts.isEmpty()) return QString::fromStdString(a.id);
    QString last = parts.back();
    if (a.kind == AssetKind::Feeder) {
        last.replace("Feeder ", "F");
        if (parts.size() >= 2) return parts[parts.size() - 2] + " \xC2\xB7 " + last;
    }
    return last;
}

QString mw(double v) { return formatValue(v) + " MW"; }

} // namespace

// ---- items ----------------------------------------------------------------------------------

class OneLineNodeItem : public QGraphicsItem {
public:
    OneLineNodeItem(const OneLineNode& node, AssetKind kind, bool inGrid, const OneLinePalette& palette)
        : node_(node), kind_(kind), inGrid_(inGrid), pal_(palette) {
        setCacheMode(QGraphicsItem::DeviceCoordinateCache);
        // A bus's label lies on an opaque plate: a bar that starts lower is drawn over one
        // that starts higher, so its label stays readable where bars of a column overlap.
        setZValue(node.vertical ? 1 + node.symbol.top() / 1e7 : 2);
    }
    QRectF boundingRect() const override { return node_.cell.united(breakerBox()).adjusted(-5, -5, 5, 5); }
    QPainterPath shape() const override {
        QPainterPath p;
        p.addRect(node_.cell.united(breakerBox()));
        return p;
    }

    void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
        p->setRenderHint(QPainter::Antialiasing, true);
        const QRectF sym = node_.symbol;
        if (highlighted || selected) {   // a halo under the symbol
            const QColor c = selected ? kSelected : kPath;
            p->setPen(QPen(QColor(c.red(), c.green(), c.blue(), 150), node_.vertical ? 8 : 5));
            p->setBrush(Qt::NoBrush);
            if (node_.vertical)
                p->drawLine(QPointF(sym.center().x(), sym.top()), QPointF(sym.center().x(), sym.bottom()));
            else
                p->drawRoundedRect(sym.adjusted(-3, -3, 3, 3), 3, 3);
        }
        SymbolStyle style;
        style.line = pal_.ink;
        style.background = pal_.symbolBack;
        style.fill = faceAmount > 0 ? pal_.face(fill, faceAmount) : pal_.symbolBack;
        style.level = level;
        style.closed = closed;
        if (overloaded) {
            style.line = kTripped;
            style.lineWidth = 2.5;
        }
        if (quality != twin::query::DataQuality::Good) {   // the values are not fresh: lilac / grey
            style.fill = hmi::withQuality(style.fill, quality);
            style.line = hmi::withQuality(style.line, quality);
        }
        drawOneLineSymbol(*p, kind_, sym, style);
        if (breaker >= 0) {
            SymbolStyle b;
            b.closed = breaker == 1;
            b.background = pal_.symbolBack;
            b.line = breakerAlarm ? kTripped : pal_.ink;   // open and normal: hollow, not red
            drawBreaker(*p, breakerBox(), b);
        }
        // The label, when it would be readable: zoomed far out (a whole large campus fitted)
        // the symbols and flows carry the picture, and the labels come back as one zooms in.
        const double lod = QStyleOptionGraphicsItem::levelOfDetailFromTransform(p->worldTransform());
        if (lod * (inGrid_ ? 9 : 10) < kMinLabelPx) return;
        QFont f = p->font();
        f.setPixelSize(inGrid_ ? 9 : 10);
        p->setFont(f);
        const QFontMetricsF fm(f);
        const double lineH = inGrid_ ? 10 : 11;
        if (node_.vertical) {
            p->setPen(Qt::NoPen);
            p->setBrush(pal_.plate);
            p->drawRoundedRect(node_.label.adjusted(-2, -1, 2, 1), 2, 2);
        }
        for (int i = 0; i < lines.size(); ++i) {
            QRectF r(node_.label.left(), node_.label.top() + i * lineH, node_.label.width(), lineH);
            const bool emphasised = i == lineColour.first && lineColour.second.isValid();
            QColor pen = emphasised ? lineColour.second : (i == 0 ? pal_.text : pal_.muted);
            if (i > 0 && quality != twin::query::DataQuality::Good)
                pen = pal_.dark ? hmi::withQuality(pal_.muted, quality) : hmi::withQuality(pal_.muted, quality).darker(140);
            p->setPen(pen);
            const Qt::Alignment align =
                node_.vertical || inGrid_ ? Qt::AlignRight : Qt::AlignHCenter;
            p->drawText(r, align | Qt::AlignVCenter, fm.elidedText(lines[i], Qt::ElideRight, r.width()));
        }
    }

    QRectF breakerBox() const {
        if (!twin::isSource(kind_)) return {};
        if (inGrid_) return QRectF(node_.symbol.center().x() - 3, node_.symbol.bottom() + 4, 6, 6);
        return QRectF(node_.symbol.right() + 6, node_.symbol.center().y() - 4, 8, 8);
    }

    void refresh() { update(); }

    const OneLineNode& node_;
    AssetKind kind_;
    bool inGrid_;
    const OneLinePalette& pal_;
    QStringList lines;
    std::pair<int, QColor> lineColour{-1, QColor()};   // one line in a state colour
    QColor fill = Qt::white;     // the state colour, drawn as the palette's face of it
    double faceAmount = 0;       // how much of it (0: the palette's empty face)
    double level = -1;
    bool closed = true;
    int breaker = -1;          // sources: 1 closed, 0 open
    bool breakerAlarm = false; // open because tripped or faulted
    twin::query::DataQuality quality = twin::query::DataQuality::Good;
    bool highlighted = false, selected = false, overloaded = false;
};

class OneLineEdgeItem : public QGraphicsItem {
public:
    OneLineEdgeItem(const OneLineEdge& e, const OneLinePalette& palette) : edge_(e), pal_(palette) {
        for (std::size_t i = 0; i < e.path.size(); ++i) i == 0 ? path_.moveTo(e.path[i]) : path_.lineTo(e.path[i]);
        for (std::size_t i = e.path.size(); i-- > 0;) i + 1 == e.path.size() ? reverse_.moveTo(e.path[i]) : reverse_.lineTo(e.path[i]);
        bounds_ = path_.boundingRect().adjusted(-6, -6, 6, 6);
        setZValue(0);
    }
    QRectF boundingRect() const override { return bounds_; }
    QPainterPath shape() const override { return {}; }   // clicks go to the nodes

    void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
        p->setRenderHint(QPainter::Antialiasing, true);
        p->setBrush(Qt::NoBrush);
        if (highlighted) {
            p->setPen(QPen(QColor(kPath.red(), kPath.green(), kPath.blue(), 140), 7, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            p->drawPath(path_);
        }
        p->setPen(QPen(direction ? pal_.ink : (pal_.dark ? pal_.laneBorder.lighter(130) : hmi::kStandby), 1.1));
        p->drawPath(path_);
        if (direction == 0) return;
        // Dashes moving along the flow: the pen's dash offset runs backwards, so the dashes
        // advance; a reverse flow draws the path from its end.
        const double width = 1.6 + 2.4 * std::min(loading, 1.25);
        QPen dash(overloaded ? kTripped : kFlow, width, Qt::CustomDashLine, Qt::FlatCap, Qt::MiterJoin);
        dash.setDashPattern({2.5, 3.0});
        dash.setDashOffset(-phase / width);
        p->setPen(dash);
        p->drawPath(direction > 0 ? path_ : reverse_);
    }

    const OneLineEdge& edge_;
    const OneLinePalette& pal_;
    QPainterPath path_, reverse_;
    QRectF bounds_;
    int direction = 0;
    double mw = 0, loading = 0, phase = 0;
    bool highlighted = false, overloaded = false;
};

// ---- the view -------------------------------------------------------------------------------

OneLineDiagram::OneLineDiagram(twin::Session& session, QWidget* parent) : QGraphicsView(parent), session_(session) {
    setObjectName("oneLineDiagram");
    scene_ = new QGraphicsScene(this);
    setScene(scene_);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);   // a located asset stays centred as the dock resizes
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setDragMode(QGraphicsView::NoDrag);
    setMouseTracking(false);
    animation_.setInterval(kFrameMs);
    connect(&animation_, &QTimer::timeout, this, &OneLineDiagram::tick);
    connect(&session_, &twin::Session::opened, this, &OneLineDiagram::rebuild);
    connect(&session_, &twin::Session::stateChanged, this, &OneLineDiagram::updateValues);
    connect(&session_, &twin::Session::selectionChanged, this, &OneLineDiagram::onSelectionChanged);
    // Locate the selection: its context menu, and L while the diagram has focus (a key taken in
    // event(), not a QAction shortcut: the review's window-wide L would make it ambiguous).
    auto* locateAction = new QAction("Locate selection\tL", this);
    locateAction->setObjectName("oneLineLocate");
    connect(locateAction, &QAction::triggered, this, &OneLineDiagram::locateSelection);
    addAction(locateAction);
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);   // the overview: nothing to scroll
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    if (session_.isOpen()) rebuild();
}

OneLineDiagram::~OneLineDiagram() = default;

void OneLineDiagram::rebuild() {
    scene_->clear();
    detailRoot_ = new DetailRoot;
    detailRoot_->setVisible(level_ == Level::Detail);
    scene_->addItem(detailRoot_);
    laneBands_.clear();
    laneTitles_.clear();
    gridBoxes_.clear();
    figures_.clear();
    islandReader_ = {};
    nodes_.clear();
    edges_.clear();
    channels_.clear();
    itemOfAsset_.clear();
    layout_ = {};
    if (!session_.isOpen()) return;
    const twin::Campus& campus = session_.campus();
    layout_ = layoutOneLine(campus);
    itemOfAsset_.assign(campus.assets.size(), -1);
    // Names: a grid unit by the last part of its id ("mp07"), other items by the last part of
    // their name ("Transformer 2"); where two items of a lane would read the same, by the end
    // of their id ("gtl1", else "sub63/tx01").
    names_.clear();
    auto idTail = [&](const twin::Asset& a, int parts) {
        std::size_t cut = a.id.size();
        for (int k = 0; k < parts && cut != std::string::npos && cut > 0; ++k) cut = a.id.rfind('/', cut - 1);
        return QString::fromStdString(cut == std::string::npos ? a.id : a.id.substr(cut + 1));
    };
    std::vector<QString> names;
    for (const OneLineNode& n : layout_.nodes)
        names.push_back(n.grid >= 0 ? idTail(campus.assets[n.asset], 1) : shortName(campus.assets[n.asset]));
    for (int parts = 1; parts <= 2; ++parts) {
        std::map<std::pair<int, QString>, int> uses;
        for (std::size_t i = 0; i < names.size(); ++i) ++uses[{layout_.nodes[i].lane, names[i]}];
        for (std::size_t i = 0; i < names.size(); ++i)
            if (uses[{layout_.nodes[i].lane, names[i]}] > 1) names[i] = idTail(campus.assets[layout_.nodes[i].asset], parts);
    }
    names_ = std::move(names);

    // Lanes: a band with the island's sites as title.
    for (const OneLineLane& lane : layout_.lanes) {
        auto* band = new QGraphicsRectItem(lane.rect, detailRoot_);
        band->setPen(Qt::NoPen);
        band->setZValue(-2);
        laneBands_.push_back(band);
        auto* title = new QGraphicsSimpleTextItem(lane.title.isEmpty() ? QString("Island") : lane.title, detailRoot_);
        QFont f = title->font();
        f.setPixelSize(14);
        f.setBold(true);
        title->setFont(f);
        title->setPos(lane.rect.left() + 12, lane.rect.top() + 8);
        title->setZValue(-1);
        laneTitles_.push_back(title);
    }
    for (const OneLineGrid& g : layout_.grids) {
        auto* r = new QGraphicsRectItem(g.rect.adjusted(-3, -3, 3, 3), detailRoot_);
        r->setBrush(Qt::NoBrush);
        r->setZValue(-1);
        gridBoxes_.push_back(r);
    }
    applyPalette();
    for (const OneLineEdge& e : layout_.edges) {
        auto* item = new OneLineEdgeItem(e, palette_);
        item->setParentItem(detailRoot_);
        edges_.push_back(item);
    }
    for (std::size_t i = 0; i < layout_.nodes.size(); ++i) {
        const OneLineNode& n = layout_.nodes[i];
        const twin::Asset& a = campus.assets[n.asset];
        auto* item = new OneLineNodeItem(n, a.kind, n.grid >= 0, palette_);
        item->setToolTip(QString::fromStdString(a.name) + "\n" + QString::fromStdString(a.id));
        item->setParentItem(detailRoot_);
        nodes_.push_back(item);
        itemOfAsset_[n.asset] = static_cast<std::int32_t>(i);
        NodeChannels c;
        using twin::query::findChannel;
        namespace series = twin::sim::series;
        const twin::StoreReader& r = session_.reader();
        if (twin::isSource(a.kind)) {
            c.power = findChannel<series::Source>(r, series::Source::Power, n.asset);
            c.state = findChannel<series::Source>(r, series::Source::State, n.asset);
        }
        if (a.kind == AssetKind::MegapackBlock) c.soc = findChannel<series::Megapack>(r, series::Megapack::Soc, n.asset);
        if (a.kind == AssetKind::Bus) c.frequency = findChannel<series::Bus>(r, series::Bus::Frequency, n.asset);
        if (a.kind == AssetKind::Transformer || a.kind == AssetKind::Feeder)
            c.flow = findChannel<series::Flow>(r, series::Flow::Power, n.asset);
        if (a.kind == AssetKind::Hall) c.itPower = findChannel<series::Hall>(r, series::Hall::ItPower, n.asset);
        // Its quality, where the store records one (stores from real telemetry): the quality
        // series of the series holding its main value.
        const char* mainSeries = twin::isSource(a.kind)                                              ? series::Source::name
                           : a.kind == AssetKind::Bus                                           ? series::Bus::name
                           : a.kind == AssetKind::Transformer || a.kind == AssetKind::Feeder ? series::Flow::name
                           : a.kind == AssetKind::Hall                                          ? series::Hall::name
                                                                                                : nullptr;
        if (mainSeries) c.quality = findChannel(r, twin::query::qualitySeriesName(mainSeries), "quality", n.asset);
        channels_.push_back(c);
    }
    scene_->setSceneRect(homeSceneRect());
    islandReader_ = IslandFigureReader(session_, layout_);
    fitted_ = false;
    if (isVisible()) fitDiagram();
    updateValues();
    updateSelection();
}

bool OneLineDiagram::read(const Channel& c, double& out) const {
    if (c.series == 0) return false;
    for (const twin::SeriesState& s : session_.state().series) {
        if (s.series != c.series) continue;
        if (!s.valid || c.quantity >= static_cast<int>(s.values.size())) return false;
        const auto& v = s.values[static_cast<std::size_t>(c.quantity)];
        if (c.position >= static_cast<std::int64_t>(v.size())) return false;
        out = v[static_cast<std::size_t>(c.position)];
        return true;
    }
    return false;
}

void OneLineDiagram::updateValues() {
    if (!session_.isOpen() || nodes_.empty()) return;
    const twin::Campus& campus = session_.campus();
    const QString none = QString::fromUtf8("\xE2\x80\x94");   // an em dash: no data
    // Every node's value in MW with a sign (sources: + generating / discharging; branches: +
    // along the feeds), NaN when not recorded.
    std::vector<double> value(nodes_.size(), std::nan(""));
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        OneLineNodeItem& item = *nodes_[i];
        const OneLineNode& n = layout_.nodes[i];
        const twin::Asset& a = campus.assets[n.asset];
        const NodeChannels& c = channels_[i];
        QStringList lines{names_[i]};
        std::pair<int, QColor> lineColour{-1, QColor()};
        QColor fill = Qt::white;
        double faceAmount = 0;
        double level = -1;
        int breaker = -1;
        bool breakerAlarm = false;
        double v = 0;
        if (twin::isSource(a.kind)) {
            double power = 0, state = 0;
            const bool hasPower = read(c.power, power), hasState = read(c.state, state);
            if (hasPower) value[i] = power;
            lines << (hasPower ? mw(power) : none + " MW");
            const int code = hasState ? static_cast<int>(std::lround(state)) : -1;
            breaker = hasState ? (code == 3 ? 1 : 0) : -1;
            breakerAlarm = hasState && hmi::isAlarmState(code);
            if (a.kind == AssetKind::MegapackBlock) {
                double soc = 0;
                if (read(c.soc, soc)) {
                    lines << "SoC " + formatValue(soc) + " %";
                    level = soc / 100;
                } else {
                    lines << "SoC " + none;
                }
                // Charging or discharging is normal: grey, the level shows the charge and the
                // flow's dashes the direction.
                fill = stateColour(a.kind, code);
                faceAmount = hmi::isAlarmState(code) ? 0.45 : 0.3;
                if (hasState && code != 3) lineColour = {2, stateColour(a.kind, code)};
            } else {
                lines << (hasState ? sourceStateWord(code, a.kind).value_or("?") : none);
                if (hasState && (code != 3 || a.kind == AssetKind::GridTie)) lineColour = {2, stateColour(a.kind, code)};
                fill = stateColour(a.kind, code);
                faceAmount = hasState ? (a.kind == AssetKind::Turbine ? 0.45 : 0.3) : 0;
            }
        } else if (a.kind == AssetKind::Bus) {
            lines << (a.voltageKv > 0 ? formatValue(a.voltageKv) + " kV" : none + " kV");
            lines << (read(c.frequency, v) ? formatValue(v) + " Hz" : none + " Hz");
        } else if (a.kind == AssetKind::Transformer) {
            if (read(c.flow, v)) value[i] = v;
            lines << (read(c.flow, v) ? mw(v) : none + " MW");
        } else if (a.kind == AssetKind::Feeder) {
            if (read(c.flow, v)) value[i] = v;
            lines[0] += " \xC2\xB7 " + (read(c.flow, v) ? mw(v) : none + " MW");
        } else if (a.kind == AssetKind::Hall) {
            if (read(c.itPower, v)) value[i] = v;
            lines << "IT " + (read(c.itPower, v) ? mw(v) : none + " MW");
        }
        item.quality = twin::query::DataQuality::Good;
        if (!c.quality.empty()) {
            double code = 0;
            item.quality = read(c.quality, code) ? twin::query::qualityFromCode(static_cast<float>(code))
                                                 : twin::query::DataQuality::Missing;
            // Said on the last line ("running · stale"): the label has no room for one more. A
            // missing value is a writer's placeholder: not shown at all.
            if (item.quality == twin::query::DataQuality::Missing) lines = QStringList{names_[i], none};
            if (item.quality != twin::query::DataQuality::Good)
                lines.back() += QString::fromUtf8(" \xC2\xB7 ") + twin::query::qualityWord(item.quality);
        }
        item.lines = lines;
        item.breakerAlarm = breakerAlarm;
        item.lineColour = lineColour;
        item.fill = fill;
        item.faceAmount = faceAmount;
        item.level = level;
        item.breaker = breaker;
    }
    // A cooling plant draws what its feeders carry.
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const twin::Asset& a = campus.assets[layout_.nodes[i].asset];
        if (a.kind != AssetKind::CoolingPlant) continue;
        double sum = 0;
        bool any = false;
        for (AssetIndex s : campus.suppliers(layout_.nodes[i].asset))
            if (itemOfAsset_[s] >= 0 && !std::isnan(value[static_cast<std::size_t>(itemOfAsset_[s])])) {
                sum += value[static_cast<std::size_t>(itemOfAsset_[s])];
                any = true;
            }
        if (any) value[i] = sum;
        nodes_[i]->lines << (any ? mw(sum) : none + " MW");
    }
    // Over their rating: sources, transformers, feeders, loads.
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const twin::Asset& a = campus.assets[layout_.nodes[i].asset];
        const bool over = a.ratingMw > 0 && !std::isnan(value[i]) && std::abs(value[i]) > a.ratingMw * 1.001;
        nodes_[i]->overloaded = over;
        nodes_[i]->refresh();
    }
    // Edges: the flow of the element that carries them (a source, a transformer or feeder at
    // either end, else the load fed), signed along the edge.
    for (OneLineEdgeItem* e : edges_) {
        const int fi = itemOfAsset_[e->edge_.from], ti = itemOfAsset_[e->edge_.to];
        const twin::Asset& from = campus.assets[e->edge_.from];
        const twin::Asset& to = campus.assets[e->edge_.to];
        double v = std::nan(""), rating = 0;
        bool over = false;
        auto carriedBy = [&](int idx, const twin::Asset& a, double sign) {
            if (!std::isnan(v) || idx < 0 || std::isnan(value[static_cast<std::size_t>(idx)])) return;
            v = sign * value[static_cast<std::size_t>(idx)];
            rating = a.ratingMw;
            over = nodes_[static_cast<std::size_t>(idx)]->overloaded;
        };
        if (twin::isSource(from.kind)) carriedBy(fi, from, 1);
        if (twin::isSource(to.kind)) carriedBy(ti, to, -1);   // a source fed by a bus: in when charging
        if (from.kind == AssetKind::Transformer || from.kind == AssetKind::Feeder) carriedBy(fi, from, 1);
        if (to.kind == AssetKind::Transformer || to.kind == AssetKind::Feeder) carriedBy(ti, to, 1);
        if (to.kind == AssetKind::Hall || to.kind == AssetKind::CoolingPlant) carriedBy(ti, to, 1);
        e->mw = std::isnan(v) ? 0 : v;
        e->direction = std::isnan(v) || std::abs(v) < kNoFlowMw ? 0 : (v > 0 ? 1 : -1);
        e->loading = rating > 0 ? std::abs(e->mw) / rating : 0.5;
        e->overloaded = over;
        e->update();
    }
    // The islands' figures: only while the overview shows them (they cost an events query).
    if (level_ == Level::Overview) {
        figures_ = islandReader_.read(session_);
        viewport()->update();
    }
}

void OneLineDiagram::updateSelection() {
    if (!session_.isOpen()) return;
    const twin::Campus& campus = session_.campus();
    const twin::Selection& s = session_.selection();
    const AssetIndex a = s.gpu >= 0 ? campus.rackOfGpu(s.gpu) : s.asset;
    std::vector<char> on(campus.assets.size(), 0);
    if (a != kNoAsset)
        for (AssetIndex x : supplyPath(campus, a)) on[x] = 1;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const AssetIndex x = layout_.nodes[i].asset;
        const bool h = on[x] != 0, sel = x == a;
        if (nodes_[i]->highlighted != h || nodes_[i]->selected != sel) {
            nodes_[i]->highlighted = h;
            nodes_[i]->selected = sel;
            nodes_[i]->refresh();
        }
    }
    for (OneLineEdgeItem* e : edges_) {
        const bool h = on[e->edge_.from] && on[e->edge_.to];
        if (e->highlighted != h) {
            e->highlighted = h;
            e->update();
        }
    }
}

void OneLineDiagram::tick() {
    const double dt = std::min(0.2, clock_.restart() / 1000.0);
    for (OneLineEdgeItem* e : edges_) {
        if (e->direction == 0) continue;
        e->phase += dt * (12 + 60 * std::min(e->loading, 1.5));   // scene units per second
        e->update();
    }
}

void OneLineDiagram::setAnimated(bool on) {
    animated_ = on;
    if (on && isVisible() && level_ == Level::Detail) {
        clock_.start();
        animation_.start();
    } else {
        animation_.stop();
    }
}

void OneLineDiagram::fitDiagram() {
    fitted_ = true;
    showOverview();
}

double OneLineDiagram::fitAllScale() const {
    const QRectF r = layout_.bounds;
    if (r.isEmpty()) return 1;
    return std::min(viewport()->width() / std::max(1.0, r.width()), viewport()->height() / std::max(1.0, r.height()));
}

double OneLineDiagram::detailEntryScale() const { return std::clamp(std::max(kReadableScale, fitAllScale() * 0.98), 0.05, 1.5); }

void OneLineDiagram::setLevel(Level level) {
    if (overviewOnly_) level = Level::Overview;
    if (level == Level::Overview && level_ != Level::Overview && session_.isOpen()) figures_ = islandReader_.read(session_);
    level_ = level;
    if (detailRoot_) detailRoot_->setVisible(level == Level::Detail);
    if (!overviewOnly_) {
        const Qt::ScrollBarPolicy bars = level == Level::Detail ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff;
        setHorizontalScrollBarPolicy(bars);
        setVerticalScrollBarPolicy(bars);
    }
    // The dashes move only where they are seen.
    if (level == Level::Detail) setAnimated(animated_);
    else animation_.stop();
    viewport()->update();
}

void OneLineDiagram::showOverview() {
    scene_->setSceneRect(homeSceneRect());
    resetTransform();
    if (!layout_.bounds.isEmpty()) {
        const double s = std::clamp(fitAllScale() * 0.98, 0.02, 1.5);
        scale(s, s);
        centerOn(layout_.bounds.center());
    }
    setLevel(Level::Overview);
}

void OneLineDiagram::showDetail(const QPointF& centre, double s) {
    if (overviewOnly_ || layout_.nodes.empty()) return;
    fitted_ = true;
    if (s <= 0) s = detailEntryScale();
    setLevel(Level::Detail);
    resetTransform();
    scale(s, s);
    // Room to centre an asset at the diagram's edge: the scene grows by what the view needs.
    const QSizeF half(viewport()->width() / (2 * s), viewport()->height() / (2 * s));
    scene_->setSceneRect(homeSceneRect().united(QRectF(centre - QPointF(half.width(), half.height()), 2 * half)));
    centerOn(centre);
}

QRectF OneLineDiagram::homeSceneRect() const { return layout_.bounds.adjusted(-40, -40, 40, 40); }

void OneLineDiagram::showIsland(int lane) {
    if (lane < 0 || lane >= static_cast<int>(layout_.lanes.size())) return;
    const QRectF r = layout_.lanes[static_cast<std::size_t>(lane)].rect;
    const double fit = std::min(viewport()->width() / std::max(1.0, r.width()), viewport()->height() / std::max(1.0, r.height())) * 0.98;
    const double s = std::max(fit, detailEntryScale());
    // Wider than the view at that scale: from its left end, where its sources are.
    const double halfW = viewport()->width() / (2 * s);
    const double x = r.width() / 2 > halfW ? r.left() + halfW : r.center().x();
    showDetail(QPointF(x, r.center().y()), s);
}

bool OneLineDiagram::locate(AssetIndex a) {
    if (!session_.isOpen() || overviewOnly_) return false;
    const twin::Campus& campus = session_.campus();
    for (int guard = 0; a != kNoAsset && a >= 0 && a < static_cast<AssetIndex>(campus.assets.size()) && !hasItem(a) && guard < 16; ++guard)
        a = campus.assets[static_cast<std::size_t>(a)].parent;   // a rack, row or GPU: up to its hall
    if (!hasItem(a)) return false;
    const QRectF r = itemRect(a);
    // Labels at their own size (1x) or the current zoom if larger; less if the item would not fit.
    const double readable = std::max(kLocateScale, detailEntryScale());
    double s = level_ == Level::Detail ? std::max(transform().m11(), readable) : readable;
    const double fit = std::min(viewport()->width() / std::max(1.0, r.width()), viewport()->height() / std::max(1.0, r.height())) * 0.9;
    s = std::min(s, fit);
    showDetail(r.center(), s);
    return true;
}

void OneLineDiagram::locateSelection() {
    if (!session_.isOpen()) return;
    const twin::Selection& sel = session_.selection();
    locate(sel.gpu >= 0 ? session_.campus().rackOfGpu(sel.gpu) : sel.asset);
}

void OneLineDiagram::onSelectionChanged() {
    updateSelection();
    // Selected elsewhere: bring the asset into view. Selected here: the user is looking at it.
    if (!selectingHere_) locateSelection();
}

void OneLineDiagram::setDark(bool dark) {
    if (palette_.dark == dark) return;
    palette_ = dark ? OneLinePalette::darkGrey() : OneLinePalette::light();
    applyPalette();
}

void OneLineDiagram::applyPalette() {
    for (QGraphicsRectItem* band : laneBands_) band->setBrush(palette_.lane);
    for (QGraphicsSimpleTextItem* title : laneTitles_) title->setBrush(palette_.muted);
    for (QGraphicsRectItem* box : gridBoxes_) box->setPen(QPen(palette_.laneBorder, 1, Qt::DashLine));
    for (OneLineNodeItem* n : nodes_) n->update();
    for (OneLineEdgeItem* e : edges_) e->update();
    setBackgroundBrush(palette_.background);
    viewport()->update();
}

void OneLineDiagram::setOverviewOnly(bool on) {
    overviewOnly_ = on;
    if (on) showOverview();
}

void OneLineDiagram::setOverviewMaxTextPx(double px) {
    overviewMaxTextPx_ = std::max(8.0, px);
    viewport()->update();
}

OverviewGeometry OneLineDiagram::overviewGeometry() const {
    return layoutOverview(QSizeF(viewport()->size()), figures_, overviewMaxTextPx_);
}

int OneLineDiagram::blockAt(const QPoint& pos) const {
    const OverviewGeometry g = overviewGeometry();
    for (std::size_t i = 0; i < g.blocks.size(); ++i)
        if (g.blocks[i].contains(pos)) return static_cast<int>(i);
    return -1;
}

// ---- queries ----------------------------------------------------------------------------------

bool OneLineDiagram::hasItem(AssetIndex a) const {
    return a >= 0 && a < static_cast<AssetIndex>(itemOfAsset_.size()) && itemOfAsset_[a] >= 0;
}

QRectF OneLineDiagram::itemRect(AssetIndex a) const {
    if (!hasItem(a)) return {};
    return nodes_[static_cast<std::size_t>(itemOfAsset_[a])]->sceneBoundingRect();
}

QString OneLineDiagram::labelText(AssetIndex a) const {
    if (!hasItem(a)) return {};
    return nodes_[static_cast<std::size_t>(itemOfAsset_[a])]->lines.join('\n');
}

int OneLineDiagram::flowDirection(AssetIndex from, AssetIndex to) const {
    for (const OneLineEdgeItem* e : edges_)
        if (e->edge_.from == from && e->edge_.to == to) return e->direction;
    return 0;
}

double OneLineDiagram::flowMw(AssetIndex from, AssetIndex to) const {
    for (const OneLineEdgeItem* e : edges_)
        if (e->edge_.from == from && e->edge_.to == to) return e->mw;
    return 0;
}

std::vector<AssetIndex> OneLineDiagram::highlightedAssets() const {
    std::vector<AssetIndex> out;
    for (std::size_t i = 0; i < nodes_.size(); ++i)
        if (nodes_[i]->highlighted) out.push_back(layout_.nodes[i].asset);
    std::sort(out.begin(), out.end());
    return out;
}

int OneLineDiagram::highlightedEdges() const {
    return static_cast<int>(std::count_if(edges_.begin(), edges_.end(), [](const OneLineEdgeItem* e) { return e->highlighted; }));
}

bool OneLineDiagram::isOverloaded(AssetIndex a) const {
    return hasItem(a) && nodes_[static_cast<std::size_t>(itemOfAsset_[a])]->overloaded;
}

QRectF OneLineDiagram::symbolRect(AssetIndex a) const {
    return hasItem(a) ? layout_.nodes[static_cast<std::size_t>(itemOfAsset_[a])].symbol : QRectF();
}

twin::query::DataQuality OneLineDiagram::quality(AssetIndex a) const {
    return hasItem(a) ? nodes_[static_cast<std::size_t>(itemOfAsset_[a])]->quality : twin::query::DataQuality::Good;
}

QPoint OneLineDiagram::viewPointOf(AssetIndex a) {
    if (!hasItem(a)) return {-1, -1};
    const OneLineNode& n = layout_.nodes[static_cast<std::size_t>(itemOfAsset_[a])];
    // The symbol's centre (a bus: the middle of its bar, below its label).
    const QPointF c = n.symbol.center();
    if (level_ == Level::Overview) showDetail(c);
    centerOn(c);
    return mapFromScene(c);
}

AssetIndex OneLineDiagram::assetAt(const QPoint& pos) const {
    for (QGraphicsItem* item : items(pos))
        if (auto* node = dynamic_cast<OneLineNodeItem*>(item)) return node->node_.asset;
    // A bus bar is thin: accept a click a few pixels beside it.
    for (QGraphicsItem* item : items(QRect(pos - QPoint(4, 4), QSize(9, 9))))
        if (auto* node = dynamic_cast<OneLineNodeItem*>(item)) return node->node_.asset;
    return kNoAsset;
}

// ---- interaction ------------------------------------------------------------------------------

void OneLineDiagram::wheelEvent(QWheelEvent* e) {
    const double steps = e->angleDelta().y() / 120.0;
    e->accept();
    if (steps == 0 || layout_.nodes.empty()) return;
    if (level_ == Level::Overview) {
        if (steps < 0 || overviewOnly_) return;
        // Into the details, centred on the point of the island under the pointer (its block
        // stands for the island's lane: the same relative place).
        const QPointF pos = e->position();
        const OverviewGeometry g = overviewGeometry();
        int block = blockAt(pos.toPoint());
        if (block < 0 || block >= static_cast<int>(layout_.lanes.size())) {
            // Between blocks: the nearest one.
            double best = 1e18;
            for (std::size_t i = 0; i < g.blocks.size() && i < layout_.lanes.size(); ++i) {
                const QPointF d = g.blocks[i].center() - pos;
                if (QPointF::dotProduct(d, d) < best) best = QPointF::dotProduct(d, d), block = static_cast<int>(i);
            }
        }
        if (block < 0) return;
        const QRectF b = g.blocks[static_cast<std::size_t>(block)];
        const QRectF lane = layout_.lanes[static_cast<std::size_t>(block)].rect;
        const double fx = std::clamp((pos.x() - b.left()) / std::max(1.0, b.width()), 0.0, 1.0);
        const double fy = std::clamp((pos.y() - b.top()) / std::max(1.0, b.height()), 0.0, 1.0);
        showDetail(QPointF(lane.left() + fx * lane.width(), lane.top() + fy * lane.height()));
        return;
    }
    const double factor = std::pow(1.2, steps);
    const double current = transform().m11();
    const double target = std::clamp(current * factor, 0.05, 6.0);
    // Zoomed out below the entry scale: the overview again.
    if (steps < 0 && target < detailEntryScale() * 0.999) {
        showOverview();
        return;
    }
    scale(target / current, target / current);
}

void OneLineDiagram::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return QGraphicsView::mousePressEvent(e);
    setFocus(Qt::MouseFocusReason);
    pressed_ = true;
    dragging_ = false;
    pressPos_ = lastDragPos_ = e->position().toPoint();
    e->accept();
}

void OneLineDiagram::mouseMoveEvent(QMouseEvent* e) {
    if (!pressed_) return QGraphicsView::mouseMoveEvent(e);
    const QPoint pos = e->position().toPoint();
    if (level_ == Level::Overview) return e->accept();   // nothing to pan
    if (!dragging_ && (pos - pressPos_).manhattanLength() > 4) {
        dragging_ = true;
        viewport()->setCursor(Qt::ClosedHandCursor);
    }
    if (dragging_) {
        const QPoint d = pos - lastDragPos_;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - d.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - d.y());
        lastDragPos_ = pos;
    }
    e->accept();
}

void OneLineDiagram::mouseReleaseEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton || !pressed_) return QGraphicsView::mouseReleaseEvent(e);
    pressed_ = false;
    if (dragging_) {
        dragging_ = false;
        viewport()->unsetCursor();
    } else if (level_ == Level::Overview) {
        // A click on an island's block: its details.
        const int block = blockAt(e->position().toPoint());
        if (block >= 0 && (e->position().toPoint() - pressPos_).manhattanLength() <= 4) showIsland(block);
    } else if (session_.isOpen()) {
        const AssetIndex a = assetAt(e->position().toPoint());
        if (a != kNoAsset) {
            twin::Selection s;
            s.asset = a;
            selectingHere_ = true;   // selected where it is seen: the view stays
            session_.select(s);
            selectingHere_ = false;
        }
    }
    e->accept();
}

void OneLineDiagram::mouseDoubleClickEvent(QMouseEvent* e) {
    if (e->button() == Qt::LeftButton && level_ == Level::Detail && assetAt(e->position().toPoint()) == kNoAsset) {
        showOverview();   // back to the fitted state
        e->accept();
        return;
    }
    mousePressEvent(e);
}

bool OneLineDiagram::isOwnKey(const QKeyEvent* e) const {
    if (e->modifiers() & ~Qt::KeypadModifier) return false;
    return e->key() == Qt::Key_L || (e->key() == Qt::Key_Escape && level_ == Level::Detail);
}

bool OneLineDiagram::event(QEvent* e) {
    // L and Escape with the focus here are the diagram's, before any window shortcut.
    if (e->type() == QEvent::ShortcutOverride && isOwnKey(static_cast<QKeyEvent*>(e))) {
        e->accept();
        return true;
    }
    return QGraphicsView::event(e);
}

void OneLineDiagram::keyPressEvent(QKeyEvent* e) {
    if (!isOwnKey(e)) return QGraphicsView::keyPressEvent(e);
    if (e->key() == Qt::Key_L) locateSelection();
    else showOverview();   // Escape: back to the overview
    e->accept();
}

void OneLineDiagram::contextMenuEvent(QContextMenuEvent* e) {
    QMenu menu(this);
    for (QAction* a : actions()) menu.addAction(a);
    if (!overviewOnly_) {
        menu.addSeparator();
        if (level_ == Level::Detail) menu.addAction("Overview", this, &OneLineDiagram::showOverview);
        else if (const int block = blockAt(e->pos()); block >= 0)
            menu.addAction("Details of this island", this, [this, block] { showIsland(block); });
    }
    menu.exec(e->globalPos());
}

void OneLineDiagram::showEvent(QShowEvent* e) {
    QGraphicsView::showEvent(e);
    if (!fitted_) fitDiagram();
    if (level_ == Level::Detail) setAnimated(animated_);
}

void OneLineDiagram::hideEvent(QHideEvent* e) {
    animation_.stop();
    QGraphicsView::hideEvent(e);
}

void OneLineDiagram::drawBackground(QPainter* p, const QRectF& rect) {
    p->fillRect(rect, palette_.background);
}

void OneLineDiagram::drawForeground(QPainter* p, const QRectF&) {
    if (level_ != Level::Overview) return;
    // The overview, in the viewport's pixels (the transform of the details does not apply).
    p->save();
    p->resetTransform();
    p->fillRect(viewport()->rect(), palette_.background);
    paintOverview(*p, overviewGeometry(), figures_, palette_);
    p->restore();
}

std::vector<InputHelp> OneLineDiagram::inputHelp() {
    return {{"Wheel", "One-line diagram: zoom; past the overview, the details of the island under the pointer"},
            {"Click on a block", "One-line diagram: the details of that island"},
            {"L", "One-line diagram: locate the selection"},
            {"Escape, double-click on empty space", "One-line diagram: back to the overview"}};
}

} // namespace views
