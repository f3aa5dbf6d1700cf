#include "twin/ingest/rack_assembler.h"

#include <algorithm>
#include <map>

namespace twin::ingest {

RackHalls rackHallsOf(const Campus& campus)
{
    RackHalls out;
    std::map<AssetIndex, std::int32_t> index;
    for (AssetIndex rack : campus.racks()) {
        // As the simulator does (compute_model.cpp): the hall above the rack, or the rack itself.
        AssetIndex h = rack;
        while (h != kNoAsset && campus.assets[static_cast<std::size_t>(h)].kind != AssetKind::Hall)
            h = campus.assets[static_cast<std::size_t>(h)].parent;
        if (h == kNoAsset) h = rack;
        const auto [it, fresh] = index.emplace(h, static_cast<std::int32_t>(out.halls.size()));
        if (fresh) out.halls.push_back(h);
        out.hallOfRack.push_back(it->second);
    }
    return out;
}

RackAssembler::RackAssembler(const Campus& campus, AssemblerOptions options)
    : campus_(campus), options_(options), halls_(rackHallsOf(campus)),
      rackOfAsset_(campus.assets.size(), -1), held_(campus.racks().size())
{
    for (std::size_t r = 0; r < campus.racks().size(); ++r)
        rackOfAsset_[static_cast<std::size_t>(campus.racks()[r])] = static_cast<std::int32_t>(r);
}

std::int32_t RackAssembler::rackPosition(std::string_view id) const
{
    const AssetIndex a = campus_.find(id);
    return a == kNoAsset ? -1 : rackOfAsset_[static_cast<std::size_t>(a)];
}

void RackAssembler::apply(std::span<const RackSample> samples, IngestCounts& counts)
{
    std::lock_guard lock(mutex_);
    for (const RackSample& s : samples) {
        Held& h = held_[static_cast<std::size_t>(s.rack)];
        const auto q = static_cast<std::size_t>(s.quantity);
        if (s.t < h.t[q]) {
            ++counts.outOfOrder;
            continue;
        }
        h.t[q] = s.t;
        if (s.staleMarker) {
            h.staleMarked[q] = 1;
            ++counts.staleMarkers;
        } else {
            h.value[q] = s.value;
            h.staleMarked[q] = 0;
            ++counts.recorded;
        }
    }
}

void RackAssembler::snapshot(const GpuFrame& gpus, RackFrame& out)
{
    const auto& racks = campus_.racks();
    const std::size_t n = racks.size();
    out.t = gpus.t;
    for (auto& v : out.values) v.assign(n, 0.0f);
    out.quality.assign(n, 0.0f);
    out.hallItMw.assign(halls_.halls.size(), 0.0f);
    out.hallQuality.assign(halls_.halls.size(), 0.0f);
    out.sensed = 0;
    const float* power = gpus.values[static_cast<std::size_t>(GpuQuantity::Power)].data();
    const float* gpuQuality = gpus.quality.data();
    std::vector<double> hallKw(halls_.halls.size(), 0.0);
    const auto qualityOf = [&](const Held& h, int q) {
        if (h.staleMarked[q] || gpus.t - h.t[q] > options_.staleAfterMs) return Quality::Stale;
        return Quality::Good;
    };
    std::lock_guard lock(mutex_);
    for (std::size_t r = 0; r < n; ++r) {
        const Held& h = held_[r];
        Quality worst = Quality::Good;
        if (h.t[0] != kNever) {   // a power sensor: its value, its quality
            out.values[0][r] = h.value[0];
            worst = qualityOf(h, 0);
            ++out.sensed;
        } else {                  // the sum of the rack's GPUs, the worst of their qualities
            const Asset& a = campus_.assets[static_cast<std::size_t>(racks[r])];
            double w = 0;
            float q = 0;
            for (std::int64_t g = a.gpuFirst; g < a.gpuFirst + a.gpuCount; ++g) {
                w += power[g];
                q = std::max(q, gpuQuality[g]);
            }
            out.values[0][r] = static_cast<float>(w / 1000);
            worst = static_cast<Quality>(static_cast<int>(q));
        }
        for (int q = 1; q < kRackSeriesQuantities; ++q)
            if (h.t[q] != kNever) {   // temperatures count once the rack has sent them
                out.values[static_cast<std::size_t>(q)][r] = h.value[q];
                worst = std::max(worst, qualityOf(h, q));
            }
        out.quality[r] = static_cast<float>(worst);
        const auto hall = static_cast<std::size_t>(halls_.hallOfRack[r]);
        hallKw[hall] += out.values[0][r];
        out.hallQuality[hall] = std::max(out.hallQuality[hall], out.quality[r]);
    }
    for (std::size_t k = 0; k < hallKw.size(); ++k) out.hallItMw[k] = static_cast<float>(hallKw[k] / 1000);
}

} // namespace twin::ingest
