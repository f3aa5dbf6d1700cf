#include "twin/query/rack_heat_map.h"

#include "twin/query/series_query.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace twin::query {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// sum[i] += v[i]: the heat map's inner loop (27 million additions for a building over an hour).
// O3 for this function alone: GCC's -O2 cost model leaves the widening loop scalar (clang
// vectorises it at -O2 and has no such attribute).
#if defined(__GNUC__) && !defined(__clang__)
#define TWIN_VECTORISE __attribute__((optimize("O3")))
#else
#define TWIN_VECTORISE
#endif
TWIN_VECTORISE void addInto(std::int64_t* __restrict sum, const std::int32_t* __restrict v, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) sum[i] += v[i];
}

// The extremes of v[0 .. n) into lo, hi, NaN left out (a comparison with NaN is false).
TWIN_VECTORISE void extremes(const float* __restrict v, std::size_t n, float& lo, float& hi) {
    float a = lo, b = hi;
    for (std::size_t i = 0; i < n; ++i) {
        a = v[i] < a ? v[i] : a;
        b = v[i] > b ? v[i] : b;
    }
    lo = a;
    hi = b;
}

// Bucket arithmetic in 128 bits: spans of years in ms times thousands of buckets pass 2^63.
int bucketIndex(TimeMs t, TimeMs t0, TimeMs span, int n) {
    return static_cast<int>(static_cast<__int128>(t - t0) * n / span);
}

} // namespace

int RackHeatMap::bucketOf(TimeMs t) const {
    if (buckets < 1 || t < t0 || t > t1) return -1;
    return bucketIndex(t, t0, t1 - t0 + 1, buckets);
}

TimeMs RackHeatMap::bucketStart(int b) const {
    // The smallest t with floor((t - t0) * N / span) >= b: t0 + ceil(b * span / N).
    const __int128 span = t1 - t0 + 1;
    return t0 + static_cast<TimeMs>((b * span + buckets - 1) / buckets);
}

TimeMs RackHeatMap::bucketMiddle(int b) const { return bucketStart(b) + (bucketStart(b + 1) - bucketStart(b)) / 2; }

std::vector<std::int64_t> racksUnder(const Campus& campus, AssetIndex asset) {
    const auto& racks = campus.racks();
    std::vector<std::int64_t> out;
    for (std::size_t i = 0; i < racks.size(); ++i) {
        AssetIndex a = racks[i];
        while (a != kNoAsset && a != asset) a = campus.assets[static_cast<std::size_t>(a)].parent;
        if (a == asset || asset == kNoAsset) out.push_back(static_cast<std::int64_t>(i));
    }
    return out;
}

