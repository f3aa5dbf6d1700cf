// Many boxes in one draw call: a unit box drawn N times (instancing); each instance's centre,
// size and yaw live in a float texture, its colour in an RGBA8 texture updated once per tick.
// This is what lets ~14,000 racks draw at interactive rates on a CPU renderer.
#pragma once

#include <osg/Geode>
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
    InstancedBoxes(const std::vector<BoxPlacement>& boxes, bool translucent = false, std::int64_t gpuCells = 0);

    osg::Geode* node() const { return geode_.get(); }
    std::size_t size() const { return count_; }

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
    osg::ref_ptr<osg::Geode> geode_;
    osg::ref_ptr<osg::Image> colours_;
    osg::ref_ptr<osg::Uniform> highlighted_, detail_;
    osg::ref_ptr<osg::Image> gpus_;
    int colourWidth_ = 1;
};

} // namespace views
