#include "options.h"

#include "common/colour_map.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QRegularExpression>

#include <cstdlib>

namespace colossus_twin {

namespace {

constexpr QSize kMinWallSize(320, 200), kMaxWallSize(16384, 16384);

// Every option, in the order --help lists them.
void declareOptions(QCommandLineParser& cli) {
    cli.setApplicationDescription("A digital twin of the Colossus AI campus: 3D campus, timeline, live and replay.");
    cli.addHelpOption();
    cli.addVersionOption();
    cli.addPositionalArgument("STORE", "A twin store (*.twin) to open, or nats://[USER:PASSWORD@]HOST:PORT[,HOST:PORT...]/TWIN "
                                       "(tls://... for TLS) to follow a published twin live (docs/opscentre.md).", "[STORE]");
    cli.addOptions({
        {"compare", "Open a second recording beside STORE, aligned on the first alarm of each (File ▸ Compare with…); "
                    "nats://HOST:PORT/TWIN follows a published twin.", "STORE2"},
        {"at", "Start at TIME: UTC (2026-07-15T16:02:00Z) or seconds after the start (+90).", "TIME"},
        {"live", "Follow the newest data."},
        {"screenshot", "Render once, save the window to FILE.png and exit.", "FILE"},
        {"size", "Window size for --screenshot (default 1280x720).", "WxH", "1280x720"},
        {"view", "Viewpoint: campus, plant, a building id, or any asset id (close over it).", "NAME"},
        {"colour", "Colour racks by: power, utilisation, inlet_temperature, health.", "QUANTITY"},
        {"layout", "Desk layout preset to start in: electrical, compute, review or heatmap (View ▸ Layout).", "PRESET"},
        {"wall", "Operations-room wall: full screen on every screen the layout uses, no menus, large type; follows the newest "
                 "data (or replays from --at). A STORE that does not exist yet is waited for. With --screenshot: one PNG per "
                 "screen (FILE, then FILE-2, ... before its extension)."},
        {"wall-layout", "Wall layout file (JSON) to use instead of the built-in one.", "FILE"},
        {"save-wall-layout", "Write the wall layout (the built-in one, or --wall-layout's) to FILE and exit.", "FILE"},
        {"stale-after", "Wall: live data is STALE when the store has not grown for SECONDS (default 10).", "SECONDS", "10"},
        {"tour-period", "Wall: seconds between the 3D tour's viewpoints (default 20; 0: no tour).", "SECONDS", "20"},
        {"wall-screens", "Wall: fill N screens (default: every attached screen).", "N"},
        {"check", "Read all of STORE and report what is readable and what is damaged (per series and signal, with times), "
                  "then exit: 0 clean, 2 damaged (it opens, with gaps), 3 it cannot be opened. Needs no display."},
        {"salvage", "Copy everything readable of STORE to a new store OUT (damaged frames and chunks left out), report what "
                    "was left out, then exit (0 nothing lost, 2 something left out). Needs no display.", "OUT"},
    });
    cli.addOptions(app_nats::busCommandLineOptions(false));
}

ParsedOptions failure(const QString& message) { return {ParsedOptions::Kind::Error, {}, message}; }

QString quoted(const QString& option, const QString& value) { return "--" + option + ": '" + value + "'"; }

// A number of seconds ("10", "0.5") up to a day, in milliseconds; nullopt if it is not one.
std::optional<int> parseSeconds(const QString& text, bool zeroAllowed) {
    bool ok = false;
    const double s = text.trimmed().toDouble(&ok);
    if (!ok || !(s >= 0) || s > 86400 || (!zeroAllowed && s <= 0)) return std::nullopt;
    return static_cast<int>(s * 1000);
}

std::optional<QSize> parseSize(const QString& text) {
    const auto m = QRegularExpression(R"(^(\d+)x(\d+)$)").match(text);
    if (!m.hasMatch()) return std::nullopt;
    return QSize(m.captured(1).toInt(), m.captured(2).toInt());
}

std::optional<views::RackQuantity> rackQuantityNamed(const QString& name) {
    for (auto q : {views::RackQuantity::Power, views::RackQuantity::Utilisation, views::RackQuantity::InletTemperature,
                   views::RackQuantity::Health})
        if (views::nameOf(q) == name) return q;
    return std::nullopt;
}

std::optional<QString> valueIfSet(const QCommandLineParser& cli, const QString& option) {
    return cli.isSet(option) ? std::optional<QString>(cli.value(option)) : std::nullopt;
}

ParsedOptions parseDesk(const QCommandLineParser& cli) {
    Options o;
    const QStringList args = cli.positionalArguments();
    if (args.size() > 1) return failure("one store at a time (got " + QString::number(args.size()) + ")");
    o.screenshot = valueIfSet(cli, "screenshot");
    if (o.screenshot && args.isEmpty()) return failure("--screenshot needs a STORE");
    const auto size = parseSize(cli.value("size"));
    if (!size) return failure(quoted("size", cli.value("size")) + " is not WxH");
    o.size = *size;
    o.sizeGiven = cli.isSet("size");
    if (!args.isEmpty()) o.store = args.front();
    o.at = valueIfSet(cli, "at");
    o.view = valueIfSet(cli, "view");
    o.colour = valueIfSet(cli, "colour");
    if (const auto layout = valueIfSet(cli, "layout")) {
        for (DeskPreset p : {DeskPreset::Electrical, DeskPreset::Compute, DeskPreset::Review, DeskPreset::HeatMap})
            if (DeskLayout::key(p).compare(*layout, Qt::CaseInsensitive) == 0) o.layout = p;
        if (!o.layout) return failure(quoted("layout", *layout) + " is not electrical, compute, review or heatmap");
    }
    o.compare = valueIfSet(cli, "compare");
    o.live = cli.isSet("live");
    return {ParsedOptions::Kind::Run, o, {}};
}

// --check STORE or --salvage OUT STORE: no window, no other option.
ParsedOptions parseStoreCommand(const QCommandLineParser& cli) {
    Options o;
    const QString name = cli.isSet("check") ? "--check" : "--salvage";
    if (cli.isSet("check") && cli.isSet("salvage")) return failure("--check and --salvage: one at a time");
    const QStringList args = cli.positionalArguments();
    if (args.size() != 1)
        return failure(args.isEmpty() ? name + " needs a STORE" : "one store at a time (got " + QString::number(args.size()) + ")");
    for (const char* other : {"compare", "at", "live", "screenshot", "view", "colour", "layout", "wall", "wall-layout"})
        if (cli.isSet(other)) return failure(name + " does not take --" + other);
    o.store = args.front();
    o.mode = cli.isSet("check") ? Options::Mode::Check : Options::Mode::Salvage;
    if (o.mode == Options::Mode::Salvage) o.salvageTo = cli.value("salvage");
    return {ParsedOptions::Kind::Run, o, {}};
}

// --wall, --wall-layout or --save-wall-layout: the layout first (saving it needs nothing else).
ParsedOptions parseWall(const QCommandLineParser& cli) {
    Options o;
    wall::WallOptions& w = o.wall;
    if (cli.isSet("wall-layout")) {
        QString error;
        const auto loaded = wall::loadLayout(cli.value("wall-layout"), &error);
        if (!loaded) return failure("--wall-layout: " + error);
        w.layout = *loaded;
    }
    if (cli.isSet("save-wall-layout")) {
        o.mode = Options::Mode::SaveWallLayout;
        o.saveWallLayoutTo = cli.value("save-wall-layout");
        return {ParsedOptions::Kind::Run, o, {}};
    }
    if (!cli.isSet("wall")) return failure("--wall-layout needs --wall");
    o.mode = Options::Mode::Wall;

    const QStringList args = cli.positionalArguments();
    if (args.size() != 1)
        return failure(args.isEmpty() ? "--wall needs a STORE (one that does not exist yet is waited for)"
                                      : "one store at a time (got " + QString::number(args.size()) + ")");
    w.store = args.front();
    const auto stale = parseSeconds(cli.value("stale-after"), false);
    if (!stale) return failure(quoted("stale-after", cli.value("stale-after")) + " is not a number of seconds above 0");
    w.staleAfterMs = *stale;
    const auto period = parseSeconds(cli.value("tour-period"), true);
    if (!period) return failure(quoted("tour-period", cli.value("tour-period")) + " is not a number of seconds (0 or more)");
    w.tourPeriodMs = *period;
    if (cli.isSet("wall-screens")) {
        bool ok = false;
        w.screens = cli.value("wall-screens").toInt(&ok);
        if (!ok || w.screens < 1 || w.screens > wall::kMaxScreens)
            return failure(quoted("wall-screens", cli.value("wall-screens")) + " is not a number of screens (1-16)");
    }
    if (cli.isSet("at")) {
        const QString text = cli.value("at");
        if (!parseTime(text, twin::TimeSpan{0, 0, false})) return failure(badTimeError(text));
        w.replayFrom = [text](const twin::TimeSpan& span) { return parseTime(text, span); };
    }
    if (cli.isSet("colour")) {
        w.quantity = rackQuantityNamed(cli.value("colour"));
        if (!w.quantity) return failure(unknownColourError(cli.value("colour")));
    }
    w.view = cli.value("view");
    o.screenshot = valueIfSet(cli, "screenshot");
    w.play = !o.screenshot;   // a picture: the clock paused
    const auto size = parseSize(cli.value("size"));
    if (!size) return failure(quoted("size", cli.value("size")) + " is not WxH");
    if (size->width() < kMinWallSize.width() || size->height() < kMinWallSize.height() ||
        size->width() > kMaxWallSize.width() || size->height() > kMaxWallSize.height())
        return failure(quoted("size", cli.value("size")) + " is outside 320x200 to 16384x16384");
    o.size = *size;
    o.sizeGiven = cli.isSet("size");
    return {ParsedOptions::Kind::Run, o, {}};
}

} // namespace

// --bus-ca, --bus-cert, --bus-key: for a nats:// or tls:// store (the desk's, the wall's, --compare's).
ParsedOptions withBusOptions(const QCommandLineParser& cli, ParsedOptions parsed) {
    if (parsed.kind != ParsedOptions::Kind::Run) return parsed;
    Options& o = parsed.options;
    bool busGiven = false;
    for (const QString& store : {o.store, o.wall.store, o.compare.value_or(QString())})
        busGiven = busGiven || twin::opscentre::looksLikeBusAddress(store.toStdString());
    if (const std::string problem = app_nats::readBusOptions(cli, busGiven, false, "to a nats:// or tls:// STORE", o.bus);
        !problem.empty())
        return failure(QString::fromStdString(problem));
    return parsed;
}

ParsedOptions parseOptions(const QStringList& arguments) {
    QCommandLineParser cli;
    declareOptions(cli);
    // What QCommandLineParser::process() would do, without exiting: errors, then --version, --help.
    if (!cli.parse(arguments)) return failure(cli.errorText());
    if (cli.isSet("version")) return {ParsedOptions::Kind::Version, {}, {}};
    if (cli.isSet("help")) return {ParsedOptions::Kind::Help, {}, cli.helpText()};
    if (cli.isSet("help-all")) return {ParsedOptions::Kind::HelpAll, {}, {}};
    if (cli.isSet("check") || cli.isSet("salvage")) return withBusOptions(cli, parseStoreCommand(cli));
    if (cli.isSet("save-wall-layout") || cli.isSet("wall") || cli.isSet("wall-layout")) return withBusOptions(cli, parseWall(cli));
    return withBusOptions(cli, parseDesk(cli));
}

void showHelpAllAndExit() {
    QCommandLineParser cli;
    declareOptions(cli);
    cli.process(QCoreApplication::arguments());
    std::exit(EXIT_SUCCESS);   // not reached: process() has printed the help and exited
}

std::optional<twin::TimeMs> parseTime(const QString& text, const twin::TimeSpan& span) {
    static const QRegularExpression offset(R"(^\+?(\d+(\.\d+)?)s?$)");
    if (const auto m = offset.match(text.trimmed()); m.hasMatch())
        return span.first + static_cast<twin::TimeMs>(m.captured(1).toDouble() * 1000);
    QDateTime t = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!t.isValid()) return std::nullopt;
    if (t.timeSpec() == Qt::LocalTime) t.setTimeSpec(Qt::UTC);
    return t.toMSecsSinceEpoch();
}

QString badTimeError(const QString& text) { return quoted("at", text) + " is neither a UTC time nor +SECONDS"; }

QString unknownColourError(const QString& name) { return "--colour: unknown quantity '" + name + "'"; }

} // namespace colossus_twin
