// The timeline view, the one timeline at the bottom of the main window: transport buttons,
// speed, the LIVE / REPLAY toggle, the track (the store's span, ticks, event markers, cursor)
// and the time in UTC and in campus local time. Its data: the session's clock, which it drives
// (session.clock()); the store's events over its span (StoreReader::events, read by the track
// and the event navigator); the campus's time zone; and, once given the review folder's
// BookmarkModel (setBookmarks), the bookmarks. Keys when focused: Space play / pause,
// Left / Right step, Home / End jump.
// Incident review (timeline/event_navigator.h): buttons and keys [ previous event, ] next event,
// Shift+] (}) play to the next event, L loop the current event's review window (toggle). Events
// counted: the navigator's minimum severity (warnings and above unless changed).
#pragma once

#include "timeline/event_navigator.h"
#include "timeline/timeline_track.h"

#include "twin/session/session.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QToolButton;

namespace views {

class TimelineWidget : public QWidget {
    Q_OBJECT
public:
    explicit TimelineWidget(twin::Session& session, QWidget* parent = nullptr);

    TimelineTrack* track() const { return track_; }
    views::EventNavigator* navigator() const { return navigator_; }
    // Bookmarks to draw on the track (see TimelineTrack::setBookmarks).
    void setBookmarks(views::BookmarkModel* model) { track_->setBookmarks(model); }

    // The speeds offered, slowest first.
    static const std::vector<double>& speeds();

protected:
    void keyPressEvent(QKeyEvent* e) override;

private:
    QToolButton* addButton(const QString& objectName, const QString& text, const QString& tip);
    void showPlaying(bool playing);
    void showLive(bool live);
    void showSpeed(double speed);
    void showTime();
    void showMode();
    void showNavigation();

    twin::Session& session_;
    QToolButton* playPause_ = nullptr;
    QToolButton* live_ = nullptr;
    QComboBox* speed_ = nullptr;
    TimelineTrack* track_ = nullptr;
    views::EventNavigator* navigator_ = nullptr;
    QToolButton* prevEvent_ = nullptr;
    QToolButton* nextEvent_ = nullptr;
    QToolButton* playToNext_ = nullptr;
    QToolButton* loop_ = nullptr;
    QLabel* utc_ = nullptr;
    QLabel* local_ = nullptr;
    QLabel* mode_ = nullptr;
};

} // namespace views
