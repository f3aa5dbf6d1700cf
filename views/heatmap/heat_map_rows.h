// The rows of a rack heat map: the racks under an asset in rack-series order, grouped by hall
// and by building (a group per run of racks of one hall or building, labelled with its name).
#pragma once

#include "twin/campus.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace views {

struct HeatMapRows {
    struct Group {
        twin::AssetIndex asset = twin::kNoAsset;   // the hall or building
        int first = 0, count = 0;   // rows
        QString label;              // its name
    };
    std::vector<std::int64_t> positions;   // per row: the rack's position in the rack series
    std::vector<Group> groups;             // by hall
    std::vector<Group> buildings;          // by building (labelled when the halls are too thin)
};

// kNoAsset: every rack of the campus.
HeatMapRows heatMapRows(const twin::Campus& campus, twin::AssetIndex scope);

// What a heat map can be asked for: the campus, then each building followed by its halls, as
// (asset, label) with the halls indented; only those that hold racks.
std::vector<std::pair<twin::AssetIndex, QString>> heatMapScopes(const twin::Campus& campus);

} // namespace views
