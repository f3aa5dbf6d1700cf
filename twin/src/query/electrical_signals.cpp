#include "twin/query/electrical_signals.h"

#include <algorithm>

namespace twin::query {

namespace series = sim::series;

namespace {

// Positions of the assets of one kind in a series, grouped by site in the order the series meets
// the sites; assets the campus lacks are left out.
std::vector<SiteChannels> bySite(const Campus& campus, const SeriesInfo& s, int quantity, AssetKind kind) {
    std::vector<SiteChannels> out;
    for (std::size_t i = 0; i < s.assets.size(); ++i) {
        if (s.assets[i] == kNoAsset || campus.assets[s.assets[i]].kind != kind) continue;
        const AssetIndex site = campus.assets[s.assets[i]].site;
        auto it = std::find_if(out.begin(), out.end(), [site](const SiteChannels& g) { return g.site == site; });
        if (it == out.end()) it = out.insert(out.end(), {site, {s.id, quantity, {}}});
        it->channels.positions.push_back(static_cast<std::int64_t>(i));
    }
    return out;
}

void addIslands(const StoreReader& reader, ElectricalSignals& out) {
    using series::Island;
    const SeriesInfo* island = seriesOf<Island>(reader);
    if (!island) return;
    const int load = quantityIndex<Island>(*island, Island::Load);
    const int generation = quantityIndex<Island>(*island, Island::Generation);
    out.load = {island->id, load, {}};
    out.generation = {island->id, generation, {}};
    for (std::size_t i = 0; i < island->spec.assets.size(); ++i) {
        const auto pos = static_cast<std::int64_t>(i);
        IslandSignals is;
        is.busId = island->spec.assets[i];
        is.bus = reader.campus().find(is.busId);
        is.frequency = findChannel<series::Bus>(reader, series::Bus::Frequency, is.bus);
        if (load >= 0) is.load = {island->id, load, pos}, out.load.positions.push_back(pos);
        if (generation >= 0) is.generation = {island->id, generation, pos}, out.generation.positions.push_back(pos);
        out.islands.push_back(std::move(is));
    }
}

void addSources(const StoreReader& reader, ElectricalSignals& out) {
    using series::Source;
    const SeriesInfo* source = seriesOf<Source>(reader);
    const int power = source ? quantityIndex<Source>(*source, Source::Power) : -1;
    if (power < 0) return;
    for (AssetKind kind : {AssetKind::Turbine, AssetKind::MegapackBlock, AssetKind::SolarArray, AssetKind::GridTie}) {
        SourceKindSignals k{kind, {source->id, power, {}}, bySite(reader.campus(), *source, power, kind)};
        for (const SiteChannels& g : k.powerBySite)
            k.power.positions.insert(k.power.positions.end(), g.channels.positions.begin(), g.channels.positions.end());
        if (!k.power.positions.empty()) out.sources.push_back(std::move(k));
    }
}

void addMegapackSoc(const StoreReader& reader, ElectricalSignals& out) {
    using series::Megapack;
    const SeriesInfo* megapack = seriesOf<Megapack>(reader);
    const int soc = megapack ? quantityIndex<Megapack>(*megapack, Megapack::Soc) : -1;
    if (soc >= 0) out.megapackSoc = bySite(reader.campus(), *megapack, soc, AssetKind::MegapackBlock);
}

} // namespace

const SourceKindSignals* ElectricalSignals::source(AssetKind kind) const {
    const auto it =
        std::find_if(sources.begin(), sources.end(), [kind](const SourceKindSignals& s) { return s.kind == kind; });
    return it == sources.end() ? nullptr : &*it;
}

ElectricalSignals electricalSignals(const StoreReader& reader) {
    ElectricalSignals out;
    addIslands(reader, out);
    addSources(reader, out);
    addMegapackSoc(reader, out);
    return out;
}

} // namespace twin::query
