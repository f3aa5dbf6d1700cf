// The desktop app under Xvfb: the 3D scene built from both campus files, rack pixels that change
// colour with the state, picking a rack by clicking where it is drawn, the inspector following
// the clock, and a bad store's error.
#include "campus3d/campus_view.h"
#include "common/inspector_panel.h"
#include "electrical/asset_channels.h"
#include "electrical/power_charts_panel.h"
#include "electrical/strip_chart.h"
#include "main_window.h"
#include "review/bookmarks_panel.h"
#include "timeline/timeline_widget.h"

#include "support/app_process.h"
#include "support/child_writer.h"
#include "support/data_files.h"
#include "support/pixels.h"
#include "support/recordings.h"
#include "support/widgets.h"

#include "twin/campus_file.h"
#include "twin/sim/simulator.h"

#include <QDialog>
#include <QDockWidget>
#include <QMenuBar>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace twin;
using namespace views;
using namespace testsupport;

namespace {

// Renders the window and waits for the 3D view to draw (two frames).
void drawn(MainWindow& w) { QVERIFY2(testsupport::drawn(w.campusView(), 2, 10000), "the 3D view did not draw"); }

// Opens a store in a 1280x720 window looking at the campus's first building.
void showFirstBuilding(MainWindow& w, Session& session, const std::string& store) {
    QVERIFY(w.openStore(QString::fromStdString(store), false));
    w.resize(1280, 720);
    w.show();
    const Campus& c = session.campus();
    w.campusView()->flyTo(QString::fromStdString(c.assets[c.assetsOfKind(AssetKind::Building).front()].id), false);
}

} // namespace

