// File ▸ Open…: asks for a twin store and opens it in the window.
#pragma once

#include "actions/menu_action.h"

class MainWindow;

namespace actions {

class OpenStoreAction : public MenuAction {
    Q_OBJECT
public:
    OpenStoreAction(QMenu* menu, MainWindow* window);

protected:
    void onTriggered(bool) override;

private:
    MainWindow* window_;
};

} // namespace actions
