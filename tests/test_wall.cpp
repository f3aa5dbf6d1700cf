// The operations-room wall (colossus-twin --wall) under Xvfb: every panel of the default layout
// at its place and drawing, layout files (round trip, errors naming the file, screens), a live
// store that stops growing turning the badge STALE within the delay, a store that appears while
// the wall waits for it, the tour holding on an active alarm's asset until it clears, and an
// alarm acknowledged at a desk releasing the tour's hold while it stays listed.
#include "wall/wall_alarms.h"
#include "wall/wall_app.h"
#include "wall/wall_feed.h"
#include "wall/wall_layout.h"
#include "wall/wall_totals.h"
#include "wall/wall_tour.h"
#include "wall/wall_window.h"

#include "campus3d/campus_view.h"
#include "common/hmi_colours.h"
#include "common/series_colours.h"
#include "common/time_format.h"
#include "electrical/one_line_diagram.h"
#include "electrical/power_charts_panel.h"
#include "electrical/strip_chart.h"
#include "review/alarm_acks.h"
#include "timeline/event_style.h"
#include "wall/wall_chart.h"

#include "support/app_process.h"
#include "support/child_writer.h"
#include "support/data_files.h"
#include "support/events.h"
#include "support/pixels.h"
#include "support/quality_store.h"
#include "support/recordings.h"
#include "support/widgets.h"

#include "twin/campus_file.h"
#include "twin/review_file.h"
#include "twin/sim/simulator.h"

#include <QDateTime>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace twin;
using namespace testsupport;

namespace {

// A widget's rectangle in its window's coordinates.
QRect inWindow(QWidget* w) { return QRect(w->mapTo(w->window(), QPoint(0, 0)), w->size()); }

} // namespace

namespace {

// A paused replay from 5 s in, the 3D view and the alarms list on one screen, a quick tour:
// what the alarm-hold tests drive.
wall::WallOptions alarmTourOptions(const std::string& path, TimeMs t0) {
    wall::WallOptions o;
    o.store = QString::fromStdString(path);
    o.replayFrom = [t0](const TimeSpan&) { return std::optional<TimeMs>(t0 + 5'000); };
    o.play = false;
    o.tourPeriodMs = 300;
    o.layout.panels = {{"campus3d", 0, 0, 0, 1, 1}, {"alarms", 0, 0, 1, 1, 1}};
    o.screens = 1;
    return o;
}

} // namespace

class TestWall : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string trip_;   // small campus, 60 s, the largest turbine trips at 20 s (an alarm without end)

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        trip_ = sharedRecording(recordings::kTrip60);
    }

    // ---- layouts: pure functions and files ----------------------------------------------------

    void defaultLayoutIsValidAndFillsItsGrid() {
        const wall::Layout l = wall::defaultLayout();
        QCOMPARE(wall::validate(l), QString());
        QCOMPARE(static_cast<int>(l.panels.size()), static_cast<int>(wall::panelNames().size()));
        for (const QString& name : wall::panelNames())
            QVERIFY2(std::any_of(l.panels.begin(), l.panels.end(), [&](const wall::PanelPlace& p) { return p.panel == name; }),
                     qPrintable(name));
        QCOMPARE(wall::gridOf(l.panels), QSize(4, 3));
        // Every cell of the 4 x 3 grid is covered once.
        int covered = 0;
        for (const auto& p : l.panels) covered += p.rowSpan * p.columnSpan;
        QCOMPARE(covered, 12);
    }

    void cellsDivideTheAreaExactly() {
        const QRect area(10, 100, 1000, 600);
        const QSize grid(4, 3);
        const int gap = 10;
        // Column 0 starts at the left edge, the last column ends at the right edge.
        // Edges at round(i * (1000 + 10) / 4) and round(i * (600 + 10) / 3), less the gap.
        QCOMPARE(wall::cellRect(area, grid, {"x", 0, 0, 0, 1, 1}, gap), QRect(10, 100, 243, 193));
        const QRect last = wall::cellRect(area, grid, {"x", 0, 2, 3, 1, 1}, gap);
        QCOMPARE(last.right(), area.right());
        QCOMPARE(last.bottom(), area.bottom());
        // A span covers its cells and the gaps between them.
        const QRect big = wall::cellRect(area, grid, {"x", 0, 0, 0, 2, 2}, gap);
        const QRect a = wall::cellRect(area, grid, {"x", 0, 0, 0, 1, 1}, gap), d = wall::cellRect(area, grid, {"x", 0, 1, 1, 1, 1}, gap);
        QCOMPARE(big, a.united(d));
        // Neighbours are exactly a gap apart.
        QCOMPARE(wall::cellRect(area, grid, {"x", 0, 0, 1, 1, 1}, gap).left() - a.right() - 1, gap);
    }

