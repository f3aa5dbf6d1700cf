#include "actions/open_store_action.h"

#include "main_window.h"

#include <QFileDialog>

namespace actions {

OpenStoreAction::OpenStoreAction(QMenu* menu, MainWindow* window)
    : MenuAction(menu, "&Open…", QKeySequence::Open), window_(window) {}

void OpenStoreAction::onTriggered(bool) {
    const QString path = QFileDialog::getOpenFileName(window_, "Open a twin store", {}, "Twin stores (*.twin);;All files (*)");
    if (!path.isEmpty()) window_->openStore(path);
}

} // namespace actions
