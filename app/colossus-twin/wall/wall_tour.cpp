#include "wall/wall_tour.h"

#include "wall/wall_alarms.h"

#include "campus3d/campus_view.h"
#include "common/asset_ref.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace wall {

using namespace twin;

namespace {

// How far from an asset the camera holds: close enough to see it, far enough for its
// surroundings (a rack from 40 m shows its GPUs; a turbine its neighbours).
double closeDistance(const Campus& c, AssetIndex a) {
    const Box& b = c.assets[static_cast<std::size_t>(a)].box;
    return std::max(40.0, 4 * std::max({b.sx, b.sy, b.sz}));
}

constexpr int kApproachMs = 1000;   // the view's fly-to takes 0.9 s

} // namespace

WallTour::WallTour(Session& session, views::CampusView* view, ActiveAlarms& alarms, int periodMs, QObject* parent)
    : QObject(parent), session_(session), view_(view), alarms_(alarms), periodMs_(std::max(0, periodMs)) {
    connect(&timer_, &QTimer::timeout, this, &WallTour::next);
    approach_.setSingleShot(true);
    connect(&approach_, &QTimer::timeout, this, [this] {
        if (mode_ == Mode::Holding && view_ && heldAsset_ != kNoAsset && session_.isOpen())
            view_->lookAt(heldAsset_, closeDistance(session_.campus(), heldAsset_));
    });
    connect(&alarms_, &ActiveAlarms::changed, this, &WallTour::onAlarmsChanged);
    connect(&session_, &Session::opened, this, [this] {
        // Another store: the view starts over the whole campus, nothing is held.
        mode_ = Mode::Touring;
        heldEvent_ = 0;
        heldAsset_ = kNoAsset;
        heldSelection_ = {};
        seen_.clear();
        index_ = 0;
        viewpoint_ = "campus";
        approach_.stop();
        if (periodMs_ > 0) timer_.start(periodMs_);
        alarms_.refresh();
        onAlarmsChanged();
        emit changed();
    });
    if (periodMs_ > 0) timer_.start(periodMs_);
    onAlarmsChanged();
}

void WallTour::setPeriodMs(int ms) {
    periodMs_ = std::max(0, ms);
    timer_.stop();
    if (periodMs_ > 0 && mode_ == Mode::Touring) timer_.start(periodMs_);
}

AssetIndex WallTour::placeOf(const Session& session, const Selection& s) {
    if (!session.isOpen()) return kNoAsset;
    const Campus& c = session.campus();
    AssetIndex a = kNoAsset;
    if (s.asset != kNoAsset) {
        a = s.asset;
    } else if (s.gpu >= 0) {
        a = c.rackOfGpu(s.gpu);
    } else if (s.job != 0) {
        for (const Job& j : session.reader().jobs())
            if (j.id == s.job && !j.racks.empty()) a = c.find(j.racks.front());
    }
    // An asset without a box of its own (a logical one) is shown by its nearest placed ancestor.
    while (a != kNoAsset && c.assets[static_cast<std::size_t>(a)].box.sx <= 0 && c.assets[static_cast<std::size_t>(a)].box.sy <= 0)
        a = c.assets[static_cast<std::size_t>(a)].parent;
    return a;
}

void WallTour::settle() {
    if (!view_) return;
    if (mode_ == Mode::Holding && heldAsset_ != kNoAsset && session_.isOpen()) {
        approach_.stop();
        view_->lookAt(heldAsset_, closeDistance(session_.campus(), heldAsset_));
    }
}

void WallTour::next() {
    if (mode_ != Mode::Touring || !view_ || view_->viewpoints().empty()) return;
    const auto& vps = view_->viewpoints();
    index_ = (index_ + 1) % static_cast<int>(vps.size());
    flyToViewpoint(vps[static_cast<std::size_t>(index_)].name);
    emit changed();
}

void WallTour::flyToViewpoint(const QString& name) {
    viewpoint_ = name;
    if (view_) view_->flyTo(name, animated_);
}

