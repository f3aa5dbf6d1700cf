#include "campus3d/instanced_boxes.h"

#include <osg/BlendFunc>
#include <osg/Depth>
#include <osg/Program>
#include <osg/Shader>

#include <algorithm>
#include <cmath>

namespace views {

namespace {

constexpr int kPlacementWidth = 2048;   // three texels per box
constexpr int kGpuWidth = 1024;
constexpr int kColourWidth = 1024;

const char* kVertex = R"(#version 330 compatibility
uniform sampler2D placement;
uniform sampler2D colours;
uniform int highlighted;
uniform int firstInstance;   // the range's first instance: ids are the whole set's
out vec4 vColour;
out vec3 vNormal;
out vec3 vLocal;
flat out int vFirst;
flat out int vCount;
flat out float vTop;
flat out int vHighlighted;
void main() {
    int id = gl_InstanceID + firstInstance;
    int a = 3 * id;
    vec4 p0 = texelFetch(placement, ivec2(a % 2048, a / 2048), 0);
    vec4 p1 = texelFetch(placement, ivec2((a + 1) % 2048, (a + 1) / 2048), 0);
    vec4 p2 = texelFetch(placement, ivec2((a + 2) % 2048, (a + 2) / 2048), 0);
    vFirst = int(p2.x);
    vCount = int(p2.y);
    vLocal = gl_Vertex.xyz;
    vTop = gl_Normal.z;
    float c = cos(p0.w), s = sin(p0.w);
    vec3 v = gl_Vertex.xyz * p1.xyz;
    vec3 w = vec3(c * v.x - s * v.y, s * v.x + c * v.y, v.z) + p0.xyz;
    vec3 n = vec3(c * gl_Normal.x - s * gl_Normal.y, s * gl_Normal.x + c * gl_Normal.y, gl_Normal.z);
    vColour = texelFetch(colours, ivec2(id % 1024, id / 1024), 0);
    // The selection is an outline (in the fragment shader): its own colour, an alarm's red
    // included, stays visible inside it.
    vHighlighted = id == highlighted ? 1 : 0;
    if (id == highlighted) vColour.a = max(vColour.a, 0.9);
    vNormal = normalize(gl_NormalMatrix * n);
    gl_Position = gl_ModelViewProjectionMatrix * vec4(w, 1.0);
}
)";

const char* kFragment = R"(#version 330 compatibility
uniform sampler2D gpus;
uniform int detail;
in vec4 vColour;
in vec3 vNormal;
in vec3 vLocal;
flat in int vFirst;
flat in int vCount;
flat in float vTop;
flat in int vHighlighted;
void main() {
    vec3 light = normalize(vec3(0.3, 0.5, 1.0));
    float d = 0.55 + 0.45 * max(dot(normalize(vNormal), light), 0.0);
    vec4 c = vColour;
    // Alpha 0: not drawn; alpha 1/255: an outline only, its edges about 1.5 pixels wide (an asset
    // not yet commissioned at the clock's time: InstancedBoxes::kHidden, kOutline).
    if (c.a < 0.5 / 255.0) discard;
    if (c.a < 1.5 / 255.0 && vHighlighted == 0) {
        vec3 e = step(vec3(0.5) - 1.5 * fwidth(vLocal), abs(vLocal));
        if (e.x + e.y + e.z < 2.0) discard;
        gl_FragColor = vec4(0.85, 0.87, 0.92, 1.0);
        return;
    }
    if (detail == 1 && vCount > 0 && vTop > 0.5) {
        // Per-GPU cells on the top face: 8 across the rack's width, rows along its depth.
        int rows = (vCount + 7) / 8;
        vec2 uv = vLocal.xy + 0.5;
        int col = min(int(uv.x * 8.0), 7), row = min(int(uv.y * float(rows)), rows - 1);
        int cell = row * 8 + col;
        vec2 f = fract(uv * vec2(8.0, float(rows)));
        if (cell < vCount) {
            int g = vFirst + cell;
            c = texelFetch(gpus, ivec2(g % 1024, g / 1024), 0);
        }
        if (min(f.x, f.y) < 0.1) c.rgb *= 0.35;   // cell borders
    }
    if (vHighlighted == 1) {
        // Near two of the unit box's faces at once: on an edge of the face drawn, about three
        // pixels wide whatever the distance.
        vec3 e = step(vec3(0.5) - 3.0 * fwidth(vLocal), abs(vLocal));
        if (e.x + e.y + e.z >= 2.0) {
            gl_FragColor = vec4(1.0, 1.0, 1.0, 1.0);
            return;
        }
    }
    gl_FragColor = vec4(c.rgb * d, c.a);
}
)";

