// The rack x time heat map: for a set of racks (a hall, a building, a site or the whole campus),
// one quantity of the rack series over [t0, t1] in N time buckets, as a raster of racks x buckets.
// This is how a reviewer sees a swing travel through a building, or a job's racks go idle
// together (views/heatmap/, docs/views.md "Rack heat map").
//
// Buckets: N equal parts of [t0, t1] (both ends included, span = t1 - t0 + 1 ms); the frame at t
// falls in bucket floor((t - t0) * N / span). Reduction: a cell is the mean of the rack's values
// in the frames of its bucket (value = stored integer x precision, as every read); NaN when the
// bucket holds no readable frame (none recorded there, or damaged: docs/store.md "Damaged
// stores"). Each frame of the range is read once, and only the segments that hold the racks
// asked for, and of them only the quantity (StoreReader::frameSlices).
#pragma once

#include "twin/store.h"

#include <cstdint>
#include <string>
#include <vector>

namespace twin::query {

struct HeatMapRequest {
    std::vector<std::int64_t> racks;   // positions in the rack series (= indices in Campus::racks()), one per row
    std::string quantity = "power";    // a quantity of the rack series: power, inlet_temperature, ...
    TimeMs t0 = 0, t1 = 0;             // inclusive
    int buckets = 600;
};

struct RackHeatMap {
    TimeMs t0 = 0, t1 = 0;
    int buckets = 0, rows = 0;
    std::string unit;                  // of the quantity ("kW")
    std::vector<float> values;         // rows x buckets, row by row; NaN where no readable frame
    std::vector<float> bucketMin, bucketMax;   // per bucket over every row (NaN where none)

    float at(int row, int bucket) const { return values[static_cast<std::size_t>(row) * buckets + bucket]; }
    // The bucket holding time t (-1 outside [t0, t1]); the first time of bucket b; its middle.
    int bucketOf(TimeMs t) const;
    TimeMs bucketStart(int b) const;
    TimeMs bucketMiddle(int b) const;
};

// The rack positions under an asset (a hall, building, site; or any rack's ancestor) in rack
// series order; every rack of the campus for kNoAsset.
std::vector<std::int64_t> racksUnder(const Campus& campus, AssetIndex asset);

// The heat map. Throws twin::Error naming the store when it has no rack series, no such quantity,
// or a position outside it, or when buckets < 1. t1 < t0 gives a raster of NaN.
RackHeatMap rackHeatMap(StoreReader& reader, const HeatMapRequest& request);

} // namespace twin::query
