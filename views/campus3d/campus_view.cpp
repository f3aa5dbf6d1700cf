#include "campus3d/campus_view.h"
#include "campus3d/selection_bounds.h"

#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QWheelEvent>

#include <osg/Matrix>
#include <osgViewer/ViewerEventHandlers>

#include <chrono>
#include <cmath>

namespace views {

using namespace twin;

namespace {

constexpr double kFlightMs = 900;
constexpr double kDetailDistance = 60;   // metres from the orbit centre

osg::Quat orientation(double headingDeg, double pitchDeg) {
    // OrbitManipulator looks down -Z of its rotation; pitch tilts from straight down.
    const double h = headingDeg * M_PI / 180, p = (90 + pitchDeg) * M_PI / 180;
    return osg::Quat(p, osg::Vec3d(1, 0, 0)) * osg::Quat(h, osg::Vec3d(0, 0, 1));
}

int button(Qt::MouseButton b) {
    switch (b) {
    case Qt::LeftButton: return 1;
    case Qt::MiddleButton: return 2;
    case Qt::RightButton: return 3;
    default: return 0;
    }
}

} // namespace

CampusView::CampusView(Session& session, QWidget* parent) : QOpenGLWidget(parent), session_(session) {
    setMinimumSize(320, 240);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(false);
    viewer_ = new osgViewer::Viewer;
    viewer_->setThreadingModel(osgViewer::Viewer::SingleThreaded);
    orbit_ = new osgGA::OrbitManipulator;
    orbit_->setAllowThrow(false);
    viewer_->setCameraManipulator(orbit_.get(), false);
    viewer_->getCamera()->setClearColor(osg::Vec4(0.07f, 0.08f, 0.10f, 1));
    connect(&session_, &Session::opened, this, &CampusView::rebuild);
    connect(&session_, &Session::stateChanged, this, &CampusView::applyState);
    connect(&session_, &Session::selectionChanged, this, [this](const Selection& s) {
        if (!scene_) return;
        scene_->highlight(s.asset);
        applyState();   // a selected job dims the other racks
    });
    flight_.setInterval(16);
    connect(&flight_, &QTimer::timeout, this, [this] {
        const double t = std::min(1.0, flightClock_.elapsed() / kFlightMs);
        const double e = t * t * (3 - 2 * t);   // ease in and out
        Viewpoint v = to_;
        v.center = from_.center * (1 - e) + to_.center * e;
        v.distance = std::exp(std::log(from_.distance) * (1 - e) + std::log(to_.distance) * e);
        v.headingDeg = from_.headingDeg + (to_.headingDeg - from_.headingDeg) * e;
        v.pitchDeg = from_.pitchDeg + (to_.pitchDeg - from_.pitchDeg) * e;
        setCamera(v);
        if (t >= 1) flight_.stop();
        update();
    });
    if (session_.isOpen()) rebuild();
}

CampusView::~CampusView() = default;

osgGA::EventQueue* CampusView::events() const { return window_ ? window_->getEventQueue() : nullptr; }

void CampusView::rebuild() {
    scene_ = std::make_unique<CampusScene>(session_.campus());
    viewer_->setSceneData(scene_->root());
    computeViewpoints();
    flyTo("campus", false);
    applyState();
}

void CampusView::computeViewpoints() {
    viewpoints_.clear();
    const Campus& c = session_.campus();
    auto around = [](const osg::BoundingBox& b, const QString& name, const QString& title) {
        Viewpoint v;
        v.name = name;
        v.title = title;
        v.center = b.center();
        v.center.z() = 0;
        // The box fits the 40° field of view with a margin (fitted() redoes it for the widget's shape).
        v.distance = std::max({b.xMax() - b.xMin(), b.yMax() - b.yMin(), 50.f}) * 1.5;
        v.extent = osg::Vec2(std::max(50.f, b.xMax() - b.xMin()), std::max(50.f, b.yMax() - b.yMin()));
        v.headingDeg = 0;
        v.pitchDeg = -50;
        return v;
    };
    // The whole campus: what is built (buildings, plant, substations), not the ground around it.
    osg::BoundingBox built;
    for (const Asset& a : c.assets)
        if (a.kind == AssetKind::Building || a.kind == AssetKind::Turbine || a.kind == AssetKind::MegapackBlock ||
            a.kind == AssetKind::SolarArray || a.kind == AssetKind::GridTie || a.kind == AssetKind::Substation ||
            a.kind == AssetKind::CoolingPlant) {
            built.expandBy(osg::Vec3(a.box.cx - a.box.sx / 2, a.box.cy - a.box.sy / 2, 0));
            built.expandBy(osg::Vec3(a.box.cx + a.box.sx / 2, a.box.cy + a.box.sy / 2, a.box.sz));
        }
    viewpoints_.push_back(around(built.valid() ? built : scene_->bounds(), "campus", "Whole campus"));
    for (AssetIndex b : c.assetsOfKind(AssetKind::Building)) {
        const Box& x = c.assets[b].box;
        osg::BoundingBox bb(x.cx - x.sx / 2, x.cy - x.sy / 2, 0, x.cx + x.sx / 2, x.cy + x.sy / 2, x.sz);
        viewpoints_.push_back(around(bb, QString::fromStdString(c.assets[b].id), QString::fromStdString(c.assets[b].name)));
        viewpoints_.back().distance *= 0.9;
    }
    // The power plant: the site with the most generating capacity, around its turbines.
    std::map<AssetIndex, double> capacity;
    for (AssetIndex t : c.assetsOfKind(AssetKind::Turbine)) capacity[c.assets[t].site] += c.assets[t].ratingMw;
    AssetIndex best = kNoAsset;
    for (auto [site, mw] : capacity)
        if (best == kNoAsset || mw > capacity[best]) best = site;
    if (best != kNoAsset) {
        osg::BoundingBox bb;
        for (AssetIndex t : c.assetsOfKind(AssetKind::Turbine))
            if (c.assets[t].site == best) {
                const Box& x = c.assets[t].box;
                bb.expandBy(osg::Vec3(x.cx - x.sx, x.cy - x.sy, 0));
                bb.expandBy(osg::Vec3(x.cx + x.sx, x.cy + x.sy, x.sz));
            }
        viewpoints_.push_back(around(bb, "plant", "Power plant · " + QString::fromStdString(c.assets[best].name)));
    }
}

void CampusView::setCamera(const Viewpoint& v) {
    orbit_->setCenter(v.center);
    orbit_->setDistance(v.distance);
    orbit_->setRotation(orientation(v.headingDeg, v.pitchDeg));
}

Viewpoint CampusView::fitted(Viewpoint v) const {
    if (v.extent.x() <= 0 || height() <= 0) return v;
    // Seen from a pitch p, north-south shrinks by sin|p|; 40° vertical field, the widget's aspect;
    // 12 % margin on each side for the labels above the buildings.
    const double tanHalf = std::tan(20 * M_PI / 180), aspect = double(width()) / height();
    const double ns = v.extent.y() * std::sin(std::abs(v.pitchDeg) * M_PI / 180), ew = v.extent.x();
    v.distance = 1.25 * std::max(ns / (2 * tanHalf), ew / (2 * tanHalf * aspect));
    return v;
}

void CampusView::flyTo(const QString& name, bool animate) {
    for (const Viewpoint& chosen : viewpoints_) {
        if (chosen.name != name) continue;
        emit viewpointChosen(name);
        flyToViewpoint(fitted(chosen), animate);
        framed_ = name;
        return;
    }
    // Any asset id: close over it (a rack from a few metres, so that its GPUs show).
    if (!session_.isOpen()) return;
    const AssetIndex a = session_.campus().find(name.toStdString());
    if (a == kNoAsset) return;
    const Box& b = session_.campus().assets[a].box;
    lookAt(a, std::max(5.0, 1.5 * std::max(b.sx, b.sy)));
}

void CampusView::flyToViewpoint(const Viewpoint& v, bool animate) {
    framed_.clear();
    if (!animate) {
        flight_.stop();
        setCamera(v);
        update();
        return;
    }
    from_.center = orbit_->getCenter();
    from_.distance = orbit_->getDistance();
    // Current heading and pitch from the manipulator's rotation.
    const osg::Vec3d look = orbit_->getRotation() * osg::Vec3d(0, 0, -1);
    from_.headingDeg = std::atan2(-look.x(), look.y()) * 180 / M_PI;
    from_.pitchDeg = std::asin(std::clamp(look.z(), -1.0, 1.0)) * 180 / M_PI;
    to_ = v;
    if (std::abs(to_.headingDeg - from_.headingDeg) > 180) to_.headingDeg += to_.headingDeg < from_.headingDeg ? 360 : -360;
    flightClock_.start();
    flight_.start();
}

bool CampusView::frameSelection(bool animate) {
    if (!scene_ || !session_.isOpen()) return false;
    const auto box = selectionBounds(session_.campus(), session_.selection(), session_.reader().jobs());
    if (!box) return false;
    Viewpoint v;
    v.name = "selection";
    v.center = box->center();
    v.center.z() = box->zMax();
    // At least a few metres across: a rack is framed close enough for its GPU cells.
    // Square, so that it fits from any heading.
    const float side = std::max({6.f, box->xMax() - box->xMin(), box->yMax() - box->yMin()});
    v.extent = osg::Vec2(side, side);
    const osg::Vec3d look = orbit_->getRotation() * osg::Vec3d(0, 0, -1);
    v.headingDeg = std::atan2(-look.x(), look.y()) * 180 / M_PI;
    v.pitchDeg = -55;
    flyToViewpoint(fitted(v), animate);
    return true;
}

bool CampusView::knows(const QString& name) const {
    for (const Viewpoint& v : viewpoints_)
        if (v.name == name) return true;
    return session_.isOpen() && session_.campus().find(name.toStdString()) != kNoAsset;
}

void CampusView::lookAt(AssetIndex asset, double distance) {
    const Box& b = session_.campus().assets.at(asset).box;
    Viewpoint v;
    v.center = osg::Vec3d(b.cx, b.cy, b.sz);   // its top, seen from above
    v.distance = distance;
    v.headingDeg = b.yawDeg;
    v.pitchDeg = -65;
    flight_.stop();
    framed_.clear();
    setCamera(v);
    update();
}

void CampusView::setQuantity(RackQuantity q) {
    quantity_ = q;
    applyState();
}

void CampusView::applyState() {
    if (!scene_) return;
    const auto start = std::chrono::steady_clock::now();
    scene_->apply(session_, quantity_);
    lastApplyMs_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    update();
}

void CampusView::initializeGL() {
    window_ = viewer_->setUpViewerAsEmbeddedInWindow(0, 0, width(), height());
    window_->getEventQueue()->getCurrentEventState()->setMouseYOrientation(osgGA::GUIEventAdapter::Y_INCREASING_DOWNWARDS);
    viewer_->getCamera()->setProjectionMatrixAsPerspective(40, double(width()) / std::max(1, height()), 1, 200000);
    viewer_->getCamera()->setComputeNearFarMode(osg::CullSettings::COMPUTE_NEAR_FAR_USING_BOUNDING_VOLUMES);
    viewer_->realize();
}

void CampusView::resizeGL(int w, int h) {
    const double dpr = devicePixelRatioF();
    const int pw = static_cast<int>(w * dpr), ph = static_cast<int>(h * dpr);
    if (!window_) return;
    window_->resized(0, 0, pw, ph);
    events()->windowResize(0, 0, pw, ph);
    viewer_->getCamera()->setViewport(0, 0, pw, ph);
    viewer_->getCamera()->setProjectionMatrixAsPerspective(40, double(pw) / std::max(1, ph), 1, 200000);
    // A preset viewpoint the user has not moved from is fitted again to the new shape (the
    // window's first layout resizes the view after the campus was framed).
    if (!flight_.isActive())
        for (const Viewpoint& v : viewpoints_)
            if (v.name == framed_) setCamera(fitted(v));
}

void CampusView::paintGL() {
    if (!window_) return;
    const auto start = std::chrono::steady_clock::now();
    // Qt renders into its own framebuffer object, which can change on resize.
    window_->setDefaultFboId(defaultFramebufferObject());
    if (scene_) {
        osg::Vec3d eye, center, up;
        viewer_->getCamera()->getViewMatrixAsLookAt(eye, center, up);
        // A metre at a metre's distance, in framebuffer pixels: the 40° vertical field.
        const double pixelsPerMetre = height() * devicePixelRatioF() / (2 * std::tan(20 * M_PI / 180));
        scene_->updateForCamera(eye, pixelsPerMetre);
        // Labels placed for this camera: none overlaps another.
        const osg::Matrixd vp = viewer_->getCamera()->getViewMatrix() * viewer_->getCamera()->getProjectionMatrix();
        const double w = width(), h = height();
        scene_->labels().declutter(
            [&](const osg::Vec3& world) {
                const osg::Vec4d c = osg::Vec4d(world.x(), world.y(), world.z(), 1) * vp;
                if (c.w() <= 1e-9) return QPointF(std::nan(""), std::nan(""));   // behind the camera
                return QPointF((c.x() / c.w() + 1) / 2 * w, (1 - c.y() / c.w()) / 2 * h);
            },
            QSizeF(w, h));
        // Up close, racks show their GPUs one by one.
        const bool detail = orbit_->getDistance() < kDetailDistance;
        if (detail != scene_->detail()) {
            scene_->setDetail(detail);
            if (detail) applyState();
        }
    }
    viewer_->frame();
    if (finish_) context()->functions()->glFinish();
    emit frameDrawn(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
}

QPointF CampusView::project(const osg::Vec3& world) const {
    const osg::Camera* cam = viewer_->getCamera();
    const osg::Matrixd vp = cam->getViewMatrix() * cam->getProjectionMatrix();
    const osg::Vec3d ndc = osg::Vec3d(world) * vp;
    return QPointF((ndc.x() + 1) / 2 * width(), (1 - ndc.y()) / 2 * height());
}

AssetIndex CampusView::pickAt(const QPointF& pos) const {
    if (!scene_) return kNoAsset;
    const osg::Camera* cam = viewer_->getCamera();
    const osg::Matrixd inv = osg::Matrixd::inverse(cam->getViewMatrix() * cam->getProjectionMatrix());
    const double x = 2 * pos.x() / width() - 1, y = 1 - 2 * pos.y() / height();
    const osg::Vec3d nearP = osg::Vec3d(x, y, -1) * inv, farP = osg::Vec3d(x, y, 1) * inv;
    return scene_->pick(nearP, farP);
}

void CampusView::mousePressEvent(QMouseEvent* e) {
    pressAt_ = e->pos();
    flight_.stop();
    framed_.clear();
    if (auto* q = events()) q->mouseButtonPress(e->position().x(), e->position().y(), button(e->button()));
    update();
}

void CampusView::mouseReleaseEvent(QMouseEvent* e) {
    if (auto* q = events()) q->mouseButtonRelease(e->position().x(), e->position().y(), button(e->button()));
    // A click (not a drag) selects what is under the pointer.
    if (e->button() == Qt::LeftButton && (e->pos() - pressAt_).manhattanLength() < 4) {
        const AssetIndex a = pickAt(e->position());
        Selection s;
        s.asset = a;
        session_.select(s);
    }
    update();
}

void CampusView::mouseMoveEvent(QMouseEvent* e) {
    if (auto* q = events()) q->mouseMotion(e->position().x(), e->position().y());
    update();
}

void CampusView::wheelEvent(QWheelEvent* e) {
    framed_.clear();
    if (auto* q = events())
        q->mouseScroll(e->angleDelta().y() > 0 ? osgGA::GUIEventAdapter::SCROLL_UP : osgGA::GUIEventAdapter::SCROLL_DOWN);
    update();
}

std::vector<InputHelp> CampusView::inputHelp() {
    return {{"Left drag, middle drag, wheel", "3D campus: orbit, pan, zoom"},
            {"Click", "3D campus: select the rack, unit or building under the pointer (a far hall's tile: its rack)"}};
}

} // namespace views
