#include "heatmap/heat_map_rows.h"

#include "common/rack_values.h"

#include "twin/query/rack_heat_map.h"

using namespace twin;

namespace views {

HeatMapRows heatMapRows(const Campus& campus, AssetIndex scope) {
    HeatMapRows rows;
    rows.positions = query::racksUnder(campus, scope);
    auto add = [&](std::vector<HeatMapRows::Group>& groups, AssetIndex a, std::size_t r) {
        if (groups.empty() || groups.back().asset != a) {
            const QString name = a == kNoAsset ? QString("Racks") : QString::fromStdString(campus.assets[static_cast<std::size_t>(a)].name);
            groups.push_back({a, static_cast<int>(r), 0, name});
        }
        ++groups.back().count;
    };
    for (std::size_t r = 0; r < rows.positions.size(); ++r) {
        const AssetIndex rack = campus.racks()[static_cast<std::size_t>(rows.positions[r])];
        add(rows.groups, ancestorOfKind(campus, rack, AssetKind::Hall), r);
        add(rows.buildings, ancestorOfKind(campus, rack, AssetKind::Building), r);
    }
    return rows;
}

std::vector<std::pair<AssetIndex, QString>> heatMapScopes(const Campus& campus) {
    std::vector<std::pair<AssetIndex, QString>> out;
    out.emplace_back(kNoAsset, QString("Every rack (%1)").arg(campus.racks().size()));
    for (const AssetIndex b : campus.assetsOfKind(AssetKind::Building)) {
        const auto n = query::racksUnder(campus, b).size();
        if (n == 0) continue;
        out.emplace_back(b, QString("%1 (%2 racks)").arg(QString::fromStdString(campus.assets[static_cast<std::size_t>(b)].name)).arg(n));
        for (const AssetIndex h : campus.children(b)) {
            if (campus.assets[static_cast<std::size_t>(h)].kind != AssetKind::Hall) continue;
            const auto k = query::racksUnder(campus, h).size();
            if (k > 0)
                out.emplace_back(h, QString("    %1 (%2 racks)").arg(QString::fromStdString(campus.assets[static_cast<std::size_t>(h)].name)).arg(k));
        }
    }
    return out;
}

} // namespace views
