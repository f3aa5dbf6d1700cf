#include "export_actions.h"

#include "campus3d/campus_view.h"
#include "common/time_format.h"

#include "twin/review_file.h"
#include "twin/slice_export.h"

#include <QApplication>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QImage>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QOpenGLWidget>
#include <QPixmap>
#include <QProcess>
#include <QProgressDialog>
#include <QStandardPaths>
#include <QThread>
#include <QTimeZone>

#include <atomic>
#include <filesystem>
#include <thread>

namespace review {

using namespace twin;

QString exportSlice(const std::string& recording, const QString& out, TimeMs t0, TimeMs t1,
                    const std::function<bool(double)>& progress) {
    std::atomic<double> fraction{0};
    std::atomic<bool> cancel{false}, done{false};
    QString error;
    // The worker reads through its own read-only connection: the session's reader stays the GUI's.
    std::thread worker([&] {
        try {
            auto reader = StoreReader::open(recording);
            SliceOptions options;
            std::unique_ptr<ReviewFile> reviewFile;
            if (std::filesystem::exists(ReviewFile::sidecarPath(recording))) {
                reviewFile = ReviewFile::open(*reader);
                options.review = reviewFile.get();
            }
            twin::exportSlice(*reader, out.toStdString(), t0, t1, options, [&](double f) {
                fraction = f;
                return !cancel.load();
            });
        } catch (const SliceCancelled&) {
            error = "cancelled";
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        done = true;
    });
    while (!done) {
        if (progress && !progress(fraction)) cancel = true;
        QApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(10);
    }
    worker.join();
    if (progress && error.isEmpty()) progress(1.0);
    return error;
}

QString savePicture(QWidget* w, const QString& file) {
    // grab() draws QOpenGLWidget children (the 3D campus, the VTK charts) from their
    // framebuffers; a GL widget on its own gives its framebuffer.
    auto* gl = qobject_cast<QOpenGLWidget*>(w);
    const QImage image = gl ? gl->grabFramebuffer() : w->grab().toImage();
    if (image.isNull()) return "nothing to save: the view has no size";
    if (!image.save(file, "PNG")) return file + ": cannot write the PNG (" + QFileInfo(file).absolutePath() + " writable?)";
    return {};
}

SequenceResult exportSequence(Session& session, QWidget* w, const QString& dir, TimeMs t0, TimeMs t1, TimeMs stepMs,
                              const std::function<bool(double)>& progress) {
    SequenceResult result;
    if (!session.isOpen()) return {0, "no store is open", false};
    if (stepMs <= 0 || t1 < t0) return {0, "empty range: the end is before the start", false};
    if (!QDir().mkpath(dir)) return {0, dir + ": cannot create the folder", false};
    const TimeMs back = session.clock().time();
    const bool wasLive = session.clock().live(), wasPlaying = session.clock().playing();
    session.clock().pause();
    const auto count = static_cast<int>((t1 - t0) / stepMs) + 1;
    for (int i = 0; i < count; ++i) {
        if (progress && !progress(static_cast<double>(i) / count)) {
            result.cancelled = true;
            break;
        }
        session.clock().seek(t0 + static_cast<TimeMs>(i) * stepMs);
        QApplication::processEvents();   // views update to the new time
        const QString file = QDir(dir).filePath(QString("frame_%1.png").arg(i + 1, 5, 10, QChar('0')));
        if (QString e = savePicture(w, file); !e.isEmpty()) {
            result.error = e;
            break;
        }
        ++result.frames;
    }
    session.clock().seek(back);
    if (wasLive) session.clock().setLive(true);
    else if (wasPlaying) session.clock().play();
    if (progress && result.error.isEmpty() && !result.cancelled) progress(1.0);
    return result;
}

QString encodeVideo(const QString& dir, const QString& mp4, double fps) {
    const QString ffmpeg = QStandardPaths::findExecutable("ffmpeg");
    if (ffmpeg.isEmpty()) return "ffmpeg is not installed (apt install ffmpeg): the PNG sequence is in " + dir;
    QProcess p;
    p.start(ffmpeg, {"-y", "-loglevel", "error", "-framerate", QString::number(fps), "-i", QDir(dir).filePath("frame_%05d.png"),
                     "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264", "-pix_fmt", "yuv420p", mp4});
    if (!p.waitForStarted(5000)) return "ffmpeg did not start";
    while (!p.waitForFinished(50)) QApplication::processEvents();
    if (p.exitCode() != 0) return mp4 + ": ffmpeg failed: " + QString::fromUtf8(p.readAllStandardError()).trimmed();
    return {};
}

namespace {

// A time range (UTC, to the millisecond) around the clock: by default the review window of
// an event at the clock's time, 30 s before to 2 min after, within the recording.
struct RangeDialog : QDialog {
    RangeDialog(QWidget* parent, Session& session, const QString& title, bool sequence) : QDialog(parent) {
        setWindowTitle(title);
        auto* form = new QFormLayout(this);
        const TimeSpan sp = session.clock().span();
        const TimeMs t = session.clock().time();
        auto edit = [&](TimeMs value) {
            auto* e = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(value, QTimeZone::utc()));
            e->setTimeSpec(Qt::UTC);
            e->setDisplayFormat("yyyy-MM-dd HH:mm:ss.zzz 'UTC'");
            e->setDateTimeRange(QDateTime::fromMSecsSinceEpoch(sp.first, QTimeZone::utc()),
                                QDateTime::fromMSecsSinceEpoch(sp.last, QTimeZone::utc()));
            return e;
        };
        from = edit(std::max(sp.first, t - 30'000));
        to = edit(std::min(sp.last, t + 120'000));
        form->addRow("From", from);
        form->addRow("To", to);
        if (sequence) {
            step = new QDoubleSpinBox;
            step->setRange(0.05, 3600);
            step->setValue(1);
            step->setSuffix(" s");
            form->addRow("One picture every", step);
            fps = new QDoubleSpinBox;
            fps->setRange(1, 60);
            fps->setValue(10);
            fps->setSuffix(" pictures/s");
            form->addRow("Video (with ffmpeg)", fps);
        }
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
        connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
        form->addRow(buttons);
    }
    TimeMs t0() const { return from->dateTime().toMSecsSinceEpoch(); }
    TimeMs t1() const { return to->dateTime().toMSecsSinceEpoch(); }
    QDateTimeEdit* from = nullptr;
    QDateTimeEdit* to = nullptr;
    QDoubleSpinBox* step = nullptr;
    QDoubleSpinBox* fps = nullptr;
};

std::function<bool(double)> progressOf(QProgressDialog& dialog) {
    return [&dialog](double f) {
        dialog.setValue(static_cast<int>(f * 1000));
        return !dialog.wasCanceled();
    };
}

// The views that can be pictured: the 3D campus and every visible dock, by title.
std::vector<std::pair<QString, QWidget*>> views(QMainWindow* window) {
    std::vector<std::pair<QString, QWidget*>> out;
    if (auto* campus = window->findChild<views::CampusView*>()) out.push_back({"3D campus", campus});
    for (auto* dock : window->findChildren<QDockWidget*>())
        if (dock->isVisible() && dock->widget()) out.push_back({dock->windowTitle(), dock->widget()});
    return out;
}

QString suggestedName(Session& session, const QString& suffix) {
    const QFileInfo f(QString::fromStdString(session.path()));
    const QString stamp = views::formatUtcClock(session.clock().time()).replace(':', "");
    return QDir(f.absolutePath()).filePath(f.completeBaseName() + "-" + stamp + suffix);
}

void pictureOf(QWidget* parent, Session& session, QWidget* w, const QString& what) {
    const QString file = QFileDialog::getSaveFileName(parent, "Save a picture of " + what, suggestedName(session, ".png"), "PNG (*.png)");
    if (file.isEmpty()) return;
    if (QString e = savePicture(w, file); !e.isEmpty()) QMessageBox::warning(parent, "Picture not saved", e);
}

} // namespace

void addExportMenu(QMenu* file, QMainWindow* window, Session& session) {
    QMenu* menu = file->addMenu("&Export");
    auto needsStore = [window, &session] {
        if (session.isOpen()) return true;
        QMessageBox::information(window, "Export", "Open a store first.");
        return false;
    };
    menu->addAction("&Slice of the recording…", window, [window, &session, needsStore] {
        if (!needsStore()) return;
        RangeDialog range(window, session, "Export a slice of the recording", false);
        if (range.exec() != QDialog::Accepted) return;
        const QString out = QFileDialog::getSaveFileName(window, "Save the slice as", suggestedName(session, "-slice.twin"),
                                                         "Twin stores (*.twin)");
        if (out.isEmpty()) return;
        if (QFileInfo::exists(out) && !QFile::remove(out)) {   // the dialog asked to replace it
            QMessageBox::warning(window, "Slice not exported", out + ": cannot replace the existing file");
            return;
        }
        QProgressDialog progress("Exporting " + QFileInfo(out).fileName() + "…", "Cancel", 0, 1000, window);
        progress.setWindowModality(Qt::WindowModal);
        progress.setMinimumDuration(300);
        const QString e = exportSlice(session.path(), out, range.t0(), range.t1(), progressOf(progress));
        progress.reset();
        if (e == "cancelled") return;
        if (!e.isEmpty()) QMessageBox::warning(window, "Slice not exported", e);
        else QMessageBox::information(window, "Slice exported", out + "\nopens on its own (File ▸ Open).");
    });
    menu->addSeparator();
    menu->addAction("Picture of the &window…", window, [window, &session] { pictureOf(window, session, window, "the window"); });
    QMenu* one = menu->addMenu("Picture of a &view");
    QObject::connect(one, &QMenu::aboutToShow, window, [one, window, &session] {
        one->clear();
        for (const auto& [title, w] : views(window))
            one->addAction(title + "…", window, [window, &session, w = w, title = title] { pictureOf(window, session, w, title); });
    });
    menu->addAction("Picture se&quence or video…", window, [window, &session, needsStore] {
        if (!needsStore()) return;
        RangeDialog range(window, session, "Export a picture sequence", true);
        auto* target = new QComboBox;
        target->addItem("The whole window");
        const auto all = views(window);
        for (const auto& v : all) target->addItem(v.first);
        static_cast<QFormLayout*>(range.layout())->insertRow(0, "Picture of", target);
        if (range.exec() != QDialog::Accepted) return;
        QWidget* w = target->currentIndex() == 0 ? static_cast<QWidget*>(window) : all[static_cast<std::size_t>(target->currentIndex() - 1)].second;
        const QString dir = QFileDialog::getExistingDirectory(window, "Folder for the pictures", QFileInfo(QString::fromStdString(session.path())).absolutePath());
        if (dir.isEmpty()) return;
        const TimeMs step = static_cast<TimeMs>(range.step->value() * 1000);
        QProgressDialog progress("Exporting pictures…", "Cancel", 0, 1000, window);
        progress.setWindowModality(Qt::WindowModal);
        progress.setMinimumDuration(300);
        const SequenceResult r = exportSequence(session, w, dir, range.t0(), range.t1(), step, progressOf(progress));
        progress.reset();
        if (!r.error.isEmpty()) {
            QMessageBox::warning(window, "Pictures not exported", r.error);
            return;
        }
        QString message = QString("%1 pictures in %2").arg(r.frames).arg(dir);
        if (!r.cancelled && QMessageBox::question(window, "Pictures exported", message + "\n\nMake them into a video (MP4, ffmpeg)?") == QMessageBox::Yes) {
            const QString mp4 = QDir(dir).filePath("sequence.mp4");
            const QString e = encodeVideo(dir, mp4, range.fps->value());
            QMessageBox::information(window, "Video", e.isEmpty() ? mp4 : e);
        }
    });
}

} // namespace review
