// The key figures of each electrical island (a lane of the one-line diagram) at the clock's time,
// for the diagram's overview level: frequency, generation and load (the simulator's "island"
// series), Megapack power and mean state of charge, the turbines' CO2, sources running and
// tripped, active alarms.
// Read from the session's state and the store's active events; no drawing.
#pragma once

#include "electrical/one_line_layout.h"

#include "twin/query/data_quality.h"
#include "twin/query/series_query.h"
#include "twin/session/session.h"

#include <QString>

#include <cmath>
#include <optional>
#include <vector>

namespace views {

struct IslandFigures {
    QString title;                              // the sites it spans (the lane's title)
    std::optional<double> frequencyHz;          // its bus's (the island series' bus; else its first bus)
    std::optional<double> generationMw, loadMw; // the island series'; without one, generation sums the sources
    std::optional<double> megapackMw;           // sum of its Megapack blocks' power (+ discharging)
    std::optional<double> megapackSocPct;       // mean of its blocks' SoC
    std::optional<double> co2TPerH;             // its turbines' CO2 (the "fuel" series), when recorded
    int megapacks = 0;                          // Megapack blocks in the island
    int sources = 0, running = 0;               // turbines, solar arrays, grid ties; running (online) of them
    int tripped = 0;                            // sources (Megapacks too) tripped or faulted
    int alarms = 0;                             // active events of severity Alarm or above on its assets
    // The quality of the values used (Good where the store records none): the frequency's bus, the
    // sources apart from the Megapacks, the Megapack blocks; `quality` the worst of the three.
    twin::query::DataQuality frequencyQuality = twin::query::DataQuality::Good;
    twin::query::DataQuality sourceQuality = twin::query::DataQuality::Good;
    twin::query::DataQuality megapackQuality = twin::query::DataQuality::Good;
    twin::query::DataQuality quality = twin::query::DataQuality::Good;
    bool frequencyAbnormal() const { return frequencyHz && std::abs(*frequencyHz - 60.0) > 0.5; }
};

// Which channels make each lane's figures; built once per store.
class IslandFigureReader {
public:
    IslandFigureReader() = default;
    IslandFigureReader(const twin::Session& session, const OneLineLayout& layout);

    // One per lane of the layout, in lane order.
    std::vector<IslandFigures> read(twin::Session& session) const;
    // The lane an asset belongs to (a rack, row or GPU's: its hall's), -1 if none.
    int laneOf(twin::AssetIndex a) const;

private:
    using Channel = twin::query::Channel;
    struct Source {
        twin::AssetKind kind;
        Channel power, state, soc, quality, co2;
        twin::AssetIndex asset = twin::kNoAsset;   // not commissioned at the clock's time: left out
    };
    struct Lane {
        QString title;
        std::vector<Source> sources;
        Channel frequency, frequencyQuality, load, generation;
    };
    std::vector<Lane> lanes_;
    std::vector<int> laneOfAsset_;   // diagram assets only; others walk up Asset::parent
    const twin::Campus* campus_ = nullptr;
};

} // namespace views
