// The one-line diagram's layout: a pure function of the campus's electrical graph (no drawing,
// no session), so that any campus file gives its own diagram and the layout can be tested alone.
//
// Rules (docs/views.md, "One-line diagram"):
//  - the diagram holds every electrical asset: every asset with a supplier or a supplied asset,
//    rows and racks excepted (they belong to the hall floor plan);
//  - one lane per electrical island (a connected part of the graph), stacked top to bottom in
//    the order of their first asset, titled by the sites they span;
//  - power flows left to right: a node's column is its electrical depth, the longest path to it
//    from a source over Campus::feeds; a source (or any node nothing feeds) moves right to sit in
//    the column just before the first node it feeds;
//  - identical units (same kind, all feeding the same one bus, kGridMin or more) are drawn as a
//    compact grid next to their bus; each unit still is its own node with its own edge, which
//    leaves the grid along a channel under its row;
//  - within a column, blocks (a node or a grid) are ordered by the barycentre of their
//    neighbours' positions, sweeping with the suppliers then with the supplied, a few passes;
//  - a bus is a bar across the flow spanning every connection it has; buses of one column whose
//    bars would overlap get their own tracks.
#pragma once

#include "twin/campus.h"

#include <QPointF>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <unordered_map>
#include <vector>

namespace views {

// True for an asset the one-line diagram draws (electrically connected, not a row or a rack).
bool isOneLineAsset(const twin::Campus& campus, twin::AssetIndex a);
// Every such asset, in campus order.
std::vector<twin::AssetIndex> oneLineAssets(const twin::Campus& campus);
// Longest path from a source (or any node nothing feeds) over Campus::feeds, rows and racks
// ignored; indexed by asset, -1 for assets outside the diagram.
std::vector<int> electricalDepth(const twin::Campus& campus);

struct OneLineNode {
    twin::AssetIndex asset = twin::kNoAsset;
    int lane = 0;
    int column = 0;
    int grid = -1;            // index into OneLineLayout::grids, -1 for a node drawn alone
    QRectF symbol;            // the symbol's box (a bus: its bar)
    QRectF cell;              // symbol and label: the node's whole clickable area
    QRectF label;             // where its text goes
    bool vertical = false;    // a bus bar (drawn across the flow)
};

struct OneLineEdge {
    twin::AssetIndex from = twin::kNoAsset, to = twin::kNoAsset;   // as in Campus::feeds
    std::vector<QPointF> path;                                     // polyline, from -> to
};

struct OneLineGrid {
    int lane = 0, column = 0;
    twin::AssetKind kind = twin::AssetKind::Turbine;
    twin::AssetIndex bus = twin::kNoAsset;
    std::vector<twin::AssetIndex> units;
    QRectF rect;
};

struct OneLineLane {
    QString title;            // the sites it spans: "Colossus 1", "Southaven · Colossus 2"
    QRectF rect;
    std::vector<twin::AssetIndex> assets;
};

struct OneLineLayout {
    std::vector<OneLineNode> nodes;
    std::vector<OneLineEdge> edges;
    std::vector<OneLineGrid> grids;
    std::vector<OneLineLane> lanes;
    std::unordered_map<twin::AssetIndex, int> nodeOf;   // asset -> index into nodes
    int columns = 0;
    QRectF bounds;

    const OneLineNode* node(twin::AssetIndex a) const {
        const auto it = nodeOf.find(a);
        return it == nodeOf.end() ? nullptr : &nodes[static_cast<std::size_t>(it->second)];
    }
};

constexpr int kGridMin = 4;   // identical units on one bus drawn as a grid from this many

OneLineLayout layoutOneLine(const twin::Campus& campus);

// The assets and edges that supply `a`: `a` itself and everything met walking Campus::suppliers
// upward to the sources, restricted to the diagram's assets (a rack's path starts at its hall).
std::vector<twin::AssetIndex> supplyPath(const twin::Campus& campus, twin::AssetIndex a);

} // namespace views
