// The campus model: the explicit asset graph expanded from a parametric campus file.
//
// A Campus is plain data. Every asset (site, building, hall, row, rack, turbine, Megapack
// block, solar array, grid tie, substation, bus, transformer, feeder, cooling plant) is one
// entry of `assets`, addressed by its index (AssetIndex) or by its stable string id.
// GPUs are not entries: there are up to a million of them, so each rack owns a contiguous
// range [gpuFirst, gpuFirst + gpuCount) of the campus-wide GPU index, and a GPU's id is its
// rack's id followed by "/gpuNN" (see gpuId()).
//
// Two graphs sit on the assets:
//  - the compute/containment tree: `parent` (GPU -> rack -> row -> hall -> building -> site;
//    plant assets hang under their site);
//  - the electrical graph: `feeds`, directed edges from the supplying asset to the supplied
//    one (source -> bus -> transformer -> bus -> feeder -> hall/row -> rack).
#pragma once

#include "twin/fabric_spec.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace twin {

// Milliseconds since 1970-01-01T00:00:00Z (the store's time base; twin/store.h uses the same).
using TimeMs = std::int64_t;
// An asset without a commissioning date has always been there (docs/campus.md, "Build-out").
constexpr TimeMs kAlwaysCommissioned = std::numeric_limits<TimeMs>::min();

using AssetIndex = std::int32_t;
constexpr AssetIndex kNoAsset = -1;

enum class AssetKind : std::uint8_t {
    Site,
    Building,
    Hall,
    Row,
    Rack,
    Turbine,
    MegapackBlock,
    SolarArray,
    GridTie,
    Substation,
    Bus,
    Transformer,
    Feeder,
    CoolingPlant,
};
constexpr int kAssetKindCount = 14;

// "site", "building", ... "cooling_plant" (the spelling used in files and in the store).
std::string_view assetKindName(AssetKind kind);
std::optional<AssetKind> assetKindFromName(std::string_view name);

// An axis-aligned box in the campus frame (metres; x east, y north, z up), rotated by yawDeg
// about its centre. Origin of the campus frame: the first site's geographic anchor.
struct Box {
    double cx = 0, cy = 0, cz = 0; // centre
    double sx = 0, sy = 0, sz = 0; // size
    double yawDeg = 0;
};

// A GPU model's public figures (docs/campus.md gives sources).
struct GpuModel {
    std::string name;            // "H100"
    double tdpW = 0;             // rated board power
    double peakTflops = 0;       // dense BF16 peak, for FLOPS per watt
};

// A rack type: what one rack of a row holds.
struct RackType {
    std::string name;            // "hgx-h100-64"
    std::string gpuModel;        // key into Campus::gpuModels
    int gpusPerRack = 0;
    double ratedKw = 0;          // rack IT power at full load (GPUs + servers + switches)
    double idleKw = 0;           // rack IT power with GPUs idle
};

// A generating or storage unit model.
struct UnitModel {
    std::string name;            // "SMT-130", "Titan-350", "Megapack-2XL"
    double ratingMw = 0;         // turbines: ISO rating; storage: inverter power per unit
    double energyMwh = 0;        // storage only: energy per unit
    double rampPctPerMin = 0;    // turbines: ramp limit, % of rating per minute
    double minLoadPct = 0;       // turbines: minimum stable load, % of rating
    double startS = 0;           // turbines: cold start to synchronised, seconds
    double inertiaS = 0;         // turbines: inertia constant H, seconds
};

