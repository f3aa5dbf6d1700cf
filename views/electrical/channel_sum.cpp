#include "electrical/channel_sum.h"

#include "twin/query/main_quantity.h"

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
    return [&r, group = query::ChannelGroup{series, quantity, std::move(positions)}, scale](TimeMs a, TimeMs b, int n) {
        return query::sumRange(r, group, a, b, n, scale);
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