// A unit box centred on the origin, without its bottom face (never seen from above ground).
osg::Geometry* unitBox() {
    auto* g = new osg::Geometry;
    auto* v = new osg::Vec3Array;
    auto* n = new osg::Vec3Array;
    auto face = [&](osg::Vec3 normal, osg::Vec3 u, osg::Vec3 w) {
        const osg::Vec3 c = normal * 0.5f;
        for (auto [a, b] : {std::pair{-1, -1}, {1, -1}, {1, 1}, {-1, 1}}) {
            v->push_back(c + u * (0.5f * a) + w * (0.5f * b));
            n->push_back(normal);
        }
    };
    face({0, 0, 1}, {1, 0, 0}, {0, 1, 0});
    face({1, 0, 0}, {0, 1, 0}, {0, 0, 1});
    face({-1, 0, 0}, {0, 0, 1}, {0, 1, 0});
    face({0, 1, 0}, {0, 0, 1}, {1, 0, 0});
    face({0, -1, 0}, {1, 0, 0}, {0, 0, 1});
    auto* idx = new osg::DrawElementsUShort(GL_TRIANGLES);
    for (unsigned short f = 0; f < 5; ++f)
        for (unsigned short k : {0, 1, 2, 0, 2, 3}) idx->push_back(static_cast<unsigned short>(4 * f + k));
    g->setVertexArray(v);
    g->setNormalArray(n, osg::Array::BIND_PER_VERTEX);
    g->addPrimitiveSet(idx);
    g->setUseDisplayList(false);
    g->setUseVertexBufferObjects(true);
    return g;
}

osg::Texture2D* dataTexture(osg::Image* image) {
    auto* t = new osg::Texture2D(image);
    t->setFilter(osg::Texture::MIN_FILTER, osg::Texture::NEAREST);
    t->setFilter(osg::Texture::MAG_FILTER, osg::Texture::NEAREST);
    t->setResizeNonPowerOfTwoHint(false);
    t->setUseHardwareMipMapGeneration(false);
    return t;
}

} // namespace

