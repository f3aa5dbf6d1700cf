// File ▸ Export ▸ Picture sequence or video…: a PNG of the window or of one view at each step of
// a time range, then an MP4 if asked (and ffmpeg is installed).
#pragma once

#include "actions/export_common.h"

namespace actions {

class PictureSequenceAction : public ExportAction {
    Q_OBJECT
public:
    PictureSequenceAction(QMenu* menu, QMainWindow* window, twin::Session& session);

protected:
    void onTriggered(bool) override;
};

} // namespace actions
