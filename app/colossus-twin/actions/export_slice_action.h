// File ▸ Export ▸ Slice of the recording…: a time range as a new, complete store, exported in a
// worker thread under a progress dialog that can cancel.
#pragma once

#include "actions/export_common.h"

namespace actions {

class ExportSliceAction : public ExportAction {
    Q_OBJECT
public:
    ExportSliceAction(QMenu* menu, QMainWindow* window, twin::Session& session);

protected:
    void onTriggered(bool) override;
};

} // namespace actions
