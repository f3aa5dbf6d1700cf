#include "campus3d/selection_bounds.h"

namespace views {

using namespace twin;

namespace {

bool placed(const Asset& a) { return a.box.sx > 0 && a.box.sy > 0; }

void expand(osg::BoundingBox& b, const Box& x) {
    // The footprint's corners (a yawed box: its circumscribed square is enough to frame it).
    const double r = 0.5 * std::max(x.sx, x.sy) * (x.yawDeg == 0 ? 1.0 : M_SQRT2);
    const double hx = x.yawDeg == 0 ? x.sx / 2 : r, hy = x.yawDeg == 0 ? x.sy / 2 : r;
    b.expandBy(osg::Vec3(static_cast<float>(x.cx - hx), static_cast<float>(x.cy - hy), 0));
    b.expandBy(osg::Vec3(static_cast<float>(x.cx + hx), static_cast<float>(x.cy + hy), static_cast<float>(x.sz)));
}

bool inside(const Campus& c, AssetIndex a, AssetIndex ancestor) {
    for (AssetIndex up = c.assets[a].parent; up != kNoAsset; up = c.assets[up].parent)
        if (up == ancestor) return true;
    return false;
}

} // namespace

std::optional<osg::BoundingBox> selectionBounds(const Campus& c, const Selection& s, const std::vector<Job>& jobs) {
    osg::BoundingBox b;
    AssetIndex asset = s.asset;
    if (asset == kNoAsset && s.gpu >= 0 && s.gpu < c.gpuCount()) asset = c.rackOfGpu(s.gpu);
    if (asset != kNoAsset && static_cast<std::size_t>(asset) < c.assets.size()) {
        const Asset& a = c.assets[asset];
        if (placed(a)) {
            expand(b, a.box);
        } else {
            for (std::size_t i = 0; i < c.assets.size(); ++i)
                if (placed(c.assets[i]) && c.assets[i].kind != AssetKind::Rack && inside(c, static_cast<AssetIndex>(i), asset))
                    expand(b, c.assets[i].box);
            if (!b.valid())   // only racks below it (a row): theirs
                for (AssetIndex r : c.racks())
                    if (inside(c, r, asset)) expand(b, c.assets[r].box);
            if (!b.valid())   // drawn nowhere itself: what it is wired to
                for (const Feed& f : c.feeds) {
                    if (f.from == asset && placed(c.assets[f.to])) expand(b, c.assets[f.to].box);
                    if (f.to == asset && placed(c.assets[f.from])) expand(b, c.assets[f.from].box);
                }
        }
    } else if (s.job != 0) {
        for (const Job& j : jobs)
            if (j.id == s.job)
                for (const std::string& id : j.racks)
                    if (const AssetIndex r = c.find(id); r != kNoAsset && placed(c.assets[r])) expand(b, c.assets[r].box);
    }
    if (!b.valid()) return std::nullopt;
    return b;
}

} // namespace views
