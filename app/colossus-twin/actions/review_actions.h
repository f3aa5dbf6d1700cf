// Review: bookmarks and event navigation, with the timeline's keys (docs/views.md, "Incident
// review"). The navigator is the timeline's (views::TimelineWidget::navigator()).
#pragma once

#include "actions/menu_action.h"

class QDockWidget;
namespace views {
class BookmarksPanel;
class EventNavigator;
}

namespace actions {

// Add bookmark… (Ctrl+B): the Bookmarks dock comes forward and asks for a name and a note.
class AddBookmarkAction : public MenuAction {
    Q_OBJECT
public:
    AddBookmarkAction(QMenu* menu, QDockWidget* dock, views::BookmarksPanel* panel);

protected:
    void onTriggered(bool) override;

private:
    QDockWidget* dock_;
    views::BookmarksPanel* panel_;
};

// Previous event ([), Next event (]), Play to next event (}).
class EventJumpAction : public MenuAction {
    Q_OBJECT
public:
    enum class Jump { Previous, Next, PlayToNext };
    EventJumpAction(QMenu* menu, views::EventNavigator* navigator, Jump jump);

protected:
    void onTriggered(bool) override;

private:
    views::EventNavigator* navigator_;
    Jump jump_;
};

// Loop review window (L): checked while the navigator loops an event's window.
class LoopReviewWindowAction : public MenuAction {
    Q_OBJECT
public:
    LoopReviewWindowAction(QMenu* menu, views::EventNavigator* navigator);

protected:
    void onTriggered(bool checked) override;

private:
    views::EventNavigator* navigator_;
};

// Navigate events of ▸ any severity, warning and above, alarm and above, critical only.
class EventSeverityMenu : public QObject {
    Q_OBJECT
public:
    EventSeverityMenu(QMenu* menu, views::EventNavigator* navigator);
};

} // namespace actions
