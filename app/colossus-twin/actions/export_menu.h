// File ▸ Export: Slice of the recording…, Picture of the window…, Picture of a view ▸, Picture
// sequence or video… (review/export_actions.h does the work).
#pragma once

#include "twin/session/session.h"

class QMainWindow;
class QMenu;

namespace actions {

// Adds the Export submenu to `file`.
void addExportMenu(QMenu* file, QMainWindow* window, twin::Session& session);

} // namespace actions
