// Level of detail for the 3D campus: from afar, each hall is drawn as a heat map on its
// building's roof, one texel per rack in the colour its rack has (a rack tile), instead of its
// racks as boxes (about a thousand per hall: most of a frame's time on a CPU renderer). One
// textured quad per hall; apply() copies the racks' colours into the texels each tick. Mipmaps
// average the tiles when a hall is only a few pixels wide, as a heat map should.
#pragma once

#include "twin/campus.h"

#include <osg/Group>
#include <osg/Image>
#include <osg/Vec3>

#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace views {

class HallHeatMaps {
public:
    // Racks are known by their ordinal in campus.racks().
    explicit HallHeatMaps(const twin::Campus& campus);

    osg::Group* node() const { return root_.get(); }
    std::size_t hallCount() const { return halls_.size(); }

    // The racks' colours (RGBA8, one per rack ordinal) into the tiles.
    void update(const std::uint8_t* rackRgba);
    // The heat maps on the roof of `building` (a Building asset) drawn or not.
    void setBuildingVisible(twin::AssetIndex building, bool on);
    bool buildingVisible(twin::AssetIndex building) const;

    // The rack whose tile a ray from `from` along `dir` (normalised) meets first among the drawn
    // heat maps, and the distance along the ray; {-1, inf} if none.
    std::pair<int, double> pick(const osg::Vec3d& from, const osg::Vec3d& dir) const;
    // Where rack ordinal i's tile is drawn (its centre, on the roof); nothing if it has none.
    std::optional<osg::Vec3> tileCentre(std::size_t rack) const;
    // The colour of rack ordinal i's tile (RGBA8) as last updated.
    std::optional<std::array<std::uint8_t, 4>> tileColour(std::size_t rack) const;

private:
    struct Hall {
        twin::AssetIndex building = twin::kNoAsset;
        double cx = 0, cy = 0, cosYaw = 1, sinYaw = 0;   // the hall's frame
        double u0 = 0, v0 = 0, pitchU = 1, pitchV = 1;    // the grid's corner and cell sizes, local metres
        int cols = 1, rows = 1;
        float z = 0;                                        // the roof's height
        std::vector<int> rackAt;                            // per texel, the rack ordinal (-1: none)
        osg::ref_ptr<osg::Image> image;
        osg::ref_ptr<osg::Node> node;
    };
    struct Tile {
        int hall = -1, texel = -1;
    };
    osg::Vec3 world(const Hall& h, double u, double v) const;

    osg::ref_ptr<osg::Group> root_;
    std::vector<Hall> halls_;
    std::vector<Tile> tiles_;   // per rack ordinal
};

} // namespace views
