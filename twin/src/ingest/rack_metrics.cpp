#include "twin/ingest/rack_metrics.h"

namespace twin::ingest {

namespace {

// Prometheus naming (base units in the name); the store's rack series is in kW and degC.
constexpr RackMetricAlias kRackAliases[] = {
    {"rack_power_watts", RackQuantity::Power, 0.001, "W"},
    {"rack_inlet_temperature_celsius", RackQuantity::InletTemperature, 1, "degC"},
    {"rack_outlet_temperature_celsius", RackQuantity::OutletTemperature, 1, "degC"},
};

} // namespace

std::span<const RackMetricAlias> rackMetricAliases()
{
    return kRackAliases;
}

const RackMetricAlias* findRackMetricAlias(std::string_view metric)
{
    for (const RackMetricAlias& a : kRackAliases)
        if (a.metric == metric) return &a;
    return nullptr;
}

} // namespace twin::ingest