    void panelsAreAssignedToScreens() {
        // Two screens: the 3D campus and the one-line diagram on screen 0, the rest on screen 1.
        wall::Layout two;
        two.name = "two screens";
        two.panels = {{"campus3d", 0, 0, 0, 1, 2}, {"oneline", 0, 0, 2, 1, 1}, {"alarms", 1, 0, 0, 2, 1},
                      {"totals", 1, 0, 1, 1, 1},   {"frequency", 1, 1, 1, 1, 1}, {"load_generation", 1, 0, 2, 2, 1}};
        QCOMPARE(wall::validate(two), QString());
        QCOMPARE(wall::screensUsed(two), 2);
        // Enough screens: as written.
        for (int screens : {2, 3}) {
            const auto per = wall::assignToScreens(two, screens);
            QCOMPARE(static_cast<int>(per.size()), 2);   // a third screen is left alone
            QCOMPARE(static_cast<int>(per[0].size()), 2);
            QCOMPARE(static_cast<int>(per[1].size()), 4);
            QCOMPARE(per[1][0], two.panels[2]);
        }
        // One screen: every panel on it, screen 1's grid to the right of screen 0's (3 columns).
        const auto one = wall::assignToScreens(two, 1);
        QCOMPARE(static_cast<int>(one.size()), 1);
        QCOMPARE(static_cast<int>(one[0].size()), 6);
        for (const auto& p : one[0]) QCOMPARE(p.screen, 0);
        QCOMPARE(one[0][0], two.panels[0]);
        wall::PanelPlace alarms = two.panels[2];
        alarms.screen = 0;
        alarms.column += 3;
        QCOMPARE(one[0][2], alarms);
        QCOMPARE(wall::gridOf(one[0]), QSize(6, 2));
        // The folded layout has no overlaps.
        wall::Layout folded{"", one[0]};
        QCOMPARE(wall::validate(folded), QString());
        // The default layout on four screens: still one window.
        QCOMPARE(static_cast<int>(wall::assignToScreens(wall::defaultLayout(), 4).size()), 1);
    }

