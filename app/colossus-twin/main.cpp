// colossus-twin: the desktop app. `colossus-twin --help` lists the options (options.h).
#include "campus3d/campus_view.h"
#include "main_window.h"
#include "options.h"
#include "remote_store.h"
#include "review/compare_window.h"
#include "screenshot.h"
#include "store_commands.h"
#include "wall/wall_app.h"
#include "wall/wall_layout.h"

#include "twin/session/session.h"

#include <QApplication>
#include <QComboBox>
#include <QFileInfo>
#include <QOpenGLContext>

#include <cstdio>
#include <memory>
#include <optional>

using namespace colossus_twin;

namespace {

int fail(const QString& message) {
    std::fprintf(stderr, "colossus-twin: %s\n", qPrintable(message));
    return 1;
}

// --wall: the operations-room wall (wall/wall_app.h).
int runWall(QApplication& app, const Options& given) {
    Options o = given;
    // nats://HOST:PORT/TWIN: the wall shows the followed replica (STALE when the source stops).
    std::unique_ptr<RemoteStore> remote;
    if (twin::opscentre::looksLikeBusAddress(o.wall.store.toStdString())) {
        std::string why;
        auto address = twin::opscentre::parseBusAddress(o.wall.store.toStdString(), &why);
        if (!address) return fail(QString::fromStdString(why));
        o.bus.applyTo(*address);
        remote = std::make_unique<RemoteStore>(*address);
        if (const QString error = remote->start(); !error.isEmpty()) return fail(error);
        o.wall.store = remote->replicaPath();
        // The title line names the source and its state, as the desk's header does.
        o.wall.remoteSource = [r = remote.get()] { return wall::RemoteSource{r->headerText(), r->connected()}; };
    }
    twin::Session session;
    wall::WallApp wallApp(session, o.wall);
    QObject::connect(&wallApp, &wall::WallApp::quitRequested, &app, &QApplication::quit);
    // A store that exists but cannot be opened: an error for a screenshot; on the wall it
    // says so under WAITING FOR DATA and is tried again every second.
    const QString error = wallApp.start();
    if (!error.isEmpty()) {
        if (o.screenshot) return fail(error);
        std::fprintf(stderr, "colossus-twin: %s (waiting for it to become a store)\n", qPrintable(error));
    }
    if (!wallApp.openProblem().isEmpty()) return fail(wallApp.openProblem());
    if (o.screenshot) {
        const QString shotError = wallApp.screenshot(*o.screenshot, o.size);
        return shotError.isEmpty() ? 0 : fail(shotError);
    }
    wallApp.show(o.sizeGiven ? std::optional<QSize>(o.size) : std::nullopt);
    return app.exec();
}

// --colour, --at, --live and --view on the open store; an error message, or "".
QString applyToOpenStore(const Options& o, twin::Session& session, MainWindow& window) {
    if (o.colour) {
        const int i = window.quantityBox()->findData(*o.colour);
        if (i < 0) return unknownColourError(*o.colour);
        window.quantityBox()->setCurrentIndex(i);
    }
    if (o.at) {
        const auto t = parseTime(*o.at, session.clock().span());
        if (!t) return badTimeError(*o.at);
        session.clock().seek(*t);
    }
    if (o.live) session.clock().setLive(true);
    if (o.layout) window.setStartPreset(*o.layout);
    if (o.view) {
        QStringList names;
        for (const auto& v : window.campusView()->viewpoints()) names << v.name;
        if (!window.campusView()->knows(*o.view))
            return "--view: unknown viewpoint or asset '" + *o.view + "' (viewpoints: " + names.join(", ") + "; or any asset id)";
        window.campusView()->flyTo(*o.view, false);
    }
    return {};
}

// The window once at the size, saved (with --compare, the compare window too: FILE-compare.png).
int screenshotDesk(MainWindow& window, const QString& file, QSize size) {
    const QString error = saveScreenshot(window, file, size);
    if (error.isEmpty() && window.compareWindow()) {
        const QString compareFile = QFileInfo(file).path() + "/" + QFileInfo(file).completeBaseName() + "-compare.png";
        window.compareWindow()->resize(size);
        QApplication::processEvents();
        if (!window.compareWindow()->grab().save(compareFile, "PNG")) return fail(compareFile + ": cannot write the PNG");
    }
    return error.isEmpty() ? 0 : fail(error);
}

// nats://HOST:PORT/TWIN (or tls://) in `store`: follows the twin into its local replica (into
// `remote`, with --bus-ca/--bus-cert/--bus-key) and puts the replica's path in `store`. "" or
// the one line saying why it cannot.
QString followIfRemote(QString& store, const app_nats::BusOptions& bus, std::unique_ptr<RemoteStore>& remote) {
    if (!twin::opscentre::looksLikeBusAddress(store.toStdString())) return {};
    std::string why;
    auto address = twin::opscentre::parseBusAddress(store.toStdString(), &why);
    if (!address) return QString::fromStdString(why);
    bus.applyTo(*address);
    remote = std::make_unique<RemoteStore>(*address);
    if (const QString error = remote->start(); !error.isEmpty()) return error;
    store = remote->replicaPath();
    return {};
}

// The desk window (main_window.h).
int runDesk(QApplication& app, const Options& given) {
    Options o = given;
    // nats://HOST:PORT/TWIN (STORE or --compare's): follow the twin into a local replica and open
    // that; the first live.
    std::unique_ptr<RemoteStore> remote, remoteB;
    if (const QString error = followIfRemote(o.store, o.bus, remote); !error.isEmpty()) return fail(error);
    if (remote) o.live = true;
    if (o.compare && !o.store.isEmpty())
        if (const QString error = followIfRemote(*o.compare, o.bus, remoteB); !error.isEmpty()) return fail(error);
    twin::Session session;
    MainWindow window(session);
    if (!o.store.isEmpty()) {
        // A bad store: one line and exit 1 in screenshot mode, a dialog otherwise.
        if (o.screenshot) {
            try {
                session.open(o.store.toStdString());
            } catch (const std::exception& e) {
                return fail(QString::fromStdString(e.what()));
            }
        } else {
            window.openStore(o.store);
        }
    }
    if (session.isOpen())
        if (const QString error = applyToOpenStore(o, session, window); !error.isEmpty()) return fail(error);
    if (remote && session.isOpen())
        window.setRemoteSource([r = remote.get()] { return MainWindow::RemoteSourceState{r->headerText(), r->connected()}; });
    if (o.compare) {
        if (!session.isOpen()) return fail("--compare needs a STORE to compare with");
        if (o.screenshot) {   // a bad second store: one line and exit 1, as for the first
            try {
                twin::StoreReader::open(o.compare->toStdString());
            } catch (const std::exception& e) {
                return fail(QString::fromStdString(e.what()));
            }
        }
        window.compareWith(*o.compare);
        // A followed side is named by its source, not by its replica's file name.
        if (window.compareWindow() && (remote || remoteB))
            window.compareWindow()->setSourceNames(remote ? remote->displayName() : QString(),
                                                   remoteB ? remoteB->displayName() : QString());
    }
    if (o.screenshot) return screenshotDesk(window, *o.screenshot, o.size);
    // As the user left it; at first start maximised, the default layout fitted to the screen.
    if (o.sizeGiven) {
        window.resize(o.size);
        window.show();
    } else if (window.restoreSavedLayout()) {
        window.show();
    } else {
        window.showMaximized();
    }
    return app.exec();
}

// The program's names, the same for the QCoreApplication that parses and the QApplication that draws.
void nameTheApplication() {
    QCoreApplication::setApplicationName("colossus-twin");
    QCoreApplication::setOrganizationName("Colossus Twin");
    QCoreApplication::setApplicationVersion(COLOSSUS_VERSION);
}

// Whether this platform can draw the views' OpenGL widgets. The offscreen and minimal platforms
// cannot (even where they create a context, Qt then crashes flushing the window), nor can a
// platform without an OpenGL context.
bool openGlWidgetsAvailable() {
    const QString platform = QGuiApplication::platformName();
    if (platform == "offscreen" || platform == "minimal") return false;
    QOpenGLContext context;
    return context.create();
}

} // namespace

