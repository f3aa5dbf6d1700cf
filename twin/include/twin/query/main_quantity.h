// What one number says most about an asset, a GPU or a job: the quantity the inspector's trend
// draws. Power for what draws or makes it (GPUs, racks, rows: rack power; halls, buildings,
// sites: their halls' IT power; turbines, Megapack blocks, solar, grid ties: their output;
// transformers and feeders: their flow; jobs), frequency for buses; for anything else the first
// measured (not state-code) quantity of the first series that lists it. Several channels of one
// series are summed (a row's racks, a site's halls).
#pragma once

#include "twin/query/series_query.h"

#include <string>
#include <vector>

namespace twin::query {

struct MainQuantity {
    ChannelGroup channels;           // summed; empty(): nothing recorded for it
    std::string quantity, unit;      // "power", "kW"
    bool empty() const { return channels.empty(); }
};

MainQuantity mainQuantityOf(const StoreReader& reader, AssetIndex asset);
MainQuantity mainQuantityOfGpu(const StoreReader& reader, std::int64_t gpu);
MainQuantity mainQuantityOfJob(const StoreReader& reader, int jobId);

// The sum of a group's channels over [t0, t1] in at most n buckets on one grid: per bucket the
// envelope [sum of minima, sum of maxima], the sums of the means (count 1), of the first and of
// the last values, all times `scale`. The charts' sums (views/electrical/channel_sum.h) are these.
std::vector<Bucket> sumRange(StoreReader& reader, const ChannelGroup& g, TimeMs t0, TimeMs t1, int n, double scale = 1);
// The sum of a group's values at t (the latest frame at or before it); NaN without a frame.
double sumAt(StoreReader& reader, const ChannelGroup& g, TimeMs t);

} // namespace twin::query
