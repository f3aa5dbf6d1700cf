#include "campus3d/hall_heat_maps.h"

#include <osg/Geode>
#include <osg/Geometry>
#include <osg/Texture2D>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>

namespace views {

using namespace twin;

namespace {

// Where no rack stands (a gap between columns of rows): the roof's own grey, darker.
constexpr std::uint8_t kEmpty[4] = {92, 94, 98, 255};
constexpr int kMaxCells = 1024;   // per side of one hall's grid

AssetIndex ancestorOfKind(const Campus& c, AssetIndex a, AssetKind kind) {
    while (a != kNoAsset && c.assets[a].kind != kind) a = c.assets[a].parent;
    return a;
}

// The smallest gap between sorted distinct values (0 if fewer than two).
double smallestStep(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    double step = 0;
    for (std::size_t i = 1; i < v.size(); ++i) {
        const double d = v[i] - v[i - 1];
        if (d > 1e-3 && (step == 0 || d < step)) step = d;
    }
    return step;
}

} // namespace

HallHeatMaps::HallHeatMaps(const Campus& c) : root_(new osg::Group) {
    const auto& racks = c.racks();
    tiles_.assign(racks.size(), {});
    std::map<AssetIndex, std::vector<std::size_t>> byHall;   // hall -> its rack ordinals
    for (std::size_t i = 0; i < racks.size(); ++i) {
        const AssetIndex hall = ancestorOfKind(c, racks[i], AssetKind::Hall);
        if (hall != kNoAsset) byHall[hall].push_back(i);
    }
    for (const auto& [hallAsset, ordinals] : byHall) {
        const Asset& ha = c.assets[hallAsset];
        Hall h;
        h.building = ancestorOfKind(c, hallAsset, AssetKind::Building);
        h.cx = ha.box.cx, h.cy = ha.box.cy;
        h.cosYaw = std::cos(ha.box.yawDeg * M_PI / 180), h.sinYaw = std::sin(ha.box.yawDeg * M_PI / 180);
        const Box& roof = h.building != kNoAsset ? c.assets[h.building].box : ha.box;
        h.z = static_cast<float>(roof.cz + roof.sz / 2 + 0.3);
        // The racks' centres in the hall's frame: rows of racks make a grid.
        std::vector<double> us, vs;
        double rackW = 0, rackD = 0;
        for (std::size_t i : ordinals) {
            const Box& b = c.assets[racks[i]].box;
            const double dx = b.cx - h.cx, dy = b.cy - h.cy;
            us.push_back(h.cosYaw * dx + h.sinYaw * dy);
            vs.push_back(-h.sinYaw * dx + h.cosYaw * dy);
            rackW = std::max(rackW, b.sx), rackD = std::max(rackD, b.sy);
        }
        h.pitchU = std::max(smallestStep(us), 0.1);
        h.pitchV = std::max(smallestStep(vs), 0.1);
        if (smallestStep(us) == 0) h.pitchU = std::max(rackW, 0.1);
        if (smallestStep(vs) == 0) h.pitchV = std::max(rackD, 0.1);
        const auto [uMin, uMax] = std::minmax_element(us.begin(), us.end());
        const auto [vMin, vMax] = std::minmax_element(vs.begin(), vs.end());
        h.cols = std::clamp(static_cast<int>(std::lround((*uMax - *uMin) / h.pitchU)) + 1, 1, kMaxCells);
        h.rows = std::clamp(static_cast<int>(std::lround((*vMax - *vMin) / h.pitchV)) + 1, 1, kMaxCells);
        h.u0 = *uMin - h.pitchU / 2, h.v0 = *vMin - h.pitchV / 2;
        h.rackAt.assign(static_cast<std::size_t>(h.cols) * h.rows, -1);
        h.image = new osg::Image;
        h.image->allocateImage(h.cols, h.rows, 1, GL_RGBA, GL_UNSIGNED_BYTE);
        h.image->setInternalTextureFormat(GL_RGBA8);
        for (int k = 0; k < h.cols * h.rows; ++k) std::copy(kEmpty, kEmpty + 4, h.image->data() + 4 * k);
        const int hallIndex = static_cast<int>(halls_.size());
        for (std::size_t j = 0; j < ordinals.size(); ++j) {
            const int col = std::clamp(static_cast<int>((us[j] - h.u0) / h.pitchU), 0, h.cols - 1);
            const int row = std::clamp(static_cast<int>((vs[j] - h.v0) / h.pitchV), 0, h.rows - 1);
            const int texel = row * h.cols + col;
            h.rackAt[static_cast<std::size_t>(texel)] = static_cast<int>(ordinals[j]);
            tiles_[ordinals[j]] = {hallIndex, texel};
        }

        auto* g = new osg::Geometry;
        auto* v = new osg::Vec3Array;
        auto* t = new osg::Vec2Array;
        const double u1 = h.u0 + h.cols * h.pitchU, v1 = h.v0 + h.rows * h.pitchV;
        for (auto [u, w, s, r] : {std::array<double, 4>{h.u0, h.v0, 0, 0}, {u1, h.v0, 1, 0}, {u1, v1, 1, 1}, {h.u0, v1, 0, 1}}) {
            v->push_back(world(h, u, w));
            t->push_back(osg::Vec2(static_cast<float>(s), static_cast<float>(r)));
        }
        g->setVertexArray(v);
        g->setTexCoordArray(0, t);
        auto* white = new osg::Vec4Array;
        white->push_back({1, 1, 1, 1});
        g->setColorArray(white, osg::Array::BIND_OVERALL);
        g->addPrimitiveSet(new osg::DrawArrays(GL_QUADS, 0, 4));
        auto* texture = new osg::Texture2D(h.image.get());
        texture->setFilter(osg::Texture::MIN_FILTER, osg::Texture::LINEAR_MIPMAP_LINEAR);
        texture->setFilter(osg::Texture::MAG_FILTER, osg::Texture::NEAREST);   // crisp tiles up close
        texture->setWrap(osg::Texture::WRAP_S, osg::Texture::CLAMP_TO_EDGE);
        texture->setWrap(osg::Texture::WRAP_T, osg::Texture::CLAMP_TO_EDGE);
        texture->setResizeNonPowerOfTwoHint(false);
        auto* geode = new osg::Geode;
        geode->addDrawable(g);
        osg::StateSet* ss = geode->getOrCreateStateSet();
        ss->setTextureAttributeAndModes(0, texture);
        ss->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
        h.node = geode;
        root_->addChild(geode);
        halls_.push_back(std::move(h));
    }
    // After the translucent buildings (which write no depth), so that a roof's grey does not
    // wash the tiles out; still depth-tested against what is opaque.
    root_->getOrCreateStateSet()->setRenderBinDetails(20, "RenderBin");
}

osg::Vec3 HallHeatMaps::world(const Hall& h, double u, double v) const {
    return osg::Vec3(static_cast<float>(h.cx + h.cosYaw * u - h.sinYaw * v),
                     static_cast<float>(h.cy + h.sinYaw * u + h.cosYaw * v), h.z);
}

void HallHeatMaps::update(const std::uint8_t* rgba) {
    for (Hall& h : halls_) {
        std::uint8_t* out = h.image->data();
        for (std::size_t k = 0; k < h.rackAt.size(); ++k) {
            if (h.rackAt[k] < 0) continue;
            const std::uint8_t* in = rgba + 4 * h.rackAt[k];
            if (in[3] == 0) {   // a rack not drawn (not built yet): the ground's colour, as without a tile
                out[4 * k] = 51, out[4 * k + 1] = 61, out[4 * k + 2] = 51;
            } else {
                std::copy(in, in + 3, out + 4 * k);
            }
            out[4 * k + 3] = 255;
        }
        h.image->dirty();
    }
}

void HallHeatMaps::setBuildingVisible(AssetIndex building, bool on) {
    for (Hall& h : halls_)
        if (h.building == building) h.node->setNodeMask(on ? ~0u : 0u);
}

bool HallHeatMaps::buildingVisible(AssetIndex building) const {
    for (const Hall& h : halls_)
        if (h.building == building) return h.node->getNodeMask() != 0;
    return false;
}

std::pair<int, double> HallHeatMaps::pick(const osg::Vec3d& from, const osg::Vec3d& dir) const {
    std::pair<int, double> best{-1, std::numeric_limits<double>::infinity()};
    if (std::abs(dir.z()) < 1e-9) return best;
    for (const Hall& h : halls_) {
        if (h.node->getNodeMask() == 0) continue;
        const double t = (h.z - from.z()) / dir.z();
        if (t < 0 || t >= best.second) continue;
        const osg::Vec3d p = from + dir * t;
        const double dx = p.x() - h.cx, dy = p.y() - h.cy;
        const double u = h.cosYaw * dx + h.sinYaw * dy, v = -h.sinYaw * dx + h.cosYaw * dy;
        const int col = static_cast<int>(std::floor((u - h.u0) / h.pitchU));
        const int row = static_cast<int>(std::floor((v - h.v0) / h.pitchV));
        if (col < 0 || row < 0 || col >= h.cols || row >= h.rows) continue;
        const int rack = h.rackAt[static_cast<std::size_t>(row * h.cols + col)];
        if (rack >= 0) best = {rack, t};
    }
    return best;
}

std::optional<osg::Vec3> HallHeatMaps::tileCentre(std::size_t rack) const {
    if (rack >= tiles_.size() || tiles_[rack].hall < 0) return std::nullopt;
    const Hall& h = halls_[static_cast<std::size_t>(tiles_[rack].hall)];
    const int col = tiles_[rack].texel % h.cols, row = tiles_[rack].texel / h.cols;
    return world(h, h.u0 + (col + 0.5) * h.pitchU, h.v0 + (row + 0.5) * h.pitchV);
}

std::optional<std::array<std::uint8_t, 4>> HallHeatMaps::tileColour(std::size_t rack) const {
    if (rack >= tiles_.size() || tiles_[rack].hall < 0) return std::nullopt;
    const Hall& h = halls_[static_cast<std::size_t>(tiles_[rack].hall)];
    const std::uint8_t* p = h.image->data() + 4 * tiles_[rack].texel;
    return std::array<std::uint8_t, 4>{p[0], p[1], p[2], p[3]};
}

} // namespace views
