#include "export_actions.h"

#include "twin/review_file.h"
#include "twin/slice_export.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QOpenGLWidget>
#include <QPixmap>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>

#include <atomic>
#include <filesystem>
#include <thread>

namespace review {

using namespace twin;

QString exportSlice(const std::string& recording, const QString& out, TimeMs t0, TimeMs t1,
                    const std::function<bool(double)>& progress, bool perGpuData) {
    std::atomic<double> fraction{0};
    std::atomic<bool> cancel{false}, done{false};
    QString error;
    // The worker reads through its own read-only connection: the session's reader stays the GUI's.
    std::thread worker([&] {
        try {
            auto reader = StoreReader::open(recording);
            SliceOptions options;
            options.perGpuData = perGpuData;
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

} // namespace review
