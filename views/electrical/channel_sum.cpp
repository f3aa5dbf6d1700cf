#include "electrical/channel_sum.h"

#include <algorithm>

namespace views {

using namespace twin;

StripChart::Fetch channelOf(StoreReader& r, int series, int quantity, std::int64_t pos) {
    return [&r, series, quantity, pos](TimeMs a, TimeMs b, int n) { return r.seriesRange(series, quantity, pos, a, b, n); };
}

StripChart::Fetch sumOfChannels(StoreReader& r, int series, int quantity, std::vector<std::int64_t> positions, double scale) {
    return [&r, series, quantity, positions, scale](TimeMs a, TimeMs b, int n) {
        const TimeMs width = std::max<TimeMs>(1, (b - a + n) / std::max(1, n));
        std::vector<Bucket> grid(static_cast<std::size_t>((b - a) / width + 1));
        std::vector<std::uint8_t> filled(grid.size(), 0);
        for (std::int64_t p : positions)
            for (const Bucket& k : r.seriesRange(series, quantity, p, a, b, n)) {
                const auto i = static_cast<std::size_t>((k.first - a) / width);
                if (i >= grid.size() || k.count == 0) continue;
                Bucket& g = grid[i];
                if (!filled[i]) g = Bucket{k.first, k.last, 0, 0, 0, 0, 1, 0}, filled[i] = 1;
                g.min += k.min * scale;
                g.max += k.max * scale;
                g.sum += k.sum / k.count * scale;
                g.first = std::min(g.first, k.first);
                g.last = std::max(g.last, k.last);
            }
        std::vector<Bucket> out;
        for (std::size_t i = 0; i < grid.size(); ++i)
            if (filled[i]) out.push_back(grid[i]);
        return out;
    };
}

std::vector<std::pair<AssetIndex, std::vector<std::int64_t>>> positionsBySite(const Campus& c, const SeriesInfo& s, AssetKind kind) {
    std::vector<std::pair<AssetIndex, std::vector<std::int64_t>>> out;
    for (std::size_t i = 0; i < s.assets.size(); ++i) {
        if (s.assets[i] == kNoAsset || c.assets[s.assets[i]].kind != kind) continue;
        const AssetIndex site = c.assets[s.assets[i]].site;
        auto it = std::find_if(out.begin(), out.end(), [&](const auto& g) { return g.first == site; });
        if (it == out.end()) it = out.insert(out.end(), {site, {}});
        it->second.push_back(static_cast<std::int64_t>(i));
    }
    return out;
}

std::vector<std::int64_t> positionsOfKind(const Campus& c, const SeriesInfo& s, AssetKind kind) {
    std::vector<std::int64_t> out;
    for (const auto& [site, ps] : positionsBySite(c, s, kind)) out.insert(out.end(), ps.begin(), ps.end());
    return out;
}

StripChart::Fetch shifted(StripChart::Fetch fetch, TimeMs offset) {
    return [fetch = std::move(fetch), offset](TimeMs a, TimeMs b, int n) {
        auto buckets = fetch(a + offset, b + offset, n);
        for (Bucket& k : buckets) {
            k.first -= offset;
            k.last -= offset;
        }
        return buckets;
    };
}

} // namespace views