QString WallTour::enclosingViewpoint(AssetIndex a) const {
    if (!view_ || a == kNoAsset) return "campus";
    const Box& b = session_.campus().assets[static_cast<std::size_t>(a)].box;
    QString best = "campus";
    double bestDistance = std::numeric_limits<double>::infinity();
    // The closest viewpoint whose framed area holds the asset (a viewpoint frames a square of
    // about distance / 1.5 across its centre).
    for (const views::Viewpoint& v : view_->viewpoints()) {
        const double half = v.distance / 1.5 / 2;
        if (std::abs(b.cx - v.center.x()) <= half && std::abs(b.cy - v.center.y()) <= half && v.distance < bestDistance) {
            best = v.name;
            bestDistance = v.distance;
        }
    }
    return best;
}

QString WallTour::caption() const {
    if (mode_ == Mode::Holding) return QString::fromUtf8("ALARM · ") + heldText_;
    if (view_)
        for (const views::Viewpoint& v : view_->viewpoints())
            if (v.name == viewpoint_) return v.title;
    return {};
}

void WallTour::onAlarmsChanged() {
    const auto& alarms = alarms_.alarms();
    std::vector<std::int64_t> ids;
    for (const Event& e : alarms) ids.push_back(e.id);
    std::sort(ids.begin(), ids.end());
    struct Candidate {
        const Event* event;
        Selection selection;
        AssetIndex place;
    };
    std::vector<Candidate> located;   // in the alarms' order: most severe, then newest
    for (const Event& e : alarms) {
        // An acknowledged alarm stays listed but no longer holds the camera.
        if (alarms_.acknowledged(e.id)) continue;
        const views::AssetRef ref = views::resolveAsset(session_, e.asset);
        if (ref.selection.empty()) continue;
        const AssetIndex place = placeOf(session_, ref.selection);
        if (place != kNoAsset) located.push_back({&e, ref.selection, place});
    }
    const Candidate* target = nullptr;
    for (const Candidate& c : located)   // the most important alarm that just became active
        if (!std::binary_search(seen_.begin(), seen_.end(), c.event->id)) {
            target = &c;
            break;
        }
    if (!target && mode_ == Mode::Holding)   // else stay with the one held while it lasts
        for (const Candidate& c : located)
            if (c.event->id == heldEvent_) target = &c;
    if (!target && !located.empty()) target = &located.front();
    seen_ = std::move(ids);
    if (target) {
        if (mode_ != Mode::Holding || heldEvent_ != target->event->id) hold(*target->event, target->selection, target->place);
    } else if (mode_ == Mode::Holding) {
        release();
    }
}

void WallTour::hold(const Event& e, const Selection& s, AssetIndex place) {
    mode_ = Mode::Holding;
    heldEvent_ = e.id;
    heldAsset_ = place;
    heldSelection_ = s;
    heldText_ = views::resolveAsset(session_, e.asset).name;
    timer_.stop();
    session_.select(s);
    if (view_) {
        if (animated_) {
            // Fly smoothly over the area that holds it, then close over the asset itself.
            viewpoint_ = enclosingViewpoint(place);
            view_->flyTo(viewpoint_, true);
            approach_.start(kApproachMs);
        } else {
            approach_.stop();
            view_->lookAt(place, closeDistance(session_.campus(), place));
        }
    }
    emit changed();
}

void WallTour::release() {
    if (session_.selection() == heldSelection_) session_.select({});
    mode_ = Mode::Touring;
    heldEvent_ = 0;
    heldAsset_ = kNoAsset;
    heldSelection_ = {};
    heldText_.clear();
    approach_.stop();
    // On with the tour: the next viewpoint now.
    if (view_ && !view_->viewpoints().empty()) {
        const auto& vps = view_->viewpoints();
        index_ = (index_ + 1) % static_cast<int>(vps.size());
        flyToViewpoint(vps[static_cast<std::size_t>(index_)].name);
    }
    if (periodMs_ > 0) timer_.start(periodMs_);
    emit changed();
}

} // namespace wall
