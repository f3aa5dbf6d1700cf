// Which channels of a store carry the plant's electrical signals: each island's frequency, load
// and generation; the power of each kind of source (turbines, Megapacks, solar, grid), all
// together and site by site; each site's Megapack state of charge. The power charts, the wall
// and the compare window draw these; how they draw them (names, colours, sums) stays with them.
#pragma once

#include "twin/query/series_query.h"

#include <string>
#include <vector>

namespace twin::query {

// One electrical island, as the simulator's "island" series lists it (one bus per island).
struct IslandSignals {
    std::string busId;                 // the island's bus, as the island series names it
    AssetIndex bus = kNoAsset;         // that bus in the campus (kNoAsset: the campus lacks it)
    Channel frequency;                 // the bus's frequency ("bus" series); empty() if not recorded
    Channel load, generation;          // MW ("island" series)
};

// Channels of the assets of one site (site kNoAsset: assets outside any site).
struct SiteChannels {
    AssetIndex site = kNoAsset;
    ChannelGroup channels;
};

// The source power of every asset of one kind.
struct SourceKindSignals {
    AssetKind kind = AssetKind::Turbine;     // Turbine, MegapackBlock, SolarArray or GridTie
    ChannelGroup power;                      // MW, every site's assets, site by site
    std::vector<SiteChannels> powerBySite;   // the same split by site, sites in the series' order
};

struct ElectricalSignals {
    std::vector<IslandSignals> islands;      // in the island series' order
    ChannelGroup load, generation;           // every island's (summed: the campus's)
    std::vector<SourceKindSignals> sources;  // turbines, Megapacks, solar, grid: the kinds recorded
    std::vector<SiteChannels> megapackSoc;   // %, each site's Megapack blocks ("megapack" series)

    // The sources of one kind, or nullptr if the store records none.
    const SourceKindSignals* source(AssetKind kind) const;
};

// Empty parts where the store lacks a series (a store not written by the simulator).
ElectricalSignals electricalSignals(const StoreReader& reader);

} // namespace twin::query
