// View ▸ Panels (each panel shown or hidden), View ▸ Reset layout, and the desk's layout presets
// (Electrical, Compute, Review: Ctrl+1, Ctrl+2, Ctrl+3, also on the window's toolbar).
#pragma once

#include "actions/menu_action.h"
#include "desk_layout.h"

class QMainWindow;
class QToolBar;

namespace actions {

// Fills `menu` with every dock's show/hide entry, by title.
void addPanelsMenu(QMenu* menu, QMainWindow* window);

class ResetLayoutAction : public MenuAction {
    Q_OBJECT
public:
    ResetLayoutAction(QMenu* menu, DeskLayout& layout);

protected:
    void onTriggered(bool checked) override;

private:
    DeskLayout& layout_;
};

class LayoutPresetAction : public MenuAction {
    Q_OBJECT
public:
    // Adds itself to `menu` and to `toolbar` (if any).
    LayoutPresetAction(QMenu* menu, QToolBar* toolbar, DeskLayout& layout, DeskPreset preset);

protected:
    void onTriggered(bool checked) override;

private:
    DeskLayout& layout_;
    DeskPreset preset_;
};

} // namespace actions
