#include "wall/wall_app.h"

#include "wall/wall_alarms.h"
#include "wall/wall_feed.h"
#include "wall/wall_tour.h"
#include "wall/wall_window.h"

#include "campus3d/campus_view.h"
#include "review/alarm_acks.h"
#include "wall/wall_chart.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QPixmap>
#include <QScreen>

namespace wall {

using namespace twin;

WallApp::WallApp(Session& session, WallOptions options, QObject* parent)
    : QObject(parent), session_(session), options_(std::move(options)) {
    feed_ = std::make_unique<DataFeed>(session_, options_.store, DataFeed::Options{options_.staleAfterMs, options_.pollMs});
    acks_ = std::make_unique<views::AlarmAcks>(session_);
    alarms_ = std::make_unique<ActiveAlarms>(session_);
    alarms_->setAcks(acks_.get());
}

WallApp::~WallApp() {
    if (cursorHidden_) QGuiApplication::restoreOverrideCursor();
    for (WallWindow* w : windows_) delete w;
}

int WallApp::screenCount() const {
    if (options_.screens > 0) return options_.screens;
    return std::max(1, static_cast<int>(QGuiApplication::screens().size()));
}

QString WallApp::start() {
    const auto perScreen = assignToScreens(options_.layout, screenCount());
    for (std::size_t i = 0; i < perScreen.size(); ++i) {
        if (perScreen[i].empty()) continue;
        auto* w = new WallWindow(session_, *feed_, *alarms_, perScreen[i], static_cast<int>(i), static_cast<int>(perScreen.size()));
        connect(w, &WallWindow::quitRequested, this, &WallApp::quitRequested);
        if (options_.quantity) w->setQuantity(*options_.quantity);
        if (options_.remoteSource) w->setRemoteSource(options_.remoteSource);
        windows_.push_back(w);
    }
    for (WallWindow* w : windows_)
        if (w->campusView()) {
            tour_ = new WallTour(session_, w->campusView(), *alarms_, options_.tourPeriodMs, this);
            for (WallWindow* x : windows_) x->setTour(tour_);
            break;
        }
    // After the views' own handlers (they were connected when they were built).
    connect(&session_, &Session::opened, this, &WallApp::onOpened);
    return feed_->start();
}

void WallApp::onOpened() {
    openProblem_.clear();
    Clock& clock = session_.clock();
    if (options_.replayFrom) {
        if (const auto t = options_.replayFrom(clock.span())) clock.seek(*t);
        else openProblem_ = "--at: not a time of this store";
        if (options_.play) clock.play();
    } else {
        clock.setLive(true);
    }
    if (!options_.view.isEmpty()) {
        for (WallWindow* w : windows_)
            if (auto* v = w->campusView()) {
                if (v->knows(options_.view)) v->flyTo(options_.view, false);
                else {
                    QStringList names;
                    for (const auto& vp : v->viewpoints()) names << vp.name;
                    openProblem_ = "--view: unknown viewpoint or asset '" + options_.view + "' (viewpoints: " + names.join(", ") +
                                   "; or any asset id)";
                }
            }
    }
    // A store opened with an alarm already active: the tour holds on it (done by the tour);
    // nothing else to do here.
    feed_->check();
}

bool WallApp::eventFilter(QObject* o, QEvent* e) {
    // A wall is watched, not driven: the pointer hides after 3 s still and comes back when moved.
    if (e->type() == QEvent::MouseMove) {
        if (cursorHidden_) {
            QGuiApplication::restoreOverrideCursor();
            cursorHidden_ = false;
        }
        cursorTimer_.start();
    }
    return QObject::eventFilter(o, e);
}

void WallApp::show(std::optional<QSize> windowed) {
    const auto screens = QGuiApplication::screens();
    if (!windowed) {
        cursorTimer_.setSingleShot(true);
        cursorTimer_.setInterval(3000);
        connect(&cursorTimer_, &QTimer::timeout, this, [this] {
            if (cursorHidden_) return;
            QGuiApplication::setOverrideCursor(Qt::BlankCursor);
            cursorHidden_ = true;
        });
        qApp->installEventFilter(this);
        cursorTimer_.start();
    }
    for (WallWindow* w : windows_) {
        if (windowed) {
            w->setWindowFlag(Qt::FramelessWindowHint, false);
            w->resize(*windowed);
            w->show();
            continue;
        }
        // The window's screen (--wall-screens beyond those attached: the last one).
        QScreen* screen = screens.isEmpty() ? nullptr : screens[std::min<qsizetype>(w->screenIndex(), screens.size() - 1)];
        if (screen) {
            w->setScreen(screen);
            w->setGeometry(screen->geometry());
        }
        w->showFullScreen();
    }
}

QString WallApp::screenshotName(const QString& file, int i) {
    if (i == 0) return file;
    const QFileInfo f(file);
    const QString suffix = f.suffix().isEmpty() ? QString() : "." + f.suffix();
    const QString stem = suffix.isEmpty() ? file : file.left(file.size() - suffix.size());
    return stem + "-" + QString::number(i + 1) + suffix;
}

QString WallApp::screenshot(const QString& file, QSize size) {
    if (tour_) tour_->setAnimated(false);
    session_.clock().pause();
    for (std::size_t i = 0; i < windows_.size(); ++i) {
        WallWindow* w = windows_[i];
        w->setFixedSize(size);
        w->show();
        int frames = 0;
        if (auto* v = w->campusView()) {
            if (tour_) tour_->settle();   // an alarm held: over its asset now, not in a second
            QObject::connect(v, &views::CampusView::frameDrawn, w, [&frames] { ++frames; });
        }
        // Two frames of the 3D view (the first builds its GL objects); the other panels paint
        // in the same passes.
        QElapsedTimer waited;
        waited.start();
        while ((w->campusView() ? frames < 2 : waited.elapsed() < 200) && waited.elapsed() < 20000) {
            if (auto* v = w->campusView()) v->update();
            QApplication::processEvents(QEventLoop::AllEvents, 50);
        }
        if (w->campusView() && frames < 2) return "the 3D view drew nothing within 20 s (is there an OpenGL display?)";
        if (auto* c = w->frequencyChart()) c->reload();
        if (auto* c = w->loadChart()) c->reload();
        QApplication::processEvents();
        const QImage image = w->grab().toImage();
        const QString name = screenshotName(file, static_cast<int>(i));
        if (!image.save(name, "PNG")) return name + ": cannot write the PNG";
    }
    return {};
}

} // namespace wall
