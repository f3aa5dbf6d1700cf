#include "actions/picture_sequence_action.h"

#include "review/export_actions.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QMainWindow>
#include <QMessageBox>
#include <QProgressDialog>

namespace actions {

using namespace twin;

PictureSequenceAction::PictureSequenceAction(QMenu* menu, QMainWindow* window, Session& session)
    : ExportAction(menu, "Picture se&quence or video…", window, session) {}

void PictureSequenceAction::onTriggered(bool) {
    if (!storeIsOpen(window_, session_)) return;
    RangeDialog range(window_, session_, "Export a picture sequence", RangeDialog::Sequence);
    auto* target = new QComboBox;
    target->addItem("The whole window");
    const auto all = picturableViews(window_);
    for (const auto& v : all) target->addItem(v.first);
    static_cast<QFormLayout*>(range.layout())->insertRow(0, "Picture of", target);
    if (range.exec() != QDialog::Accepted) return;
    QWidget* w = target->currentIndex() == 0 ? static_cast<QWidget*>(window_)
                                             : all[static_cast<std::size_t>(target->currentIndex() - 1)].second;
    const QString dir = QFileDialog::getExistingDirectory(window_, "Folder for the pictures",
                                                          QFileInfo(QString::fromStdString(session_.path())).absolutePath());
    if (dir.isEmpty()) return;
    const TimeMs step = static_cast<TimeMs>(range.step->value() * 1000);
    QProgressDialog progress("Exporting pictures…", "Cancel", 0, 1000, window_);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(300);
    const review::SequenceResult r = review::exportSequence(session_, w, dir, range.t0(), range.t1(), step, progressOf(progress));
    progress.reset();
    if (!r.error.isEmpty()) {
        QMessageBox::warning(window_, "Pictures not exported", r.error);
        return;
    }
    QString message = QString("%1 pictures in %2").arg(r.frames).arg(dir);
    if (!r.cancelled && QMessageBox::question(window_, "Pictures exported", message + "\n\nMake them into a video (MP4, ffmpeg)?") ==
                            QMessageBox::Yes) {
        const QString mp4 = QDir(dir).filePath("sequence.mp4");
        const QString e = review::encodeVideo(dir, mp4, range.fps->value());
        QMessageBox::information(window_, "Video", e.isEmpty() ? mp4 : e);
    }
}

} // namespace actions
