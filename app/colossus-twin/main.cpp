// colossus-twin: the desktop app. `colossus-twin --help` lists the options.
#include "campus_view.h"
#include "main_window.h"
#include "screenshot.h"

#include "twin/session/session.h"

#include <QApplication>
#include <QCommandLineParser>
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

} // namespace

int main(int argc, char** argv) {
    // VTK and OSG need GLX; on a Wayland session use XWayland.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "xcb");
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
    cli.addOptions({at, live, shot, size, view, colour});
    cli.process(app);

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
    if (screenshot) {
        const QString error = saveScreenshot(window, cli.value(shot), windowSize);
        return error.isEmpty() ? 0 : fail(error);
    }
    window.resize(windowSize.expandedTo(QSize(1280, 800)));
    window.show();
    return app.exec();
}
