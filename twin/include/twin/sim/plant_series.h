// The plant series as the simulator records them ("source", "turbine", "megapack", "bus",
// "flow"): which assets, in which order, with which quantities, units and precisions. The
// simulator and colossus-ingest (plant over MQTT) both build these series from here, so a plant
// received from the field lands in exactly the series a simulated one does.
#pragma once

#include "twin/campus.h"
#include "twin/store.h"

#include <string>
#include <vector>

namespace twin::sim {

// The plant's assets in the simulator's order (campus order within each kind). Sources, turbines,
// Megapack blocks and flows (transformers, feeders) count only when wired (they have a feed);
// buses always.
struct PlantAssets {
    std::vector<AssetIndex> turbines, megapacks, solars, gridTies, buses, flows;
    // Turbines, Megapack blocks, solar arrays, grid ties: the "source" series' order.
    std::vector<AssetIndex> sources() const;
};

PlantAssets plantAssets(const Campus& campus);

enum class PlantSeries { Source, Turbine, Megapack, Bus, Flow };
constexpr int kPlantSeriesCount = 5;

// The series' spec (AssetSet::List, columnar; units and precisions of simulator.h) over
// `assets` (the list PlantAssets gives for it), recorded every `periodMs`.
SeriesSpec plantSeriesSpec(PlantSeries which, const Campus& campus, const std::vector<AssetIndex>& assets,
                           TimeMs periodMs);
// The spec over the list plantAssets(campus) gives for the series.
SeriesSpec plantSeriesSpec(PlantSeries which, const Campus& campus, const PlantAssets& assets, TimeMs periodMs);
const std::vector<AssetIndex>& plantSeriesAssets(PlantSeries which, const PlantAssets& assets,
                                                 std::vector<AssetIndex>& sourcesScratch);

} // namespace twin::sim
