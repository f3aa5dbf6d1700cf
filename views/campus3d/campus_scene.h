// The 3D campus as an OpenSceneGraph scene, built from the campus model (so another campus
// file gives another scene): ground, translucent buildings, racks, the power plant, the lines
// between sources and buses, and labels. State is applied once per tick from the session.
// Level of detail: a building far enough that its racks would be a pixel or two wide shows its
// halls as heat maps on its roof (hall_heat_maps.h) instead of its racks as boxes.
#pragma once

#include "campus3d/hall_heat_maps.h"
#include "campus3d/instanced_boxes.h"
#include "campus3d/scene_labels.h"
#include "common/colour_map.h"
#include "common/rack_values.h"

#include "twin/query/data_quality.h"
#include "twin/session/session.h"

#include <array>

#include <osg/Array>
#include <osg/Group>
#include <osg/Vec3>

#include <memory>
#include <string>
#include <unordered_map>
#include <optional>
#include <vector>

namespace views {

class CampusScene {
public:
    explicit CampusScene(const twin::Campus& campus);

    osg::Group* root() const { return root_.get(); }
    osg::BoundingBox bounds() const { return bounds_; }

    // Colours racks by `q` and the plant by its state, from the session's state at its time.
    // The build-out: what is not commissioned at the clock's time is drawn as outlines (buildings,
    // halls, plant) or not at all (racks, exhaust stacks), and counts in no figure.
    void apply(const twin::Session& session, RackQuantity q);
    // Whether building instance k / asset `a` was drawn as built at the last apply().
    bool built(twin::AssetIndex a) const;
    // For the camera at `eye`, whose projection draws one metre at one metre's distance
    // `pixelsPerMetre` pixels tall: each building's racks or its roof heat maps, and buildings
    // faded as the camera comes close, so that halls and rows show through.
    void updateForCamera(const osg::Vec3& eye, double pixelsPerMetre);
    // Level of detail on (the default) or off (every rack drawn whatever the distance: the
    // benchmark's baseline).
    void setLevelOfDetail(bool on) { lod_ = on; }
    bool levelOfDetail() const { return lod_; }
    // Whether the racks of `building` are drawn as boxes (else its roof shows heat maps).
    bool racksShown(twin::AssetIndex building) const;
    const HallHeatMaps& heatMaps() const { return *heatMaps_; }
    // A rack's box is drawn at least this many pixels wide, else its building shows heat maps.
    static constexpr double kRackPixels = 2.0;
    void highlight(twin::AssetIndex asset);
    // Per-GPU cells on the racks' tops (for the camera up close); apply() then colours GPUs too.
    void setDetail(bool on);
    bool detail() const { return detail_; }

    // The asset whose box the ray hits first (kNoAsset if none). Racks, plant and buildings.
    twin::AssetIndex pick(const osg::Vec3& from, const osg::Vec3& to) const;

    SceneLabels& labels() { return *labels_; }
    const SceneLabels& labels() const { return *labels_; }

    std::size_t rackInstances() const { return racks_->size(); }
    std::size_t plantInstances() const { return plant_->size(); }
    std::size_t buildingInstances() const { return buildings_->size(); }
    std::size_t hallOutlineInstances() const { return halls_->size(); }
    // Normalised value last applied to rack i (NaN if none), for tests and the legend.
    double rackValue(std::size_t i) const { return rackValues_.at(i); }
    const std::uint8_t* rackColour(std::size_t i) const { return racks_->colours() + 4 * i; }
    // The data quality last applied to rack i (Good for stores that record none).
    twin::query::DataQuality rackQuality(std::size_t i) const;
    // The colour last applied to plant unit `asset` (a turbine, Megapack block, ...); {} if none.
    std::array<std::uint8_t, 4> plantColour(twin::AssetIndex asset) const;

private:
    void applyGpus(const twin::SeriesState& gpu, const twin::SeriesState* quality, RackQuantity q);
    void applyBuildOut(twin::TimeMs now);
    void colourBuildings();

    const twin::Campus& c_;
    RackFacts facts_;   // rated power and GPU TDP of each rack (common/rack_values.h)
    osg::ref_ptr<osg::Group> root_;
    std::unique_ptr<InstancedBoxes> racks_, plant_, stacks_, buildings_;
    std::unique_ptr<InstancedBoxes> halls_;         // outlines of halls not built in a built building
    std::unique_ptr<SceneLabels> labels_;
    std::unique_ptr<HallHeatMaps> heatMaps_;
    std::vector<twin::AssetIndex> rangeBuilding_;   // per range of rack instances, its building
    std::vector<std::uint8_t> rackShown_;           // per rack: its building's racks are drawn
    double rackWidth_ = 0.6;                        // the narrowest rack, metres
    bool lod_ = true;
    std::vector<twin::AssetIndex> plantAssets_, buildingAssets_, hallAssets_, stackAssets_;
    std::vector<float> buildingAlpha_;              // per building, from the camera (updateForCamera)
    std::vector<std::uint8_t> built_;               // per asset, at the last apply(): commissioned
    std::optional<twin::TimeMs> builtAt_;           // the time built_ is for
    std::vector<twin::Feed> lineFeeds_;             // per line of the electrical graph drawn
    osg::ref_ptr<osg::Vec4Array> lineColours_;      //   its two vertices' colours
    std::vector<double> rackValues_;
    std::vector<float> rackTdp_;       // per rack, its GPUs' TDP
    std::unordered_map<std::string, std::size_t> rackOrdinal_;   // rack id -> instance
    std::vector<twin::query::DataQuality> rackQuality_;   // empty: the store records no quality
    std::vector<std::array<std::uint8_t, 4>> plantState_;  // per plant instance, its last colour
    std::vector<std::uint8_t> inJob_;  // per rack: 1 if it runs the selected job
    bool detail_ = false;
    osg::BoundingBox bounds_;
};

} // namespace views
