// Which dcgm-exporter metrics the twin records, and how their values become the twin's units:
// the alias table (docs/ingest.md lists it). One entry per metric name, old and new spellings
// alike, so a fleet halfway through an exporter upgrade maps to the same quantities.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace twin::ingest {

// The GPU quantities of the "gpu" series (in its quantity order), plus XID errors (events).
enum class GpuQuantity : std::uint8_t { Power = 0, Utilisation = 1, Temperature = 2, Xid = 3, None = 4 };
constexpr int kGpuSeriesQuantities = 3;   // Power, Utilisation, Temperature

struct MetricAlias {
    std::string_view metric;     // the Prometheus metric name (__name__)
    GpuQuantity quantity;        // None: recognised but not recorded by the twin
    double scale;                // twin value = sample value x scale
    std::string_view unit;       // the unit the exporter sends
    std::string_view exporter;   // which dcgm-exporter versions send it
};

std::span<const MetricAlias> metricAliases();
// nullptr when the metric is not in the table.
const MetricAlias* findMetricAlias(std::string_view metric);

// The device labels: dcgm-exporter before 4.8.3 writes "Hostname", later ones "hostname".
constexpr std::string_view kHostLabels[] = {"Hostname", "hostname"};
constexpr std::string_view kGpuLabel = "gpu";

} // namespace twin::ingest
