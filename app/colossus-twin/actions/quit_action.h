// File ▸ Quit: closes the window (which saves its geometry and docks).
#pragma once

#include "actions/menu_action.h"

class QWidget;

namespace actions {

class QuitAction : public MenuAction {
    Q_OBJECT
public:
    QuitAction(QMenu* menu, QWidget* window);

protected:
    void onTriggered(bool) override;

private:
    QWidget* window_;
};

} // namespace actions
