#include "electrical/one_line_layout.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <numeric>
#include <set>

using twin::AssetIndex;
using twin::AssetKind;
using twin::Campus;
using twin::kNoAsset;

namespace views {

namespace {

// Geometry, in scene units (pixels at zoom 1).
constexpr double kColGap = 80;       // between columns: room for the edges' vertical runs
constexpr double kBlockGap = 10;     // between blocks of a column
constexpr double kFeederGap = 4;     //   between two feeders
constexpr double kLaneGap = 40;
constexpr double kLaneHeader = 30;   // the lane's title
constexpr double kLaneMargin = 16;
constexpr double kLine = 11;         // one line of label text
constexpr double kTrack = 30;        // distance between bus bars of one column
constexpr double kBarWidth = 6;
constexpr double kBusLabelW = 112, kBusLabelH = 3 * kLine + 2;
constexpr double kBusHead = kBusLabelH + 6;  // bar above its first connection, for the label
constexpr double kGridCellW = 108, kGridSymbol = 22, kGridText = 3 * 10;
constexpr double kChannelStep = 4;

bool isBus(AssetKind k) { return k == AssetKind::Bus; }

struct Shape {
    double symW, symH;        // symbol
    int lines;                // label lines
    bool labelAbove;          // feeders: a single line above the breaker
    double cellW;
};

Shape shapeOf(AssetKind k) {
    switch (k) {
    case AssetKind::Feeder: return {12, 12, 1, true, 132};
    case AssetKind::Transformer: return {40, 26, 2, false, 120};
    case AssetKind::Hall:
    case AssetKind::CoolingPlant: return {46, 30, 2, false, 132};
    case AssetKind::Bus: return {kBarWidth, 24, 0, false, kTrack};
    default: return {30, 30, 3, false, 124};   // sources
    }
}

// A block: what a column stacks (one node, or a grid of identical units).
struct Block {
    std::vector<int> nodes;   // indices into layout.nodes
    int grid = -1;
    double w = 0, h = 0;
    double top = 0;
    bool compact = false;     // a feeder: stacked closer to the next feeder
    double centre() const { return top + h / 2; }
};

} // namespace

bool isOneLineAsset(const Campus& campus, AssetIndex a) {
    if (a < 0 || a >= static_cast<AssetIndex>(campus.assets.size())) return false;
    const AssetKind k = campus.assets[a].kind;
    if (k == AssetKind::Row || k == AssetKind::Rack) return false;
    return !campus.suppliers(a).empty() || !campus.supplied(a).empty();
}

std::vector<AssetIndex> oneLineAssets(const Campus& campus) {
    std::vector<AssetIndex> out;
    for (AssetIndex a = 0; a < static_cast<AssetIndex>(campus.assets.size()); ++a)
        if (isOneLineAsset(campus, a)) out.push_back(a);
    return out;
}

std::vector<int> electricalDepth(const Campus& campus) {
    const auto n = static_cast<AssetIndex>(campus.assets.size());
    std::vector<int> depth(static_cast<std::size_t>(n), -1);
    std::vector<int> indegree(static_cast<std::size_t>(n), 0);
    std::vector<char> in(static_cast<std::size_t>(n), 0);
    for (AssetIndex a : oneLineAssets(campus)) in[a] = 1;
    for (AssetIndex a = 0; a < n; ++a) {
        if (!in[a]) continue;
        for (AssetIndex s : campus.suppliers(a))
            if (in[s]) ++indegree[a];
    }
    // Longest path by Kahn's order.
    std::deque<AssetIndex> ready;
    for (AssetIndex a = 0; a < n; ++a)
        if (in[a] && indegree[a] == 0) {
            depth[a] = 0;
            ready.push_back(a);
        }
    while (!ready.empty()) {
        const AssetIndex a = ready.front();
        ready.pop_front();
        for (AssetIndex b : campus.supplied(a)) {
            if (!in[b]) continue;
            depth[b] = std::max(depth[b], depth[a] + 1);
            if (--indegree[b] == 0) ready.push_back(b);
        }
    }
    // A cycle (not in any campus file so far) leaves nodes unvisited: one past their deepest
    // placed supplier.
    for (bool changed = true; changed;) {
        changed = false;
        for (AssetIndex a = 0; a < n; ++a) {
            if (!in[a] || depth[a] >= 0) continue;
            int d = 0;
            for (AssetIndex s : campus.suppliers(a))
                if (in[s] && depth[s] >= 0) d = std::max(d, depth[s] + 1);
            depth[a] = d;
            changed = true;
        }
    }
    return depth;
}

std::vector<AssetIndex> supplyPath(const Campus& campus, AssetIndex a) {
    std::vector<AssetIndex> out;
    if (a < 0 || a >= static_cast<AssetIndex>(campus.assets.size())) return out;
    std::vector<char> seen(campus.assets.size(), 0);
    std::deque<AssetIndex> queue{a};
    seen[a] = 1;
    while (!queue.empty()) {
        const AssetIndex x = queue.front();
        queue.pop_front();
        if (isOneLineAsset(campus, x)) out.push_back(x);
        for (AssetIndex s : campus.suppliers(x))
            if (!seen[s]) {
                seen[s] = 1;
                queue.push_back(s);
            }
    }
    std::sort(out.begin(), out.end());
    return out;
}

OneLineLayout layoutOneLine(const Campus& campus) {
    OneLineLayout L;
    const std::vector<AssetIndex> assets = oneLineAssets(campus);
    if (assets.empty()) return L;
    std::vector<int> column = electricalDepth(campus);
    auto inDiagram = [&](AssetIndex a) { return a >= 0 && column[static_cast<std::size_t>(a)] >= 0; };
    auto sup = [&](AssetIndex a) {
        std::vector<AssetIndex> v;
        for (AssetIndex s : campus.suppliers(a))
            if (inDiagram(s)) v.push_back(s);
        return v;
    };
    auto dn = [&](AssetIndex a) {
        std::vector<AssetIndex> v;
        for (AssetIndex s : campus.supplied(a))
            if (inDiagram(s)) v.push_back(s);
        return v;
    };

    // Sources (and anything nothing feeds) move right, next to what they feed.
    for (AssetIndex a : assets) {
        if (!sup(a).empty()) continue;
        int c = std::numeric_limits<int>::max();
        for (AssetIndex b : dn(a)) c = std::min(c, column[b] - 1);
        if (c != std::numeric_limits<int>::max()) column[a] = std::max(column[a], c);
    }

    // Nodes, and lanes: the connected parts of the graph.
    for (AssetIndex a : assets) {
        L.nodeOf[a] = static_cast<int>(L.nodes.size());
        OneLineNode node;
        node.asset = a;
        node.column = column[a];
        node.vertical = isBus(campus.assets[a].kind);
        L.nodes.push_back(node);
        L.columns = std::max(L.columns, node.column + 1);
    }
    {
        std::vector<int> lane(L.nodes.size(), -1);
        int lanes = 0;
        for (std::size_t i = 0; i < L.nodes.size(); ++i) {
            if (lane[i] >= 0) continue;
            std::deque<AssetIndex> queue{L.nodes[i].asset};
            lane[i] = lanes;
            while (!queue.empty()) {
                const AssetIndex x = queue.front();
                queue.pop_front();
                for (const auto& list : {sup(x), dn(x)})
                    for (AssetIndex y : list) {
                        const int j = L.nodeOf[y];
                        if (lane[static_cast<std::size_t>(j)] < 0) {
                            lane[static_cast<std::size_t>(j)] = lanes;
                            queue.push_back(y);
                        }
                    }
            }
            ++lanes;
        }
        L.lanes.resize(static_cast<std::size_t>(lanes));
        for (std::size_t i = 0; i < L.nodes.size(); ++i) {
            L.nodes[i].lane = lane[i];
            L.lanes[static_cast<std::size_t>(lane[i])].assets.push_back(L.nodes[i].asset);
        }
        for (OneLineLane& ln : L.lanes) {
            std::vector<AssetIndex> sites;
            for (AssetIndex a : ln.assets) {
                const AssetIndex s = campus.assets[a].site;
                if (s != kNoAsset && std::find(sites.begin(), sites.end(), s) == sites.end()) sites.push_back(s);
            }
            std::sort(sites.begin(), sites.end());
            QStringList names;
            for (AssetIndex s : sites) names << QString::fromStdString(campus.assets[s].name);
            ln.title = names.join(" · ");
        }
    }

    // Grids: identical units (kind) that feed the same one bus and nothing else.
    std::map<std::tuple<int, int, AssetKind, AssetIndex>, std::vector<int>> groups;
    for (std::size_t i = 0; i < L.nodes.size(); ++i) {
        const AssetIndex a = L.nodes[i].asset;
        const AssetKind k = campus.assets[a].kind;
        if (!twin::isSource(k) || !sup(a).empty()) continue;
        const auto d = dn(a);
        if (d.size() != 1 || !isBus(campus.assets[d[0]].kind)) continue;
        groups[{L.nodes[i].lane, L.nodes[i].column, k, d[0]}].push_back(static_cast<int>(i));
    }
    for (auto& [key, members] : groups) {
        if (static_cast<int>(members.size()) < kGridMin) continue;
        OneLineGrid g;
        g.lane = std::get<0>(key);
        g.column = std::get<1>(key);
        g.kind = std::get<2>(key);
        g.bus = std::get<3>(key);
        for (int m : members) {
            g.units.push_back(L.nodes[static_cast<std::size_t>(m)].asset);
            L.nodes[static_cast<std::size_t>(m)].grid = static_cast<int>(L.grids.size());
        }
        L.grids.push_back(std::move(g));
    }
    auto gridCols = [](std::size_t n) {
        const int c = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
        return std::clamp(c, 2, 5);
    };
    auto rowHeight = [](int inRow) { return kGridSymbol + kGridText + 6 + inRow * kChannelStep + 4; };

    // Blocks per lane and column.
    const int laneCount = static_cast<int>(L.lanes.size());
    std::vector<std::vector<std::vector<Block>>> blocks(
        static_cast<std::size_t>(laneCount), std::vector<std::vector<Block>>(static_cast<std::size_t>(L.columns)));
    for (std::size_t i = 0; i < L.nodes.size(); ++i) {
        const OneLineNode& n = L.nodes[i];
        if (n.grid >= 0) continue;
        const Shape s = shapeOf(campus.assets[n.asset].kind);
        Block b;
        b.nodes = {static_cast<int>(i)};
        b.w = s.cellW;
        b.h = s.symH + s.lines * kLine + (s.lines ? 4 : 0);
        b.compact = campus.assets[n.asset].kind == AssetKind::Feeder;
        blocks[static_cast<std::size_t>(n.lane)][static_cast<std::size_t>(n.column)].push_back(b);
    }
    for (std::size_t gi = 0; gi < L.grids.size(); ++gi) {
        const OneLineGrid& g = L.grids[gi];
        Block b;
        b.grid = static_cast<int>(gi);
        for (AssetIndex a : g.units) b.nodes.push_back(L.nodeOf[a]);
        const int cols = gridCols(g.units.size());
        const int rows = static_cast<int>((g.units.size() + cols - 1) / cols);
        b.w = cols * kGridCellW;
        for (int r = 0; r < rows; ++r)
            b.h += rowHeight(std::min<int>(cols, static_cast<int>(g.units.size()) - r * cols));
        blocks[static_cast<std::size_t>(g.lane)][static_cast<std::size_t>(g.column)].push_back(b);
    }

    // Ordering and vertical placement, lane by lane.
    std::vector<double> centreY(L.nodes.size(), 0);
    auto setCentres = [&](std::vector<Block>& col) {
        for (Block& b : col)
            for (int i : b.nodes) centreY[static_cast<std::size_t>(i)] = b.centre();
    };
    auto stack = [&](std::vector<Block>& col, const std::vector<double>& want) {
        double bottom = -std::numeric_limits<double>::infinity();
        double shift = 0;
        for (std::size_t k = 0; k < col.size(); ++k) {
            const double ideal = want[k] - col[k].h / 2;
            const double gap = k > 0 && col[k].compact && col[k - 1].compact ? kFeederGap : kBlockGap;
            col[k].top = std::max(ideal, bottom + gap);
            bottom = col[k].top + col[k].h;
            shift += col[k].top - ideal;
        }
        if (!col.empty()) shift /= static_cast<double>(col.size());
        for (Block& b : col) b.top -= shift;
        setCentres(col);
    };
    auto order = [&](std::vector<Block>& col, bool bySuppliers) {
        std::vector<std::pair<double, std::size_t>> keys;
        for (std::size_t k = 0; k < col.size(); ++k) {
            double sum = 0;
            int count = 0;
            std::set<int> own(col[k].nodes.begin(), col[k].nodes.end());
            for (int i : col[k].nodes) {
                const AssetIndex a = L.nodes[static_cast<std::size_t>(i)].asset;
                for (AssetIndex b : bySuppliers ? sup(a) : dn(a)) {
                    const int j = L.nodeOf[b];
                    if (own.count(j)) continue;
                    sum += centreY[static_cast<std::size_t>(j)];
                    ++count;
                }
            }
            keys.emplace_back(count ? sum / count : col[k].centre(), k);
        }
        std::stable_sort(keys.begin(), keys.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
        std::vector<Block> sorted;
        std::vector<double> want;
        for (const auto& [key, k] : keys) {
            sorted.push_back(col[k]);
            want.push_back(key);
        }
        col = std::move(sorted);
        stack(col, want);
    };
    for (int ln = 0; ln < laneCount; ++ln) {
        auto& cols = blocks[static_cast<std::size_t>(ln)];
        for (auto& col : cols) {   // start: campus order, packed from the top
            std::stable_sort(col.begin(), col.end(), [&](const Block& x, const Block& y) {
                return L.nodes[static_cast<std::size_t>(x.nodes[0])].asset < L.nodes[static_cast<std::size_t>(y.nodes[0])].asset;
            });
            double y = 0;
            for (Block& b : col) {
                b.top = y;
                y += b.h + (b.compact ? kFeederGap : kBlockGap);
            }
            setCentres(col);
        }
        for (int pass = 0; pass < 4; ++pass) {
            for (int c = 1; c < L.columns; ++c) order(cols[static_cast<std::size_t>(c)], true);
            for (int c = L.columns - 2; c >= 0; --c) order(cols[static_cast<std::size_t>(c)], false);
        }
        for (int c = 1; c < L.columns; ++c) order(cols[static_cast<std::size_t>(c)], true);
    }

    // Node geometry from the blocks (x relative to the column's left edge for now).
    std::vector<double> colWidth(static_cast<std::size_t>(L.columns), 0);
    for (const auto& cols : blocks)
        for (int c = 0; c < L.columns; ++c)
            for (const Block& b : cols[static_cast<std::size_t>(c)])
                if (!L.nodes[static_cast<std::size_t>(b.nodes[0])].vertical)
                    colWidth[static_cast<std::size_t>(c)] = std::max(colWidth[static_cast<std::size_t>(c)], b.w);

    // Bus bars: tracks per column, from the spans of their connections.
    // First the y of every non-bus port: the symbol's centre (a grid unit: its channel).
    std::vector<double> portY(L.nodes.size(), 0);
    std::vector<double> channelY(L.nodes.size(), 0);
    for (const auto& cols : blocks)
        for (const auto& col : cols)
            for (const Block& b : col) {
                if (b.grid < 0) {
                    OneLineNode& n = L.nodes[static_cast<std::size_t>(b.nodes[0])];
                    const Shape s = shapeOf(campus.assets[n.asset].kind);
                    const double symTop = b.top + (s.labelAbove ? kLine + 2 : 0);
                    n.symbol = QRectF(0, symTop, s.symW, s.symH);
                    portY[static_cast<std::size_t>(b.nodes[0])] = symTop + s.symH / 2;
                    continue;
                }
                OneLineGrid& g = L.grids[static_cast<std::size_t>(b.grid)];
                const int cols = gridCols(g.units.size());
                double y = b.top;
                for (std::size_t k = 0; k < b.nodes.size(); ++k) {
                    const int r = static_cast<int>(k) / cols, c = static_cast<int>(k) % cols;
                    if (c == 0 && r > 0) y += rowHeight(cols);
                    const int inRow = std::min<int>(cols, static_cast<int>(b.nodes.size()) - r * cols);
                    OneLineNode& n = L.nodes[static_cast<std::size_t>(b.nodes[k])];
                    n.symbol = QRectF(c * kGridCellW + kGridCellW - kGridSymbol - 6, y + 2, kGridSymbol, kGridSymbol);
                    // The leftmost unit takes the lowest channel, so no stub crosses a channel.
                    channelY[static_cast<std::size_t>(b.nodes[k])] =
                        y + kGridSymbol + kGridText + 6 + (inRow - 1 - c) * kChannelStep + 2;
                    portY[static_cast<std::size_t>(b.nodes[k])] = channelY[static_cast<std::size_t>(b.nodes[k])];
                }
                g.rect = QRectF(0, b.top, b.w, b.h);
            }

    struct Bar {
        int node;
        double top, bottom;
        int track = 0;
    };
    std::vector<std::vector<std::vector<Bar>>> bars(
        static_cast<std::size_t>(laneCount), std::vector<std::vector<Bar>>(static_cast<std::size_t>(L.columns)));
    std::vector<int> tracksOf(static_cast<std::size_t>(L.columns), 0);
    for (int ln = 0; ln < laneCount; ++ln)
        for (int c = 0; c < L.columns; ++c) {
            auto& list = bars[static_cast<std::size_t>(ln)][static_cast<std::size_t>(c)];
            for (const Block& b : blocks[static_cast<std::size_t>(ln)][static_cast<std::size_t>(c)]) {
                const int i = b.nodes[0];
                if (!L.nodes[static_cast<std::size_t>(i)].vertical) continue;
                double lo = b.centre(), hi = b.centre();
                bool any = false;
                for (const auto& nb : {sup(L.nodes[static_cast<std::size_t>(i)].asset), dn(L.nodes[static_cast<std::size_t>(i)].asset)})
                    for (AssetIndex x : nb) {
                        const int j = L.nodeOf[x];
                        if (L.nodes[static_cast<std::size_t>(j)].vertical) continue;
                        const double y = portY[static_cast<std::size_t>(j)];
                        lo = any ? std::min(lo, y) : y;
                        hi = any ? std::max(hi, y) : y;
                        any = true;
                    }
                list.push_back({i, lo - 10, std::max(hi + 10, lo + 30)});
            }
            std::sort(list.begin(), list.end(), [](const Bar& x, const Bar& y) { return x.top < y.top; });
            std::vector<double> trackEnd;
            for (Bar& bar : list) {
                int t = 0;
                for (;; ++t) {
                    const double top = bar.top - kBusHead - t * kBusHead;
                    if (t == static_cast<int>(trackEnd.size()) || trackEnd[static_cast<std::size_t>(t)] + 8 < top) break;
                }
                bar.track = t;
                bar.top -= kBusHead + t * kBusHead;
                if (t == static_cast<int>(trackEnd.size())) trackEnd.push_back(0);
                trackEnd[static_cast<std::size_t>(t)] = bar.bottom;
            }
            tracksOf[static_cast<std::size_t>(c)] = std::max(tracksOf[static_cast<std::size_t>(c)], static_cast<int>(trackEnd.size()));
        }
    for (int c = 0; c < L.columns; ++c)
        colWidth[static_cast<std::size_t>(c)] = std::max(colWidth[static_cast<std::size_t>(c)], tracksOf[static_cast<std::size_t>(c)] * kTrack);

    std::vector<double> colX(static_cast<std::size_t>(L.columns) + 1, kLaneMargin + kBusLabelW);
    for (int c = 0; c < L.columns; ++c)
        colX[static_cast<std::size_t>(c) + 1] = colX[static_cast<std::size_t>(c)] + colWidth[static_cast<std::size_t>(c)] + kColGap + kBusLabelW / 2;

    // Horizontal placement: a grid right-aligned (next to its bus), a node centred, bus bars on
    // tracks centred in the column.
    for (int ln = 0; ln < laneCount; ++ln)
        for (int c = 0; c < L.columns; ++c) {
            const double x0 = colX[static_cast<std::size_t>(c)], w = colWidth[static_cast<std::size_t>(c)];
            for (const Block& b : blocks[static_cast<std::size_t>(ln)][static_cast<std::size_t>(c)]) {
                if (b.grid >= 0) {
                    const double gx = x0 + w - b.w;
                    L.grids[static_cast<std::size_t>(b.grid)].rect.translate(gx, 0);
                    for (int i : b.nodes) {
                        OneLineNode& n = L.nodes[static_cast<std::size_t>(i)];
                        n.symbol.translate(gx, 0);
                        n.label = QRectF(n.symbol.left() - (kGridCellW - kGridSymbol - 10), n.symbol.top(),
                                         kGridCellW - kGridSymbol - 14, kGridText + 2);
                        n.cell = n.symbol.united(n.label).adjusted(-2, -2, 2, 2);
                    }
                    continue;
                }
                OneLineNode& n = L.nodes[static_cast<std::size_t>(b.nodes[0])];
                if (n.vertical) continue;
                const Shape s = shapeOf(campus.assets[n.asset].kind);
                const double cx = x0 + w / 2;
                n.symbol.moveLeft(cx - s.symW / 2);
                if (s.labelAbove)
                    n.label = QRectF(cx - s.cellW / 2, b.top, s.cellW, kLine + 1);
                else
                    n.label = QRectF(cx - s.cellW / 2, n.symbol.bottom() + 3, s.cellW, s.lines * kLine + 1);
                n.cell = n.symbol.united(n.label);
            }
            for (const Bar& bar : bars[static_cast<std::size_t>(ln)][static_cast<std::size_t>(c)]) {
                OneLineNode& n = L.nodes[static_cast<std::size_t>(bar.node)];
                const int tracks = tracksOf[static_cast<std::size_t>(c)];
                const double bx = x0 + w / 2 + (bar.track - (tracks - 1) / 2.0) * kTrack;
                n.symbol = QRectF(bx - kBarWidth / 2, bar.top, kBarWidth, bar.bottom - bar.top);
                n.label = QRectF(bx - kBarWidth / 2 - 4 - kBusLabelW, bar.top, kBusLabelW, kBusLabelH);
                n.cell = n.symbol.adjusted(-4, 0, 4, 0).united(n.label);
            }
        }

    // Edges: orthogonal polylines from the supplier's right side to the supplied one's left side
    // (a bus: its bar at the other end's height; a grid unit: down its stub, along its channel).
    auto barX = [&](const OneLineNode& n) { return n.symbol.center().x(); };
    for (const twin::Feed& f : campus.feeds) {
        if (!inDiagram(f.from) || !inDiagram(f.to)) continue;
        const OneLineNode& u = L.nodes[static_cast<std::size_t>(L.nodeOf[f.from])];
        const OneLineNode& v = L.nodes[static_cast<std::size_t>(L.nodeOf[f.to])];
        OneLineEdge e;
        e.from = f.from;
        e.to = f.to;
        std::vector<QPointF>& p = e.path;
        if (u.grid >= 0) {
            const double ch = channelY[static_cast<std::size_t>(L.nodeOf[f.from])];
            const double sx = u.symbol.center().x();
            const double endX = v.vertical ? barX(v) : v.symbol.left();
            p = {QPointF(sx, u.symbol.bottom()), QPointF(sx, ch), QPointF(endX, ch)};
            if (!v.vertical) p.push_back(QPointF(endX, v.symbol.center().y()));
        } else {
            QPointF a = u.vertical ? QPointF(barX(u), 0) : QPointF(u.symbol.right(), u.symbol.center().y());
            QPointF b = v.vertical ? QPointF(barX(v), 0) : QPointF(v.symbol.left(), v.symbol.center().y());
            if (u.vertical && v.vertical) {
                const double lo = std::max(u.symbol.top(), v.symbol.top()) + kBusHead, hi = std::min(u.symbol.bottom(), v.symbol.bottom());
                const double y = lo <= hi ? (lo + hi) / 2 : u.symbol.center().y();
                a.setY(y);
                b.setY(lo <= hi ? y : v.symbol.center().y());
            } else if (u.vertical) {
                a.setY(b.y());
            } else if (v.vertical) {
                b.setY(a.y());
            }
            p.push_back(a);
            if (std::abs(a.y() - b.y()) > 0.5) {
                double xm = colX[static_cast<std::size_t>(v.column)] - kColGap / 2;
                if (xm <= a.x() || xm >= b.x()) xm = (a.x() + b.x()) / 2;
                p.push_back(QPointF(xm, a.y()));
                p.push_back(QPointF(xm, b.y()));
            }
            p.push_back(b);
        }
        L.edges.push_back(std::move(e));
    }

    // Lanes stacked top to bottom.
    double y = 0;
    for (int ln = 0; ln < laneCount; ++ln) {
        OneLineLane& lane = L.lanes[static_cast<std::size_t>(ln)];
        QRectF box;
        for (AssetIndex a : lane.assets) box = box.united(L.nodes[static_cast<std::size_t>(L.nodeOf[a])].cell);
        const double dy = y + kLaneHeader + kLaneMargin - box.top();
        for (AssetIndex a : lane.assets) {
            OneLineNode& n = L.nodes[static_cast<std::size_t>(L.nodeOf[a])];
            n.symbol.translate(0, dy);
            n.label.translate(0, dy);
            n.cell.translate(0, dy);
        }
        for (OneLineEdge& e : L.edges)
            if (L.nodes[static_cast<std::size_t>(L.nodeOf[e.from])].lane == ln)
                for (QPointF& pt : e.path) pt.ry() += dy;
        for (OneLineGrid& g : L.grids)
            if (g.lane == ln) g.rect.translate(0, dy);
        const double height = box.height() + kLaneHeader + 2 * kLaneMargin;
        lane.rect = QRectF(0, y, colX.back() - kColGap, height);
        y += height + kLaneGap;
    }
    for (const OneLineLane& lane : L.lanes) L.bounds = L.bounds.united(lane.rect);
    return L;
}

} // namespace views
