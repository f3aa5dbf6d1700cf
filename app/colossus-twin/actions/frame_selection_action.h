// View ▸ Frame selection (F): the 3D view flies to what is selected, wherever it was selected
// (an alarm in the event list, a search, a job, the one-line diagram). A text field keeps its F.
#pragma once

#include "actions/menu_action.h"

namespace views {
class CampusView;
}

namespace actions {

class FrameSelectionAction : public MenuAction {
    Q_OBJECT
public:
    FrameSelectionAction(QMenu* menu, views::CampusView* view);

protected:
    void onTriggered(bool checked) override;

private:
    views::CampusView* view_;
};

} // namespace actions
