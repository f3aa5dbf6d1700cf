// Which series, quantity and asset position of a store hold a value: a series by id or by name,
// a quantity's index, an asset's position, and the channel they make. Typed forms take the
// simulator's series of twin/sim/series.h (seriesOf<Island>(r), findChannel<Bus>(r, Bus::Frequency, a)).
#pragma once

#include "twin/sim/series.h"
#include "twin/store.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace twin::query {

// One channel of a dense series: a quantity of the asset at a position.
struct Channel {
    int series = 0;                    // store series id, 0: none
    int quantity = -1;                 // index in SeriesSpec::quantities
    std::int64_t position = -1;        // asset position in the series
    bool empty() const { return series == 0; }
};

// One quantity of several assets of a series (a sum or a mean on a chart).
struct ChannelGroup {
    int series = 0;                    // store series id, 0: none
    int quantity = -1;
    std::vector<std::int64_t> positions;
    bool empty() const { return series == 0 || positions.empty(); }
};

// The series with this id, or nullptr.
const SeriesInfo* findSeriesInfo(const StoreReader& reader, int id);
// The series with this id; throws twin::Error naming the store when it has none.
const SeriesInfo& seriesInfo(const StoreReader& reader, int id);
// The series of that name, or nullptr.
const SeriesInfo* seriesNamed(const StoreReader& reader, std::string_view name);

// Index of a quantity in a series by name, -1 if absent.
int quantityIndex(const SeriesInfo& series, std::string_view quantity);
// Position of an asset in a series: its place in a List series, in Campus::racks() for the
// Racks series; -1 if absent (and always for Gpus and Jobs series, whose positions are GPU and
// job indices).
std::int64_t positionIn(const Campus& campus, const SeriesInfo& series, AssetIndex asset);

// The channel of a quantity of an asset in the series of that name; empty() when the store lacks
// the series, the quantity, or the asset in the series.
Channel findChannel(const StoreReader& reader, std::string_view series, std::string_view quantity, AssetIndex asset);

// --- The same for the simulator's series (twin/sim/series.h) ---
template <class Series>
const SeriesInfo* seriesOf(const StoreReader& reader) {
    return seriesNamed(reader, Series::name);
}
template <class Series>
int quantityIndex(const SeriesInfo& series, typename Series::Quantity q) {
    return quantityIndex(series, sim::series::quantityName<Series>(q));
}
template <class Series>
Channel findChannel(const StoreReader& reader, typename Series::Quantity q, AssetIndex asset) {
    return findChannel(reader, Series::name, sim::series::quantityName<Series>(q), asset);
}

} // namespace twin::query