class TestApp : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string crash_;   // small campus, its only job crashes at 30 s

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        crash_ = sharedRecording(recordings::kCrash60);
    }

    void sceneHasOneInstancePerRackAndUnit_data() { addCampusFileRows("campus"); }
    void sceneHasOneInstancePerRackAndUnit() {
        QFETCH(QString, campus);
        const Campus c = loadCampusFile(siteFile(campus.toStdString()));
        views::CampusScene scene(c);
        QCOMPARE(scene.rackInstances(), c.racks().size());
        std::size_t plant = 0;
        for (auto k : {AssetKind::Turbine, AssetKind::MegapackBlock, AssetKind::SolarArray, AssetKind::GridTie,
                       AssetKind::Substation, AssetKind::CoolingPlant})
            plant += c.assetsOfKind(k).size();
        QCOMPARE(scene.plantInstances(), plant);
        QCOMPARE(scene.buildingInstances(), c.assetsOfKind(AssetKind::Building).size());
    }

    void rackPixelsFollowTheState() {
        Session session;
        MainWindow w(session);
        showFirstBuilding(w, session, crash_);
        const auto& racks = session.campus().racks();
        const Box& b = session.campus().assets[racks[0]].box;
        const osg::Vec3 top(b.cx, b.cy, b.sz);
        // Before the crash the job trains; after it, its racks idle.
        QColor before, after;
        double vBefore = 0, vAfter = 0;
        for (auto [t, colour, value] : {std::tuple{20'000, &before, &vBefore}, std::tuple{50'000, &after, &vAfter}}) {
            session.clock().seek(session.clock().span().first + t);
            drawn(w);
            const QPointF at = w.campusView()->project(top);
            *colour = framebufferPixel(w.campusView(), at.toPoint());
            *value = w.campusView()->scene()->rackValue(0);
        }
        qInfo("rack 0: %.2f of rated -> rgb(%d,%d,%d); %.2f -> rgb(%d,%d,%d)", vBefore, before.red(), before.green(),
              before.blue(), vAfter, after.red(), after.green(), after.blue());
        // Training at ~0.9 of rated; after the crash the GPUs idle, the rack's CPUs, NICs and fans
        // still draw its idle power (about 0.3 of rated in the test campus).
        QVERIFY(vBefore > 0.7);
        QVERIFY(vAfter < 0.4);
        // Each pixel is the colour map's colour for the stored value, shaded (top face: x0.94).
        for (auto [c, v] : {std::pair{before, vBefore}, std::pair{after, vAfter}}) {
            QVERIFY2(nearShaded(c, views::colourAt(v), 0.94, 30), qPrintable(QString("pixel %1 for value %2").arg(c.name()).arg(v)));
        }
        QVERIFY(colourDistance(before, after) > 60);
    }

    void upCloseRacksShowTheirGpus() {
        // Many GPU failures, so that a rack holds both dead and working GPUs.
        const std::string failing = dir_.filePath("failing.twin").toStdString();
        auto p = sim::scenario("steady-training", 30);
        p.gpuFailuresPerHour = 20'000;
        p.stallS = 0;      // the job restarts at once, around its dead GPUs
        p.jobRampS = 0;
        recordScenario("small.json", p, 30, failing);
        Session session;
        MainWindow w(session);
        QVERIFY(w.openStore(QString::fromStdString(failing), false));
        w.resize(1280, 720);
        w.show();
        session.clock().seek(session.clock().span().first + 20'000);
        const Campus& c = session.campus();
        const AssetIndex rack = c.racks()[0];
        w.campusView()->flyTo(QString::fromStdString(c.assets[rack].id), false);
        drawn(w);
        drawn(w);   // the first frame up close turns the per-GPU cells on
        QVERIFY(w.campusView()->scene()->detail());
        const Asset& a = c.assets[rack];
        const double tdp = c.gpuModel(c.rackType(a.model)->gpuModel)->tdpW;
        const auto* gpu = session.series("gpu");
        QVERIFY(gpu && gpu->valid);
        const int rows = static_cast<int>((a.gpuCount + 7) / 8);
        int dead = -1, alive = -1;
        for (int k = 0; k < a.gpuCount; ++k) {
            const float w = gpu->values[0][a.gpuFirst + k];
            if (w < 1) dead = k;             // a failed GPU reads 0 W
            else if (w > 0.5 * tdp) alive = k;
        }
        QVERIFY2(dead >= 0 && alive >= 0, "the rack should hold dead and working GPUs");
        std::vector<QColor> seen;
        for (int k : {dead, alive}) {
            // The centre of GPU k's cell on the rack's top face, in the campus frame.
            const double u = ((k % 8) + 0.5) / 8 - 0.5, v = ((k / 8) + 0.5) / rows - 0.5;
            const double yaw = a.box.yawDeg * M_PI / 180;
            const double x = u * a.box.sx, y = v * a.box.sy;
            const osg::Vec3 p(a.box.cx + std::cos(yaw) * x - std::sin(yaw) * y, a.box.cy + std::sin(yaw) * x + std::cos(yaw) * y,
                              a.box.sz);
            const QColor px = framebufferPixel(w.campusView(), w.campusView()->project(p).toPoint());
            QVERIFY2(nearShaded(px, views::colourAt(gpu->values[0][a.gpuFirst + k] / tdp), 0.94, 30),
                     qPrintable(QString("GPU %1: pixel %2, its value %3 W").arg(k).arg(px.name()).arg(gpu->values[0][a.gpuFirst + k])));
            seen.push_back(px);
        }
        // One rack, two colours: the cells are the GPUs', not the rack's.
        QVERIFY(colourDistance(seen[0], seen[1]) > 100);
    }

    void selectingAJobDimsTheOtherRacks() {
        const std::string store = dir_.filePath("jobs.twin").toStdString();
        auto p = sim::scenario("steady-training", 10);
        p.jobRacks = 2;   // several jobs on the small campus
        recordScenario("small.json", p, 10, store);
        Session session;
        MainWindow w(session);
        QVERIFY(w.openStore(QString::fromStdString(store), false));
        const auto& jobs = session.reader().jobs();
        QVERIFY(jobs.size() >= 2);
        const Job& job = jobs[1];
        session.select({kNoAsset, -1, job.id});
        const auto& racks = session.campus().racks();
        const auto* scene = w.campusView()->scene();
        for (std::size_t i = 0; i < racks.size(); ++i) {
            const bool member = std::find(job.racks.begin(), job.racks.end(), session.campus().assets[racks[i]].id) != job.racks.end();
            const auto want = views::colourAt(scene->rackValue(i));
            const std::uint8_t* got = scene->rackColour(i);
            QCOMPARE(got[0] == want[0] && got[1] == want[1] && got[2] == want[2], member);
        }
    }

    void clickingARackSelectsIt() {
        Session session;
        MainWindow w(session);
        showFirstBuilding(w, session, crash_);
        drawn(w);
        const auto& racks = session.campus().racks();
        for (std::size_t i : {std::size_t(0), racks.size() - 1}) {
            const Box& b = session.campus().assets[racks[i]].box;
            const QPointF at = w.campusView()->project(osg::Vec3(b.cx, b.cy, b.sz));
            QTest::mouseClick(w.campusView(), Qt::LeftButton, {}, at.toPoint());
            QCOMPARE(session.selection().asset, racks[i]);
        }
        // Empty ground selects nothing.
        QTest::mouseClick(w.campusView(), Qt::LeftButton, {}, QPoint(5, 5));
        QCOMPARE(session.selection().asset, kNoAsset);
    }

    void inspectorFollowsTheClock() {
        Session session;
        MainWindow w(session);
        QVERIFY(w.openStore(QString::fromStdString(crash_), false));
        w.show();
        auto* inspector = w.findChild<InspectorPanel*>();
        QVERIFY(inspector);
        const AssetIndex rack = session.campus().racks()[1];
        session.select({rack});
        const int series = session.reader().findSeries("rack");
        for (TimeMs t : {20'000, 50'000}) {
            session.clock().seek(session.clock().span().first + t);
            QCoreApplication::processEvents();
            const auto st = session.reader().seriesAt(series, session.clock().time());
            const double want = st.values[0][1];
            const double shown = inspector->valueText("power").toDouble();
            QVERIFY2(std::abs(shown - want) <= 0.05 + 1e-3 * std::abs(want),
                     qPrintable(QString("inspector shows %1, store has %2").arg(inspector->valueText("power")).arg(want)));
        }
    }

    void liveDataAppearsWithinHalfASecond() {
        // A writer in another process commits a frame every 200 ms; the session in live mode
        // must show each one (clock at its time, state recomputed) within 0.5 s.
        const QString path = dir_.filePath("live.twin");
        QProcess writer;
        QVERIFY(startWriter(writer, path, 200, 1, 25));
        Session session;
        session.open(path.toStdString());
        session.clock().setLive(true);
        double worst = 0;
        int seen = 0;
        while (seen < 25 && writer.state() != QProcess::NotRunning) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            if (!writer.canReadLine()) {
                writer.waitForReadyRead(5);
                continue;
            }
            const auto commit = parseCommit(writer.readLine());
            if (!commit) continue;
            const TimeMs t = commit->t;
            QElapsedTimer waited;
            waited.start();
            while (session.clock().time() < t && waited.elapsed() < 3000) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            QCOMPARE(session.clock().time(), t);
            QVERIFY(session.series("gpu")->valid && session.series("gpu")->t == t);
            worst = std::max(worst, static_cast<double>(waited.elapsed()));
            seen = static_cast<int>(commit->frames);
        }
        writer.waitForFinished(10000);
        qInfo("live: every commit shown within %.0f ms", worst);
        QCOMPARE(seen, 25);
        QVERIFY(worst <= 500);
    }

    void stripChartShowsTheStoresReducedRange() {
        Session session;
        session.open(crash_);
        views::StripChart chart(session, "Frequency", "Hz");
        const int bus = session.reader().findSeries("bus");
        chart.addSeries("bus", Qt::yellow, [&](TimeMs a, TimeMs b, int n) { return session.reader().seriesRange(bus, 0, 0, a, b, n); });
        showWidget(chart, 640, 240);
        // One bucket per pixel over the whole recording: exactly the store's reduction.
        const TimeSpan sp = session.clock().span();
        const auto want = session.reader().seriesRange(bus, 0, 0, sp.first, sp.last, std::max(50, chart.width()));
        QCOMPARE(chart.data(0).size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i) {
            QCOMPARE(chart.data(0)[i].min, want[i].min);
            QCOMPARE(chart.data(0)[i].max, want[i].max);
        }
        // The cursor follows the clock: drawn over the cached chart at the time's column.
        session.clock().seek(sp.first + 12'500);
        QCOMPARE(chart.cursorSeconds(), 12.5);
        QImage picture = chart.grabFramebuffer();
        const int x12 = chart.cursorColumn();
        QVERIFY(x12 > 0);
        QCOMPARE(picture.pixelColor(x12, picture.height() / 2), QColor(40, 160, 255));
        session.clock().seek(sp.first + 40'000);
        picture = chart.grabFramebuffer();
        const int x40 = chart.cursorColumn();
        QVERIFY(x40 > x12 + 50);   // 27.5 s further right on a ~60 s axis of ~600 pixels
        QCOMPARE(picture.pixelColor(x40, picture.height() / 2), QColor(40, 160, 255));
        QVERIFY(picture.pixelColor(x12, picture.height() / 2) != QColor(40, 160, 255));   // the old one is gone
        // Zooming in keeps a one-bucket-per-pixel reduction of the smaller range.
        chart.setRange(sp.first + 10'000, sp.first + 20'000);
        const auto zoomed = session.reader().seriesRange(bus, 0, 0, sp.first + 10'000, sp.first + 20'000, std::max(50, chart.width()));
        QCOMPARE(chart.data(0).size(), zoomed.size());
        QCOMPARE(chart.data(0).front().first, zoomed.front().first);
    }

    void powerChartsSumSourcesAndFollowTheSelection() {
        Session session;
        session.open(crash_);
        views::PowerChartsPanel panel(session);
        showWidget(panel, 700, 900);
        auto* stacked = panel.generationBySource();
        QCOMPARE(stacked->seriesCount(), 5);   // turbines, Megapacks, solar, grid stacked; the load over them
        QVERIFY(stacked->seriesOptions(4).overlay);
        // The turbines' series is the sum of every turbine's channel, bucket by bucket.
        const int source = session.reader().findSeries("source");
        const auto& info = session.reader().series()[source - 1];
        const auto [a, b] = stacked->range();
        const int n = std::max(50, stacked->width());
        std::map<TimeMs, double> want;
        for (std::size_t i = 0; i < info.assets.size(); ++i)
            if (session.campus().assets[info.assets[i]].kind == AssetKind::Turbine)
                for (const Bucket& k : session.reader().seriesRange(source, 0, static_cast<std::int64_t>(i), a, b, n))
                    want[(k.first - a) / std::max<TimeMs>(1, (b - a + n) / n)] += k.sum / k.count;
        const auto& got = stacked->data(0);
        QCOMPARE(got.size(), want.size());
        for (const Bucket& k : got)
            QVERIFY(std::abs(k.sum - want[(k.first - a) / std::max<TimeMs>(1, (b - a + n) / n)]) < 1e-9);
        // Selecting a turbine charts its MW channels: electrical and mechanical power.
        const AssetIndex turbine = session.campus().assetsOfKind(AssetKind::Turbine).front();
        session.select({turbine});
        QCOMPARE(panel.selected()->seriesCount(), 2);
        // Every turbine has its own line in the turbine chart.
        QCOMPARE(panel.turbines()->seriesCount(), static_cast<int>(session.campus().assetsOfKind(AssetKind::Turbine).size()));
    }

    // A charging Megapack stacks below zero, a discharging one above the turbines; a signal of
    // the selected asset can be added to any chart (another unit: the right axis); zooming one
    // chart moves them all.
    void powerChartsStackChargingBelowZeroAddSignalsAndZoomTogether() {
        Session session;
        session.open(crash_);
        views::PowerChartsPanel panel(session);
        showWidget(panel, 900, 700);
        auto* stacked = panel.generationBySource();
        QCOMPARE(stacked->seriesName(1), QString("Megapacks"));
        int charging = 0, discharging = 0;
        for (int row = 0; row < stacked->stackedRows(); ++row) {
            const auto [tLo, tHi] = stacked->stackedBand(0, row);   // turbines
            const auto [lo, hi] = stacked->stackedBand(1, row);     // Megapacks
            QCOMPARE(tLo, 0.0);
            if (hi - lo < 1e-6) continue;
            if (hi <= 0) {
                ++charging;   // below zero, from zero down
                QCOMPARE(hi, 0.0);
            } else {
                ++discharging;   // on top of the turbines
                QCOMPARE(lo, tHi);
            }
        }
        QVERIFY2(charging > 0 && discharging > 0, qPrintable(QString("%1 charging, %2 discharging rows").arg(charging).arg(discharging)));

        // The selected Megapack block's SoC (%) added to the frequency chart (Hz): right axis.
        const AssetIndex block = session.campus().assetsOfKind(AssetKind::MegapackBlock).front();
        session.select({block});
        const auto channels = views::assetChannels(session, session.selection());
        int soc = -1;
        for (std::size_t i = 0; i < channels.size(); ++i)
            if (channels[i].quantity == "soc") soc = static_cast<int>(i);
        QVERIFY(soc >= 0);
        auto* frequency = panel.frequency();
        const int before = frequency->seriesCount();
        QVERIFY(panel.addSelectedChannel(frequency, soc));
        QCOMPARE(frequency->seriesCount(), before + 1);
        QCOMPARE(frequency->seriesOptions(before).unit, QString("%"));
        QVERIFY(frequency->seriesOptions(before).removable);
        const int mp = session.reader().findSeries("megapack");
        const auto [a, b] = frequency->range();
        const auto want = session.reader().seriesRange(mp, 0, session.positionIn("megapack", block), a, b, std::max(50, frequency->width()));
        QCOMPARE(frequency->data(before).size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i) QCOMPARE(frequency->data(before)[i].max, want[i].max);
        frequency->removeSeries(before);
        QCOMPARE(frequency->seriesCount(), before);

        // The wheel over one chart zooms every chart to the same range.
        const auto [s0, s1] = panel.turbines()->range();
        QWheelEvent wheel(QPointF(frequency->width() / 2.0, frequency->height() / 2.0), frequency->mapToGlobal(QPointF(frequency->width() / 2.0, 10)),
                          QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(frequency, &wheel);
        const auto zoomed = frequency->range();
        QVERIFY(zoomed.second - zoomed.first < s1 - s0);
        for (auto* c : panel.charts()) QCOMPARE(c->range(), zoomed);
    }

    void badStoreGivesOneLineAndExitCode() {
        const QString bad = dir_.filePath("bad.twin");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a store");
        f.close();
        QProcess p;
        p.setProcessEnvironment(quietEnvironment());
        p.start(appProgram(), {bad, "--screenshot", dir_.filePath("x.png")});
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 1);
        const QString err = QString::fromUtf8(p.readAllStandardError()).trimmed();
        QVERIFY2(err.startsWith("colossus-twin: ") && err.contains(bad) && err.contains("not an SQLite database"), qPrintable(err));
        QVERIFY(!QFile::exists(dir_.filePath("x.png")));
    }

    void screenshotWritesAPicture() {
        const QString png = dir_.filePath("shot.png");
        QProcess p;
        p.setProcessEnvironment(quietEnvironment());
        p.start(appProgram(),
                {QString::fromStdString(crash_), "--screenshot", png, "--size", "800x600", "--at", "+20"});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const QImage img(png);
        QCOMPARE(img.size(), QSize(800, 600));
        // Not empty: many distinct colours.
        QVERIFY(distinctColours(img, img.rect(), 7) > 50);
    }

    // Incident review in the window (issue #7): the Bookmarks dock tabbed with the events, the
    // Review menu's actions and keys, driving the timeline's navigator and the bookmarks panel.
    void reviewMenuAndBookmarksDock() {
        Session session;
        MainWindow w(session);
        QVERIFY(w.openStore(QString::fromStdString(crash_), false));
        auto* events = w.findChild<QDockWidget*>("eventsDock");
        auto* bookmarks = w.findChild<QDockWidget*>("bookmarksDock");
        QVERIFY(events && bookmarks);
        QCOMPARE(bookmarks->windowTitle(), QString("Bookmarks"));
        QCOMPARE(w.dockWidgetArea(bookmarks), Qt::LeftDockWidgetArea);
        QVERIFY(w.tabifiedDockWidgets(events).contains(bookmarks));
        QCOMPARE(bookmarks->widget(), w.bookmarksPanel());
        QCOMPARE(w.timeline()->track()->bookmarkModel(), w.bookmarksPanel()->model());

        QMenu* review = nullptr;
        for (QAction* a : w.menuBar()->actions())
            if (a->text() == "&Review") review = a->menu();
        QVERIFY(review);
        QMap<QString, QAction*> act;
        for (QAction* a : review->actions()) act[a->text()] = a;
        const std::vector<std::pair<QString, QString>> keys = {{"Add &bookmark…", "Ctrl+B"}, {"&Previous event", "["},
            {"&Next event", "]"}, {"P&lay to next event", "}"}, {"L&oop review window", "L"}};
        for (const auto& [text, key] : keys) {
            QVERIFY2(act.value(text), qPrintable(text));
            QCOMPARE(act[text]->shortcut(), QKeySequence(key));
        }

        // Next event: the first warning or worse of the store; its asset selected.
        const TimeSpan span = session.clock().span();
        std::vector<Event> serious;
        for (const Event& e : session.reader().events(span.first, span.last))
            if (e.severity >= Severity::Warning) serious.push_back(e);
        QVERIFY(!serious.empty());
        const Event first = *std::min_element(serious.begin(), serious.end(),
                                              [](const Event& a, const Event& b) { return a.start < b.start; });
        session.clock().seek(span.first);
        act["&Next event"]->trigger();
        QCOMPARE(session.clock().time(), first.start);
        act["L&oop review window"]->trigger();
        QVERIFY(session.clock().hasLoop());
        QVERIFY(act["L&oop review window"]->isChecked());
        QCOMPARE(session.clock().loop().first, std::max(span.first, first.start - 30'000));
        act["L&oop review window"]->trigger();
        QVERIFY(!session.clock().hasLoop());

        // Add bookmark: the prompt of the Bookmarks dock, for the clock's time.
        act["Add &bookmark…"]->trigger();
        QDialog* prompt = w.bookmarksPanel()->addDialog();
        QVERIFY(prompt);
        prompt->reject();
        QTRY_VERIFY(!w.bookmarksPanel()->addDialog());
    }
};

QTEST_MAIN(TestApp)
#include "test_app.moc"
