#include "actions/export_menu.h"

#include "actions/export_slice_action.h"
#include "actions/picture_actions.h"
#include "actions/picture_sequence_action.h"

#include <QMenu>

namespace actions {

void addExportMenu(QMenu* file, QMainWindow* window, twin::Session& session) {
    QMenu* menu = file->addMenu("&Export");
    new ExportSliceAction(menu, window, session);
    menu->addSeparator();
    new PictureOfWindowAction(menu, window, session);
    new PictureOfViewMenu(menu, window, session);
    new PictureSequenceAction(menu, window, session);
}

} // namespace actions
