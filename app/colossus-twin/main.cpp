// colossus-twin: the desktop app. `colossus-twin --help` lists the options.
#include "campus3d/campus_view.h"
#include "main_window.h"
#include "review/compare_window.h"
#include "screenshot.h"
#include "wall/wall_app.h"
#include "wall/wall_layout.h"

#include "twin/session/session.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QComboBox>
#include <QDateTime>
#include <QRegularExpression>
#include <QSurfaceFormat>

#include <cstdio>
#include <optional>

namespace {

int fail(const QString& message) {
    std::fprintf(stderr, "colossus-twin: %s\n", qPrintable(message));
    return 1;
}

// "2026-07-15T16:02:00Z" (UTC), or "+90" / "90s" seconds after the start of the recording.
std::optional<twin::TimeMs> parseTime(const QString& text, const twin::TimeSpan& span) {
    static const QRegularExpression offset(R"(^\+?(\d+(\.\d+)?)s?$)");
    if (const auto m = offset.match(text.trimmed()); m.hasMatch())
        return span.first + static_cast<twin::TimeMs>(m.captured(1).toDouble() * 1000);
    QDateTime t = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!t.isValid()) return std::nullopt;
    if (t.timeSpec() == Qt::LocalTime) t.setTimeSpec(Qt::UTC);
    return t.toMSecsSinceEpoch();
}

// A positive number of seconds ("10", "0.5"), in milliseconds; nullopt if it is not one.
std::optional<int> parseSeconds(const QString& text, bool zeroAllowed) {
    bool ok = false;
    const double s = text.trimmed().toDouble(&ok);
    if (!ok || !(s >= 0) || s > 86400 || (!zeroAllowed && s <= 0)) return std::nullopt;
    return static_cast<int>(s * 1000);
}

} // namespace

