// Widgets in a test: a named child, a widget shown on screen, waiting for a condition or for an
// OpenGL view's frames.
#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QObject>
#include <QThread>

class QWidget;

namespace testsupport {

// The child of `parent` called `name` (its objectName), of type W; a missing one stops the test
// program (a widget that lost its name is a test to fix, not a failure to count).
template <class W> W* child(QObject* parent, const char* name) {
    W* w = parent->findChild<W*>(name);
    if (!w) qFatal("no child %s", name);
    return w;
}

// Resizes `w`, shows it and waits until its window is exposed (a failed wait fails the test),
// then handles the events its showing queued.
void showWidget(QWidget& w, int width, int height);

// Handles events until `done()` holds or `ms` have passed; whether it holds.
template <class F> bool waitFor(F done, int ms) {
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > ms) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QThread::msleep(2);
    }
    return true;
}

// Asks an OpenGL view (a class with an update() slot and a frameDrawn signal) to draw until it has
// drawn `frames` frames (the first builds its GL objects); false if not within `ms`.
template <class View> bool drawn(View* v, int frames = 2, int ms = 15000) {
    int n = 0;
    auto c = QObject::connect(v, &View::frameDrawn, [&] { ++n; });
    const bool ok = waitFor(
        [&] {
            v->update();
            return n >= frames;
        },
        ms);
    QObject::disconnect(c);
    return ok;
}

} // namespace testsupport
