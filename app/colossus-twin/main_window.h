// The main window: the 3D campus in the centre, the inspector and the event list docked around
// it, the timeline at the bottom; the campus, its time span and LIVE / REPLAY always visible.
#pragma once

#include "desk_layout.h"

#include "twin/session/session.h"

#include <QMainWindow>

#include <functional>
#include <optional>

class QComboBox;
class QDockWidget;
class QLabel;
namespace actions {
class RecentFilesMenu;
}
namespace review {
class CompareWindow;
}

namespace views {
class CampusView;
class LegendBar;
class BookmarkModel;
class BookmarksPanel;
class TimelineWidget;
}

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(twin::Session& session, QWidget* parent = nullptr);

    // Opens a store; on failure shows the error in a dialog (interactive) and returns false.
    bool openStore(const QString& path, bool interactive = true);
    views::CampusView* campusView() const { return campus_; }
    QComboBox* quantityBox() const { return quantity_; }
    // File ▸ Compare with…: a second recording beside this one (asks for the file if none given).
    void compareWith(const QString& path = {});
    review::CompareWindow* compareWindow() const { return compare_; }
    // Incident review: the timeline (its event navigator) and the Bookmarks dock's panel.
    views::TimelineWidget* timeline() const { return timeline_; }
    views::BookmarksPanel* bookmarksPanel() const { return bookmarksPanel_; }
    // Where the panels are: presets, reset (desk_layout.h).
    DeskLayout& deskLayout() { return layout_; }
    // The preset the first showing arranges (instead of the default layout).
    void setStartPreset(DeskPreset p) { startPreset_ = p; }
    // The panels as the user left them last time (QSettings); false when there is nothing saved,
    // and the window then takes the default layout when first shown.
    bool restoreSavedLayout();
    // A store followed from elsewhere (colossus-twin nats://...): the header names the source and
    // how far behind it is, asked every second, instead of the replica's file name; while the
    // source is unreachable the LIVE badge reads DISCONNECTED.
    struct RemoteSourceState {
        QString text;            // "nats://host:4222/twin · up to date (commit 0.4 s ago)"
        bool connected = true;
    };
    void setRemoteSource(std::function<RemoteSourceState()> state);
    QLabel* headerMode() const { return headerMode_; }
    QLabel* headerTitle() const { return header_; }

protected:
    void closeEvent(QCloseEvent* e) override;
    void showEvent(QShowEvent* e) override;
    void dragEnterEvent(QDragEnterEvent* e) override;
    void dropEvent(QDropEvent* e) override;

private:
    void buildMenus();
    void updateHeader();
    void reportDamage();

    twin::Session& session_;
    std::size_t damageReported_ = 0;   // entries of the reader's damage() already on stderr
    views::CampusView* campus_ = nullptr;
    views::LegendBar* legend_ = nullptr;
    QComboBox* quantity_ = nullptr;
    QComboBox* viewpoint_ = nullptr;
    QLabel* header_ = nullptr;       // campus, span, file: clipped first when narrow
    QLabel* headerMode_ = nullptr;   // LIVE / REPLAY: always whole
    DeskLayout layout_{*this};
    bool restored_ = false, shownOnce_ = false;
    std::optional<DeskPreset> startPreset_;
    std::function<RemoteSourceState()> remoteSource_;
    actions::RecentFilesMenu* recent_ = nullptr;
    review::CompareWindow* compare_ = nullptr;
    views::TimelineWidget* timeline_ = nullptr;
    views::BookmarkModel* bookmarks_ = nullptr;
    views::BookmarksPanel* bookmarksPanel_ = nullptr;
    QDockWidget* bookmarksDock_ = nullptr;
};
