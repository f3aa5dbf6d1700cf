// The clock's keys from anywhere in the desk window — Space plays or pauses, ← / → step, Home /
// End jump to the ends — except in a text field (line edits, spin boxes, editable combo boxes),
// which keeps them for its text. Without Shift, Ctrl, Alt or Meta only.
#pragma once

#include <QString>

#include <vector>

class QWidget;
namespace twin {
class Clock;
}

struct KeyHelp {
    QString keys;   // as written on the keyboard: "Space", "← / →"
    QString what;
};

// Filters the keys of `window`'s widgets (the filter is the window's child).
void installTransportKeys(QWidget* window, twin::Clock& clock);
// What they do, for Help ▸ Keyboard shortcuts.
std::vector<KeyHelp> transportKeyHelp();
