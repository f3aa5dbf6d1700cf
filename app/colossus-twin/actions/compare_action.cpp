#include "actions/compare_action.h"

#include "main_window.h"

namespace actions {

CompareAction::CompareAction(QMenu* menu, MainWindow* window) : MenuAction(menu, "&Compare with…"), window_(window) {}

void CompareAction::onTriggered(bool) { window_->compareWith(); }

} // namespace actions
