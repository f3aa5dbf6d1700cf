// The 3D campus's labels: one per site with its figures (IT power and GPUs working; generation,
// frequency and tripped units where it has a plant), one per building, hall and substation.
// Decluttered every frame: labels are placed by priority (sites, then buildings, then halls and
// substations), and one that would overlap a label already placed is lifted above it if there is
// room, else hidden — so that no two visible labels overlap at any distance.
#pragma once

#include "twin/campus.h"
#include "twin/session/session.h"

#include <osg/Geode>
#include <osg/ref_ptr>
#include <osgText/Text>

#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <functional>
#include <vector>

namespace views {

class SceneLabels {
public:
    explicit SceneLabels(const twin::Campus& campus);
    osg::Geode* node() const { return geode_.get(); }

    // The sites' figures from the session's state at its time.
    void update(const twin::Session& session);
    // Places the labels for the camera: `project` maps a world point to widget pixels (y down),
    // NaN for a point behind the camera.
    void declutter(const std::function<QPointF(const osg::Vec3&)>& project, const QSizeF& viewport);

    struct Placed {
        twin::AssetIndex asset;
        QString text;
        QRectF rect;      // widget pixels
        QPointF drawnAt;  // where the text's anchor (its bottom centre) projects: rect's bottom centre
    };
    // The labels drawn after the last declutter (tests, and what a wall tour may name).
    std::vector<Placed> visible() const;
    QString siteText(twin::AssetIndex site) const;   // a site label's text now

private:
    struct Label {
        osg::ref_ptr<osgText::Text> text;
        twin::AssetIndex asset = twin::kNoAsset;
        int priority = 0;           // 3 site, 2 building, 1 hall or substation
        osg::Vec3 anchor;           // world: the label's bottom centre
        float pixelSize = 12;
        QSizeF size;                // on screen, measured with the same font
        QRectF rect;
        QPointF drawnAt;
        bool shown = false;
    };
    void setText(Label& l, const QString& text);

    const twin::Campus& c_;
    osg::ref_ptr<osg::Geode> geode_;
    std::vector<Label> labels_;     // by priority, highest first
};

} // namespace views
