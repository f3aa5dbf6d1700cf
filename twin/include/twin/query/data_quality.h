// How good the recorded data is. Stores filled from real telemetry (colossus-ingest) record, beside
// a series X, the series "X_quality": the same assets in the same order, one quantity "quality",
// whose code says per asset whether X's value is fresh (docs/store.md, "Data quality"). Simulated
// stores have no quality series: everything in them is good.
#pragma once

#include "twin/campus.h"
#include "twin/store.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace twin::query {

enum class DataQuality : std::uint8_t {
    Good = 0,      // a fresh value
    Stale = 1,     // the last value received, older than its staleness limit (or its source died)
    Missing = 2,   // nothing received yet: the recorded value is a placeholder
};

// "gpu" -> "gpu_quality".
std::string qualitySeriesName(std::string_view series);
bool isQualitySeries(std::string_view name);

// A recorded code as a quality: 0 good, 1 stale, anything else (2, NaN, out of range) missing.
DataQuality qualityFromCode(float code);
constexpr DataQuality worse(DataQuality a, DataQuality b) { return a > b ? a : b; }
const char* qualityWord(DataQuality q);   // "good", "stale", "missing"

// The quality of one asset position from the state of a quality series: Good when there is no
// quality series (`quality` null), Missing when it has no frame yet at that time or no such position.
DataQuality qualityAt(const SeriesState* quality, std::int64_t position);

// Each rack's quality, in Campus::racks() order: from "rack_quality" where recorded, else the worst
// of its GPUs' "gpu_quality". `out` is left empty when neither series is given (all good).
void rackQualities(const Campus& campus, const SeriesState* rackQuality, const SeriesState* gpuQuality,
                   std::vector<DataQuality>& out);

// How many positions of a quality series' state are good, stale, missing.
struct QualityCounts {
    std::int64_t good = 0, stale = 0, missing = 0;
    std::int64_t notGood() const { return stale + missing; }
};
QualityCounts countQualities(const SeriesState* quality);

} // namespace twin::query
