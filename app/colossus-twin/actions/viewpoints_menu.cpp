#include "actions/viewpoints_menu.h"

#include "campus3d/campus_view.h"

#include <QMenu>

namespace actions {

ViewpointsMenu::ViewpointsMenu(QMenu* menu, views::CampusView* campus) : QObject(menu), menu_(menu), campus_(campus) {
    connect(menu_, &QMenu::aboutToShow, this, &ViewpointsMenu::fill);
}

void ViewpointsMenu::fill() {
    menu_->clear();
    for (const auto& v : campus_->viewpoints())
        menu_->addAction(v.title, this, [this, name = v.name] { campus_->flyTo(name); });
}

} // namespace actions
