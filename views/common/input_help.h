// What a view answers with the keyboard and the mouse, for Help ▸ Keyboard shortcuts: each view
// lists its own (inputHelp(), next to the code that handles them), so that the list is kept with
// what the keys do.
#pragma once

#include <QString>

#include <vector>

namespace views {

struct InputHelp {
    QString input;   // "L", "Wheel", "Double-click"
    QString what;    // what it does there
};

} // namespace views
