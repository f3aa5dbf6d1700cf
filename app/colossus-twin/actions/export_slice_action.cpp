#include "actions/export_slice_action.h"

#include "review/export_actions.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMessageBox>
#include <QProgressDialog>

namespace actions {

using namespace twin;

ExportSliceAction::ExportSliceAction(QMenu* menu, QMainWindow* window, Session& session)
    : ExportAction(menu, "&Slice of the recording…", window, session) {}

void ExportSliceAction::onTriggered(bool) {
    if (!storeIsOpen(window_, session_)) return;
    RangeDialog range(window_, session_, "Export a slice of the recording", RangeDialog::Slice);
    if (range.exec() != QDialog::Accepted) return;
    const QString out = QFileDialog::getSaveFileName(window_, "Save the slice as", suggestedName(session_, "-slice.twin"),
                                                     "Twin stores (*.twin)");
    if (out.isEmpty()) return;
    if (QFileInfo::exists(out) && !QFile::remove(out)) {   // the dialog asked to replace it
        QMessageBox::warning(window_, "Slice not exported", out + ": cannot replace the existing file");
        return;
    }
    QProgressDialog progress("Exporting " + QFileInfo(out).fileName() + "…", "Cancel", 0, 1000, window_);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(300);
    const QString e = review::exportSlice(session_.path(), out, range.t0(), range.t1(), progressOf(progress), range.perGpuData());
    progress.reset();
    if (e == "cancelled") return;
    if (!e.isEmpty()) QMessageBox::warning(window_, "Slice not exported", e);
    else QMessageBox::information(window_, "Slice exported", out + "\nopens on its own (File ▸ Open).");
}

} // namespace actions
