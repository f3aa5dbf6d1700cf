// The 3D campus view: the open store's campus (Session::campus(): the ground of each site,
// buildings, racks, turbines, Megapack blocks, solar arrays, substations, the lines between
// sources and buses, labels) as an OpenSceneGraph scene (CampusScene) drawn in a
// QOpenGLWidget (docs/toolkit.md). Racks, their per-GPU cells up close and the plant's units
// are coloured from the session's state at the clock's time (series "rack", "gpu", "source"
// and "megapack"); the selection is drawn white.
// Orbit / pan / zoom, preset viewpoints with a smooth fly-to, and click-to-select.
#pragma once

#include "common/input_help.h"

#include "campus3d/campus_scene.h"

#include "twin/session/session.h"

#include <QElapsedTimer>
#include <QOpenGLWidget>
#include <QTimer>

#include <osgGA/OrbitManipulator>
#include <osgViewer/Viewer>

#include <memory>

namespace views {

struct Viewpoint {
    QString name;                 // "campus", "plant", or a building id
    QString title;                // what a menu shows
    osg::Vec3d center;
    double distance = 100;
    double headingDeg = 0, pitchDeg = -45;
    osg::Vec2 extent;             // metres east-west and north-south to fit (0: keep `distance`)
};

class CampusView : public QOpenGLWidget {
    Q_OBJECT
public:
    // The keys and mouse gestures this view answers (Help ▸ Keyboard shortcuts).
    static std::vector<InputHelp> inputHelp();
    explicit CampusView(twin::Session& session, QWidget* parent = nullptr);
    ~CampusView() override;

    const std::vector<Viewpoint>& viewpoints() const { return viewpoints_; }
    void setQuantity(RackQuantity q);
    RackQuantity quantity() const { return quantity_; }
    CampusScene* scene() const { return scene_.get(); }

    // Window position (logical pixels, origin top-left) where a world point appears; for tests.
    QPointF project(const osg::Vec3& world) const;
    twin::AssetIndex pickAt(const QPointF& pos) const;
    // Applied state: milliseconds the last tick took to recolour every rack and unit.
    double lastApplyMs() const { return lastApplyMs_; }
    // Benchmarks: wait for the renderer at the end of each frame, so frameDrawn times it all.
    void setFinishEachFrame(bool on) { finish_ = on; }
    // A viewpoint close over one asset (a hall): centre on it, `distance` metres away.
    void lookAt(twin::AssetIndex asset, double distance);

    // Flies to the selection (selection_bounds.h), seen from the current heading, fitted to this
    // view; false if the selection has no place on the campus.
    bool frameSelection(bool animate = true);

    // A viewpoint name or an asset id that flyTo understands.
    bool knows(const QString& name) const;

public slots:
    // To a viewpoint ("campus", "plant", a building id), or close over any asset by its id.
    void flyTo(const QString& name, bool animate = true);

signals:
    void frameDrawn(double ms);
    void viewpointChosen(const QString& name);

protected:
    void initializeGL() override;
    void resizeGL(int w, int h) override;
    void paintGL() override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void wheelEvent(QWheelEvent* e) override;

private:
    void rebuild();
    void applyState();
    void computeViewpoints();
    void setCamera(const Viewpoint& v);
    void flyToViewpoint(const Viewpoint& v, bool animate);
    // The viewpoint's distance fitted to its extent in this widget's field of view.
    Viewpoint fitted(Viewpoint v) const;
    osgGA::EventQueue* events() const;

    twin::Session& session_;
    std::unique_ptr<CampusScene> scene_;
    osg::ref_ptr<osgViewer::Viewer> viewer_;
    osg::ref_ptr<osgViewer::GraphicsWindowEmbedded> window_;
    osg::ref_ptr<osgGA::OrbitManipulator> orbit_;
    std::vector<Viewpoint> viewpoints_;
    RackQuantity quantity_ = RackQuantity::Power;
    QPoint pressAt_;
    // Fly-to animation between two camera poses.
    QTimer flight_;
    QElapsedTimer flightClock_;
    Viewpoint from_, to_;
    QString framed_;   // the preset viewpoint shown, until the user moves the camera
    double lastApplyMs_ = 0;
    bool finish_ = false;
};

} // namespace views
