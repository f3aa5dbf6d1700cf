// Normalised values of racks and GPUs for the colour map, computed exactly as the 3D view's
// CampusScene::apply / applyGpus do (docs/views.md, "Colours"), so that every view agrees.
#pragma once

#include "common/colour_map.h"

#include "twin/session/session.h"

#include <vector>

namespace views {

// Per-rack figures that do not change with time, in Campus::racks() order.
struct RackFacts {
    std::vector<double> ratedKw;   // its rack type's rated power (100 kW if unknown, as the 3D view)
    std::vector<float> gpuTdpW;    // its GPUs' TDP (700 W if unknown)
    std::vector<double> peakTflops;   // one GPU's dense BF16 peak (0 if unknown)
};
RackFacts rackFactsOf(const twin::Campus& campus);

// A rack's value of `q` in the units of rangeOf(q) (power as a fraction of rated), not yet
// normalised; NaN when the series it needs is missing. A loop over every rack normalises with
// one rangeOf(q).
double rackValue(const twin::Campus& campus, const RackFacts& facts, const twin::SeriesState* rack,
                 const twin::SeriesState* gpu, std::size_t position, RackQuantity q);
// A rack's value of `q`, normalised by rangeOf(q); NaN when the series it needs is missing.
// `position` is the rack's index in Campus::racks() (its position in the "rack" series).
double normalisedRackValue(const twin::Campus& campus, const RackFacts& facts, const twin::SeriesState* rack,
                           const twin::SeriesState* gpu, std::size_t position, RackQuantity q);

// One GPU's value of `q`, normalised as the 3D view's per-GPU cells: power / TDP, utilisation,
// GPU temperature over 30-90 degC (for InletTemperature), alive (1) or failed (0).
double normalisedGpuValue(double powerW, double utilisationPct, double temperatureC, double tdpW, RackQuantity q);

// The rack holding an asset or GPU of a selection (kNoAsset if none).
twin::AssetIndex rackOfSelection(const twin::Campus& campus, const twin::Selection& s);
// The nearest ancestor of `a` (or `a` itself) of a kind, kNoAsset if none.
twin::AssetIndex ancestorOfKind(const twin::Campus& campus, twin::AssetIndex a, twin::AssetKind kind);

} // namespace views
