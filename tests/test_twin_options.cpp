// colossus-twin's command line (app/colossus-twin/options.h) without a window: the values parsed
// for the desk window and the wall, and the exact one-line errors for bad input (main.cpp prints
// them after "colossus-twin: " and exits 1).
#include "options.h"

#include "wall/wall_layout.h"

#include <QDateTime>
#include <QFileInfo>
#include <QProcess>
#include <QTimeZone>
#include <QTemporaryDir>
#include <QtTest>

using namespace colossus_twin;
using Kind = ParsedOptions::Kind;
using Mode = Options::Mode;

namespace {

ParsedOptions parse(QStringList args) {
    args.prepend("colossus-twin");
    return parseOptions(args);
}

// The error line for `args`, or what came instead.
QString errorOf(const QStringList& args) {
    const ParsedOptions p = parse(args);
    return p.kind == Kind::Error ? p.text : QString("no error (kind %1)").arg(static_cast<int>(p.kind));
}

// Runs the built program with `env` changes (a value of "" removes the variable); its exit code
// and what it printed (stdout then stderr).
struct Run {
    int code = -1;
    QString out, err;
};
Run runProgram(const QStringList& args, const QMap<QString, QString>& env) {
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (auto it = env.begin(); it != env.end(); ++it)
        if (it.value().isEmpty()) e.remove(it.key());
        else e.insert(it.key(), it.value());
    QProcess p;
    p.setProcessEnvironment(e);
    p.start(QString(TEST_BIN_DIR) + "/colossus-twin", args);
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestTwinOptions : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void deskDefaults() {
        const ParsedOptions p = parse({});
        QCOMPARE(p.kind, Kind::Run);
        const Options& o = p.options;
        QCOMPARE(o.mode, Mode::Desk);
        QVERIFY(o.store.isEmpty());
        QCOMPARE(o.size, QSize(1280, 720));
        QVERIFY(!o.sizeGiven && !o.live);
        QVERIFY(!o.at && !o.view && !o.colour && !o.compare && !o.screenshot);
    }

    void deskValues() {
        const ParsedOptions p = parse({"trip.twin", "--at", "+90", "--live", "--screenshot", "out.png", "--size", "800x600", "--view",
                                       "plant", "--colour", "utilisation", "--compare", "b.twin"});
        QCOMPARE(p.kind, Kind::Run);
        const Options& o = p.options;
        QCOMPARE(o.mode, Mode::Desk);
        QCOMPARE(o.store, QString("trip.twin"));
        QCOMPARE(o.at.value_or(""), QString("+90"));
        QVERIFY(o.live);
        QCOMPARE(o.screenshot.value_or(""), QString("out.png"));
        QCOMPARE(o.size, QSize(800, 600));
        QVERIFY(o.sizeGiven);
        QCOMPARE(o.view.value_or(""), QString("plant"));
        QCOMPARE(o.colour.value_or(""), QString("utilisation"));
        QCOMPARE(o.compare.value_or(""), QString("b.twin"));
        QVERIFY(!o.layout);
        QCOMPARE(parse({"trip.twin", "--layout", "Compute"}).options.layout, std::optional(DeskPreset::Compute));
        QCOMPARE(parse({"trip.twin", "--layout", "review"}).options.layout, std::optional(DeskPreset::Review));
        QCOMPARE(parse({"trip.twin", "--layout", "heatmap"}).options.layout, std::optional(DeskPreset::HeatMap));
        // --colour, --at and --view wait for the open store: not checked here.
        QCOMPARE(parse({"trip.twin", "--colour", "heat", "--at", "soon", "--view", "nowhere"}).kind, Kind::Run);
    }

    void deskErrors() {
        QCOMPARE(errorOf({"a.twin", "b.twin"}), QString("one store at a time (got 2)"));
        QCOMPARE(errorOf({"--screenshot", "x.png"}), QString("--screenshot needs a STORE"));
        QCOMPARE(errorOf({"a.twin", "--size", "big"}), QString("--size: 'big' is not WxH"));
        QCOMPARE(errorOf({"a.twin", "--size", "800x"}), QString("--size: '800x' is not WxH"));
        QCOMPARE(errorOf({"--bogus"}), QString("Unknown option 'bogus'."));
        QCOMPARE(errorOf({"a.twin", "--layout", "wall"}), QString("--layout: 'wall' is not electrical, compute, review or heatmap"));
        QCOMPARE(errorOf({"--at"}), QString("Missing value after '--at'."));
        // The errors told once the store is open, in the same words.
        QCOMPARE(badTimeError("soon"), QString("--at: 'soon' is neither a UTC time nor +SECONDS"));
        QCOMPARE(unknownColourError("heat"), QString("--colour: unknown quantity 'heat'"));
    }

    void wallValues() {
        const ParsedOptions p = parse({"--wall", "x.twin", "--stale-after", "2.5", "--tour-period", "0", "--wall-screens", "2", "--at",
                                       "+40", "--colour", "health", "--view", "plant", "--size", "1600x900", "--screenshot", "w.png"});
        QCOMPARE(p.kind, Kind::Run);
        const Options& o = p.options;
        QCOMPARE(o.mode, Mode::Wall);
        const wall::WallOptions& w = o.wall;
        QCOMPARE(w.store, QString("x.twin"));
        QVERIFY(w.layout == wall::defaultLayout());
        QCOMPARE(w.staleAfterMs, 2500);
        QCOMPARE(w.tourPeriodMs, 0);
        QCOMPARE(w.screens, 2);
        QVERIFY(w.replayFrom);
        QCOMPARE(w.replayFrom(twin::TimeSpan{1'000'000, 2'000'000, false}).value_or(-1), twin::TimeMs(1'040'000));
        QVERIFY(w.quantity == views::RackQuantity::Health);
        QCOMPARE(w.view, QString("plant"));
        QVERIFY(!w.play);   // a screenshot: the clock paused
        QCOMPARE(o.screenshot.value_or(""), QString("w.png"));
        QCOMPARE(o.size, QSize(1600, 900));
        QVERIFY(o.sizeGiven);

        const ParsedOptions plain = parse({"--wall", "x.twin"});
        QCOMPARE(plain.kind, Kind::Run);
        QCOMPARE(plain.options.wall.staleAfterMs, 10'000);
        QCOMPARE(plain.options.wall.tourPeriodMs, 20'000);
        QCOMPARE(plain.options.wall.screens, 0);
        QVERIFY(!plain.options.wall.replayFrom && !plain.options.wall.quantity && plain.options.wall.play);
        QVERIFY(!plain.options.sizeGiven);
    }

    void wallErrors() {
        QCOMPARE(errorOf({"--wall"}), QString("--wall needs a STORE (one that does not exist yet is waited for)"));
        QCOMPARE(errorOf({"--wall", "a.twin", "b.twin"}), QString("one store at a time (got 2)"));
        QCOMPARE(errorOf({"--wall", "x.twin", "--stale-after", "0"}), QString("--stale-after: '0' is not a number of seconds above 0"));
        QCOMPARE(errorOf({"--wall", "x.twin", "--stale-after", "90000"}),
                 QString("--stale-after: '90000' is not a number of seconds above 0"));
        QCOMPARE(errorOf({"--wall", "x.twin", "--tour-period", "soon"}),
                 QString("--tour-period: 'soon' is not a number of seconds (0 or more)"));
        QCOMPARE(errorOf({"--wall", "x.twin", "--tour-period", "-1"}), QString("--tour-period: '-1' is not a number of seconds (0 or more)"));
        QCOMPARE(errorOf({"--wall", "x.twin", "--wall-screens", "17"}), QString("--wall-screens: '17' is not a number of screens (1-16)"));
        QCOMPARE(errorOf({"--wall", "x.twin", "--wall-screens", "0"}), QString("--wall-screens: '0' is not a number of screens (1-16)"));
        QCOMPARE(errorOf({"--wall", "x.twin", "--at", "soon"}), QString("--at: 'soon' is neither a UTC time nor +SECONDS"));
        QCOMPARE(errorOf({"--wall", "x.twin", "--colour", "heat"}), QString("--colour: unknown quantity 'heat'"));
        QCOMPARE(errorOf({"--wall", "x.twin", "--size", "big"}), QString("--size: 'big' is not WxH"));
        QCOMPARE(errorOf({"--wall", "x.twin", "--size", "100x100"}), QString("--size: '100x100' is outside 320x200 to 16384x16384"));
        QCOMPARE(errorOf({"--wall", "x.twin", "--size", "20000x1000"}),
                 QString("--size: '20000x1000' is outside 320x200 to 16384x16384"));
        const QString missing = dir_.filePath("missing.json");
        QCOMPARE(errorOf({"--wall-layout", missing, "--wall", "x.twin"}), "--wall-layout: " + missing + ": no such file");
    }

    void wallLayoutFiles() {
        wall::Layout layout = wall::defaultLayout();
        layout.name = "mine";
        layout.panels.pop_back();
        const QString file = dir_.filePath("mine.json");
        QCOMPARE(wall::saveLayout(layout, file), QString());

        QCOMPARE(errorOf({"--wall-layout", file}), QString("--wall-layout needs --wall"));
        const ParsedOptions withLayout = parse({"--wall", "x.twin", "--wall-layout", file});
        QCOMPARE(withLayout.kind, Kind::Run);
        QVERIFY(withLayout.options.wall.layout == layout);

        // --save-wall-layout: the built-in layout, or --wall-layout's; nothing else is checked.
        const ParsedOptions save = parse({"--save-wall-layout", "out.json", "--stale-after", "0"});
        QCOMPARE(save.kind, Kind::Run);
        QCOMPARE(save.options.mode, Mode::SaveWallLayout);
        QCOMPARE(save.options.saveWallLayoutTo, QString("out.json"));
        QVERIFY(save.options.wall.layout == wall::defaultLayout());
        QVERIFY(parse({"--save-wall-layout", "out.json", "--wall-layout", file}).options.wall.layout == layout);
    }

    void helpAndVersion() {
        const ParsedOptions help = parse({"--help"});
        QCOMPARE(help.kind, Kind::Help);
        for (const char* option : {"[STORE]", "--compare <STORE2>", "--at <TIME>", "--live", "--screenshot <FILE>", "--size <WxH>",
                                   "--view <NAME>", "--colour <QUANTITY>", "--wall ", "--wall-layout <FILE>",
                                   "--save-wall-layout <FILE>", "--stale-after <SECONDS>", "--tour-period <SECONDS>", "--wall-screens <N>"})
            QVERIFY2(help.text.contains(option), option);
        QCOMPARE(parse({"-h"}).kind, Kind::Help);
        QCOMPARE(parse({"--help-all"}).kind, Kind::HelpAll);
        QCOMPARE(parse({"--version"}).kind, Kind::Version);
        QCOMPARE(parse({"-v", "--help"}).kind, Kind::Version);   // as QCommandLineParser::process() does
    }

    // Without a display (an ssh session, a script): what needs no window works; what needs one
    // says so in one line instead of Qt's abort (exit 134) or a crash in the offscreen platform.
    void withoutADisplay() {
        const QMap<QString, QString> noDisplay{{"DISPLAY", ""}, {"WAYLAND_DISPLAY", ""}, {"QT_QPA_PLATFORM", ""}};
        const Run help = runProgram({"--help"}, noDisplay);
        QCOMPARE(help.code, 0);
        QVERIFY2(help.out.contains("--screenshot") && help.out.contains("--wall"), qPrintable(help.out));
        const Run version = runProgram({"--version"}, noDisplay);
        QCOMPARE(version.code, 0);
        QCOMPARE(version.out.trimmed(), QString("colossus-twin " COLOSSUS_VERSION));
        const Run bad = runProgram({"--size", "12"}, noDisplay);
        QCOMPARE(bad.code, 1);
        QCOMPARE(bad.err.trimmed(), QString("colossus-twin: --size: '12' is not WxH"));
        const QString layout = dir_.filePath("wall.json");
        const Run save = runProgram({"--save-wall-layout", layout}, noDisplay);
        QCOMPARE(save.code, 0);
        QVERIFY(QFileInfo(layout).size() > 0);
        const Run window = runProgram({dir_.filePath("any.twin")}, noDisplay);
        QCOMPARE(window.code, 1);
        QVERIFY2(window.err.startsWith("colossus-twin: no display"), qPrintable(window.err));
        const Run offscreen = runProgram({dir_.filePath("any.twin"), "--screenshot", dir_.filePath("x.png")},
                                         {{"QT_QPA_PLATFORM", "offscreen"}});
        QCOMPARE(offscreen.code, 1);
        QVERIFY2(offscreen.err.contains("colossus-twin: --screenshot needs OpenGL, which the 'offscreen' platform"),
                 qPrintable(offscreen.err));
        QVERIFY(!QFileInfo::exists(dir_.filePath("x.png")));
    }

    void times() {
        const twin::TimeSpan span{1'000'000, 2'000'000, false};
        QCOMPARE(parseTime("+90", span).value_or(-1), twin::TimeMs(1'090'000));
        QCOMPARE(parseTime("90s", span).value_or(-1), twin::TimeMs(1'090'000));
        QCOMPARE(parseTime(" 1.5 ", span).value_or(-1), twin::TimeMs(1'001'500));
        const twin::TimeMs utc = QDateTime(QDate(2026, 7, 15), QTime(16, 2), QTimeZone::utc()).toMSecsSinceEpoch();
        QCOMPARE(parseTime("2026-07-15T16:02:00Z", span).value_or(-1), utc);
        QCOMPARE(parseTime("2026-07-15T16:02:00", span).value_or(-1), utc);   // no zone: UTC
        QVERIFY(!parseTime("soon", span));
        QVERIFY(!parseTime("-5", span));
    }
};

QTEST_GUILESS_MAIN(TestTwinOptions)
#include "test_twin_options.moc"
