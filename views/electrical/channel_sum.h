// Channels of the store summed for charts: the generation of every turbine, the power of a
// site's Megapacks, their mean state of charge. Shared by the power charts and the compare window.
#pragma once

#include "electrical/strip_chart.h"

#include "twin/campus.h"
#include "twin/store.h"

#include <utility>
#include <vector>

namespace views {

// One channel of a series.
StripChart::Fetch channelOf(twin::StoreReader& r, int series, int quantity, std::int64_t position);

// The sum (scale 1) or mean (scale 1/n) of several channels of one series, bucket by bucket on a
// common grid: the envelope [sum of minima, sum of maxima] and the sum of the means.
StripChart::Fetch sumOfChannels(twin::StoreReader& r, int series, int quantity, std::vector<std::int64_t> positions,
                                double scale = 1);

// Positions in a series of the assets of one kind, grouped by site (in the series' order).
std::vector<std::pair<twin::AssetIndex, std::vector<std::int64_t>>> positionsBySite(const twin::Campus& c,
                                                                                    const twin::SeriesInfo& s,
                                                                                    twin::AssetKind kind);
// Every position of that kind, all sites together.
std::vector<std::int64_t> positionsOfKind(const twin::Campus& c, const twin::SeriesInfo& s, twin::AssetKind kind);

// A fetch of another recording shown on this one's time axis: its time = ours + offsetMs.
StripChart::Fetch shifted(StripChart::Fetch fetch, twin::TimeMs offsetMs);

} // namespace views
