#include "twin/ingest/dcgm_metrics.h"

namespace twin::ingest {

namespace {

// The alias table. dcgm-exporter names a metric after its DCGM field; 4.9 renamed the default
// fields and moved them to base units (a 0-1 ratio for utilisation, J for energy). The 4.9
// spellings below follow Prometheus' unit-suffix convention and are the ones this table assumes
// (docs/ingest.md, "Alias table"): a site whose exporter writes others adds a row here.
constexpr MetricAlias kAliases[] = {
    {"DCGM_FI_DEV_POWER_USAGE", GpuQuantity::Power, 1, "W", "before 4.9"},
    {"DCGM_FI_DEV_GPU_UTIL", GpuQuantity::Utilisation, 1, "%", "before 4.9"},
    {"DCGM_FI_DEV_GPU_TEMP", GpuQuantity::Temperature, 1, "degC", "before 4.9"},
    {"DCGM_FI_DEV_XID_ERRORS", GpuQuantity::Xid, 1, "XID code", "before 4.9"},
    {"DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", GpuQuantity::None, 0.001, "mJ", "before 4.9"},
    {"DCGM_FI_DEV_POWER_USAGE_WATTS", GpuQuantity::Power, 1, "W", "4.9"},
    {"DCGM_FI_DEV_GPU_UTIL_RATIO", GpuQuantity::Utilisation, 100, "ratio 0-1", "4.9"},
    {"DCGM_FI_DEV_GPU_TEMP_CELSIUS", GpuQuantity::Temperature, 1, "degC", "4.9"},
    {"DCGM_FI_DEV_XID_ERRORS_CODE", GpuQuantity::Xid, 1, "XID code", "4.9"},
    {"DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION_JOULES", GpuQuantity::None, 1, "J", "4.9"},
};

} // namespace

std::span<const MetricAlias> metricAliases()
{
    return kAliases;
}

const MetricAlias* findMetricAlias(std::string_view metric)
{
    for (const MetricAlias& a : kAliases)
        if (a.metric == metric) return &a;
    return nullptr;
}

} // namespace twin::ingest