struct Asset {
    std::string id;              // stable, unique, path-like: "colossus1/hall2/row05/rack03"
    std::string name;            // readable: "Colossus 1 · Hall 2 · Row 5 · Rack 3"
    AssetKind kind = AssetKind::Site;
    AssetIndex parent = kNoAsset;    // containment / compute tree
    AssetIndex site = kNoAsset;      // the site it belongs to (itself for a site)
    Box box;                         // placement in the campus frame
    std::string model;               // rack type, unit model, or empty
    int units = 1;                   // Megapack blocks: units in the block; others 1
    double ratingMw = 0;             // sources, transformers (MVA), feeders, halls: capacity
    double energyMwh = 0;            // Megapack blocks: block energy
    double voltageKv = 0;            // buses, transformers (secondary), feeders
    std::int64_t gpuFirst = 0;       // racks: first campus-wide GPU index; others: first GPU below
    std::int64_t gpuCount = 0;       // racks: GPUs in the rack; others: GPUs below (0 for plant)
    // When it went into service (effective: never before what contains it, see docs/campus.md,
    // "Build-out"); kAlwaysCommissioned when the file gives no date.
    TimeMs commissionedMs = kAlwaysCommissioned;
    bool commissionedAt(TimeMs t) const { return commissionedMs <= t; }
};

struct Site {
    AssetIndex asset = kNoAsset;     // the Site asset
    double latDeg = 0, lonDeg = 0;   // geographic anchor of the site's local frame
    double originX = 0, originY = 0; // that anchor in the campus frame, metres
};

// An electrical edge: `from` supplies `to`.
struct Feed {
    AssetIndex from = kNoAsset;
    AssetIndex to = kNoAsset;
};

class Campus {
public:
    std::string name;                // "xAI Colossus, Memphis"
    std::string timezone;            // IANA name, for campus local time: "America/Chicago"
    std::vector<GpuModel> gpuModels;
    std::vector<RackType> rackTypes;
    std::vector<UnitModel> unitModels;
    std::vector<Site> sites;
    std::vector<Asset> assets;       // parents always precede their children
    std::vector<Feed> feeds;
    std::optional<FabricSpec> fabric;   // the RDMA fabric's parameters (twin/fabric.h expands them)

    // Rebuilds the lookup tables below from the vectors above; the loader and the store call
    // it once the vectors are filled.
    void index();

    AssetIndex find(std::string_view id) const;        // kNoAsset if unknown
    const GpuModel* gpuModel(std::string_view name) const;
    const RackType* rackType(std::string_view name) const;
    const UnitModel* unitModel(std::string_view name) const;

    std::int64_t gpuCount() const { return gpuTotal_; }
    const std::vector<AssetIndex>& racks() const { return racks_; }   // in GPU-index order
    std::vector<AssetIndex> assetsOfKind(AssetKind kind) const;
    const std::vector<AssetIndex>& children(AssetIndex a) const;
    const std::vector<AssetIndex>& suppliers(AssetIndex a) const;     // electrical: who feeds a
    const std::vector<AssetIndex>& supplied(AssetIndex a) const;      // electrical: whom a feeds

    // GPUs: campus-wide index <-> rack and slot, and their ids ("<rack id>/gpu07").
    AssetIndex rackOfGpu(std::int64_t gpu) const;
    std::string gpuId(std::int64_t gpu) const;
    std::optional<std::int64_t> findGpu(std::string_view id) const;

    // Build-out: whether asset `a` is in service at time t, and the distinct commissioning dates
    // of the campus in ascending order (empty when every asset has always been there).
    bool commissionedAt(AssetIndex a, TimeMs t) const { return assets[a].commissionedAt(t); }
    const std::vector<TimeMs>& commissioningDates() const { return commissioningDates_; }

    // Walks the electrical graph upstream from `a` and returns every source (turbine,
    // Megapack block, solar array, grid tie) that can supply it.
    std::vector<AssetIndex> sourcesOf(AssetIndex a) const;

private:
    // Keys are owned strings (not views into `assets`) so that copying a Campus stays valid.
    struct IdHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept;
    };
    std::unordered_map<std::string, AssetIndex, IdHash, std::equal_to<>> byId_;
    std::vector<AssetIndex> racks_;
    std::vector<std::vector<AssetIndex>> children_, suppliers_, supplied_;
    std::int64_t gpuTotal_ = 0;
    std::vector<TimeMs> commissioningDates_;
};

bool isSource(AssetKind kind);

} // namespace twin
