#include "compute/hall_floor_plan.h"

#include "common/series_lookup.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

using namespace twin;
using twin::sim::series::Gpu, twin::sim::series::Rack;

namespace views {

namespace {

constexpr double kMargin = 12;          // pixels around the hall when fitted
constexpr double kRowLabelRoom = 48;    // pixels left of the hall for "Row 12"
constexpr double kClickSlop = 4;        // a press and release closer than this is a click
const QColor kBackground(27, 30, 35);

// The last part of a readable name: "Colossus 1 · Hall 2 · Row 5" -> "Row 5".
QString lastPart(const std::string& name) {
    const QString s = QString::fromStdString(name);
    const int dot = s.lastIndexOf(QString::fromUtf8("· "));
    return dot < 0 ? s : s.mid(dot + 2);
}

// A box of the campus frame in the frame of `hall` (its centre the origin, its yaw undone).
QRectF inHallFrame(const Box& hall, const Box& b) {
    const double yaw = hall.yawDeg * std::numbers::pi / 180;
    const double c = std::cos(yaw), s = std::sin(yaw);
    const double dx = b.cx - hall.cx, dy = b.cy - hall.cy;
    const double u = c * dx + s * dy, v = -s * dx + c * dy;
    const double rel = (b.yawDeg - hall.yawDeg) * std::numbers::pi / 180;
    const bool across = std::abs(std::sin(rel)) > std::sqrt(0.5);   // turned by about 90 degrees
    const double w = across ? b.sy : b.sx, d = across ? b.sx : b.sy;
    return QRectF(u - w / 2, v - d / 2, w, d);
}

} // namespace

HallFloorPlan::HallFloorPlan(Session& session, AssetIndex hall, QWidget* parent)
    : QWidget(parent), session_(session), hall_(hall) {
    setObjectName("hallFloorPlan");
    setMinimumSize(160, 120);
    buildTiles();
    followSelection();
    connect(&session_, &Session::stateChanged, this, [this] {
        stale_ = true;
        update();
    });
    connect(&session_, &Session::selectionChanged, this, [this] {
        followSelection();
        update();
    });
}

void HallFloorPlan::buildTiles() {
    const Campus& campus = session_.campus();
    facts_ = rackFactsOf(campus);
    const Box& hallBox = campus.assets[static_cast<std::size_t>(hall_)].box;
    hallBox_ = QRectF(-hallBox.sx / 2, -hallBox.sy / 2, hallBox.sx, hallBox.sy);
    const auto& racks = campus.racks();
    for (std::size_t i = 0; i < racks.size(); ++i) {
        const Asset& rack = campus.assets[static_cast<std::size_t>(racks[i])];
        if (ancestorOfKind(campus, rack.parent, AssetKind::Hall) != hall_) continue;
        tileOfRack_[racks[i]] = static_cast<int>(tiles_.size());
        tiles_.push_back({racks[i], i, inHallFrame(hallBox, rack.box), lastPart(rack.name), rack.parent});
    }
    for (AssetIndex row : campus.children(hall_))
        if (campus.assets[static_cast<std::size_t>(row)].kind == AssetKind::Row)
            rows_.push_back({inHallFrame(hallBox, campus.assets[static_cast<std::size_t>(row)].box),
                             lastPart(campus.assets[static_cast<std::size_t>(row)].name)});
    values_.assign(tiles_.size(), std::numeric_limits<double>::quiet_NaN());
    inJob_.assign(tiles_.size(), 0);
}

void HallFloorPlan::setQuantity(RackQuantity q) {
    quantity_ = q;
    stale_ = true;
    update();
}

void HallFloorPlan::refresh() const {
    const SeriesState* rack = seriesAtClock<Rack>(session_);
    const SeriesState* gpu = seriesAtClock<Gpu>(session_);
    for (std::size_t k = 0; k < tiles_.size(); ++k)
        values_[k] = normalisedRackValue(session_.campus(), facts_, rack, gpu, tiles_[k].position, quantity_);
    stale_ = false;
}

void HallFloorPlan::followSelection() {
    const Selection& s = session_.selection();
    const AssetIndex rack = rackOfSelection(session_.campus(), s);
    selectedTile_ = tileIndex(rack);
    std::fill(inJob_.begin(), inJob_.end(), 0);
    jobRuns_.clear();
    jobSelected_ = false;
    if (s.job == 0) return;
    for (const Job& j : session_.reader().jobs()) {
        if (j.id != s.job) continue;
        jobSelected_ = true;
        for (const std::string& id : j.racks)
            if (const int k = tileIndex(session_.campus().find(id)); k >= 0) inJob_[static_cast<std::size_t>(k)] = 1;
    }
    // Tiles of a row are consecutive: one outline per run of the job's racks reads better than
    // hundreds of small ones.
    for (std::size_t k = 0; k < tiles_.size(); ++k) {
        if (!inJob_[k]) continue;
        const bool continues = k > 0 && inJob_[k - 1] && tiles_[k - 1].row == tiles_[k].row && !jobRuns_.empty();
        if (continues) jobRuns_.back() = jobRuns_.back().united(tiles_[k].box);
        else jobRuns_.push_back(tiles_[k].box);
    }
}

int HallFloorPlan::tileIndex(AssetIndex rack) const {
    const auto it = tileOfRack_.find(rack);
    return it == tileOfRack_.end() ? -1 : it->second;
}

std::vector<AssetIndex> HallFloorPlan::racks() const {
    std::vector<AssetIndex> out;
    for (const Tile& t : tiles_) out.push_back(t.rack);
    return out;
}

std::vector<AssetIndex> HallFloorPlan::outlinedRacks() const {
    std::vector<AssetIndex> out;
    for (std::size_t k = 0; k < tiles_.size(); ++k)
        if (inJob_[k]) out.push_back(tiles_[k].rack);
    return out;
}

double HallFloorPlan::tileValue(AssetIndex rack) const {
    const int k = tileIndex(rack);
    if (k < 0) return std::numeric_limits<double>::quiet_NaN();
    if (stale_) refresh();
    return values_[static_cast<std::size_t>(k)];
}

QColor HallFloorPlan::tileColour(AssetIndex rack) const { return qcolourAt(tileValue(rack)); }

QRectF HallFloorPlan::toWidget(const QRectF& b) const {
    // v grows north, widget y grows down: the hall's top edge (v = bottom()) maps to the smaller y.
    return QRectF(offset_.x() + b.left() * scale_, offset_.y() - b.bottom() * scale_, b.width() * scale_,
                  b.height() * scale_);
}

QRectF HallFloorPlan::tileRect(AssetIndex rack) const {
    const int k = tileIndex(rack);
    return k < 0 ? QRectF() : toWidget(tiles_[static_cast<std::size_t>(k)].box);
}

AssetIndex HallFloorPlan::rackAt(const QPointF& pos) const {
    for (const Tile& t : tiles_)
        if (toWidget(t.box).contains(pos)) return t.rack;
    return kNoAsset;
}

bool HallFloorPlan::rackLabelsShown() const {
    if (tiles_.empty()) return false;
    const QRectF r = toWidget(tiles_.front().box);
    return r.width() >= 22 && r.height() >= 12;
}

void HallFloorPlan::fit() {
    if (hallBox_.isEmpty() || width() <= 0 || height() <= 0) return;
    const double w = width() - 2 * kMargin - kRowLabelRoom, h = height() - 2 * kMargin;
    scale_ = std::max(1e-3, std::min(w / hallBox_.width(), h / hallBox_.height()));
    // Centre the hall in the room right of the row labels.
    const double cx = kMargin + kRowLabelRoom + w / 2, cy = height() / 2.0;
    offset_ = QPointF(cx - hallBox_.center().x() * scale_, cy + hallBox_.center().y() * scale_);
}

void HallFloorPlan::zoom(double factor, const QPointF& about) {
    const double next = std::clamp(scale_ * factor, 0.05, 400.0);
    offset_ = about - (about - offset_) * (next / scale_);
    scale_ = next;
    fitted_ = false;
    update();
}

void HallFloorPlan::resetView() {
    fitted_ = true;
    fit();
    update();
}

void HallFloorPlan::mouseDoubleClickEvent(QMouseEvent*) { resetView(); }

void HallFloorPlan::resizeEvent(QResizeEvent*) {
    if (fitted_) fit();
}

void HallFloorPlan::wheelEvent(QWheelEvent* e) {
    zoom(std::pow(1.0015, e->angleDelta().y()), e->position());
    e->accept();
}

void HallFloorPlan::mousePressEvent(QMouseEvent* e) {
    pressPos_ = lastPos_ = e->position();
    dragging_ = false;
}

void HallFloorPlan::mouseMoveEvent(QMouseEvent* e) {
    if (!(e->buttons() & (Qt::LeftButton | Qt::MiddleButton))) return;
    if (!dragging_ && QLineF(pressPos_, e->position()).length() <= kClickSlop) return;
    dragging_ = true;
    offset_ += e->position() - lastPos_;
    lastPos_ = e->position();
    fitted_ = false;
    update();
}

void HallFloorPlan::mouseReleaseEvent(QMouseEvent* e) {
    if (dragging_ || e->button() != Qt::LeftButton) return;
    if (const AssetIndex rack = rackAt(e->position()); rack != kNoAsset) session_.select(Selection{rack});
}

void HallFloorPlan::paintEvent(QPaintEvent*) {
    if (stale_) refresh();
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    p.setPen(QColor(90, 96, 105));
    p.setBrush(QColor(36, 40, 46));
    p.drawRect(toWidget(hallBox_));

    // Tiles: one fill each (thousands per building, so no antialiasing or per-tile pens).
    const QRectF visible = QRectF(rect()).adjusted(-2, -2, 2, 2);
    p.setPen(Qt::NoPen);
    for (std::size_t k = 0; k < tiles_.size(); ++k) {
        const QRectF r = toWidget(tiles_[k].box);
        if (!visible.intersects(r)) continue;
        QColor c = qcolourAt(values_[k]);
        if (jobSelected_ && !inJob_[k]) c = QColor((c.red() + 2 * kBackground.red()) / 3, (c.green() + 2 * kBackground.green()) / 3,
                                                   (c.blue() + 2 * kBackground.blue()) / 3);
        // A gap between neighbours once there is room for one, so that racks read as racks.
        const double gap = std::min(1.0, 0.08 * std::min(r.width(), r.height()));
        p.fillRect(r.adjusted(gap / 2, gap / 2, -gap / 2, -gap / 2), c);
    }

    p.setBrush(Qt::NoBrush);
    if (jobSelected_) {
        p.setPen(QPen(QColor(255, 255, 255, 220), 1.5));
        for (const QRectF& run : jobRuns_) p.drawRect(toWidget(run).adjusted(-1, -1, 1, 1));
    }

    // Labels: rows once a row is tall enough to read, racks once a tile is.
    const QRectF first = tiles_.empty() ? QRectF() : toWidget(tiles_.front().box);
    QFont font = p.font();
    if (first.height() >= 8) {
        font.setPixelSize(static_cast<int>(std::clamp(first.height() * 0.7, 8.0, 13.0)));
        p.setFont(font);
        p.setPen(QColor(200, 205, 212));
        for (const RowLabel& row : rows_) {
            const QRectF r = toWidget(row.box);
            p.drawText(QRectF(r.left() - 60, r.top() - 4, 56, r.height() + 8), Qt::AlignRight | Qt::AlignVCenter, row.text);
        }
    }
    if (rackLabelsShown()) {
        font.setPixelSize(static_cast<int>(std::clamp(first.height() * 0.4, 8.0, 12.0)));
        p.setFont(font);
        // "Rack 12" on every tile if the longest fits, else the numbers alone.
        const QFontMetrics fm(font);
        int longest = 0;
        for (const Tile& t : tiles_) longest = std::max(longest, fm.horizontalAdvance(t.label));
        const bool full = longest + 4 <= first.width();
        p.setPen(Qt::black);
        for (const Tile& t : tiles_) {
            const QRectF r = toWidget(t.box);
            if (visible.intersects(r)) p.drawText(r, Qt::AlignCenter, full ? t.label : t.label.section(' ', -1));
        }
    }
    if (selectedTile_ >= 0) {
        p.setPen(QPen(Qt::white, 3));
        p.drawRect(toWidget(tiles_[static_cast<std::size_t>(selectedTile_)].box).adjusted(-2, -2, 2, 2));
    }

    font.setPixelSize(12);
    p.setFont(font);
    p.setPen(QColor(220, 224, 230));
    p.drawText(QRectF(6, 2, width() - 12, 18), Qt::AlignLeft | Qt::AlignVCenter,
               lastPart(session_.campus().assets[static_cast<std::size_t>(hall_)].name));
}

std::vector<InputHelp> HallFloorPlan::inputHelp() {
    return {{"Wheel, drag", "Floor plan: zoom, pan"}, {"Double-click", "Floor plan: the whole hall again (as Fit)"}};
}

} // namespace views
