// Rack sensors a site may send beside the GPU telemetry (a PDU's per-rack active power, the
// rack's inlet and outlet air or coolant temperatures): the rack alias table (docs/ingest.md,
// "Racks and halls"). A sample names its rack by the label `rack`, holding the rack's asset id;
// the names are ours, so a site relabels its PDU exporter's metrics to them.
#pragma once

#include "twin/store.h"

#include <cstdint>
#include <span>
#include <string_view>

namespace twin::ingest {

// The quantities of the "rack" series, in its order (twin/sim/series.h, series::Rack).
enum class RackQuantity : std::uint8_t { Power = 0, InletTemperature = 1, OutletTemperature = 2 };
constexpr int kRackSeriesQuantities = 3;

struct RackMetricAlias {
    std::string_view metric;
    RackQuantity quantity;
    double scale;              // twin value (kW, degC) = sample value x scale
    std::string_view unit;     // as sent
};

std::span<const RackMetricAlias> rackMetricAliases();
const RackMetricAlias* findRackMetricAlias(std::string_view metric);   // nullptr: not a rack metric

constexpr std::string_view kRackLabel = "rack";

// One rack sensor sample mapped to its rack, in the twin's units.
struct RackSample {
    std::int32_t rack = 0;     // position in Campus::racks()
    TimeMs t = 0;
    float value = 0;
    RackQuantity quantity = RackQuantity::Power;
    bool staleMarker = false;
};

} // namespace twin::ingest
