#include "screenshot.h"

#include "campus3d/campus_view.h"
#include "main_window.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPixmap>

QString saveScreenshot(MainWindow& window, const QString& file, QSize size) {
    // Exactly the size asked for, whatever the panels' preferred sizes.
    window.setFixedSize(size);
    window.show();
    int frames = 0;
    QObject::connect(window.campusView(), &views::CampusView::frameDrawn, &window, [&frames] { ++frames; });
    // Two frames: the first one builds GL objects; the picture is complete after the second.
    QElapsedTimer waited;
    waited.start();
    while (frames < 2 && waited.elapsed() < 20000) {
        window.campusView()->update();
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    if (frames < 2) return "the 3D view drew nothing within 20 s (is there an OpenGL display?)";
    const QImage image = window.grab().toImage();
    if (!image.save(file, "PNG")) return file + ": cannot write the PNG";
    return {};
}
