#include "twin/query/series_query.h"

#include <algorithm>

namespace twin::query {

const SeriesInfo* findSeriesInfo(const StoreReader& reader, int id) {
    const auto& all = reader.series();
    const auto it = std::find_if(all.begin(), all.end(), [id](const SeriesInfo& s) { return s.id == id; });
    return it == all.end() ? nullptr : &*it;
}

const SeriesInfo& seriesInfo(const StoreReader& reader, int id) {
    if (const SeriesInfo* s = findSeriesInfo(reader, id)) return *s;
    throw Error(reader.path(), "no series with id " + std::to_string(id));
}

const SeriesInfo* seriesNamed(const StoreReader& reader, std::string_view name) {
    const auto& all = reader.series();
    const auto it = std::find_if(all.begin(), all.end(), [name](const SeriesInfo& s) { return s.spec.name == name; });
    return it == all.end() ? nullptr : &*it;
}

int quantityIndex(const SeriesInfo& series, std::string_view quantity) {
    const auto& q = series.spec.quantities;
    const auto it = std::find_if(q.begin(), q.end(), [quantity](const Quantity& x) { return x.name == quantity; });
    return it == q.end() ? -1 : static_cast<int>(it - q.begin());
}

std::int64_t positionIn(const Campus& campus, const SeriesInfo& series, AssetIndex asset) {
    if (asset == kNoAsset) return -1;
    const std::vector<AssetIndex>& order = series.spec.assetSet == AssetSet::Racks ? campus.racks() : series.assets;
    const auto it = std::find(order.begin(), order.end(), asset);
    return it == order.end() ? -1 : static_cast<std::int64_t>(it - order.begin());
}

Channel findChannel(const StoreReader& reader, std::string_view series, std::string_view quantity, AssetIndex asset) {
    const SeriesInfo* s = seriesNamed(reader, series);
    if (!s) return {};
    Channel c{s->id, quantityIndex(*s, quantity), positionIn(reader.campus(), *s, asset)};
    return c.quantity >= 0 && c.position >= 0 ? c : Channel{};
}

} // namespace twin::query
