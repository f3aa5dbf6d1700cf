#include "actions/frame_selection_action.h"

#include "campus3d/campus_view.h"

#include <QAction>

namespace actions {

FrameSelectionAction::FrameSelectionAction(QMenu* menu, views::CampusView* view)
    : MenuAction(menu, "&Frame selection", QKeySequence(Qt::Key_F)), view_(view) {
    action()->setShortcutContext(Qt::WindowShortcut);
}

void FrameSelectionAction::onTriggered(bool) { view_->frameSelection(); }

} // namespace actions
