// View: the 3D campus's viewpoints (whole campus, each building, the power plant), listed each
// time the menu opens; choosing one flies there.
#pragma once

#include <QObject>

class QMenu;
namespace views {
class CampusView;
}

namespace actions {

class ViewpointsMenu : public QObject {
    Q_OBJECT
public:
    // Fills `menu` (this object is its child).
    ViewpointsMenu(QMenu* menu, views::CampusView* campus);

private:
    void fill();

    QMenu* menu_;
    views::CampusView* campus_;
};

} // namespace actions
