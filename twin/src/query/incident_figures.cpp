#include "twin/query/incident_figures.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <vector>

namespace twin::query {

namespace {

struct Sample {
    TimeMs t;
    double v;
};

// Every sample of one channel in [t0, t1]: buckets one millisecond wide hold one sample each.
std::vector<Sample> samples(StoreReader& r, int series, int quantity, std::int64_t pos, TimeMs t0, TimeMs t1) {
    const auto points = static_cast<int>(std::min<TimeMs>(t1 - t0 + 1, INT_MAX));
    std::vector<Sample> out;
    for (const Bucket& b : r.seriesRange(series, quantity, pos, t0, t1, points)) out.push_back({b.last, b.lastValue});
    return out;
}

// The sum of several channels of one series, at the times every one of them has a sample.
std::vector<Sample> summed(StoreReader& r, const ChannelGroup& g, TimeMs t0, TimeMs t1) {
    std::map<TimeMs, std::pair<double, std::size_t>> byTime;
    for (std::int64_t p : g.positions)
        for (const Sample& s : samples(r, g.series, g.quantity, p, t0, t1)) {
            auto& [sum, n] = byTime[s.t];
            sum += s.v;
            ++n;
        }
    std::vector<Sample> out;
    for (const auto& [t, sn] : byTime)
        if (sn.second == g.positions.size()) out.push_back({t, sn.first});
    return out;
}

// Each asset's connected component of the feed graph (union-find roots).
std::vector<AssetIndex> components(const Campus& campus) {
    std::vector<AssetIndex> parent(campus.assets.size());
    for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = static_cast<AssetIndex>(i);
    auto root = [&](AssetIndex x) {
        while (parent[static_cast<std::size_t>(x)] != x) {
            const AssetIndex up = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(x)])];   // path halving
            parent[static_cast<std::size_t>(x)] = up;
            x = up;
        }
        return x;
    };
    for (const Feed& f : campus.feeds) parent[static_cast<std::size_t>(root(f.from))] = root(f.to);
    for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = root(static_cast<AssetIndex>(i));
    return parent;
}

// The last sample at or before t, or nullptr.
const Sample* atOrBefore(const std::vector<Sample>& s, TimeMs t) {
    const auto it = std::upper_bound(s.begin(), s.end(), t, [](TimeMs x, const Sample& k) { return x < k.t; });
    return it == s.begin() ? nullptr : &*(it - 1);
}

} // namespace

std::size_t islandOf(const StoreReader& reader, const ElectricalSignals& electrical, AssetIndex asset) {
    const Campus& campus = reader.campus();
    if (asset < 0 || static_cast<std::size_t>(asset) >= campus.assets.size()) return 0;
    const std::vector<AssetIndex> component = components(campus);
    for (std::size_t i = 0; i < electrical.islands.size(); ++i)
        if (electrical.islands[i].bus != kNoAsset && component[static_cast<std::size_t>(electrical.islands[i].bus)] ==
                                                      component[static_cast<std::size_t>(asset)])
            return i;
    return 0;
}

ChannelGroup megapacksOf(const StoreReader& reader, const ElectricalSignals& electrical, std::size_t island) {
    const SourceKindSignals* blocks = electrical.source(AssetKind::MegapackBlock);
    if (!blocks || island >= electrical.islands.size() || electrical.islands[island].bus == kNoAsset) return {};
    const SeriesInfo* source = findSeriesInfo(reader, blocks->power.series);
    const std::vector<AssetIndex> component = components(reader.campus());
    const AssetIndex mine = component[static_cast<std::size_t>(electrical.islands[island].bus)];
    ChannelGroup out{blocks->power.series, blocks->power.quantity, {}};
    for (std::int64_t p : blocks->power.positions) {
        const AssetIndex a = source ? source->assets.at(static_cast<std::size_t>(p)) : kNoAsset;
        if (a != kNoAsset && component[static_cast<std::size_t>(a)] == mine) out.positions.push_back(p);
    }
    return out;
}

IncidentFigures incidentFigures(StoreReader& reader, TimeMs anchor, const IncidentOptions& o) {
    IncidentFigures out;
    const TimeSpan span = reader.span();
    if (span.empty) return out;
    const TimeMs end = std::min(span.last, anchor + o.afterMs);
    out.windowEnd = end;
    // Enough before the anchor for the first RoCoF window and the pre-event value.
    const TimeMs from = anchor - o.rocofWindowMs - 10'000;
    const ElectricalSignals electrical = electricalSignals(reader);

    if (electrical.islands.empty()) return out;
    const std::size_t island = islandOf(reader, electrical, o.asset);
    if (!electrical.islands[island].frequency.empty()) {
        const Channel& c = electrical.islands[island].frequency;
        const std::vector<Sample> f = samples(reader, c.series, c.quantity, c.position, from, end);
        std::optional<TimeMs> lastOutside;
        bool any = false;
        for (const Sample& s : f) {
            if (s.t < anchor) continue;
            if (!any || s.v < out.nadirHz) out.nadirHz = s.v, out.nadirAfterMs = s.t - anchor;
            any = true;
            if (const Sample* before = atOrBefore(f, s.t - o.rocofWindowMs)) {
                const double rocof = (s.v - before->v) / (static_cast<double>(s.t - before->t) / 1000);
                if (rocof < out.maxRocofHzPerS) out.maxRocofHzPerS = rocof, out.rocofAfterMs = s.t - anchor;
            }
            if (std::abs(s.v - o.nominalHz) > o.recoveryBandHz) lastOutside = s.t;
        }
        out.hasFrequency = any;
        if (any) {
            if (!lastOutside) out.recoveredAfterMs = 0;
            else
                for (const Sample& s : f)
                    if (s.t > *lastOutside) {
                        out.recoveredAfterMs = s.t - anchor;
                        break;
                    }
        }
    }

    if (const ChannelGroup megapacks = megapacksOf(reader, electrical, island); !megapacks.empty()) {
        const std::vector<Sample> p = summed(reader, megapacks, from, std::min(end, anchor + o.pickupMs));
        const Sample* before = atOrBefore(p, anchor - 1);
        bool any = false;
        double peak = 0, first = 0;
        for (const Sample& s : p) {
            if (s.t < anchor) continue;
            if (!any) first = s.v;
            if (!any || s.v > peak) peak = s.v, out.megapackPeakAfterMs = s.t - anchor;
            any = true;
        }
        if (any) {
            out.hasMegapacks = true;
            // No sample before the anchor (it is the recording's start): the first one is the "before".
            out.megapackBeforeMw = before ? before->v : first;
            out.megapackPickupMw = peak - out.megapackBeforeMw;
        }
    }
    return out;
}

} // namespace twin::query
