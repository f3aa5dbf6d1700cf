#include "actions/quit_action.h"

#include <QWidget>

namespace actions {

QuitAction::QuitAction(QMenu* menu, QWidget* window) : MenuAction(menu, "&Quit", QKeySequence::Quit), window_(window) {}

void QuitAction::onTriggered(bool) { window_->close(); }

} // namespace actions
