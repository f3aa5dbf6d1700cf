// Help ▸ Keyboard shortcuts (F1): a table of every key the desk answers — the clock's keys
// (transport_keys.h) and every menu entry that has a shortcut, read from the menus themselves so
// the list cannot drift from what the keys do.
#pragma once

#include "actions/menu_action.h"

class QMainWindow;
class QDialog;

namespace actions {

class ShortcutsAction : public MenuAction {
    Q_OBJECT
public:
    ShortcutsAction(QMenu* menu, QMainWindow* window);
    QDialog* dialog() const { return dialog_; }   // the last one shown (tests)

protected:
    void onTriggered(bool checked) override;

private:
    QMainWindow* window_;
    QDialog* dialog_ = nullptr;
};

} // namespace actions
