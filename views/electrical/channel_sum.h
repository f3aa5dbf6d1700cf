// Channels of the store as chart fetches, one or summed: the generation of every turbine, the
// power of a site's Megapacks, their mean state of charge. Shared by the power charts, the wall
// and the compare window; which channels: twin/query/electrical_signals.h.
#pragma once

#include "electrical/strip_chart.h"

#include "twin/query/series_query.h"
#include "twin/store.h"

#include <vector>

namespace views {

// One channel of a series.
StripChart::Fetch channelOf(twin::StoreReader& r, int series, int quantity, std::int64_t position);
StripChart::Fetch channelOf(twin::StoreReader& r, const twin::query::Channel& c);

// The sum (scale 1) or mean (scale 1/n) of several channels of one series, bucket by bucket on a
// common grid: the envelope [sum of minima, sum of maxima] and the sum of the means.
StripChart::Fetch sumOfChannels(twin::StoreReader& r, int series, int quantity, std::vector<std::int64_t> positions,
                                double scale = 1);
StripChart::Fetch sumOfChannels(twin::StoreReader& r, const twin::query::ChannelGroup& g, double scale = 1);

// A fetch of another recording shown on this one's time axis: its time = ours + offsetMs.
StripChart::Fetch shifted(StripChart::Fetch fetch, twin::TimeMs offsetMs);

} // namespace views
