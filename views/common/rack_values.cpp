#include "common/rack_values.h"

#include "common/gpu_status.h"

#include "twin/sim/series.h"

#include <cmath>
#include <limits>

using namespace twin;
using twin::sim::series::Gpu, twin::sim::series::Rack;

namespace views {

RackFacts rackFactsOf(const Campus& campus) {
    RackFacts f;
    const auto& racks = campus.racks();
    f.ratedKw.resize(racks.size());
    f.gpuTdpW.resize(racks.size());
    f.peakTflops.resize(racks.size());
    for (std::size_t i = 0; i < racks.size(); ++i) {
        const RackType* rt = campus.rackType(campus.assets[racks[i]].model);
        const GpuModel* gm = rt ? campus.gpuModel(rt->gpuModel) : nullptr;
        f.ratedKw[i] = rt && rt->ratedKw > 0 ? rt->ratedKw : 100;
        f.gpuTdpW[i] = gm && gm->tdpW > 0 ? static_cast<float>(gm->tdpW) : 700.f;
        f.peakTflops[i] = gm ? gm->peakTflops : 0;
    }
    return f;
}

double rackValue(const Campus& campus, const RackFacts& facts, const SeriesState* rack, const SeriesState* gpu,
                 std::size_t i, RackQuantity q) {
    double v = std::numeric_limits<double>::quiet_NaN();
    switch (q) {
    case RackQuantity::Power:
        if (rack && rack->valid) v = rack->values[Rack::Power][i] / facts.ratedKw[i];
        break;
    case RackQuantity::InletTemperature:
        if (rack && rack->valid && rack->values.size() > Rack::InletTemperature)
            v = rack->values[Rack::InletTemperature][i];
        break;
    case RackQuantity::Utilisation:
    case RackQuantity::Health: {
        const Asset& a = campus.assets[campus.racks()[i]];
        if (gpu && gpu->valid && a.gpuCount > 0) {
            const float* power = gpu->values[Gpu::Power].data();
            const float* util = gpu->values[Gpu::Utilisation].data();
            double sum = 0;
            for (std::int64_t g = a.gpuFirst; g < a.gpuFirst + a.gpuCount; ++g)
                sum += q == RackQuantity::Utilisation ? util[g] : gpuHealthy(power[g], util[g]) ? 1 : 0;
            v = sum / static_cast<double>(a.gpuCount);
        }
        break;
    }
    }
    return v;
}

double normalisedRackValue(const Campus& campus, const RackFacts& facts, const SeriesState* rack,
                           const SeriesState* gpu, std::size_t i, RackQuantity q) {
    const QuantityRange range = rangeOf(q);
    const double v = rackValue(campus, facts, rack, gpu, i, q);
    return std::isnan(v) ? v : (v - range.low) / (range.high - range.low);
}

double normalisedGpuValue(double powerW, double utilisationPct, double temperatureC, double tdpW, RackQuantity q) {
    switch (q) {
    case RackQuantity::Power: return powerW / tdpW;
    case RackQuantity::Utilisation: return utilisationPct / 100;
    case RackQuantity::InletTemperature: return (temperatureC - 30) / 60;
    case RackQuantity::Health: return gpuHealthy(powerW, utilisationPct) ? 1 : 0;
    }
    return std::numeric_limits<double>::quiet_NaN();
}

AssetIndex ancestorOfKind(const Campus& campus, AssetIndex a, AssetKind kind) {
    while (a != kNoAsset && campus.assets[static_cast<std::size_t>(a)].kind != kind)
        a = campus.assets[static_cast<std::size_t>(a)].parent;
    return a;
}

AssetIndex rackOfSelection(const Campus& campus, const Selection& s) {
    if (s.gpu >= 0 && s.gpu < campus.gpuCount()) return campus.rackOfGpu(s.gpu);
    if (s.asset != kNoAsset && campus.assets[static_cast<std::size_t>(s.asset)].kind == AssetKind::Rack) return s.asset;
    return kNoAsset;
}

} // namespace views
