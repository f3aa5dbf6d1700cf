#include "campus3d/campus_scene.h"

#include "common/hmi_colours.h"

#include "common/rack_values.h"

#include "common/gpu_status.h"
#include "common/series_lookup.h"

#include <osg/Geometry>
#include <osg/LineWidth>

#include <algorithm>
#include <cmath>
#include <limits>

namespace views {

using namespace twin;
using twin::sim::series::Gpu, twin::sim::series::Megapack, twin::sim::series::Rack, twin::sim::series::Source;

namespace {

constexpr float kDegToRad = static_cast<float>(M_PI / 180);

BoxPlacement placementOf(const Box& b) {
    return {static_cast<float>(b.cx), static_cast<float>(b.cy), static_cast<float>(b.cz), static_cast<float>(b.sx),
            static_cast<float>(b.sy), static_cast<float>(b.sz), static_cast<float>(b.yawDeg) * kDegToRad};
}

bool isPlant(AssetKind k) {
    switch (k) {
    case AssetKind::Turbine:
    case AssetKind::MegapackBlock:
    case AssetKind::SolarArray:
    case AssetKind::GridTie:
    case AssetKind::Substation:
    case AssetKind::CoolingPlant: return true;
    default: return false;
    }
}

std::array<std::uint8_t, 4> rgba(int r, int g, int b, int a = 255) {
    return {static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(g), static_cast<std::uint8_t>(b),
            static_cast<std::uint8_t>(a)};
}

std::array<std::uint8_t, 4> baseColour(AssetKind k) {
    switch (k) {
    case AssetKind::Turbine: return rgba(150, 150, 160);
    case AssetKind::MegapackBlock: return rgba(200, 200, 205);
    case AssetKind::SolarArray: return rgba(40, 60, 120);
    case AssetKind::GridTie: return rgba(150, 145, 135);
    case AssetKind::Substation: return rgba(120, 110, 90);
    case AssetKind::CoolingPlant: return rgba(90, 130, 160);
    default: return rgba(128, 128, 128);
    }
}

// Slab test of a ray against a yawed box; returns the entry distance along the ray or +inf.
double hit(const Box& b, const osg::Vec3d& from, const osg::Vec3d& dir) {
    const double yaw = -b.yawDeg * M_PI / 180, c = std::cos(yaw), s = std::sin(yaw);
    const osg::Vec3d o = from - osg::Vec3d(b.cx, b.cy, b.cz);
    const osg::Vec3d lo(c * o.x() - s * o.y(), s * o.x() + c * o.y(), o.z());
    const osg::Vec3d ld(c * dir.x() - s * dir.y(), s * dir.x() + c * dir.y(), dir.z());
    const double half[3] = {b.sx / 2, b.sy / 2, b.sz / 2};
    double t0 = 0, t1 = std::numeric_limits<double>::infinity();
    for (int k = 0; k < 3; ++k) {
        if (std::abs(ld[k]) < 1e-12) {
            if (std::abs(lo[k]) > half[k]) return std::numeric_limits<double>::infinity();
            continue;
        }
        double a = (-half[k] - lo[k]) / ld[k], z = (half[k] - lo[k]) / ld[k];
        if (a > z) std::swap(a, z);
        t0 = std::max(t0, a);
        t1 = std::min(t1, z);
        if (t0 > t1) return std::numeric_limits<double>::infinity();
    }
    return t0;
}

// DejaVu Sans (Debian's fonts-dejavu-core) when present: OSG's built-in font lacks "·".
} // namespace

CampusScene::CampusScene(const Campus& campus) : c_(campus), facts_(rackFactsOf(campus)), root_(new osg::Group) {
    std::vector<BoxPlacement> racks, plant, stacks, buildings, halls;
    for (AssetIndex r : c_.racks()) {
        const Asset& a = c_.assets[r];
        BoxPlacement b = placementOf(a.box);
        b.gpuFirst = a.gpuFirst;
        b.gpuCount = static_cast<int>(a.gpuCount);
        racks.push_back(b);
        const RackType* rt = c_.rackType(a.model);
        const GpuModel* gm = rt ? c_.gpuModel(rt->gpuModel) : nullptr;
        rackTdp_.push_back(static_cast<float>(gm ? gm->tdpW : 700));
        rackOrdinal_.emplace(a.id, rackOrdinal_.size());
    }
    for (std::size_t i = 0; i < c_.assets.size(); ++i) {
        const Asset& a = c_.assets[i];
        if (a.box.sx <= 0 || a.box.sy <= 0) continue;
        if (isPlant(a.kind)) {
            plant.push_back(placementOf(a.box));
            plantAssets_.push_back(static_cast<AssetIndex>(i));
            if (a.kind == AssetKind::Turbine) {   // an exhaust stack per unit, taller for bigger units
                BoxPlacement s = placementOf(a.box);
                const float h = static_cast<float>(8 + 0.4 * a.ratingMw);
                s.sx = s.sy = static_cast<float>(1.5 + 0.05 * a.ratingMw);
                s.cx += static_cast<float>(0.35 * a.box.sx * std::cos(a.box.yawDeg * M_PI / 180));
                s.cy += static_cast<float>(0.35 * a.box.sx * std::sin(a.box.yawDeg * M_PI / 180));
                s.sz = h;
                s.cz = h / 2;
                stacks.push_back(s);
                stackAssets_.push_back(static_cast<AssetIndex>(i));
            }
        } else if (a.kind == AssetKind::Building) {
            buildings.push_back(placementOf(a.box));
            buildingAssets_.push_back(static_cast<AssetIndex>(i));
        } else if (a.kind == AssetKind::Hall) {
            halls.push_back(placementOf(a.box));
            hallAssets_.push_back(static_cast<AssetIndex>(i));
        }
        bounds_.expandBy(osg::Vec3(a.box.cx - a.box.sx / 2, a.box.cy - a.box.sy / 2, 0));
        bounds_.expandBy(osg::Vec3(a.box.cx + a.box.sx / 2, a.box.cy + a.box.sy / 2, a.box.sz));
    }
    // One range of rack instances per run of racks in one building (racks are in GPU order,
    // building by building), so that a far building's racks are not drawn at all.
    std::vector<InstancedBoxes::Range> ranges;
    for (std::size_t i = 0; i < c_.racks().size(); ++i) {
        AssetIndex b = c_.racks()[i];
        while (b != kNoAsset && c_.assets[b].kind != AssetKind::Building) b = c_.assets[b].parent;
        if (ranges.empty() || rangeBuilding_.back() != b) {
            ranges.push_back({i, 0});
            rangeBuilding_.push_back(b);
        }
        ++ranges.back().count;
        rackWidth_ = std::min(rackWidth_, c_.assets[c_.racks()[i]].box.sx);
    }
    racks_ = std::make_unique<InstancedBoxes>(racks, false, c_.gpuCount(), ranges);
    rackShown_.assign(racks.size(), 1);
    plant_ = std::make_unique<InstancedBoxes>(plant);
    stacks_ = std::make_unique<InstancedBoxes>(stacks);
    buildings_ = std::make_unique<InstancedBoxes>(buildings, true);
    rackValues_.assign(racks.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < plantAssets_.size(); ++i) plant_->setColour(i, baseColour(c_.assets[plantAssets_[i]].kind));
    plant_->commitColours();
    stacks_->setAllColours(rgba(90, 90, 95));
    stacks_->commitColours();
    buildings_->setAllColours(rgba(170, 175, 185, 200));
    buildings_->commitColours();
    buildingAlpha_.assign(buildingAssets_.size(), 200.0f / 255);
    halls_ = std::make_unique<InstancedBoxes>(halls);
    halls_->setAllColours(rgba(0, 0, 0, InstancedBoxes::kHidden));   // outlines only where not built
    halls_->commitColours();
    built_.assign(c_.assets.size(), 1);

    // Ground: one plane under everything, with a margin.
    {
        const float m = 400;
        auto* g = new osg::Geometry;
        auto* v = new osg::Vec3Array;
        v->push_back({bounds_.xMin() - m, bounds_.yMin() - m, -0.05f});
        v->push_back({bounds_.xMax() + m, bounds_.yMin() - m, -0.05f});
        v->push_back({bounds_.xMax() + m, bounds_.yMax() + m, -0.05f});
        v->push_back({bounds_.xMin() - m, bounds_.yMax() + m, -0.05f});
        g->setVertexArray(v);
        auto* col = new osg::Vec4Array;
        col->push_back({0.20f, 0.24f, 0.20f, 1});
        g->setColorArray(col, osg::Array::BIND_OVERALL);
        g->addPrimitiveSet(new osg::DrawArrays(GL_QUADS, 0, 4));
        auto* geode = new osg::Geode;
        geode->addDrawable(g);
        geode->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
        root_->addChild(geode);
    }
    // Lines along the electrical graph between placed assets (sources to buses, feeders...).
    {
        auto* g = new osg::Geometry;
        auto* v = new osg::Vec3Array;
        for (const Feed& f : c_.feeds) {
            const Asset& a = c_.assets[f.from];
            const Asset& b = c_.assets[f.to];
            // The plant side only (sources, buses, transformers): feeders into the halls would
            // hide the racks.
            auto plantSide = [](AssetKind k) {
                return isSource(k) || k == AssetKind::Bus || k == AssetKind::Transformer || k == AssetKind::Substation;
            };
            if (!plantSide(a.kind) || !plantSide(b.kind)) continue;
            if (a.box.sx <= 0 || b.box.sx <= 0) continue;
            v->push_back(osg::Vec3(a.box.cx, a.box.cy, 3));
            v->push_back(osg::Vec3(b.box.cx, b.box.cy, 3));
            lineFeeds_.push_back(f);
        }
        g->setVertexArray(v);
        // Per vertex: a line to or from something not built yet is drawn grey (applyBuildOut).
        lineColours_ = new osg::Vec4Array(static_cast<unsigned>(v->size()));
        std::fill(lineColours_->begin(), lineColours_->end(), osg::Vec4(0.95f, 0.8f, 0.3f, 1));
        g->setColorArray(lineColours_.get(), osg::Array::BIND_PER_VERTEX);
        g->setUseDisplayList(false);
        g->setUseVertexBufferObjects(true);
        g->addPrimitiveSet(new osg::DrawArrays(GL_LINES, 0, static_cast<int>(v->size())));
        auto* geode = new osg::Geode;
        geode->addDrawable(g);
        geode->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
        geode->getOrCreateStateSet()->setAttribute(new osg::LineWidth(2.0f));
        root_->addChild(geode);
    }
    root_->addChild(racks_->node());
    root_->addChild(plant_->node());
    root_->addChild(stacks_->node());
    root_->addChild(buildings_->node());
    root_->addChild(halls_->node());
    heatMaps_ = std::make_unique<HallHeatMaps>(c_);
    root_->addChild(heatMaps_->node());

    // Labels: sites with their figures, buildings, halls, substations (scene_labels.h).
    labels_ = std::make_unique<SceneLabels>(c_);
    root_->addChild(labels_->node());
}

bool CampusScene::built(AssetIndex a) const {
    return a >= 0 && static_cast<std::size_t>(a) < built_.size() && built_[static_cast<std::size_t>(a)];
}

// Which assets are commissioned at `now`; outlines and hidden instances follow. Only when the
// time crosses a commissioning date does anything change (most ticks return at once).
void CampusScene::applyBuildOut(TimeMs now) {
    const auto& dates = c_.commissioningDates();
    if (builtAt_) {
        const auto before = std::upper_bound(dates.begin(), dates.end(), *builtAt_);
        const auto after = std::upper_bound(dates.begin(), dates.end(), now);
        if (before == after) return;   // no date between the last time and this one
    }
    builtAt_ = now;
    for (std::size_t a = 0; a < c_.assets.size(); ++a) built_[a] = c_.assets[a].commissionedAt(now);
    for (std::size_t k = 0; k < hallAssets_.size(); ++k) {
        const AssetIndex h = hallAssets_[k];
        // A hall not built inside a built building: its outline (the building's covers the rest).
        const bool outline = !built_[static_cast<std::size_t>(h)] && built(c_.assets[h].parent);
        halls_->setColour(k, rgba(0, 0, 0, outline ? InstancedBoxes::kOutline : InstancedBoxes::kHidden));
    }
    halls_->commitColours();
    for (std::size_t k = 0; k < lineFeeds_.size(); ++k) {
        const bool on = built(lineFeeds_[k].from) && built(lineFeeds_[k].to);
        const osg::Vec4 c = on ? osg::Vec4(0.95f, 0.8f, 0.3f, 1) : osg::Vec4(0.55f, 0.57f, 0.6f, 1);
        (*lineColours_)[2 * k] = (*lineColours_)[2 * k + 1] = c;
    }
    lineColours_->dirty();
    for (std::size_t k = 0; k < stackAssets_.size(); ++k)
        stacks_->setColour(k, rgba(90, 90, 95, built(stackAssets_[k]) ? 255 : InstancedBoxes::kHidden));
    stacks_->commitColours();
    colourBuildings();
}

void CampusScene::colourBuildings() {
    for (std::size_t k = 0; k < buildingAssets_.size(); ++k)
        buildings_->setColour(k, built(buildingAssets_[k])
                                     ? rgba(170, 175, 185, static_cast<int>(255 * buildingAlpha_[k]))
                                     : rgba(170, 175, 185, InstancedBoxes::kOutline));
    buildings_->commitColours();
}

void CampusScene::apply(const Session& session, RackQuantity q) {
    using twin::query::DataQuality, twin::query::qualitySeriesName, twin::query::qualityAt;
    applyBuildOut(session.clock().time());
    const QuantityRange range = rangeOf(q);
    const auto span = range.high - range.low;
    const SeriesState* rack = seriesAtClock<Rack>(session);
    const SeriesState* gpu = seriesAtClock<Gpu>(session);
    const SeriesState* gpuQuality = session.series(qualitySeriesName(Gpu::name));
    twin::query::rackQualities(c_, session.series(qualitySeriesName(Rack::name)), gpuQuality, rackQuality_);
    const auto& racks = c_.racks();
    // A selected job: its racks keep their colours, the others are dimmed.
    const int job = session.selection().job;
    inJob_.assign(racks.size(), job == 0 ? 1 : 0);
    if (job != 0)
        for (const Job& j : session.reader().jobs())
            if (j.id == job)
                for (const auto& id : j.racks)
                    if (auto it = rackOrdinal_.find(id); it != rackOrdinal_.end()) inJob_[it->second] = 1;
    for (std::size_t i = 0; i < racks.size(); ++i) {
        const double v = views::rackValue(c_, facts_, rack, gpu, i, q);
        const double n = std::isnan(v) ? v : (v - range.low) / span;
        rackValues_[i] = n;
        auto colour = hmi::withQuality(colourAt(n), rackQuality(i));
        if (!inJob_[i])
            for (int k = 0; k < 3; ++k) colour[k] = static_cast<std::uint8_t>(40 + colour[k] / 6);
        if (!built_[static_cast<std::size_t>(racks[i])]) {   // not built yet: not drawn, no value
            colour[3] = InstancedBoxes::kHidden;
            rackValues_[i] = std::numeric_limits<double>::quiet_NaN();
        }
        racks_->setColour(i, colour);
    }
    racks_->commitColours();
    heatMaps_->update(racks_->colours());
    if (detail_ && gpu && gpu->valid) applyGpus(*gpu, gpuQuality, q);

    // Plant, ISA-101: greys for normal states, red for tripped or faulted (common/hmi_colours.h);
    // Megapacks lighter the fuller, solar arrays lighter the more they produce.
    const SeriesState* source = seriesAtClock<Source>(session);
    const SeriesState* sourceQuality = session.series(qualitySeriesName(Source::name));
    const SeriesState* mp = seriesAtClock<Megapack>(session);
    for (std::size_t k = 0; k < plantAssets_.size(); ++k) {
        const AssetIndex a = plantAssets_[k];
        const Asset& x = c_.assets[a];
        std::array<std::uint8_t, 4> col = baseColour(x.kind);
        const auto pos = positionIn<Source>(session, a);
        if (source && source->valid && pos >= 0) {
            const double p = source->values[Source::Power][pos];
            const int state = static_cast<int>(std::lround(source->values[Source::State][pos]));
            QColor c = hmi::plantStateColour(x.kind, state);
            if (!hmi::isAlarmState(state)) {
                if (x.kind == AssetKind::MegapackBlock) {
                    const auto mpPos = positionIn<Megapack>(session, a);
                    const double soc = mp && mp->valid && mpPos >= 0 ? mp->values[Megapack::Soc][mpPos] / 100 : 0.5;
                    c = c.lighter(static_cast<int>(100 + 60 * std::clamp(soc, 0.0, 1.0)));
                } else if (x.kind == AssetKind::SolarArray && x.ratingMw > 0) {
                    c = hmi::kRunning.lighter(static_cast<int>(100 + 80 * std::clamp(p / x.ratingMw, 0.0, 1.0)));
                }
            }
            // By the asset's own position in the quality series (the same as in "source" when the
            // writer follows the convention; looked up so that a writer that does not is still right).
            const auto qPos = sourceQuality ? session.positionIn(qualitySeriesName(Source::name), a) : -1;
            col = hmi::rgba8(hmi::withQuality(c, qualityAt(sourceQuality, qPos)));
        }
        if (!built_[static_cast<std::size_t>(a)]) col[3] = InstancedBoxes::kOutline;   // not built yet
        plant_->setColour(k, col);
        if (plantState_.size() != plantAssets_.size()) plantState_.resize(plantAssets_.size());
        plantState_[k] = col;
    }
    plant_->commitColours();
    labels_->update(session);
}

twin::query::DataQuality CampusScene::rackQuality(std::size_t i) const {
    return rackQuality_.empty() ? twin::query::DataQuality::Good : rackQuality_.at(i);
}

std::array<std::uint8_t, 4> CampusScene::plantColour(AssetIndex asset) const {
    for (std::size_t k = 0; k < plantAssets_.size(); ++k)
        if (plantAssets_[k] == asset) return plantState_[k];
    return {};
}

void CampusScene::setDetail(bool on) {
    detail_ = on;
    racks_->setDetail(on);
}

// One colour per GPU through a 256-entry table: a million GPUs in about a millisecond.
void CampusScene::applyGpus(const SeriesState& gpu, const SeriesState* quality, RackQuantity q) {
    static const auto table = [] {
        std::array<std::array<std::uint8_t, 4>, 256> t{};
        for (int i = 0; i < 256; ++i) t[i] = colourAt(i / 255.0);
        return t;
    }();
    std::uint8_t* out = racks_->gpuColours();
    if (!out) return;
    const auto& racks = c_.racks();
    for (std::size_t r = 0; r < racks.size(); ++r) {
        const Asset& a = c_.assets[racks[r]];
        const float tdp = rackTdp_[r];
        for (std::int64_t g = a.gpuFirst; g < a.gpuFirst + a.gpuCount; ++g) {
            float v = 0;
            switch (q) {
            case RackQuantity::Power: v = gpu.values[Gpu::Power][g] / tdp; break;
            case RackQuantity::Utilisation: v = gpu.values[Gpu::Utilisation][g] / 100; break;
            case RackQuantity::InletTemperature: v = (gpu.values[Gpu::Temperature][g] - 30) / 60; break;   // GPU temperature, 30-90 °C
            case RackQuantity::Health:
                v = gpuHealthy(gpu.values[Gpu::Power][g], gpu.values[Gpu::Utilisation][g]) ? 1 : 0;
                break;
            }
            const int i = static_cast<int>(std::clamp(v, 0.f, 1.f) * 255 + 0.5f);
            const auto dq = quality ? twin::query::qualityAt(quality, g) : twin::query::DataQuality::Good;
            if (dq == twin::query::DataQuality::Good) {
                std::copy(table[i].begin(), table[i].end(), out + 4 * g);
            } else {
                const auto c = hmi::withQuality(table[i], dq);
                std::copy(c.begin(), c.end(), out + 4 * g);
            }
        }
    }
    racks_->commitGpuColours();
}

void CampusScene::updateForCamera(const osg::Vec3& eye, double pixelsPerMetre) {
    std::vector<std::uint8_t> shown(buildingAssets_.size(), 1);
    for (std::size_t k = 0; k < buildingAssets_.size(); ++k) {
        const Box& b = c_.assets[buildingAssets_[k]].box;
        // Distance from the eye to the building's box (in its own frame): its nearest racks.
        const double yaw = -b.yawDeg * M_PI / 180, cy = std::cos(yaw), sy = std::sin(yaw);
        const double dx = eye.x() - b.cx, dy = eye.y() - b.cy;
        const double lx = cy * dx - sy * dy, ly = sy * dx + cy * dy;
        const double ox = std::max(0.0, std::abs(lx) - b.sx / 2), oy = std::max(0.0, std::abs(ly) - b.sy / 2);
        const double oz = std::max(0.0, std::abs(eye.z() - b.cz) - b.sz / 2);
        const double nearest = std::max(1.0, std::sqrt(ox * ox + oy * oy + oz * oz));
        shown[k] = !lod_ || rackWidth_ * pixelsPerMetre / nearest >= kRackPixels;
        heatMaps_->setBuildingVisible(buildingAssets_[k], !shown[k] && built(buildingAssets_[k]));

        const float d = (osg::Vec3(b.cx, b.cy, b.cz) - eye).length();
        const float size = static_cast<float>(std::max(b.sx, b.sy));
        // Nearly opaque from afar (4.5 building sizes and more), nearly gone from the building's
        // own viewpoint (1.5 sizes) and closer; never more than half opaque over drawn racks.
        float alpha = std::clamp((d - 1.5f * size) / (3.0f * size), 0.05f, 0.85f);
        if (shown[k]) alpha = std::min(alpha, 0.5f);
        buildingAlpha_[k] = alpha;
    }
    colourBuildings();
    for (std::size_t r = 0; r < rangeBuilding_.size(); ++r) {
        const auto it = std::find(buildingAssets_.begin(), buildingAssets_.end(), rangeBuilding_[r]);
        const bool on = it == buildingAssets_.end() || shown[static_cast<std::size_t>(it - buildingAssets_.begin())];
        racks_->setRangeVisible(r, on);
        const auto& range = racks_->range(r);
        std::fill(rackShown_.begin() + static_cast<std::ptrdiff_t>(range.first),
                  rackShown_.begin() + static_cast<std::ptrdiff_t>(range.first + range.count), on ? 1 : 0);
    }
}

bool CampusScene::racksShown(AssetIndex building) const {
    for (std::size_t r = 0; r < rangeBuilding_.size(); ++r)
        if (rangeBuilding_[r] == building) return racks_->rangeVisible(r);
    return false;
}

void CampusScene::highlight(AssetIndex asset) {
    int rack = -1, plant = -1;
    const auto& racks = c_.racks();
    for (std::size_t i = 0; i < racks.size() && asset != kNoAsset; ++i)
        if (racks[i] == asset) rack = static_cast<int>(i);
    for (std::size_t i = 0; i < plantAssets_.size() && asset != kNoAsset; ++i)
        if (plantAssets_[i] == asset) plant = static_cast<int>(i);
    racks_->setHighlighted(rack);
    plant_->setHighlighted(plant);
}

AssetIndex CampusScene::pick(const osg::Vec3& from, const osg::Vec3& to) const {
    osg::Vec3d dir = osg::Vec3d(to) - osg::Vec3d(from);
    dir.normalize();
    double best = std::numeric_limits<double>::infinity();
    AssetIndex found = kNoAsset;
    auto test = [&](AssetIndex a) {
        const double t = hit(c_.assets[a].box, from, dir);
        if (t < best) best = t, found = a;
    };
    const auto& racks = c_.racks();
    for (std::size_t i = 0; i < racks.size(); ++i)
        if (rackShown_[i]) test(racks[i]);
    // A far building's racks: the tile of its roof's heat map.
    if (const auto [rack, t] = heatMaps_->pick(from, dir); rack >= 0 && t < best) {
        best = t;
        found = racks[static_cast<std::size_t>(rack)];
    }
    for (AssetIndex a : plantAssets_) test(a);
    // A building is picked only where no rack or unit is hit inside it.
    if (found == kNoAsset)
        for (AssetIndex a : buildingAssets_) test(a);
    return found;
}

} // namespace views
