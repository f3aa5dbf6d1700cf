// `colossus-twin --wall STORE`: the operations-room wall. Ties together the data watchdog
// (wall_feed.h), the active alarms and their acknowledgements (wall_alarms.h), one window per screen the layout uses
// (wall_window.h, wall_layout.h) and the camera tour (wall_tour.h).
#pragma once

#include "wall/wall_layout.h"
#include "wall/wall_window.h"

#include "common/colour_map.h"
#include "twin/session/session.h"

#include <QObject>
#include <QSize>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace views {
class AlarmAcks;
}

namespace wall {

class ActiveAlarms;
class DataFeed;
class WallTour;
class WallWindow;

struct WallOptions {
    QString store;                         // the store; it may not exist yet (waiting for data)
    Layout layout = defaultLayout();
    int staleAfterMs = 10'000;             // live data older than this is stale (--stale-after)
    int pollMs = 1'000;                    // a missing store is looked for this often
    int tourPeriodMs = 20'000;             // one viewpoint every 20 s (--tour-period); 0: no tour
    // Replay from a time (--at; given the store's span) instead of following the newest data.
    std::function<std::optional<twin::TimeMs>(const twin::TimeSpan&)> replayFrom;
    bool play = true;                      // a replay plays at 1x (screenshots: paused)
    std::optional<views::RackQuantity> quantity;   // --colour
    QString view;                          // --view: the first viewpoint or asset
    int screens = 0;                       // screens to fill (0: every attached screen)
    // A followed twin (nats://...): what the title line says instead of the replica's file name.
    std::function<RemoteSource()> remoteSource;
};

class WallApp : public QObject {
    Q_OBJECT
public:
    WallApp(twin::Session& session, WallOptions options, QObject* parent = nullptr);
    ~WallApp() override;

    // Builds the windows (not shown yet) and opens the store, or starts waiting for it.
    // Returns the error when the store exists but cannot be opened (the wall keeps trying).
    QString start();

    // Every window full screen on its own screen (a window per screen the layout uses).
    // `windowed`: at that size instead, in ordinary windows (trying a layout on a desktop).
    void show(std::optional<QSize> windowed = std::nullopt);
    // Renders every window once at `size` and saves it: the first to `file`, the others to
    // FILE-2.png, FILE-3.png, ... Returns an error message, or an empty string.
    QString screenshot(const QString& file, QSize size);
    // Where screenshot() saves window i (0-based).
    static QString screenshotName(const QString& file, int i);

    const std::vector<WallWindow*>& windows() const { return windows_; }
    DataFeed& feed() const { return *feed_; }
    ActiveAlarms& alarms() const { return *alarms_; }
    // Acknowledgements made at desks, read from the store's review file every second.
    views::AlarmAcks& acks() const { return *acks_; }
    WallTour* tour() const { return tour_; }   // nullptr when no screen shows the 3D campus
    const WallOptions& options() const { return options_; }
    // A problem applying --at or --view to the opened store (empty if none).
    const QString& openProblem() const { return openProblem_; }

signals:
    void quitRequested();

protected:
    bool eventFilter(QObject* o, QEvent* e) override;

private:
    void onOpened();
    int screenCount() const;

    twin::Session& session_;
    WallOptions options_;
    std::unique_ptr<DataFeed> feed_;
    std::unique_ptr<views::AlarmAcks> acks_;   // before alarms_, which uses it
    std::unique_ptr<ActiveAlarms> alarms_;
    std::vector<WallWindow*> windows_;
    WallTour* tour_ = nullptr;
    QString openProblem_;
    QTimer cursorTimer_;
    bool cursorHidden_ = false;
};

} // namespace wall