    void layoutFileRoundTrip() {
        const QString file = dir_.filePath("default-layout.json");
        QCOMPARE(wall::saveLayout(wall::defaultLayout(), file), QString());
        QString error;
        const auto loaded = wall::loadLayout(file, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(*loaded, wall::defaultLayout());
        // Another layout, two screens and a name that needs escaping.
        wall::Layout mine;
        mine.name = "Control room \"B\"";
        mine.panels = {{"alarms", 0, 0, 0, 1, 1}, {"campus3d", 1, 0, 0, 3, 2}};
        const QString file2 = dir_.filePath("mine.json");
        QCOMPARE(wall::saveLayout(mine, file2), QString());
        const auto back = wall::loadLayout(file2, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(*back, mine);

        // The program writes the built-in layout and exits.
        const QString written = dir_.filePath("written.json");
        QString err;
        QCOMPARE(runApp({"--save-wall-layout", written}, &err), 0);
        const auto fromCli = wall::loadLayout(written, &error);
        QVERIFY2(fromCli, qPrintable(error + " / " + err));
        QCOMPARE(*fromCli, wall::defaultLayout());
    }

    void malformedLayoutFilesNameTheFileAndTheProblem_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("problem");
        QTest::newRow("not json") << QByteArray("{\"panels\": [\n  {\"panel\": \"alarms\",, }\n]}") << "not valid JSON at line 2";
        QTest::newRow("no panels") << QByteArray("{\"name\": \"x\"}") << "no \"panels\" array";
        QTest::newRow("unknown panel") << QByteArray(R"({"panels": [{"panel": "weather", "row": 0, "column": 0}]})")
                                       << "unknown panel \"weather\"";
        QTest::newRow("typo in a key") << QByteArray(R"({"panels": [{"panel": "alarms", "row": 0, "column": 0, "rowspan": 2}]})")
                                       << "panel 1: unknown key \"rowspan\"";
        QTest::newRow("overlap") << QByteArray(R"({"panels": [{"panel": "alarms", "row": 0, "column": 0, "row_span": 2},
                                                              {"panel": "totals", "row": 1, "column": 0}]})")
                                 << "panel 2 (\"totals\") overlaps panel 1 (\"alarms\") on screen 0";
        QTest::newRow("not a number") << QByteArray(R"({"panels": [{"panel": "alarms", "row": "top", "column": 0}]})")
                                      << "panel 1: \"row\" must be a whole number";
        QTest::newRow("negative span") << QByteArray(R"({"panels": [{"panel": "alarms", "row": 0, "column": 0, "column_span": 0}]})")
                                       << "row_span and column_span must be 1 or more";
        QTest::newRow("twice") << QByteArray(R"({"panels": [{"panel": "alarms", "row": 0, "column": 0}, {"panel": "alarms", "row": 0, "column": 1}]})")
                               << "already placed";
        QTest::newRow("version") << QByteArray(R"({"version": 7, "panels": []})") << "version 7 is not supported";
        QTest::newRow("empty") << QByteArray(R"({"panels": []})") << "the layout has no panels";
    }
    void malformedLayoutFilesNameTheFileAndTheProblem() {
        QFETCH(QByteArray, text);
        QFETCH(QString, problem);
        const QString file = dir_.filePath("bad-layout.json");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
        f.close();
        QString error;
        QVERIFY(!wall::loadLayout(file, &error));
        QVERIFY2(error.startsWith(file + ": ") && error.contains(problem), qPrintable(error));
    }

    void layoutErrorsOnTheCommandLine() {
        const QString bad = dir_.filePath("bad.json");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("[1, 2");
        f.close();
        QString err;
        QCOMPARE(runApp({"--wall", "--wall-layout", bad, QString::fromStdString(trip_), "--screenshot", dir_.filePath("no.png")}, &err), 1);
        QVERIFY2(err.startsWith("colossus-twin: --wall-layout: " + bad + ": not valid JSON"), qPrintable(err));
        QVERIFY(!QFile::exists(dir_.filePath("no.png")));
        QCOMPARE(runApp({"--wall-layout", dir_.filePath("missing.json"), "--wall", "x.twin"}, &err), 1);
        QVERIFY2(err.contains(dir_.filePath("missing.json") + ": no such file"), qPrintable(err));
        QCOMPARE(runApp({"--wall"}, &err), 1);
        QVERIFY2(err.contains("--wall needs a STORE"), qPrintable(err));
        QCOMPARE(runApp({"--wall", "x.twin", "--stale-after", "0"}, &err), 1);
        QVERIFY2(err.contains("--stale-after: '0'"), qPrintable(err));
        QCOMPARE(runApp({"--wall", "x.twin", "--tour-period", "soon"}, &err), 1);
        QVERIFY2(err.contains("--tour-period: 'soon'"), qPrintable(err));
        // Without --wall a missing store stays an error.
        QCOMPARE(runApp({dir_.filePath("absent.twin"), "--screenshot", dir_.filePath("no.png")}, &err), 1);
        QVERIFY(!QFile::exists(dir_.filePath("no.png")));
    }

    // ---- the wall drawn --------------------------------------------------------------------------

    void everyPanelOfTheDefaultLayoutIsAtItsPlace() {
        Session session;
        wall::WallOptions o;
        o.store = QString::fromStdString(trip_);
        o.replayFrom = [](const TimeSpan& s) { return std::optional<TimeMs>(s.first + 40'000); };   // 20 s after the trip
        o.play = false;
        o.screens = 1;
        wall::WallApp app(session, o);
        QCOMPARE(app.start(), QString());
        QCOMPARE(static_cast<int>(app.windows().size()), 1);
        wall::WallWindow* w = app.windows().front();
        w->setFixedSize(1920, 1080);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));
        QVERIFY(app.tour());
        app.tour()->settle();
        QVERIFY(drawn(w->campusView()));
        w->frequencyChart()->reload();
        w->loadChart()->reload();
        QCoreApplication::processEvents();
        QCOMPARE(w->basePixelSize(), 20);   // 1080 / 54

        // Geometry: each panel's frame is its layout cell, inside the window, below the header.
        const QRect body = w->bodyRect();
        QVERIFY(body.top() > w->badge()->mapTo(w, QPoint(0, w->badge()->height())).y());
        QVERIFY(QRect(0, 0, 1920, 1080).contains(body));
        const QSize grid(4, 3);
        std::vector<QRect> frames;
        for (const auto& p : wall::defaultLayout().panels) {
            QFrame* f = w->panelFrame(p.panel);
            QVERIFY2(f && f->isVisible(), qPrintable(p.panel));
            QCOMPARE(f->geometry(), wall::cellRect(body, grid, p, w->gap()));
            QCOMPARE(f->geometry(), w->cellOf(p.panel));
            frames.push_back(f->geometry());
        }
        for (std::size_t i = 0; i < frames.size(); ++i)
            for (std::size_t j = 0; j < i; ++j) QVERIFY(!frames[i].intersects(frames[j]));
        // The 3D campus takes two columns and two rows: about a quarter of the body's width twice.
        QVERIFY(std::abs(w->cellOf("campus3d").width() - body.width() / 2) < w->gap());
        QVERIFY(std::abs(w->cellOf("campus3d").height() - (2 * body.height()) / 3) < w->gap());

        const QImage img = w->grab().toImage();
        QCOMPARE(img.size(), QSize(1920, 1080));
        // The badge: REPLAY in its colour, the clock at the replay's time.
        QCOMPARE(app.feed().state(), wall::DataFeed::State::Replay);
        QCOMPARE(w->badgeWord(), QString("REPLAY"));
        const QRect badge = inWindow(w->badge());
        QVERIFY(badge.width() > 300 && badge.height() > 60);   // large: readable across a room
        QVERIFY(countPixels(img, badge.adjusted(8, 8, -8, -8), 3, [](const QColor& c) { return near(c, QColor(wall::theme::kReplay), 2); }) >
                countPixels(img, badge.adjusted(8, 8, -8, -8), 3, [](const QColor&) { return true; }) / 2);
        QCOMPARE(w->clockText(), views::formatUtcClock(session.clock().time()) + " UTC · " +
                                     views::formatLocal(session.clock().time(), session.campus().timezone));

        // The 3D campus draws a scene: many colours (a blank view has two or three; the normal plant
        // is in greys, ISA-101, so fewer than the racks' colour map alone would give).
        const QRect campus = inWindow(w->campusView());
        QVERIFY2(distinctColours(img, campus, 5) > 20, qPrintable(QString::number(distinctColours(img, campus, 5))));
        // The charts: their dark background, with coloured series on it.
        for (views::WallChart* chart : {w->loadChart(), w->frequencyChart()}) {
            const QRect plot = chart->plotRect().translated(inWindow(chart).topLeft());
            const int all = countPixels(img, plot, 2, [](const QColor&) { return true; });
            const int dark = countPixels(img, plot, 2, [](const QColor& c) { return c == views::WallChart::background(); });
            const int coloured = countPixels(img, plot, 2, [](const QColor& c) { return c.hsvSaturation() > 120 && c.value() > 120; });
            qInfo("%s: %d of %d dark, %d coloured", qPrintable(chart->seriesName(0)), dark, all, coloured);
            QVERIFY(chart->seriesCount() >= 1);
            QVERIFY(dark > all / 20);
            if (chart == w->loadChart()) {
                QVERIFY(coloured > 5000);   // the stacked areas fill much of it
            } else {
                // One flat line at 60 Hz in the first island's colour, across the plot.
                const QColor island = views::series::islandColour(0);
                const int line = countPixels(img, plot, 1, [&](const QColor& c) { return near(c, island, 40); });
                qInfo("frequency line: %d pixels", line);
                QVERIFY(line > plot.width());
            }
        }
        QCOMPARE(w->loadChart()->seriesCount(), 5);   // turbines, Megapacks, solar, grid stacked; the load
        {
            // One palette: each island and kind of source has the colour the desk's charts give it.
            views::PowerChartsPanel desk(session);
            for (const auto& [wallChart, deskChart] : {std::pair{w->frequencyChart(), desk.frequency()},
                                                       std::pair{w->loadChart(), desk.generationBySource()}}) {
                QCOMPARE(wallChart->seriesCount(), deskChart->seriesCount());
                for (int i = 0; i < wallChart->seriesCount(); ++i) {
                    QCOMPARE(wallChart->seriesName(i), deskChart->seriesName(i));
                    QCOMPARE(wallChart->drawnColour(i), deskChart->seriesColour(i));
                }
            }
            QCOMPARE(w->frequencyChart()->drawnColour(0), views::series::islandColour(0));
            // The wall's frequency chart: the nominal line always, the ±0.5 Hz limits only when the
            // data's range reaches them (20 s after the trip, the frequency is back near 60 Hz).
            QVERIFY(w->frequencyChart()->referenceDrawn(0));
            QVERIFY(!w->frequencyChart()->referenceDrawn(1));
            QVERIFY(!w->frequencyChart()->referenceDrawn(2));
        }
        // The one-line diagram: its overview level only, on the ISA-101 dark grey (not a white page
        // on the dark wall), one block per island with its figures in type larger than the wall's
        // base size, light grey on dark.
        views::OneLineDiagram* diagram = w->oneLine();
        QVERIFY(diagram->isDark() && diagram->overviewOnly());
        QCOMPARE(diagram->level(), views::OneLineDiagram::Level::Overview);
        const QRect oneLine = inWindow(diagram->viewport());
        const int oneLineAll = countPixels(img, oneLine, 2, [](const QColor&) { return true; });
        const int darkBackground = countPixels(img, oneLine, 2, [&](const QColor& c) { return c.value() < 60; });
        const int white = countPixels(img, oneLine, 2, [](const QColor& c) { return c.value() > 250 && c.hsvSaturation() < 10; });
        const int lightText = countPixels(img, oneLine, 1, [](const QColor& c) { return c.value() > 170 && c.hsvSaturation() < 40; });
        qInfo("one-line: %d of %d pixels dark, %d white, %d light-grey text; figures %.0f px", darkBackground, oneLineAll, white,
              lightText, diagram->overviewGeometry().textPx);
        QVERIFY(darkBackground > oneLineAll * 9 / 10);
        QCOMPARE(white, 0);
        QVERIFY(lightText > 300);
        QCOMPARE(diagram->overviewGeometry().blocks.size(), diagram->layout().lanes.size());
        QVERIFY(diagram->overviewGeometry().textPx >= w->basePixelSize());
        for (const QRectF& b : diagram->overviewGeometry().blocks) QVERIFY(QRectF(diagram->viewport()->rect()).contains(b));
        // No zooming into the details there.
        const QPointF at = diagram->overviewGeometry().blocks.front().center();
        QWheelEvent wheel(at, diagram->viewport()->mapToGlobal(at), QPoint(), QPoint(0, 360), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(diagram->viewport(), &wheel);
        QVERIFY(diagram->locate(session.campus().assetsOfKind(AssetKind::Turbine).front()) == false);
        QCOMPARE(diagram->level(), views::OneLineDiagram::Level::Overview);
        // Totals: the figures of computeTotals, large.
        const auto& tiles = w->totalsPanel()->tiles();
        QCOMPARE(static_cast<int>(tiles.size()), 6);
        QVERIFY(w->totalsPanel()->totals().valid);
        QCOMPARE(tiles[0].value, QLocale(QLocale::English).toString(static_cast<qlonglong>(w->totalsPanel()->totals().healthyGpus)));
        const QRect totals = inWindow(w->totalsPanel());
        QVERIFY(countPixels(img, totals, 2, [](const QColor& c) { return c.value() > 220 && c.hsvSaturation() < 30; }) > 50);   // white figures

        // Alarms: the turbine trip, active since 20 s, listed with its text; a red severity bar.
        const auto active = wall::activeAlarmsAt(session.reader(), session.clock().time());
        QCOMPARE(static_cast<int>(active.size()), 1);
        QCOMPARE(QString::fromStdString(active[0].kind), QString("turbine_trip"));
        const QStringList rows = w->alarmsPanel()->rowTexts();
        QCOMPARE(rows.size(), 1);
        QVERIFY2(rows[0].contains(QString::fromStdString(active[0].text)) && rows[0].contains("ALARM"), qPrintable(rows[0]));
        QVERIFY(!w->alarmsPanel()->rowRects().empty());
        const QRect row = w->alarmsPanel()->rowRects().front().translated(inWindow(w->alarmsPanel()).topLeft());
        QCOMPARE(img.pixelColor(row.left() + w->alarmsPanel()->severityBarWidth() / 2, row.center().y()),
                 views::severityColour(Severity::Alarm));
        QVERIFY(row.height() >= 3 * w->basePixelSize());   // large rows
        // The tour holds on the tripped turbine and the 3D view has it selected.
        const AssetIndex turbine = session.campus().find(active[0].asset);
        QVERIFY(turbine != kNoAsset);
        QCOMPARE(app.tour()->mode(), wall::WallTour::Mode::Holding);
        QCOMPARE(session.selection().asset, turbine);
    }

    void wallScreenshotFromTheCommandLine() {
        const QString png = dir_.filePath("wall.png");
        QString err;
        QElapsedTimer t;
        t.start();
        QCOMPARE(runApp({"--wall", QString::fromStdString(trip_), "--at", "+40", "--screenshot", png, "--size", "1600x900"}, &err), 0);
        qInfo("--wall --screenshot: %lld ms", static_cast<long long>(t.elapsed()));
        const QImage img(png);
        QCOMPARE(img.size(), QSize(1600, 900));
        QVERIFY(distinctColours(img, img.rect(), 7) > 100);
        // The REPLAY badge, top right.
        QVERIFY(countPixels(img, QRect(1100, 0, 500, 90), 2, [](const QColor& c) { return near(c, QColor(wall::theme::kReplay), 2); }) > 1000);

        // Two screens' layout on two screens: one picture per screen.
        wall::Layout two;
        two.panels = {{"campus3d", 0, 0, 0, 1, 1}, {"alarms", 1, 0, 0, 1, 1}, {"totals", 1, 0, 1, 1, 1}};
        const QString layout = dir_.filePath("two.json");
        QCOMPARE(wall::saveLayout(two, layout), QString());
        const QString shot = dir_.filePath("two.png");
        QCOMPARE(runApp({"--wall", QString::fromStdString(trip_), "--wall-layout", layout, "--wall-screens", "2", "--screenshot", shot,
                         "--size", "800x450"},
                        &err),
                 0);
        QCOMPARE(QImage(shot).size(), QSize(800, 450));
        QCOMPARE(QImage(dir_.filePath("two-2.png")).size(), QSize(800, 450));

        // A store that is not there yet: the wall waits for it (a picture, exit 0).
        const QString waiting = dir_.filePath("waiting.png");
        QCOMPARE(runApp({"--wall", dir_.filePath("not-yet.twin"), "--screenshot", waiting, "--size", "1280x720"}, &err), 0);
        const QImage w(waiting);
        QCOMPARE(w.size(), QSize(1280, 720));
        QVERIFY(countPixels(w, QRect(800, 0, 480, 80), 2, [](const QColor& c) { return near(c, QColor(wall::theme::kWaiting), 2); }) > 500);
        // A file that is not a store: an error for a screenshot.
        QCOMPARE(runApp({"--wall", layout, "--screenshot", waiting}, &err), 1);
        QVERIFY2(err.startsWith("colossus-twin: ") && err.contains(layout), qPrintable(err));
    }

    // ---- live data, stale data, waiting for data ----------------------------------------------

    void liveStoreThatStopsGrowingTurnsStale() {
        // A writer in another process commits a frame every 200 ms, 12 frames, then stops.
        const QString path = dir_.filePath("live.twin");
        QProcess writer;
        QVERIFY(startWriter(writer, path, 200, 1, 12));

        Session session;
        wall::WallOptions o;
        o.store = path;
        o.staleAfterMs = 1000;   // --stale-after 1
        o.layout.panels = {{"totals", 0, 0, 0, 1, 1}, {"alarms", 0, 0, 1, 1, 1}};
        o.screens = 1;
        wall::WallApp app(session, o);
        QCOMPARE(app.start(), QString());
        wall::WallWindow* w = app.windows().front();
        w->resize(1280, 720);
        w->show();
        QVERIFY(session.isOpen());
        QVERIFY(session.clock().live());

        bool staleWhileWriting = false;
        qint64 lastCommitSeen = QDateTime::currentMSecsSinceEpoch();
        TimeMs lastT = 0;
        int commits = 0;
        while (writer.state() != QProcess::NotRunning || writer.canReadLine()) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            if (app.feed().state() == wall::DataFeed::State::Stale) staleWhileWriting = true;
            if (!writer.canReadLine()) {
                writer.waitForReadyRead(5);
                continue;
            }
            const auto commit = parseCommit(writer.readLine());
            if (!commit) continue;
            lastCommitSeen = QDateTime::currentMSecsSinceEpoch();
            lastT = commit->t;
            commits = static_cast<int>(commit->frames);
        }
        QCOMPARE(commits, 12);
        QVERIFY2(!staleWhileWriting, "the badge went stale while the store grew every 200 ms");
        QVERIFY(waitFor([&] { return session.clock().span().last == lastT; }, 2000));
        QCOMPARE(app.feed().state(), wall::DataFeed::State::Live);
        QCOMPARE(w->badgeWord(), QString::fromUtf8("● LIVE"));
        // Live: the totals' values are bright. (Antialiased glyphs: only their solid pixels count.)
        const QColor bright(240, 244, 248);
        auto pixelsOf = [&](const QColor& want) {
            QCoreApplication::processEvents();
            return countPixels(w->grab().toImage(), inWindow(w->totalsPanel()), 1, [&](const QColor& c) { return near(c, want, 3); });
        };
        QVERIFY(!w->totalsPanel()->stale());
        QCOMPARE(w->totalsPanel()->valueColour(), bright);
        const int brightLive = pixelsOf(bright);
        QVERIFY2(brightLive > 30, qPrintable(QString::number(brightLive)));

        QVERIFY(waitFor([&] { return app.feed().state() == wall::DataFeed::State::Stale; }, 5000));
        const qint64 flipped = QDateTime::currentMSecsSinceEpoch();
        const qint64 afterGrowth = flipped - app.feed().lastGrowthMs(), afterCommit = flipped - lastCommitSeen;
        qInfo("STALE %lld ms after the store last grew, %lld ms after the last commit (delay 1000 ms)",
              static_cast<long long>(afterGrowth), static_cast<long long>(afterCommit));
        QVERIFY(afterGrowth >= 1000);                  // not before the delay
        QVERIFY(afterCommit <= 2000);                  // within the delay + 1 s
        QCOMPARE(w->badgeWord(), QString("STALE"));
        const QString since = "no data since " + views::formatUtcClock(lastT) + " UTC (";
        QVERIFY2(w->badgeDetail().startsWith(since) && w->badgeDetail().endsWith(" s)"), qPrintable(w->badgeDetail()));
        QVERIFY2(app.feed().statusText().startsWith("STALE · " + since), qPrintable(app.feed().statusText()));
        // Its colour is the stale amber.
        QCoreApplication::processEvents();
        const QImage img = w->grab().toImage();
        const QRect badge = inWindow(w->badge());
        QVERIFY(countPixels(img, badge.adjusted(8, 8, -8, -8), 3, [](const QColor& c) { return near(c, QColor(wall::theme::kStale), 2); }) > 50);
        // And the values themselves are greyed (lilac, the colour of stale data in every view), not
        // left bright as if current.
        QVERIFY(w->totalsPanel()->stale());
        QCOMPARE(w->totalsPanel()->valueColour(), views::hmi::withQuality(bright, twin::query::DataQuality::Stale));
        const int brightStale = pixelsOf(bright), lilacStale = pixelsOf(w->totalsPanel()->valueColour());
        qInfo("totals' value pixels: %d bright while live; %d bright and %d lilac when stale", brightLive, brightStale, lilacStale);
        QCOMPARE(brightStale, 0);
        QVERIFY(lilacStale > 30);
        writer.waitForFinished(5000);
    }

    void gpuTilesSayHowManyGpusAreNotFresh() {
        const QualityRecording rec = recordWithQuality(dir_.filePath("quality.twin").toStdString());
        Session session;
        session.open(rec.path);
        session.clock().seek(session.clock().span().first + 5'000);
        wall::TotalsPanel totals(session);
        totals.refresh();
        QCOMPARE(totals.totals().staleGpus, 1);
        QCOMPARE(totals.totals().missingGpus, 1);
        const QString gpus = QLocale(QLocale::English).toString(static_cast<qlonglong>(session.campus().gpuCount()));
        QCOMPARE(totals.tiles().front().unit, QString::fromUtf8("of %1 · 1 stale · 1 missing").arg(gpus));
        // A simulated store records no quality: nothing is said.
        Session simulated;
        simulated.open(sharedRecording(recordings::kTrip60));
        wall::TotalsPanel plain(simulated);
        plain.refresh();
        QCOMPARE(plain.tiles().front().unit, "of " + gpus);
    }

    void aStoreThatAppearsLaterIsPickedUp() {
        const QString path = dir_.filePath("later.twin");
        Session session;
        wall::WallOptions o;
        o.store = path;
        o.screens = 1;
        wall::WallApp app(session, o);   // the default layout: every panel copes with no store
        QCOMPARE(app.start(), QString());
        wall::WallWindow* w = app.windows().front();
        w->resize(1600, 900);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));
        QVERIFY(!session.isOpen());
        QCOMPARE(app.feed().state(), wall::DataFeed::State::Waiting);
        QCOMPARE(w->badgeWord(), QString("WAITING FOR DATA"));
        QCOMPARE(app.feed().statusText(), "WAITING FOR DATA · " + path);
        QCOMPARE(w->badgeDetail(), path);
        QTest::qWait(1200);   // polled meanwhile: still nothing
        QVERIFY(!session.isOpen());

        // Something that is not a store appears first: still waiting, saying why; no crash.
        {
            QFile junk(path);
            QVERIFY(junk.open(QIODevice::WriteOnly));
            junk.write("not a store yet");
        }
        QVERIFY(waitFor([&] { return !app.feed().lastError().isEmpty(); }, 2500));
        QCOMPARE(app.feed().state(), wall::DataFeed::State::Waiting);
        QVERIFY2(w->badgeDetail().startsWith(path + " — ") && w->badgeDetail().contains(path), qPrintable(w->badgeDetail()));

        // The store, recorded under another name and renamed into place.
        const QString tmp = dir_.filePath("later.tmp");
        QVERIFY(copyRecording(recordings::kTrip60, tmp.toStdString()));
        QVERIFY(QFile::remove(path));
        QElapsedTimer waited;
        waited.start();
        QVERIFY(QFile::rename(tmp, path));
        QVERIFY(waitFor([&] { return session.isOpen(); }, 3000));
        qInfo("store picked up %lld ms after it appeared", static_cast<long long>(waited.elapsed()));
        QVERIFY(waited.elapsed() <= 2000);
        QCOMPARE(app.feed().state(), wall::DataFeed::State::Live);   // just written
        QCOMPARE(w->badgeWord(), QString::fromUtf8("● LIVE"));
        QVERIFY(session.clock().live());
        QCOMPARE(session.clock().time(), session.clock().span().last);
        // Every panel has its data now.
        QVERIFY(w->frequencyChart()->seriesCount() >= 1);
        QCOMPARE(w->loadChart()->seriesCount(), 5);
        QVERIFY(w->totalsPanel()->totals().valid);
        QCOMPARE(w->alarmsPanel()->rowTexts().size(), 1);   // the trip, still active at the end
        QVERIFY(w->oneLine()->itemCount() > 0);
        QVERIFY(drawn(w->campusView()));
        QCOMPARE(app.tour()->mode(), wall::WallTour::Mode::Holding);
    }

    // ---- the tour -----------------------------------------------------------------------------

    void tourHoldsOnAnActiveAlarmUntilItClears() {
        // A store written by hand: a minute of GPU power, and events:
        //   5-50 s warning on a bus (not an alarm: the tour goes on)
        //   10-20 s alarm on a turbine; 30-40 s critical on a rack; 45-55 s alarm campus-wide.
        const std::string path = dir_.filePath("events.twin").toStdString();
        const Campus campus = loadCampusFile(siteFile("small.json"));
        const AssetIndex turbine = campus.assetsOfKind(AssetKind::Turbine).front();
        const AssetIndex rack = campus.racks().back();
        const AssetIndex bus = campus.assetsOfKind(AssetKind::Bus).front();
        const TimeMs t0 = 1'780'000'000'000;
        std::int64_t turbineAlarm = 0, rackAlarm = 0;
        {
            WriterOptions wo;
            wo.overwrite = true;
            auto w = StoreWriter::create(path, campus, wo);
            const int gpu = w->addSeries({"gpu", AssetSet::Gpus, {}, {{"power", "W", 1}}, 1000, 10, 256, false});
            std::vector<float> power(static_cast<std::size_t>(campus.gpuCount()), 500.f);
            for (int s = 0; s <= 60; ++s) {
                const std::span<const float> q[] = {power};
                w->writeFrame(gpu, t0 + s * 1000, q);
            }
            auto event = [&](int from, int to, Severity sev, const std::string& asset, const std::string& text) {
                const auto id = addEvent(*w, t0, from * 1000, {}, sev, asset, "test", text);
                w->endEvent(id, t0 + to * 1000);
                return id;
            };
            event(5, 50, Severity::Warning, campus.assets[bus].id, "a warning");
            turbineAlarm = event(10, 20, Severity::Alarm, campus.assets[turbine].id, "turbine alarm");
            rackAlarm = event(30, 40, Severity::Critical, campus.assets[rack].id, "rack too hot");
            event(45, 55, Severity::Alarm, "", "campus-wide alarm");
            w->close();
        }

        Session session;
        const wall::WallOptions o = alarmTourOptions(path, t0);
        wall::WallApp app(session, o);
        QCOMPARE(app.start(), QString());
        wall::WallWindow* w = app.windows().front();
        w->resize(1280, 720);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));
        QVERIFY(drawn(w->campusView()));
        wall::WallTour* tour = app.tour();
        QVERIFY(tour);
        int moves = 0;
        QString lastViewpoint = tour->viewpoint();
        connect(tour, &wall::WallTour::changed, this, [&] {
            if (tour->viewpoint() != lastViewpoint) ++moves;
            lastViewpoint = tour->viewpoint();
        });
        auto seek = [&](int s) {
            session.clock().seek(t0 + s * 1000);
            QCoreApplication::processEvents();
        };

        // 5 s: a warning only; the tour goes round the viewpoints.
        QCOMPARE(tour->mode(), wall::WallTour::Mode::Touring);
        QVERIFY(waitFor([&] { return moves >= 2; }, 3000));
        QVERIFY(session.selection().empty());

        // 12 s: the turbine's alarm: selected, the camera goes to it and stays.
        seek(12);
        QCOMPARE(tour->mode(), wall::WallTour::Mode::Holding);
        QCOMPARE(tour->heldEvent(), turbineAlarm);
        QCOMPARE(session.selection().asset, turbine);
        QVERIFY(tour->caption().startsWith("ALARM · "));
        moves = 0;
        QTest::qWait(1500);   // the fly-in (1 s), then five tour periods: no tour
        QCOMPARE(moves, 0);
        QCOMPARE(tour->mode(), wall::WallTour::Mode::Holding);
        QVERIFY(drawn(w->campusView()));
        const Box& b = campus.assets[turbine].box;
        const QPointF at = w->campusView()->project(osg::Vec3(b.cx, b.cy, b.sz));
        const QPointF centre(w->campusView()->width() / 2.0, w->campusView()->height() / 2.0);
        QVERIFY2(QLineF(at, centre).length() < 5, qPrintable(QString("turbine at %1,%2").arg(at.x()).arg(at.y())));
        seek(15);   // still active: still held
        QCOMPARE(tour->heldEvent(), turbineAlarm);

        // 25 s: it cleared: the selection goes, the tour resumes.
        seek(25);
        QCOMPARE(tour->mode(), wall::WallTour::Mode::Touring);
        QVERIFY(session.selection().empty());
        moves = 0;
        QVERIFY(waitFor([&] { return moves >= 2; }, 3000));

        // 35 s: a critical alarm on a rack.
        seek(35);
        QCOMPARE(tour->mode(), wall::WallTour::Mode::Holding);
        QCOMPARE(tour->heldEvent(), rackAlarm);
        QCOMPARE(session.selection().asset, rack);
        QCOMPARE(w->alarmsPanel()->rowTexts().size(), 1);
        QVERIFY(w->alarmsPanel()->rowTexts()[0].contains("CRITICAL"));

        // 50 s: only a campus-wide alarm, which has no place: listed, but the tour goes on.
        seek(50);
        QCOMPARE(w->alarmsPanel()->rowTexts().size(), 1);
        QVERIFY(w->alarmsPanel()->rowTexts()[0].contains("campus-wide alarm"));
        QCOMPARE(tour->mode(), wall::WallTour::Mode::Touring);
        QVERIFY(session.selection().empty());
    }

    void acknowledgedAlarmStopsTheHoldButStaysListed() {
        // Events: 10-50 s alarm on a turbine; 30-40 s critical on a rack.
        const std::string path = dir_.filePath("acked.twin").toStdString();
        const Campus campus = loadCampusFile(siteFile("small.json"));
        const AssetIndex turbine = campus.assetsOfKind(AssetKind::Turbine).front();
        const AssetIndex rack = campus.racks().back();
        const TimeMs t0 = 1'780'000'000'000;
        std::int64_t turbineAlarm = 0, rackAlarm = 0;
        {
            WriterOptions wo;
            wo.overwrite = true;
            auto w = StoreWriter::create(path, campus, wo);
            const int gpu = w->addSeries({"gpu", AssetSet::Gpus, {}, {{"power", "W", 1}}, 1000, 10, 256, false});
            std::vector<float> power(static_cast<std::size_t>(campus.gpuCount()), 500.f);
            for (int s = 0; s <= 60; ++s) {
                const std::span<const float> q[] = {power};
                w->writeFrame(gpu, t0 + s * 1000, q);
            }
            turbineAlarm = addEvent(*w, t0, 10'000, {}, Severity::Alarm, campus.assets[turbine].id, "test", "turbine alarm");
            w->endEvent(turbineAlarm, t0 + 50'000);
            rackAlarm = addEvent(*w, t0, 30'000, {}, Severity::Critical, campus.assets[rack].id, "test", "rack too hot");
            w->endEvent(rackAlarm, t0 + 40'000);
            w->close();
        }
        Session session;
        const wall::WallOptions o = alarmTourOptions(path, t0);
        wall::WallApp app(session, o);
        QCOMPARE(app.start(), QString());
        QCOMPARE(app.acks().pollMs(), 1000);   // the wall reads acknowledgements every second
        wall::WallWindow* w = app.windows().front();
        w->resize(1280, 720);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));
        wall::WallTour* tour = app.tour();
        QVERIFY(tour);
        auto seek = [&](int s) {
            session.clock().seek(t0 + s * 1000);
            QCoreApplication::processEvents();
        };
        seek(12);
        QCOMPARE(tour->mode(), wall::WallTour::Mode::Holding);
        QCOMPARE(tour->heldEvent(), turbineAlarm);
        QCOMPARE(w->alarmsPanel()->rowTexts().size(), 1);
        QVERIFY(!w->alarmsPanel()->rowTexts()[0].contains("ACK"));
        // The row's tint at its bottom right corner (no text there), and its severity bar.
        auto rowPixels = [&] {
            const QImage img = w->alarmsPanel()->grab().toImage();
            const QRect row = w->alarmsPanel()->rowRects().front();
            return std::pair(img.pixelColor(row.right() - 3, row.bottom() - 3),
                             img.pixelColor(row.left() + w->alarmsPanel()->severityBarWidth() / 2, row.center().y()));
        };
        const auto [loudTint, loudBar] = rowPixels();
        QCOMPARE(loudBar, views::severityColour(Severity::Alarm));

        // A desk acknowledges it: another program writing the review file beside the store.
        const TimeMs ackedAt = QDateTime::currentMSecsSinceEpoch();
        {
            auto review = ReviewFile::open(path);
            QVERIFY(review->acknowledge(turbineAlarm, "desk-operator", ackedAt));
        }
        // Within a poll (1 s): the hold is released and the tour goes on...
        QVERIFY(waitFor([&] { return tour->mode() == wall::WallTour::Mode::Touring; }, 3000));
        QVERIFY(app.alarms().acknowledged(turbineAlarm));
        QCOMPARE(app.alarms().acknowledgement(turbineAlarm)->at, ackedAt);
        QVERIFY(session.selection().empty());
        int moves = 0;
        QString lastViewpoint = tour->viewpoint();
        connect(tour, &wall::WallTour::changed, this, [&] {
            if (tour->viewpoint() != lastViewpoint) ++moves;
            lastViewpoint = tour->viewpoint();
        });
        QVERIFY(waitFor([&] { return moves >= 2; }, 3000));
        // ...while the alarm stays listed, marked acknowledged, for as long as it is active.
        QCOMPARE(app.alarms().alarms().size(), std::size_t(1));
        QCOMPARE(w->alarmsPanel()->rowTexts().size(), 1);
        QVERIFY(w->alarmsPanel()->rowTexts()[0].contains("turbine alarm"));
        QVERIFY(w->alarmsPanel()->rowTexts()[0].endsWith("ACK desk-operator"));
        // Drawn less loud (a fainter tint, nearer the panel's background), the bar unchanged.
        const auto [quietTint, quietBar] = rowPixels();
        QCOMPARE(quietBar, views::severityColour(Severity::Alarm));
        const QColor background(18, 22, 27);
        auto distance = [](const QColor& a, const QColor& b) {
            return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue());
        };
        QVERIFY2(distance(quietTint, background) < distance(loudTint, background),
                 qPrintable(quietTint.name() + " vs " + loudTint.name()));
        seek(20);
        QCOMPARE(tour->mode(), wall::WallTour::Mode::Touring);
        QCOMPARE(w->alarmsPanel()->rowTexts().size(), 1);

        // A new alarm still holds the camera; both are listed.
        seek(35);
        QCOMPARE(tour->mode(), wall::WallTour::Mode::Holding);
        QCOMPARE(tour->heldEvent(), rackAlarm);
        QCOMPARE(session.selection().asset, rack);
        QCOMPARE(w->alarmsPanel()->rowTexts().size(), 2);
        QVERIFY(w->alarmsPanel()->rowTexts()[0].contains("CRITICAL"));   // most severe first
        QVERIFY(!w->alarmsPanel()->rowTexts()[0].contains("ACK"));
        QVERIFY(w->alarmsPanel()->rowTexts()[1].endsWith("ACK desk-operator"));

        // 45 s: the rack's alarm cleared; the acknowledged one does not hold: the tour goes on.
        seek(45);
        QCOMPARE(tour->mode(), wall::WallTour::Mode::Touring);
        QCOMPARE(w->alarmsPanel()->rowTexts().size(), 1);
        // 55 s: the turbine's alarm cleared too: no longer listed.
        seek(55);
        QVERIFY(w->alarmsPanel()->rowTexts().isEmpty());
    }
};

QTEST_MAIN(TestWall)
#include "test_wall.moc"
