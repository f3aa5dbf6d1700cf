#include "twin/ingest/plant_sparkplug_names.h"

#include "twin/sim/series.h"

#include <algorithm>

namespace twin::ingest::sparkplug {

std::string edgeNodeOf(std::string_view assetId)
{
    const auto slash = assetId.find('/');
    return slash == std::string_view::npos ? std::string("plant") : std::string(assetId.substr(0, slash));
}

std::string deviceOf(std::string_view assetId)
{
    const auto slash = assetId.find('/');
    std::string d(slash == std::string_view::npos ? assetId : assetId.substr(slash + 1));
    std::replace(d.begin(), d.end(), '/', '.');
    std::replace(d.begin(), d.end(), '+', '_');
    std::replace(d.begin(), d.end(), '#', '_');
    return d;
}

std::string metricName(sim::PlantSeries series, int quantity)
{
    using namespace sim::series;
    switch (series) {
    case sim::PlantSeries::Source: return quantity == Source::Power ? "power_mw" : "state";
    case sim::PlantSeries::Turbine: return "mechanical_power_mw";
    case sim::PlantSeries::Megapack: return quantity == Megapack::Soc ? "soc_pct" : "cycles";
    case sim::PlantSeries::Bus: return quantity == Bus::Frequency ? "frequency_hz" : "rocof_hz_per_s";
    case sim::PlantSeries::Flow: return "power_mw";
    }
    return "?";
}

} // namespace twin::ingest::sparkplug
