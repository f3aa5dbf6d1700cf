#include "twin/query/main_quantity.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace twin::query {

namespace series = sim::series;

namespace {

MainQuantity of(const SeriesInfo* s, int quantity, std::vector<std::int64_t> positions) {
    positions.erase(std::remove(positions.begin(), positions.end(), -1), positions.end());
    if (!s || quantity < 0 || positions.empty()) return {};
    const Quantity& q = s->spec.quantities[static_cast<std::size_t>(quantity)];
    return {{s->id, quantity, std::move(positions)}, q.name, q.unit};
}

// Positions in a series of the assets of one kind below `a` (a itself included).
std::vector<std::int64_t> below(const Campus& campus, const SeriesInfo& s, AssetIndex a, AssetKind kind) {
    std::vector<std::int64_t> out;
    std::vector<AssetIndex> todo{a};
    while (!todo.empty()) {
        const AssetIndex x = todo.back();
        todo.pop_back();
        if (campus.assets[static_cast<std::size_t>(x)].kind == kind) out.push_back(positionIn(campus, s, x));
        else for (AssetIndex c : campus.children(x)) todo.push_back(c);
    }
    std::sort(out.begin(), out.end());
    return out;
}

template <class S>
MainQuantity named(const StoreReader& r, typename S::Quantity q, std::vector<std::int64_t> positions) {
    const SeriesInfo* s = seriesOf<S>(r);
    return of(s, s ? quantityIndex<S>(*s, q) : -1, std::move(positions));
}

template <class S>
MainQuantity ofAsset(const StoreReader& r, typename S::Quantity q, AssetIndex a) {
    const SeriesInfo* s = seriesOf<S>(r);
    return s ? of(s, quantityIndex<S>(*s, q), {positionIn(r.campus(), *s, a)}) : MainQuantity{};
}

} // namespace

MainQuantity mainQuantityOf(const StoreReader& r, AssetIndex a) {
    const Campus& campus = r.campus();
    if (a < 0 || static_cast<std::size_t>(a) >= campus.assets.size()) return {};
    MainQuantity out;
    switch (campus.assets[static_cast<std::size_t>(a)].kind) {
    case AssetKind::Rack: out = ofAsset<series::Rack>(r, series::Rack::Power, a); break;
    case AssetKind::Row:
        if (const SeriesInfo* s = seriesOf<series::Rack>(r))
            out = of(s, quantityIndex<series::Rack>(*s, series::Rack::Power), below(campus, *s, a, AssetKind::Rack));
        break;
    case AssetKind::Hall:
    case AssetKind::Building:
    case AssetKind::Site:
        if (const SeriesInfo* s = seriesOf<series::Hall>(r))
            out = of(s, quantityIndex<series::Hall>(*s, series::Hall::ItPower), below(campus, *s, a, AssetKind::Hall));
        break;
    case AssetKind::Turbine:
    case AssetKind::MegapackBlock:
    case AssetKind::SolarArray:
    case AssetKind::GridTie: out = ofAsset<series::Source>(r, series::Source::Power, a); break;
    case AssetKind::Bus: out = ofAsset<series::Bus>(r, series::Bus::Frequency, a); break;
    case AssetKind::Transformer:
    case AssetKind::Feeder: out = ofAsset<series::Flow>(r, series::Flow::Power, a); break;
    default: break;
    }
    if (!out.empty()) return out;
    // Anything else: the first measured quantity of the first series listing it.
    for (const SeriesInfo& s : r.series()) {
        if (s.spec.assetSet != AssetSet::List) continue;
        const std::int64_t p = positionIn(campus, s, a);
        if (p < 0) continue;
        for (std::size_t q = 0; q < s.spec.quantities.size(); ++q)
            if (s.spec.quantities[q].unit != "code") return of(&s, static_cast<int>(q), {p});
    }
    return {};
}

MainQuantity mainQuantityOfGpu(const StoreReader& r, std::int64_t gpu) {
    if (gpu < 0 || gpu >= r.campus().gpuCount()) return {};
    return named<series::Gpu>(r, series::Gpu::Power, {gpu});
}

MainQuantity mainQuantityOfJob(const StoreReader& r, int jobId) {
    const auto& jobs = r.jobs();
    const auto it = std::find_if(jobs.begin(), jobs.end(), [jobId](const Job& j) { return j.id == jobId; });
    if (it == jobs.end()) return {};
    return named<series::Job>(r, series::Job::Power, {static_cast<std::int64_t>(it - jobs.begin())});
}

std::vector<Bucket> sumRange(StoreReader& r, const ChannelGroup& g, TimeMs a, TimeMs b, int n, double scale) {
    if (g.empty()) return {};
    const TimeMs width = std::max<TimeMs>(1, (b - a + n) / std::max(1, n));
    std::vector<Bucket> grid(static_cast<std::size_t>((b - a) / width + 1));
    std::vector<std::uint8_t> filled(grid.size(), 0);
    for (std::int64_t p : g.positions)
        for (const Bucket& k : r.seriesRange(g.series, g.quantity, p, a, b, n)) {
            const auto i = static_cast<std::size_t>((k.first - a) / width);
            if (i >= grid.size() || k.count == 0) continue;
            Bucket& x = grid[i];
            if (!filled[i]) x = Bucket{k.first, k.last, 0, 0, 0, 0, 1, 0}, filled[i] = 1;
            x.min += k.min * scale;
            x.max += k.max * scale;
            x.sum += k.sum / k.count * scale;
            x.firstValue += k.firstValue * scale;
            x.lastValue += k.lastValue * scale;
            x.first = std::min(x.first, k.first);
            x.last = std::max(x.last, k.last);
        }
    std::vector<Bucket> out;
    for (std::size_t i = 0; i < grid.size(); ++i)
        if (filled[i]) out.push_back(grid[i]);
    return out;
}

double sumAt(StoreReader& r, const ChannelGroup& g, TimeMs t) {
    if (g.empty()) return std::numeric_limits<double>::quiet_NaN();
    const SeriesState st = r.seriesAt(g.series, t);
    if (!st.valid) return std::numeric_limits<double>::quiet_NaN();
    double sum = 0;
    for (std::int64_t p : g.positions) sum += st.values[static_cast<std::size_t>(g.quantity)][static_cast<std::size_t>(p)];
    return sum;
}

} // namespace twin::query
