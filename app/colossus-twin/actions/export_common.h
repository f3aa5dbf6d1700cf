// What the File ▸ Export entries share: their base (the window and the open recording), the
// time-range dialog, a progress dialog's callback, the views that can be pictured, the file names
// offered, and "open a store first".
#pragma once

#include "actions/menu_action.h"

#include "twin/session/session.h"

#include <QDialog>

#include <functional>
#include <utility>
#include <vector>

class QCheckBox;
class QDateTimeEdit;
class QDoubleSpinBox;
class QMainWindow;
class QProgressDialog;

namespace actions {

// An entry of File ▸ Export: it acts on the window and the open recording.
class ExportAction : public MenuAction {
    Q_OBJECT
protected:
    ExportAction(QMenu* menu, const QString& text, QMainWindow* window, twin::Session& session);

    QMainWindow* window_;
    twin::Session& session_;
};

// A time range (UTC, to the millisecond): the clock's loop when one is set (the range under
// review), else around the clock: the review window of an event at the clock's time, 30 s before
// to 2 min after, within the recording. For a Sequence also the step between pictures and the
// video's rate; for a Slice whether to keep the per-GPU data.
struct RangeDialog : QDialog {
    enum Purpose { Slice, Sequence };
    RangeDialog(QWidget* parent, twin::Session& session, const QString& title, Purpose purpose);
    twin::TimeMs t0() const;
    twin::TimeMs t1() const;
    bool fromLoop() const { return fromLoop_; }   // the range given was the loop's
    bool perGpuData() const;                      // Slice: keep the per-GPU series (default: yes)
    QDateTimeEdit* from = nullptr;
    QDateTimeEdit* to = nullptr;
    QDoubleSpinBox* step = nullptr;
    QDoubleSpinBox* fps = nullptr;
    QCheckBox* perGpu = nullptr;

private:
    bool fromLoop_ = false;
};

// Shows fractions on `dialog`; false once it is cancelled.
std::function<bool(double)> progressOf(QProgressDialog& dialog);

// The views that can be pictured: the 3D campus and every visible dock, by title.
std::vector<std::pair<QString, QWidget*>> picturableViews(QMainWindow* window);

// Beside the recording: its name, the clock's time and `suffix` ("trip-160211.png").
QString suggestedName(twin::Session& session, const QString& suffix);

// True with a store open; otherwise says "Open a store first." and returns false.
bool storeIsOpen(QMainWindow* window, twin::Session& session);

} // namespace actions