int main(int argc, char** argv) {
    // VTK and OSG need GLX; on a Wayland session use XWayland.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "xcb");

    // Parsed before any window system is touched, so that --help, --version, every error in the
    // arguments and --save-wall-layout work without a display (an ssh session, a script).
    ParsedOptions parsed;
    {
        QCoreApplication core(argc, argv);
        nameTheApplication();
        parsed = parseOptions(QCoreApplication::arguments());
        switch (parsed.kind) {
        case ParsedOptions::Kind::Error: return fail(parsed.text);
        case ParsedOptions::Kind::Help: std::fputs(qPrintable(parsed.text), stdout); return 0;
        case ParsedOptions::Kind::Version:
            std::printf("%s %s\n", qPrintable(QCoreApplication::applicationName()),
                        qPrintable(QCoreApplication::applicationVersion()));
            return 0;
        case ParsedOptions::Kind::HelpAll: break;   // Qt's GUI options need the QApplication
        case ParsedOptions::Kind::Run: break;
        }
        const Options& o = parsed.options;
        if (o.mode == Options::Mode::Check) return checkCommand(o.store);
        if (o.mode == Options::Mode::Salvage) return salvageCommand(o.store, o.salvageTo);
        if (o.mode == Options::Mode::SaveWallLayout) {
            const QString error = wall::saveLayout(o.wall.layout, o.saveWallLayoutTo);
            return error.isEmpty() ? 0 : fail("--save-wall-layout: " + error);
        }
    }

    // Qt would abort (exit 134) without a display; one line instead.
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if ((platform.isEmpty() || platform.startsWith("xcb")) && qEnvironmentVariableIsEmpty("DISPLAY"))
        return fail("no display: set DISPLAY, or run it under an X server (for example xvfb-run -a colossus-twin ...)");
    QApplication app(argc, argv);
    nameTheApplication();
    if (parsed.kind == ParsedOptions::Kind::HelpAll) showHelpAllAndExit();
    const Options& o = parsed.options;
    // Without OpenGL the 3D view and the charts cannot draw: say so rather than crash in Qt.
    if (o.screenshot && !openGlWidgetsAvailable())
        return fail("--screenshot needs OpenGL, which the '" + QGuiApplication::platformName() +
                    "' platform does not offer: run it under an X server (for example xvfb-run -a colossus-twin ...)");
    const int status = o.mode == Options::Mode::Wall ? runWall(app, o) : runDesk(app, o);
    app_nats::closeLibrary();   // a follower is gone with its window: libnats' threads end before exit
    return status;
}
