#include "electrical/channel_sum.h"

#include <algorithm>

namespace views {

using namespace twin;

StripChart::Fetch channelOf(StoreReader& r, int series, int quantity, std::int64_t pos) {
    return [&r, series, quantity, pos](TimeMs a, TimeMs b, int n) { return r.seriesRange(series, quantity, pos, a, b, n); };
}

StripChart::Fetch channelOf(StoreReader& r, const query::Channel& c) {
    return channelOf(r, c.series, c.quantity, c.position);
}

StripChart::Fetch sumOfChannels(StoreReader& r, const query::ChannelGroup& g, double scale) {
    return sumOfChannels(r, g.series, g.quantity, g.positions, scale);
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