RackHeatMap rackHeatMap(StoreReader& reader, const HeatMapRequest& q) {
    const SeriesInfo* series = seriesOf<sim::series::Rack>(reader);
    if (!series) throw Error(reader.path(), "no rack series (a recording without racks: recordGpus false?)");
    const int k = quantityIndex(*series, q.quantity);
    if (k < 0) throw Error(reader.path(), "the rack series has no quantity '" + q.quantity + "'");
    if (q.buckets < 1) throw Error(reader.path(), "a heat map needs at least one time bucket");
    RackHeatMap m;
    m.t0 = q.t0;
    m.t1 = q.t1;
    m.buckets = q.buckets;
    m.rows = static_cast<int>(q.racks.size());
    m.unit = series->spec.quantities[static_cast<std::size_t>(k)].unit;
    m.values.assign(q.racks.size() * static_cast<std::size_t>(q.buckets), kNaN);   // every cell written again below
    m.bucketMin.assign(static_cast<std::size_t>(q.buckets), kNaN);
    m.bucketMax.assign(static_cast<std::size_t>(q.buckets), kNaN);
    if (q.racks.empty()) return m;

    const auto [lowIt, highIt] = std::minmax_element(q.racks.begin(), q.racks.end());
    const std::int64_t low = *lowIt, high = *highIt;
    if (low < 0 || high >= series->assetCount)
        throw Error(reader.path(), "the rack series has no position " + std::to_string(low < 0 ? low : high));
    if (q.t1 < q.t0) return m;

    // Per position of [low, high]: its row (a rack asked for twice fills both) and the sum of its
    // stored integers in the bucket being summed. Each call of frameSlices' `use` covers the same
    // positions of one segment every time, so the first of them keeps the bucket being summed,
    // how many frames it holds and how many positions the call covers. Each segment is touched by
    // one thread only. A closed bucket's means go to `byBucket` (bucket by bucket, contiguous),
    // turned into rows at the end: writing them down the rows' columns missed the cache at every
    // value.
    const auto width = static_cast<std::size_t>(high - low + 1);
    const auto n = static_cast<std::size_t>(q.buckets);
    std::vector<int> rowOf(width, -1);
    for (std::size_t r = 0; r < q.racks.size(); ++r) {
        int& first = rowOf[static_cast<std::size_t>(q.racks[r] - low)];
        if (first < 0) first = static_cast<int>(r);
    }
    std::vector<int> open(width, -1), frames(width, 0);
    std::vector<std::size_t> length(width, 0);
    std::vector<std::int64_t> sum(width, 0);
    std::vector<float> byBucket(n * width, kNaN);
    const double precision = series->spec.quantities[static_cast<std::size_t>(k)].precision;
    const TimeMs span = q.t1 - q.t0 + 1;
    auto close = [&](std::size_t base) {
        const double scale = precision / frames[base];
        float* out = byBucket.data() + static_cast<std::size_t>(open[base]) * width;
        for (std::size_t i = base; i < base + length[base]; ++i) {
            out[i] = static_cast<float>(static_cast<double>(sum[i]) * scale);
            sum[i] = 0;
        }
        frames[base] = 0;
    };
    reader.frameSlices(series->id, k, low, high - low + 1, q.t0, q.t1,
                       [&](TimeMs t, std::int64_t lo, std::span<const std::int32_t> v) {
                           const int b = bucketIndex(t, q.t0, span, q.buckets);
                           const auto base = static_cast<std::size_t>(lo - low);
                           if (open[base] != b) {
                               if (open[base] >= 0) close(base);
                               open[base] = b;
                               length[base] = v.size();
                           }
                           addInto(sum.data() + base, v.data(), v.size());
                           ++frames[base];
                       });
    for (std::size_t i = 0; i < width; ++i)
        if (open[i] >= 0) close(i);
    // Per bucket the extremes over the racks asked, then the rows, in tiles of 64 x 64 (a
    // transposition that stays in the cache; about 20 ms for a building, bound by memory).
    std::vector<std::pair<std::size_t, std::size_t>> spans;   // runs of positions asked for
    for (std::size_t i = 0; i < width; ++i)
        if (rowOf[i] >= 0) {
            if (spans.empty() || spans.back().second != i) spans.emplace_back(i, i);
            ++spans.back().second;
        }
    for (std::size_t b = 0; b < n; ++b) {
        float lo = std::numeric_limits<float>::infinity(), hi = -lo;
        for (const auto& [i0, i1] : spans) extremes(byBucket.data() + b * width + i0, i1 - i0, lo, hi);
        m.bucketMin[b] = std::isinf(lo) ? kNaN : lo;
        m.bucketMax[b] = std::isinf(hi) ? kNaN : hi;
    }
    constexpr std::size_t kTile = 64;
    const std::size_t rows = q.racks.size();
    for (std::size_t r0 = 0; r0 < rows; r0 += kTile)
        for (std::size_t b0 = 0; b0 < n; b0 += kTile)
            for (std::size_t r = r0; r < std::min(r0 + kTile, rows); ++r) {
                const auto i = static_cast<std::size_t>(q.racks[r] - low);
                float* out = m.values.data() + r * n;
                for (std::size_t b = b0; b < std::min(b0 + kTile, n); ++b) out[b] = byBucket[b * width + i];
            }
    return m;
}

} // namespace twin::query
