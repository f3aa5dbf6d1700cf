// How colossus-sim --sparkplug names the plant in Sparkplug B, and so what the default plant map
// (colossus-ingest --write-plant-map) expects: one edge node per site (the first element of the
// asset id), one device per plant asset (the rest of its id, '/' written as '.': Sparkplug ids
// may not hold '/'), metrics named after the quantity and its unit.
#pragma once

#include "twin/sim/plant_series.h"

#include <string>
#include <string_view>

namespace twin::ingest::sparkplug {

constexpr std::string_view kDefaultGroup = "colossus";

std::string edgeNodeOf(std::string_view assetId);
std::string deviceOf(std::string_view assetId);
// "power_mw", "state", "mechanical_power_mw", "soc_pct", "cycles", "frequency_hz", "rocof_hz_per_s".
std::string metricName(sim::PlantSeries series, int quantity);

} // namespace twin::ingest::sparkplug
