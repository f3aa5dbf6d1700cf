// The wall's 3D camera without a mouse. It tours the campus view's viewpoints (the campus, each
// building, the power plant) one every `periodMs` (20 s by default, --tour-period) with the
// view's smooth fly-to. When a new alarm becomes active it flies to the alarm's asset (a GPU:
// its rack; a job: its first rack), selects it (the 3D view draws the selection white, the
// one-line diagram its supply path) and holds there until the alarm clears or is acknowledged
// (at a desk, read from the review file); then the next active unacknowledged alarm, or the tour
// again. Alarms without a place on the campus (campus-wide) do not move it.
#pragma once

#include "twin/session/session.h"

#include <QObject>
#include <QTimer>

namespace views {
class CampusView;
}

namespace wall {

class ActiveAlarms;

class WallTour : public QObject {
    Q_OBJECT
public:
    enum class Mode { Touring, Holding };

    WallTour(twin::Session& session, views::CampusView* view, ActiveAlarms& alarms, int periodMs, QObject* parent = nullptr);

    Mode mode() const { return mode_; }
    int periodMs() const { return periodMs_; }
    // The viewpoint the tour last flew to ("campus", a building id, "plant").
    const QString& viewpoint() const { return viewpoint_; }
    // While holding: the alarm (event id) and the asset the camera looks at.
    std::int64_t heldEvent() const { return heldEvent_; }
    twin::AssetIndex heldAsset() const { return heldAsset_; }
    twin::Selection heldSelection() const { return heldSelection_; }
    // What the 3D panel's caption says: the viewpoint's title, or the alarm held.
    QString caption() const;

    // The camera moves instantly instead of flying (screenshots and tests).
    void setAnimated(bool on) { animated_ = on; }
    // 0 stops the tour (alarms still move the camera).
    void setPeriodMs(int ms);

    // The place on the campus where an event's asset is (kNoAsset if none) and what selecting it selects.
    static twin::AssetIndex placeOf(const twin::Session& session, const twin::Selection& s);

public slots:
    // While holding an alarm: the camera over its asset now, not after the fly-in (screenshots).
    void settle();
    void next();                   // the next viewpoint now (while touring)
    void onAlarmsChanged();

signals:
    void changed();                // mode, viewpoint or held alarm changed

private:
    void hold(const twin::Event& e, const twin::Selection& s, twin::AssetIndex place);
    void release();
    void flyToViewpoint(const QString& name);
    QString enclosingViewpoint(twin::AssetIndex a) const;

    twin::Session& session_;
    views::CampusView* view_;
    ActiveAlarms& alarms_;
    int periodMs_;
    QTimer timer_, approach_;
    Mode mode_ = Mode::Touring;
    int index_ = 0;
    QString viewpoint_ = "campus";
    std::int64_t heldEvent_ = 0;
    QString heldText_;
    twin::AssetIndex heldAsset_ = twin::kNoAsset;
    twin::Selection heldSelection_;
    std::vector<std::int64_t> seen_;   // active alarm ids last time (sorted)
    bool animated_ = true;
};

} // namespace wall
