// The campus model: kind names, lookups and the graph indexes over a Campus's plain vectors.
#include "twin/campus.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <deque>

namespace twin {

namespace {

constexpr std::array<std::string_view, kAssetKindCount> kKindNames = {
    "site", "building", "hall", "row", "rack", "turbine", "megapack_block", "solar_array",
    "grid_tie", "substation", "bus", "transformer", "feeder", "cooling_plant",
};

const std::vector<AssetIndex> kNone;

} // namespace

std::string_view assetKindName(AssetKind kind)
{
    const auto i = static_cast<std::size_t>(kind);
    return i < kKindNames.size() ? kKindNames[i] : std::string_view("unknown");
}

std::optional<AssetKind> assetKindFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kKindNames.size(); ++i)
        if (kKindNames[i] == name) return static_cast<AssetKind>(i);
    return std::nullopt;
}

bool isSource(AssetKind kind)
{
    return kind == AssetKind::Turbine || kind == AssetKind::MegapackBlock ||
           kind == AssetKind::SolarArray || kind == AssetKind::GridTie;
}

std::size_t Campus::IdHash::operator()(std::string_view s) const noexcept
{
    return std::hash<std::string_view>{}(s);
}

void Campus::index()
{
    const auto n = static_cast<AssetIndex>(assets.size());
    byId_.clear();
    byId_.reserve(assets.size());
    racks_.clear();
    children_.assign(assets.size(), {});
    suppliers_.assign(assets.size(), {});
    supplied_.assign(assets.size(), {});
    gpuTotal_ = 0;
    commissioningDates_.clear();

    for (AssetIndex i = 0; i < n; ++i) {
        const Asset& a = assets[i];
        byId_.try_emplace(a.id, i); // the first of duplicates wins; the loader rejects them
        if (a.parent >= 0 && a.parent < n && a.parent != i) children_[a.parent].push_back(i);
        if (a.kind == AssetKind::Rack) {
            racks_.push_back(i);
            gpuTotal_ += a.gpuCount;
        }
        if (a.commissionedMs != kAlwaysCommissioned) commissioningDates_.push_back(a.commissionedMs);
    }
    std::sort(commissioningDates_.begin(), commissioningDates_.end());
    commissioningDates_.erase(std::unique(commissioningDates_.begin(), commissioningDates_.end()),
                              commissioningDates_.end());
    // A store may hand the racks back in any order: GPU order is what rackOfGpu() searches.
    std::stable_sort(racks_.begin(), racks_.end(), [this](AssetIndex x, AssetIndex y) {
        return assets[x].gpuFirst < assets[y].gpuFirst;
    });
    for (const Feed& f : feeds) {
        if (f.from < 0 || f.from >= n || f.to < 0 || f.to >= n) continue;
        supplied_[f.from].push_back(f.to);
        suppliers_[f.to].push_back(f.from);
    }
}

AssetIndex Campus::find(std::string_view id) const
{
    const auto it = byId_.find(id);
    return it == byId_.end() ? kNoAsset : it->second;
}

const GpuModel* Campus::gpuModel(std::string_view key) const
{
    for (const GpuModel& m : gpuModels)
        if (m.name == key) return &m;
    return nullptr;
}

const RackType* Campus::rackType(std::string_view key) const
{
    for (const RackType& t : rackTypes)
        if (t.name == key) return &t;
    return nullptr;
}

const UnitModel* Campus::unitModel(std::string_view key) const
{
    for (const UnitModel& m : unitModels)
        if (m.name == key) return &m;
    return nullptr;
}

std::vector<AssetIndex> Campus::assetsOfKind(AssetKind kind) const
{
    std::vector<AssetIndex> out;
    for (AssetIndex i = 0; i < static_cast<AssetIndex>(assets.size()); ++i)
        if (assets[i].kind == kind) out.push_back(i);
    return out;
}

const std::vector<AssetIndex>& Campus::children(AssetIndex a) const
{
    return a >= 0 && a < static_cast<AssetIndex>(children_.size()) ? children_[a] : kNone;
}

const std::vector<AssetIndex>& Campus::suppliers(AssetIndex a) const
{
    return a >= 0 && a < static_cast<AssetIndex>(suppliers_.size()) ? suppliers_[a] : kNone;
}

const std::vector<AssetIndex>& Campus::supplied(AssetIndex a) const
{
    return a >= 0 && a < static_cast<AssetIndex>(supplied_.size()) ? supplied_[a] : kNone;
}

AssetIndex Campus::rackOfGpu(std::int64_t gpu) const
{
    if (gpu < 0 || racks_.empty()) return kNoAsset;
    // First rack starting after `gpu`; the one before it is the candidate.
    const auto it = std::upper_bound(racks_.begin(), racks_.end(), gpu,
                                     [this](std::int64_t g, AssetIndex r) { return g < assets[r].gpuFirst; });
    if (it == racks_.begin()) return kNoAsset;
    const Asset& rack = assets[*(it - 1)];
    return gpu < rack.gpuFirst + rack.gpuCount ? *(it - 1) : kNoAsset;
}

std::string Campus::gpuId(std::int64_t gpu) const
{
    const AssetIndex r = rackOfGpu(gpu);
    if (r == kNoAsset) return {};
    const std::int64_t slot = gpu - assets[r].gpuFirst;
    std::string digits = std::to_string(slot);
    if (digits.size() < 2) digits.insert(0, 2 - digits.size(), '0');
    return assets[r].id + "/gpu" + digits;
}

std::optional<std::int64_t> Campus::findGpu(std::string_view id) const
{
    const auto slash = id.rfind('/');
    if (slash == std::string_view::npos) return std::nullopt;
    std::string_view tail = id.substr(slash + 1);
    if (tail.size() < 4 || tail.substr(0, 3) != "gpu") return std::nullopt;
    tail.remove_prefix(3);
    std::int64_t slot = 0;
    const auto [end, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), slot);
    if (ec != std::errc() || end != tail.data() + tail.size() || slot < 0) return std::nullopt;
    const AssetIndex r = find(id.substr(0, slash));
    if (r == kNoAsset || assets[r].kind != AssetKind::Rack || slot >= assets[r].gpuCount) return std::nullopt;
    return assets[r].gpuFirst + slot;
}

std::vector<AssetIndex> Campus::sourcesOf(AssetIndex a) const
{
    std::vector<AssetIndex> out;
    if (a < 0 || a >= static_cast<AssetIndex>(suppliers_.size())) return out;
    std::vector<char> seen(suppliers_.size(), 0);
    std::deque<AssetIndex> queue{a};
    seen[a] = 1;
    while (!queue.empty()) {
        const AssetIndex x = queue.front();
        queue.pop_front();
        for (AssetIndex s : suppliers_[x]) {
            if (seen[s]) continue;
            seen[s] = 1;
            if (isSource(assets[s].kind)) out.push_back(s);
            queue.push_back(s); // a source may itself be fed (e.g. a battery charged from a bus)
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace twin
