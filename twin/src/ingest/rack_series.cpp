#include "twin/ingest/rack_series.h"

#include "twin/sim/series.h"

namespace twin::ingest {

namespace {

using twin::sim::series::Hall, twin::sim::series::Rack;

static_assert(static_cast<int>(RackQuantity::Power) == Rack::Power &&
              static_cast<int>(RackQuantity::InletTemperature) == Rack::InletTemperature &&
              static_cast<int>(RackQuantity::OutletTemperature) == Rack::OutletTemperature &&
              kRackSeriesQuantities == static_cast<int>(Rack::quantities.size()));

std::vector<std::string> hallIds(const Campus& campus, const RackHalls& halls)
{
    std::vector<std::string> ids;
    for (AssetIndex a : halls.halls) ids.push_back(campus.assets[static_cast<std::size_t>(a)].id);
    return ids;
}

std::string qualityName(const char* series)
{
    return std::string(series) + "_quality";
}

} // namespace

// Keep in step with the simulator (twin/src/sim/simulator.cpp, addSeries()).
SeriesSpec rackSeriesSpec(TimeMs periodMs)
{
    return {Rack::name, AssetSet::Racks, {},
            {{Rack::quantities[Rack::Power], "kW", 0.1},
             {Rack::quantities[Rack::InletTemperature], "degC", 0.1},
             {Rack::quantities[Rack::OutletTemperature], "degC", 0.1}},
            periodMs, 30, 4096, true};
}

SeriesSpec rackQualitySeriesSpec(TimeMs periodMs)
{
    return {qualityName(Rack::name), AssetSet::Racks, {}, {{"quality", "code", 1}}, periodMs, 30, 4096, true};
}

SeriesSpec hallSeriesSpec(const Campus& campus, const RackHalls& halls, TimeMs periodMs)
{
    return {Hall::name, AssetSet::List, hallIds(campus, halls), {{Hall::quantities[Hall::ItPower], "MW", 0.001}},
            periodMs, 100, 4096, true};
}

SeriesSpec hallQualitySeriesSpec(const Campus& campus, const RackHalls& halls, TimeMs periodMs)
{
    return {qualityName(Hall::name), AssetSet::List, hallIds(campus, halls), {{"quality", "code", 1}},
            periodMs, 100, 4096, true};
}

RackSeriesWriter::RackSeriesWriter(StoreWriter& store, const Campus& campus, const RackHalls& halls,
                                   TimeMs periodMs)
    : store_(store)
{
    rack_ = store.addSeries(rackSeriesSpec(periodMs));
    rackQuality_ = store.addSeries(rackQualitySeriesSpec(periodMs));
    if (!halls.halls.empty()) {
        hall_ = store.addSeries(hallSeriesSpec(campus, halls, periodMs));
        hallQuality_ = store.addSeries(hallQualitySeriesSpec(campus, halls, periodMs));
    }
}

void RackSeriesWriter::write(const RackFrame& frame)
{
    std::span<const float> values[kRackSeriesQuantities];
    for (int q = 0; q < kRackSeriesQuantities; ++q) values[q] = frame.values[static_cast<std::size_t>(q)];
    store_.writeFrame(rack_, frame.t, values);
    const std::span<const float> quality[] = {frame.quality};
    store_.writeFrame(rackQuality_, frame.t, quality);
    if (!hall_) return;
    const std::span<const float> hall[] = {frame.hallItMw};
    store_.writeFrame(hall_, frame.t, hall);
    const std::span<const float> hallQuality[] = {frame.hallQuality};
    store_.writeFrame(hallQuality_, frame.t, hallQuality);
}

} // namespace twin::ingest
