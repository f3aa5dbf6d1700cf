// File ▸ Export ▸ Picture of the window… and Picture of a view ▸ (the 3D campus and every visible
// dock, listed each time the submenu opens): a PNG, saved where the user says.
#pragma once

#include "actions/export_common.h"

namespace actions {

class PictureOfWindowAction : public ExportAction {
    Q_OBJECT
public:
    PictureOfWindowAction(QMenu* menu, QMainWindow* window, twin::Session& session);

protected:
    void onTriggered(bool) override;
};

class PictureOfViewMenu : public QObject {
    Q_OBJECT
public:
    // Adds the submenu to `menu`; this object is its child.
    PictureOfViewMenu(QMenu* menu, QMainWindow* window, twin::Session& session);

private:
    void fill();

    QMenu* menu_;
    QMainWindow* window_;
    twin::Session& session_;
};

} // namespace actions
