// What an incident review takes away (File ▸ Export: actions/export_menu.h). Each reports
// progress that can cancel, and failures naming the file and the problem.
//  - a slice of the recording (a time range) as a new, complete twin store: campus, telemetry,
//    events, the recording's bookmarks and those of its review file (twin/slice_export.h), with
//    or without the per-GPU data. It runs in a worker thread with its own read-only reader, so
//    the window stays live;
//  - a PNG of the whole window or of one view (3D and VTK views included);
//  - a PNG sequence of a time range (the clock steps, the view is grabbed each step) for a
//    report, made into an MP4 when `ffmpeg` is installed.
#pragma once

#include "twin/session/session.h"

#include <QString>

#include <functional>

class QWidget;

namespace review {

// "" on success, "cancelled", or the error. `progress` (may be empty) sees fractions in [0, 1]
// on the calling thread and returns false to cancel. Without `perGpuData` the slice leaves out
// the per-GPU series (twin::SliceOptions::perGpuData).
QString exportSlice(const std::string& recording, const QString& out, twin::TimeMs t0, twin::TimeMs t1,
                    const std::function<bool(double)>& progress, bool perGpuData = true);

// Saves a picture of `w` (its OpenGL children drawn too). "" or the error.
QString savePicture(QWidget* w, const QString& file);

struct SequenceResult {
    int frames = 0;          // pictures written
    QString error;           // "" unless it failed
    bool cancelled = false;
};
// Steps the session's clock from t0 to t1 (inclusive) by stepMs and saves `w` after each step as
// dir/frame_00001.png, ...; the clock is put back where it was.
SequenceResult exportSequence(twin::Session& session, QWidget* w, const QString& dir, twin::TimeMs t0, twin::TimeMs t1,
                              twin::TimeMs stepMs, const std::function<bool(double)>& progress);
// Makes dir/frame_*.png into an MP4 with ffmpeg at `fps`; "" or the error (ffmpeg missing included).
QString encodeVideo(const QString& dir, const QString& mp4, double fps);

} // namespace review
