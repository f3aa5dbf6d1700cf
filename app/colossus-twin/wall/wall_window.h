// One screen of the operations-room wall: a frameless window without menus, a dark
// high-contrast theme and type scaled to the window's height (20 px text on a 1080-line screen,
// 40 px on 4K), readable from across a room. A header strip with the campus name, a big clock
// (the twin's time in UTC and campus local time) and the LIVE / REPLAY / STALE / WAITING FOR DATA
// badge; below it the panels of this screen, each in its cell of the layout's grid.
#pragma once

#include "wall/wall_layout.h"

#include "common/colour_map.h"

#include "twin/session/session.h"

#include <QFrame>
#include <QPointer>
#include <QWidget>

#include <functional>
#include <map>

class QLabel;

namespace views {
class CampusView;
class OneLineDiagram;
class WallChart;
}

namespace wall {

class ActiveAlarms;
class AlarmsPanel;
class DataFeed;
class TotalsPanel;
class WallTour;

// A wall on a twin followed from a bus (colossus-twin --wall nats://HOST:PORT/TWIN): the source's
// line for the title (the address and how far behind it is, or DISCONNECTED) and whether it is
// connected (the badge says DISCONNECTED when not).
struct RemoteSource {
    QString text;
    bool connected = true;
};

class WallWindow : public QWidget {
    Q_OBJECT
public:
    // `panels`: this screen's (assignToScreens); `screen` of `screens`: for the header.
    WallWindow(twin::Session& session, DataFeed& feed, ActiveAlarms& alarms, std::vector<PanelPlace> panels, int screen = 0,
               int screens = 1, QWidget* parent = nullptr);

    const std::vector<PanelPlace>& panels() const { return panels_; }
    int screenIndex() const { return screen_; }
    // A panel's frame (caption and content), nullptr if this screen does not show it.
    QFrame* panelFrame(const QString& name) const;
    // The rectangle its layout cell has in this window (where panelFrame should be).
    QRect cellOf(const QString& name) const;
    // The area the panels' grid fills, the gap between cells, the base type size in pixels.
    QRect bodyRect() const;
    int gap() const;
    int basePixelSize() const { return base_; }

    views::CampusView* campusView() const { return campus_; }
    views::OneLineDiagram* oneLine() const { return oneLine_; }
    views::WallChart* frequencyChart() const { return frequency_; }
    views::WallChart* loadChart() const { return load_; }
    AlarmsPanel* alarmsPanel() const { return alarmsPanel_; }
    TotalsPanel* totalsPanel() const { return totals_; }
    QFrame* badge() const { return badge_; }
    QString badgeWord() const;
    QString badgeDetail() const;
    QString clockText() const;   // "16:02:11 UTC · 11:02:11 CDT"
    // The title line under the campus name: the store's file name, or the followed source.
    QString sourceText() const;

    // Names the followed source in the title line (and the badge while disconnected), read every second.
    void setRemoteSource(std::function<RemoteSource()> source);

    // What the 3D view colours racks by (its caption shows the colour ramp).
    void setQuantity(views::RackQuantity q);
    // The 3D panel's caption follows the tour (viewpoint, or the alarm held).
    void setTour(WallTour* tour);

signals:
    void quitRequested();

protected:
    void resizeEvent(QResizeEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;

private:
    QFrame* makePanel(const QString& name);
    void buildCharts();
    void applyScale();
    void placePanels();
    void updateHeader();
    void updateBadge();
    void updateCaptions();

    twin::Session& session_;
    DataFeed& feed_;
    ActiveAlarms& alarms_;
    std::vector<PanelPlace> panels_;
    int screen_, screens_;
    int base_ = 20;
    std::map<QString, QFrame*> frames_;
    std::map<QString, QLabel*> captionInfo_;   // the caption's right-hand text, per panel
    QFrame* header_ = nullptr;
    QLabel* campusName_ = nullptr;
    QLabel* source_ = nullptr;
    std::function<RemoteSource()> remoteSource_;
    QLabel* clock_ = nullptr;
    QLabel* localClock_ = nullptr;
    QFrame* badge_ = nullptr;
    QLabel* badgeWord_ = nullptr;
    QLabel* badgeDetail_ = nullptr;
    QWidget* legend_ = nullptr;
    views::CampusView* campus_ = nullptr;
    views::OneLineDiagram* oneLine_ = nullptr;
    views::WallChart* frequency_ = nullptr;
    views::WallChart* load_ = nullptr;
    AlarmsPanel* alarmsPanel_ = nullptr;
    TotalsPanel* totals_ = nullptr;
    QPointer<WallTour> tour_;
};

// The wall's colours, one place.
namespace theme {
inline const char* kBackground = "#0a0c0f";
inline const char* kPanel = "#12161b";
inline const char* kPanelBorder = "#2a313b";
inline const char* kCaption = "#1a2029";
inline const char* kText = "#e9edf2";
inline const char* kDim = "#9aa4b1";
// Badge backgrounds (and their text colour).
inline const char* kLive = "#17b34a";
inline const char* kReplay = "#2f74e8";
inline const char* kStale = "#ffb000";
inline const char* kWaiting = "#7b61ff";
inline const char* kAlarm = "#d9302f";
} // namespace theme

} // namespace wall
