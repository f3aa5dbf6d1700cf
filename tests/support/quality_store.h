// A small-campus recording with data-quality series, as colossus-ingest writes them beside the
// series they qualify (twin/query/data_quality.h): "gpu_quality" with one rack's GPU stale and
// another's missing, "source_quality" with a turbine stale and a Megapack block missing,
// "bus_quality" with a bus stale. Everything else is good.
#pragma once

#include "twin/campus.h"

#include <cstddef>
#include <string>

namespace testsupport {

struct QualityRecording {
    std::string path;
    std::size_t staleRack = 1, missingRack = 2;   // positions in Campus::racks()
    twin::AssetIndex staleTurbine = twin::kNoAsset, goodTurbine = twin::kNoAsset;
    twin::AssetIndex missingBlock = twin::kNoAsset, staleBus = twin::kNoAsset;
};

// Simulates 20 s of steady training on data/sites/small.json into `out` and adds the quality
// series, each with one frame at the recording's start.
QualityRecording recordWithQuality(const std::string& out);

} // namespace testsupport
