// Many boxes in one draw call: a unit box drawn N times (instancing); each instance's centre,
// size and yaw live in a float texture, its colour in an RGBA8 texture updated once per tick.
// This is what lets ~14,000 racks draw at interactive rates on a CPU renderer.
// The instances may be split into ranges (e.g. the racks of one building), each its own draw
// call that can be switched off (level of detail: a far building's racks are not drawn).
#pragma once

#include <osg/Geode>
#include <osg/Group>
#include <osg/Geometry>
#include <osg/Image>
#include <osg/Texture2D>

#include <array>
#include <cstdint>
#include <vector>

namespace views {

struct BoxPlacement {
    float cx = 0, cy = 0, cz = 0;   // centre, metres
    float sx = 1, sy = 1, sz = 1;   // size
    float yawRad = 0;
    std::int64_t gpuFirst = 0;      // racks: the GPUs drawn as cells on the top face up close
    int gpuCount = 0;
};

class InstancedBoxes {
public:
    // `translucent`: drawn after opaque geometry, blended, without writing depth.
    // `gpuCells`: boxes may show per-GPU cells (colours from setGpuColour) when detail is on.
    // `ranges`: [first, first + count) runs of instances drawn by their own call; empty: one
    // range of all of them.
    struct Range {
        std::size_t first = 0, count = 0;
    };
    InstancedBoxes(const std::vector<BoxPlacement>& boxes, bool translucent = false, std::int64_t gpuCells = 0,
                   std::vector<Range> ranges = {});

    osg::Group* node() const { return group_.get(); }
    std::size_t size() const { return count_; }
    std::size_t rangeCount() const { return ranges_.size(); }
    const Range& range(std::size_t r) const { return ranges_.at(r); }
    void setRangeVisible(std::size_t r, bool on);
    bool rangeVisible(std::size_t r) const;

    // Alpha values with a meaning of their own: kHidden, the instance is not drawn; kOutline,
    // only its edges are (light grey, whatever the rest of the colour).
    static constexpr std::uint8_t kHidden = 0, kOutline = 1;
    void setColour(std::size_t i, const std::array<std::uint8_t, 4>& rgba);
    void setAllColours(const std::array<std::uint8_t, 4>& rgba);
    void commitColours();           // after setColour calls: one upload
    void setHighlighted(int index); // -1: none
    void setDetail(bool on);        // per-GPU cells on the top faces
    std::uint8_t* gpuColours() { return gpus_ ? gpus_->data() : nullptr; }   // RGBA8 per GPU
    void commitGpuColours() { if (gpus_) gpus_->dirty(); }
    const std::uint8_t* colours() const { return colours_->data(); }

private:
    std::size_t count_ = 0;
    osg::ref_ptr<osg::Group> group_;
    std::vector<Range> ranges_;
    std::vector<osg::ref_ptr<osg::Geode>> rangeNodes_;
    osg::ref_ptr<osg::Image> colours_;
    osg::ref_ptr<osg::Uniform> highlighted_, detail_;
    osg::ref_ptr<osg::Image> gpus_;
    int colourWidth_ = 1;
};

} // namespace views
