#include "actions/review_actions.h"

#include "review/bookmarks_panel.h"
#include "timeline/event_navigator.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QMenu>

#include <utility>

namespace actions {

using views::EventNavigator;

AddBookmarkAction::AddBookmarkAction(QMenu* menu, QDockWidget* dock, views::BookmarksPanel* panel)
    : MenuAction(menu, "Add &bookmark…", QKeySequence(Qt::CTRL | Qt::Key_B)), dock_(dock), panel_(panel) {}

void AddBookmarkAction::onTriggered(bool) {
    dock_->show();
    dock_->raise();   // where the prompt's result, or why it cannot be kept, shows
    panel_->add();
}

namespace {

QString textOf(EventJumpAction::Jump jump) {
    switch (jump) {
    case EventJumpAction::Jump::Previous: return "&Previous event";
    case EventJumpAction::Jump::Next: return "&Next event";
    case EventJumpAction::Jump::PlayToNext: return "P&lay to next event";
    }
    return {};
}

QKeySequence keyOf(EventJumpAction::Jump jump) {
    switch (jump) {
    case EventJumpAction::Jump::Previous: return QKeySequence(Qt::Key_BracketLeft);
    case EventJumpAction::Jump::Next: return QKeySequence(Qt::Key_BracketRight);
    // Shift+] types '}' on most layouts: the shortcut is the character, as Qt matches it.
    case EventJumpAction::Jump::PlayToNext: return QKeySequence(Qt::Key_BraceRight);
    }
    return {};
}

} // namespace

EventJumpAction::EventJumpAction(QMenu* menu, EventNavigator* navigator, Jump jump)
    : MenuAction(menu, textOf(jump), keyOf(jump)), navigator_(navigator), jump_(jump) {}

void EventJumpAction::onTriggered(bool) {
    switch (jump_) {
    case Jump::Previous: navigator_->jumpToPrevious(); break;
    case Jump::Next: navigator_->jumpToNext(); break;
    case Jump::PlayToNext: navigator_->playToNext(); break;
    }
}

LoopReviewWindowAction::LoopReviewWindowAction(QMenu* menu, EventNavigator* navigator)
    : MenuAction(menu, "L&oop review window", QKeySequence(Qt::Key_L)), navigator_(navigator) {
    action()->setCheckable(true);
    connect(navigator_, &EventNavigator::loopingChanged, action(), &QAction::setChecked);
}

void LoopReviewWindowAction::onTriggered(bool checked) {
    if (!navigator_->setLoopReviewWindow(checked)) action()->setChecked(false);   // no event to loop
}

EventSeverityMenu::EventSeverityMenu(QMenu* menu, EventNavigator* navigator) : QObject(menu->addMenu("Navigate &events of")) {
    auto* severity = static_cast<QMenu*>(parent());
    auto* group = new QActionGroup(severity);
    using twin::Severity;
    for (const auto& [text, s] : {std::pair{"Any severity", Severity::Info}, std::pair{"Warning and above", Severity::Warning},
                                  std::pair{"Alarm and above", Severity::Alarm}, std::pair{"Critical only", Severity::Critical}}) {
        QAction* a = severity->addAction(text, this, [navigator, s = s] { navigator->setMinimumSeverity(s); });
        a->setCheckable(true);
        a->setChecked(s == navigator->minimumSeverity());
        group->addAction(a);
    }
}

} // namespace actions
