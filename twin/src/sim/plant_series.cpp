#include "twin/sim/plant_series.h"

#include "twin/sim/series.h"

#include "quantities_of.h"

namespace twin::sim {

std::vector<AssetIndex> PlantAssets::sources() const
{
    std::vector<AssetIndex> out(turbines);
    out.insert(out.end(), megapacks.begin(), megapacks.end());
    out.insert(out.end(), solars.begin(), solars.end());
    out.insert(out.end(), gridTies.begin(), gridTies.end());
    return out;
}

PlantAssets plantAssets(const Campus& campus)
{
    PlantAssets p;
    for (std::size_t a = 0; a < campus.assets.size(); ++a) {
        const auto i = static_cast<AssetIndex>(a);
        // The power model leaves assets without a feed out of every island (power_model.cpp).
        const bool wired = !campus.suppliers(i).empty() || !campus.supplied(i).empty();
        switch (campus.assets[a].kind) {
        case AssetKind::Turbine: if (wired) p.turbines.push_back(i); break;
        case AssetKind::MegapackBlock: if (wired) p.megapacks.push_back(i); break;
        case AssetKind::SolarArray: if (wired) p.solars.push_back(i); break;
        case AssetKind::GridTie: if (wired) p.gridTies.push_back(i); break;
        case AssetKind::Transformer:
        case AssetKind::Feeder: if (wired) p.flows.push_back(i); break;
        case AssetKind::Bus: p.buses.push_back(i); break;
        default: break;
        }
    }
    return p;
}

SeriesSpec plantSeriesSpec(PlantSeries which, const Campus& campus, const std::vector<AssetIndex>& assets,
                           TimeMs periodMs)
{
    using series::Source, series::Turbine, series::Megapack, series::Bus, series::Flow;
    SeriesSpec s;
    s.assetSet = AssetSet::List;
    for (AssetIndex a : assets) s.assets.push_back(campus.assets[a].id);
    s.periodMs = periodMs;
    s.keyInterval = 100;
    s.segmentSize = 4096;
    s.columnar = true;
    switch (which) {
    case PlantSeries::Source:
        s.name = Source::name;
        s.quantities = quantitiesOf<Source>({{Source::Power, "MW", 0.0001}, {Source::State, "code", 1}});
        break;
    case PlantSeries::Turbine:
        s.name = Turbine::name;
        s.quantities = quantitiesOf<Turbine>({{Turbine::MechanicalPower, "MW", 0.0001}});
        break;
    case PlantSeries::Megapack:
        s.name = Megapack::name;
        s.quantities = quantitiesOf<Megapack>({{Megapack::Soc, "%", 0.01}, {Megapack::Cycles, "cycles", 0.0001}});
        break;
    case PlantSeries::Bus:
        s.name = Bus::name;
        s.quantities = quantitiesOf<Bus>({{Bus::Frequency, "Hz", 0.0001}, {Bus::Rocof, "Hz/s", 0.0001}});
        break;
    case PlantSeries::Flow:
        s.name = Flow::name;
        s.quantities = quantitiesOf<Flow>({{Flow::Power, "MW", 0.0001}});
        break;
    }
    return s;
}

const std::vector<AssetIndex>& plantSeriesAssets(PlantSeries which, const PlantAssets& assets,
                                                 std::vector<AssetIndex>& sourcesScratch)
{
    switch (which) {
    case PlantSeries::Source: return sourcesScratch = assets.sources();
    case PlantSeries::Turbine: return assets.turbines;
    case PlantSeries::Megapack: return assets.megapacks;
    case PlantSeries::Bus: return assets.buses;
    case PlantSeries::Flow: break;
    }
    return assets.flows;
}

SeriesSpec plantSeriesSpec(PlantSeries which, const Campus& campus, const PlantAssets& assets, TimeMs periodMs)
{
    std::vector<AssetIndex> scratch;
    return plantSeriesSpec(which, campus, plantSeriesAssets(which, assets, scratch), periodMs);
}

} // namespace twin::sim