InstancedBoxes::InstancedBoxes(const std::vector<BoxPlacement>& boxes, bool translucent, std::int64_t gpuCells,
                               std::vector<Range> ranges)
    : count_(boxes.size()), ranges_(std::move(ranges)) {
    if (ranges_.empty()) ranges_.push_back({0, boxes.size()});
    const int n = static_cast<int>(std::max<std::size_t>(1, boxes.size()));
    auto* placement = new osg::Image;
    const int rows = (3 * n + kPlacementWidth - 1) / kPlacementWidth;
    placement->allocateImage(kPlacementWidth, rows, 1, GL_RGBA, GL_FLOAT);
    placement->setInternalTextureFormat(GL_RGBA32F_ARB);
    auto* p = reinterpret_cast<float*>(placement->data());
    std::fill(p, p + 4 * kPlacementWidth * rows, 0.f);
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const BoxPlacement& b = boxes[i];
        float* t = p + 12 * i;
        t[0] = b.cx, t[1] = b.cy, t[2] = b.cz, t[3] = b.yawRad;
        t[4] = b.sx, t[5] = b.sy, t[6] = b.sz, t[7] = 0;
        // GPU indices up to 2^24 are exact in a float: 16 million GPUs.
        t[8] = static_cast<float>(b.gpuFirst), t[9] = static_cast<float>(b.gpuCount), t[10] = 0, t[11] = 0;
    }
    colourWidth_ = kColourWidth;
    colours_ = new osg::Image;
    colours_->allocateImage(kColourWidth, (n + kColourWidth - 1) / kColourWidth, 1, GL_RGBA, GL_UNSIGNED_BYTE);
    colours_->setInternalTextureFormat(GL_RGBA8);
    std::fill(colours_->data(), colours_->data() + colours_->getTotalSizeInBytes(), 160);

    // One draw call per range; the instances lie far outside the unit box: give culling each
    // range's true extent.
    struct FixedBound : osg::Drawable::ComputeBoundingBoxCallback {
        osg::BoundingBox box;
        osg::BoundingBox computeBound(const osg::Drawable&) const override { return box; }
    };
    group_ = new osg::Group;
    for (const Range& r : ranges_) {
        osg::Geometry* g = unitBox();
        g->getPrimitiveSet(0)->setNumInstances(static_cast<int>(r.count));
        auto* fixed = new FixedBound;
        for (std::size_t i = r.first; i < r.first + r.count && i < boxes.size(); ++i) {
            const BoxPlacement& b = boxes[i];
            const float radius = 0.5f * std::sqrt(b.sx * b.sx + b.sy * b.sy + b.sz * b.sz);
            fixed->box.expandBy(osg::BoundingSphere(osg::Vec3(b.cx, b.cy, b.cz), radius));
        }
        g->setComputeBoundingBoxCallback(fixed);
        auto* geode = new osg::Geode;
        geode->addDrawable(g);
        geode->getOrCreateStateSet()->addUniform(new osg::Uniform("firstInstance", static_cast<int>(r.first)));
        if (r.count == 0) geode->setNodeMask(0);
        group_->addChild(geode);
        rangeNodes_.push_back(geode);
    }

    osg::StateSet* ss = group_->getOrCreateStateSet();
    auto* program = new osg::Program;
    program->addShader(new osg::Shader(osg::Shader::VERTEX, kVertex));
    program->addShader(new osg::Shader(osg::Shader::FRAGMENT, kFragment));
    ss->setAttributeAndModes(program);
    ss->setTextureAttribute(0, dataTexture(placement));
    ss->setTextureAttribute(1, dataTexture(colours_.get()));
    ss->addUniform(new osg::Uniform("placement", 0));
    ss->addUniform(new osg::Uniform("colours", 1));
    highlighted_ = new osg::Uniform("highlighted", -1);
    ss->addUniform(highlighted_.get());
    detail_ = new osg::Uniform("detail", 0);
    ss->addUniform(detail_.get());
    gpus_ = new osg::Image;
    const auto cells = std::max<std::int64_t>(1, gpuCells);
    gpus_->allocateImage(kGpuWidth, static_cast<int>((cells + kGpuWidth - 1) / kGpuWidth), 1, GL_RGBA, GL_UNSIGNED_BYTE);
    gpus_->setInternalTextureFormat(GL_RGBA8);
    std::fill(gpus_->data(), gpus_->data() + gpus_->getTotalSizeInBytes(), 110);
    ss->setTextureAttribute(2, dataTexture(gpus_.get()));
    ss->addUniform(new osg::Uniform("gpus", 2));
    if (gpuCells == 0) gpus_ = nullptr;   // the 1x1 placeholder stays bound; nothing to update
    ss->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
    if (translucent) {
        ss->setMode(GL_BLEND, osg::StateAttribute::ON);
        ss->setAttributeAndModes(new osg::BlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA));
        ss->setAttributeAndModes(new osg::Depth(osg::Depth::LESS, 0, 1, false));
        ss->setRenderingHint(osg::StateSet::TRANSPARENT_BIN);
    }
}

void InstancedBoxes::setColour(std::size_t i, const std::array<std::uint8_t, 4>& c) {
    if (i >= count_) return;
    std::copy(c.begin(), c.end(), colours_->data() + 4 * i);
}

void InstancedBoxes::setAllColours(const std::array<std::uint8_t, 4>& c) {
    for (std::size_t i = 0; i < count_; ++i) setColour(i, c);
}

void InstancedBoxes::commitColours() { colours_->dirty(); }

void InstancedBoxes::setRangeVisible(std::size_t r, bool on) {
    rangeNodes_.at(r)->setNodeMask(on && ranges_[r].count > 0 ? ~0u : 0u);
}

bool InstancedBoxes::rangeVisible(std::size_t r) const { return rangeNodes_.at(r)->getNodeMask() != 0; }

void InstancedBoxes::setHighlighted(int index) { highlighted_->set(index); }

void InstancedBoxes::setDetail(bool on) { detail_->set(on && gpus_ ? 1 : 0); }

} // namespace views