int main(int argc, char** argv) {
    // VTK and OSG need GLX; on a Wayland session use XWayland.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "xcb");
    // Writing a wall layout needs no display.
    for (int i = 1; i < argc; ++i)
        if (QByteArray(argv[i]).startsWith("--save-wall-layout") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName("colossus-twin");
    QApplication::setOrganizationName("Colossus Twin");
    QApplication::setApplicationVersion(COLOSSUS_VERSION);

    QCommandLineParser cli;
    cli.setApplicationDescription("A digital twin of the Colossus AI campus: 3D campus, timeline, live and replay.");
    cli.addHelpOption();
    cli.addVersionOption();
    cli.addPositionalArgument("STORE", "A twin store (*.twin) to open.", "[STORE]");
    const QCommandLineOption at("at", "Start at TIME: UTC (2026-07-15T16:02:00Z) or seconds after the start (+90).", "TIME");
    const QCommandLineOption live("live", "Follow the newest data.");
    const QCommandLineOption shot("screenshot", "Render once, save the window to FILE.png and exit.", "FILE");
    const QCommandLineOption size("size", "Window size for --screenshot (default 1280x720).", "WxH", "1280x720");
    const QCommandLineOption view("view", "Viewpoint: campus, plant, a building id, or any asset id (close over it).", "NAME");
    const QCommandLineOption colour("colour", "Colour racks by: power, utilisation, inlet_temperature, health.", "QUANTITY");
    const QCommandLineOption wallMode("wall", "Operations-room wall: full screen on every screen the layout uses, no menus, "
                                              "large type; follows the newest data (or replays from --at). A STORE that does "
                                              "not exist yet is waited for. With --screenshot: one PNG per screen "
                                              "(FILE, then FILE-2, ... before its extension).");
    const QCommandLineOption wallLayout("wall-layout", "Wall layout file (JSON) to use instead of the built-in one.", "FILE");
    const QCommandLineOption saveWallLayout("save-wall-layout",
                                            "Write the wall layout (the built-in one, or --wall-layout's) to FILE and exit.", "FILE");
    const QCommandLineOption staleAfter("stale-after", "Wall: live data is STALE when the store has not grown for SECONDS (default 10).",
                                        "SECONDS", "10");
    const QCommandLineOption tourPeriod("tour-period", "Wall: seconds between the 3D tour's viewpoints (default 20; 0: no tour).",
                                        "SECONDS", "20");
    const QCommandLineOption wallScreens("wall-screens", "Wall: fill N screens (default: every attached screen).", "N");
    const QCommandLineOption compare("compare", "Open a second recording beside STORE, aligned on the first alarm of each "
                                     "(File ▸ Compare with…).", "STORE2");
    cli.addOptions({compare});
    cli.addOptions({at, live, shot, size, view, colour, wallMode, wallLayout, saveWallLayout, staleAfter, tourPeriod, wallScreens});
    cli.process(app);

    if (cli.isSet(saveWallLayout) || cli.isSet(wallMode) || cli.isSet(wallLayout)) {
        wall::Layout layout = wall::defaultLayout();
        if (cli.isSet(wallLayout)) {
            QString error;
            const auto loaded = wall::loadLayout(cli.value(wallLayout), &error);
            if (!loaded) return fail("--wall-layout: " + error);
            layout = *loaded;
        }
        if (cli.isSet(saveWallLayout)) {
            const QString error = wall::saveLayout(layout, cli.value(saveWallLayout));
            if (!error.isEmpty()) return fail("--save-wall-layout: " + error);
            return 0;
        }
        if (!cli.isSet(wallMode)) return fail("--wall-layout needs --wall");

        const QStringList args = cli.positionalArguments();
        if (args.size() != 1)
            return fail(args.isEmpty() ? "--wall needs a STORE (one that does not exist yet is waited for)"
                                       : "one store at a time (got " + QString::number(args.size()) + ")");
        wall::WallOptions o;
        o.store = args.front();
        o.layout = layout;
        const auto stale = parseSeconds(cli.value(staleAfter), false);
        if (!stale) return fail("--stale-after: '" + cli.value(staleAfter) + "' is not a number of seconds above 0");
        o.staleAfterMs = *stale;
        const auto period = parseSeconds(cli.value(tourPeriod), true);
        if (!period) return fail("--tour-period: '" + cli.value(tourPeriod) + "' is not a number of seconds (0 or more)");
        o.tourPeriodMs = *period;
        if (cli.isSet(wallScreens)) {
            bool ok = false;
            o.screens = cli.value(wallScreens).toInt(&ok);
            if (!ok || o.screens < 1 || o.screens > wall::kMaxScreens)
                return fail("--wall-screens: '" + cli.value(wallScreens) + "' is not a number of screens (1-16)");
        }
        if (cli.isSet(at)) {
            const QString text = cli.value(at);
            if (!parseTime(text, twin::TimeSpan{0, 0, false}))
                return fail("--at: '" + text + "' is neither a UTC time nor +SECONDS");
            o.replayFrom = [text](const twin::TimeSpan& span) { return parseTime(text, span); };
        }
        if (cli.isSet(colour)) {
            for (auto q : {views::RackQuantity::Power, views::RackQuantity::Utilisation, views::RackQuantity::InletTemperature,
                           views::RackQuantity::Health})
                if (views::nameOf(q) == cli.value(colour)) o.quantity = q;
            if (!o.quantity) return fail("--colour: unknown quantity '" + cli.value(colour) + "'");
        }
        o.view = cli.value(view);
        const bool screenshot = cli.isSet(shot);
        o.play = !screenshot;
        QSize windowSize(1280, 720);
        if (const auto m = QRegularExpression(R"(^(\d+)x(\d+)$)").match(cli.value(size)); m.hasMatch())
            windowSize = QSize(m.captured(1).toInt(), m.captured(2).toInt());
        else
            return fail("--size: '" + cli.value(size) + "' is not WxH");
        if (windowSize.width() < 320 || windowSize.height() < 200 || windowSize.width() > 16384 || windowSize.height() > 16384)
            return fail("--size: '" + cli.value(size) + "' is outside 320x200 to 16384x16384");

        twin::Session session;
        wall::WallApp wallApp(session, o);
        QObject::connect(&wallApp, &wall::WallApp::quitRequested, &app, &QApplication::quit);
        // A store that exists but cannot be opened: an error for a screenshot; on the wall it
        // says so under WAITING FOR DATA and is tried again every second.
        const QString error = wallApp.start();
        if (!error.isEmpty()) {
            if (screenshot) return fail(error);
            std::fprintf(stderr, "colossus-twin: %s (waiting for it to become a store)\n", qPrintable(error));
        }
        if (!wallApp.openProblem().isEmpty()) return fail(wallApp.openProblem());
        if (screenshot) {
            const QString shotError = wallApp.screenshot(cli.value(shot), windowSize);
            return shotError.isEmpty() ? 0 : fail(shotError);
        }
        wallApp.show(cli.isSet(size) ? std::optional<QSize>(windowSize) : std::nullopt);
        return app.exec();
    }

    const bool screenshot = cli.isSet(shot);
    const QStringList args = cli.positionalArguments();
    if (args.size() > 1) return fail("one store at a time (got " + QString::number(args.size()) + ")");
    if (screenshot && args.isEmpty()) return fail("--screenshot needs a STORE");
    QSize windowSize(1280, 720);
    if (const auto m = QRegularExpression(R"(^(\d+)x(\d+)$)").match(cli.value(size)); m.hasMatch())
        windowSize = QSize(m.captured(1).toInt(), m.captured(2).toInt());
    else
        return fail("--size: '" + cli.value(size) + "' is not WxH");

    twin::Session session;
    MainWindow window(session);
    if (!args.isEmpty()) {
        // A bad store: one line and exit 1 in screenshot mode, a dialog otherwise.
        if (screenshot) {
            try {
                session.open(args.front().toStdString());
            } catch (const std::exception& e) {
                return fail(QString::fromStdString(e.what()));
            }
        } else {
            window.openStore(args.front());
        }
    }
    if (session.isOpen()) {
        if (cli.isSet(colour)) {
            const int i = window.quantityBox()->findData(cli.value(colour));
            if (i < 0) return fail("--colour: unknown quantity '" + cli.value(colour) + "'");
            window.quantityBox()->setCurrentIndex(i);
        }
        if (cli.isSet(at)) {
            const auto t = parseTime(cli.value(at), session.clock().span());
            if (!t) return fail("--at: '" + cli.value(at) + "' is neither a UTC time nor +SECONDS");
            session.clock().seek(*t);
        }
        if (cli.isSet(live)) session.clock().setLive(true);
        if (cli.isSet(view)) {
            QStringList names;
            for (const auto& v : window.campusView()->viewpoints()) names << v.name;
            if (!window.campusView()->knows(cli.value(view)))
                return fail("--view: unknown viewpoint or asset '" + cli.value(view) + "' (viewpoints: " + names.join(", ") +
                            "; or any asset id)");
            window.campusView()->flyTo(cli.value(view), false);
        }
    }
    if (cli.isSet(compare)) {
        if (!session.isOpen()) return fail("--compare needs a STORE to compare with");
        if (screenshot) {   // a bad second store: one line and exit 1, as for the first
            try {
                twin::StoreReader::open(cli.value(compare).toStdString());
            } catch (const std::exception& e) {
                return fail(QString::fromStdString(e.what()));
            }
        }
        window.compareWith(cli.value(compare));
    }
    if (screenshot) {
        const QString error = saveScreenshot(window, cli.value(shot), windowSize);
        // With --compare, the compare window too, beside the picture: FILE-compare.png.
        if (error.isEmpty() && window.compareWindow()) {
            const QString file = QFileInfo(cli.value(shot)).path() + "/" + QFileInfo(cli.value(shot)).completeBaseName() + "-compare.png";
            window.compareWindow()->resize(windowSize);
            QApplication::processEvents();
            if (!window.compareWindow()->grab().save(file, "PNG")) return fail(file + ": cannot write the PNG");
        }
        return error.isEmpty() ? 0 : fail(error);
    }
    window.resize(windowSize.expandedTo(QSize(1280, 800)));
    window.show();
    return app.exec();
}
