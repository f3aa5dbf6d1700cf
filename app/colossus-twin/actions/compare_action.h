// File ▸ Compare with…: a second recording beside the open one (MainWindow::compareWith).
#pragma once

#include "actions/menu_action.h"

class MainWindow;

namespace actions {

class CompareAction : public MenuAction {
    Q_OBJECT
public:
    CompareAction(QMenu* menu, MainWindow* window);

protected:
    void onTriggered(bool) override;

private:
    MainWindow* window_;
};

} // namespace actions
