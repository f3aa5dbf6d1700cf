// views/campus3d in the main window under Xvfb: the 3D scene built from both campus files, rack
// pixels that change colour with the state, per-GPU cells up close, a selected job dimming the
// other racks, picking a rack by clicking where it is drawn, stale and missing data drawn as such,
// and the plant in ISA-101 greys.
#include "campus3d/campus_view.h"
#include "campus3d/selection_bounds.h"
#include "common/hmi_colours.h"
#include "main_window.h"
#include "timeline/event_list_panel.h"

#include "support/data_files.h"
#include "support/pixels.h"
#include "support/quality_store.h"
#include "support/recordings.h"
#include "support/widgets.h"

#include "twin/campus_file.h"
#include "twin/query/series_query.h"
#include "twin/sim/series.h"
#include "twin/sim/simulator.h"

#include <QLineEdit>
#include <QLocale>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

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

// The two window sizes the overview is checked at (a test's _data rows).
void addOverviewSizes() {
    QTest::addColumn<QSize>("size");
    QTest::newRow("1280x720") << QSize(1280, 720);
    QTest::newRow("1920x1080") << QSize(1920, 1080);
}

// Opens a store in a window of `size` at its last time, showing the whole campus, drawn.
void showWholeCampus(MainWindow& w, Session& session, const std::string& store, QSize size) {
    QVERIFY(w.openStore(QString::fromStdString(store), false));
    w.setFixedSize(size);
    w.show();
    session.clock().seek(session.clock().span().last);
    w.campusView()->flyTo("campus", false);
    drawn(w);
}

} // namespace

class TestCampus3d : public QObject {
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

    // The build-out: the test campus's building commissioned 30 s into a recording. Before its
    // date it is an outline: where its racks stand the pixels show the ground (its colour,
    // 51,61,51, unlit), not rack colours, and its racks count in no figure; after, its racks are
    // drawn solid in their values' colours (as rackPixelsFollowTheState checks them).
    void buildingBeforeItsDateIsAnOutline() {
        std::ifstream in(siteFile("small.json"));
        std::stringstream text;
        text << in.rdbuf();
        std::string json = text.str();
        const TimeMs start = sim::Params{}.start, date = start + 30'000;
        const std::string lab = R"("id": "lab", "name": "Lab",)";
        json.replace(json.find(lab), lab.size(), lab + R"( "commissioned": ")" + formatUtc(date) + R"(",)");
        json.replace(json.find(R"("version": 1)"), 12, R"("version": 2)");   // dates: version 2 of the format
        const Campus campus = parseCampus(json, "dated-small.json");
        const std::string store = dir_.filePath("dated.twin").toStdString();
        {
            auto writer = StoreWriter::create(store, campus, {.overwrite = true});
            sim::Simulator sim(campus, sim::scenario("steady-training", 60));
            sim.attach(*writer);
            sim.run(60);
            writer->close();
        }
        Session session;
        MainWindow w(session);
        showFirstBuilding(w, session, store);
        const Campus& c = session.campus();
        const AssetIndex building = c.find("testsite/lab");
        const QColor ground(51, 61, 51);
        int groundBefore = 0, solidAfter = 0;
        for (const TimeMs t : {start + 10'000, start + 50'000}) {
            session.clock().seek(t);
            drawn(w);
            const CampusScene& scene = *w.campusView()->scene();
            QCOMPARE(scene.built(building), t >= date);
            // Its racks count in no figure: the site's label has no IT line before; the building's
            // label says from when.
            CampusScene& labelled = *w.campusView()->scene();
            const QString site = labelled.labels().siteText(c.find("testsite"));
            QVERIFY2(site.contains("IT ") == (t >= date), qPrintable(site));
            bool labelSeen = false;
            for (const auto& p : labelled.labels().visible())
                if (p.asset == building) {
                    labelSeen = true;
                    QVERIFY2(p.text.contains(QString::fromStdString(" (from " + formatUtc(date) + ")")) == (t < date), qPrintable(p.text));
                }
            QVERIFY(labelSeen);
            QVERIFY(scene.racksShown(building));   // up close: racks, not roof heat maps
            for (std::size_t i = 0; i < c.racks().size(); ++i) {
                const Box& b = c.assets[c.racks()[i]].box;
                const QPoint at = w.campusView()->project(osg::Vec3(b.cx, b.cy, b.sz)).toPoint();
                const QColor px = framebufferPixel(w.campusView(), at);
                if (t < date) {
                    QVERIFY2(near(px, ground, 8), qPrintable(QString("rack %1 before its date: %2").arg(i).arg(px.name())));
                    QVERIFY(std::isnan(scene.rackValue(i)));
                    ++groundBefore;
                } else {
                    const double v = scene.rackValue(i);
                    QVERIFY2(nearShaded(px, views::colourAt(v), 0.94, 30),
                             qPrintable(QString("rack %1 after its date: %2 for value %3").arg(i).arg(px.name()).arg(v)));
                    QVERIFY(colourDistance(px, ground) > 60);
                    ++solidAfter;
                }
            }
            // The outline itself: the building's edge in the outline colour (light grey) somewhere
            // on the line between two of its projected top corners, before; not after.
            const Box& bb = c.assets[building].box;
            const QPointF p0 = w.campusView()->project(osg::Vec3(bb.cx - bb.sx / 2, bb.cy - bb.sy / 2, bb.sz));
            const QPointF p1 = w.campusView()->project(osg::Vec3(bb.cx + bb.sx / 2, bb.cy - bb.sy / 2, bb.sz));
            const QImage img = w.campusView()->grabFramebuffer();
            int edge = 0;
            for (int k = 1; k < 40; ++k) {
                const QPointF m = p0 + (p1 - p0) * (k / 40.0);
                for (int dy = -2; dy <= 2; ++dy) {
                    const QPoint q(static_cast<int>(m.x()), static_cast<int>(m.y()) + dy);
                    if (img.rect().contains(q) && near(img.pixelColor(q), QColor(217, 222, 235), 25)) {
                        ++edge;
                        break;
                    }
                }
            }
            qInfo("t = %s: %d of 39 points of the building's south edge in the outline colour",
                  formatUtc(t).c_str(), edge);
            if (t < date) QVERIFY(edge >= 30);
        }
        QCOMPARE(groundBefore, static_cast<int>(c.racks().size()));
        QCOMPARE(solidAfter, static_cast<int>(c.racks().size()));
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
            const float w = gpu->values[twin::sim::series::Gpu::Power][a.gpuFirst + k];
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
            QVERIFY2(nearShaded(px, views::colourAt(gpu->values[twin::sim::series::Gpu::Power][a.gpuFirst + k] / tdp), 0.94, 30),
                     qPrintable(QString("GPU %1: pixel %2, its value %3 W").arg(k).arg(px.name()).arg(gpu->values[twin::sim::series::Gpu::Power][a.gpuFirst + k])));
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

    void staleAndMissingRacksAreDrawnSo() {
        using twin::query::DataQuality;
        const QualityRecording rec = recordWithQuality(dir_.filePath("quality.twin").toStdString());
        Session session;
        MainWindow w(session);
        showFirstBuilding(w, session, rec.path);
        session.clock().seek(session.clock().span().first + 5'000);
        drawn(w);
        const auto* scene = w.campusView()->scene();
        const auto& racks = session.campus().racks();
        QCOMPARE(scene->rackQuality(0), DataQuality::Good);
        QCOMPARE(scene->rackQuality(rec.staleRack), DataQuality::Stale);
        QCOMPARE(scene->rackQuality(rec.missingRack), DataQuality::Missing);
        for (std::size_t i : {std::size_t(0), rec.staleRack, rec.missingRack}) {
            const Box& b = session.campus().assets[racks[i]].box;
            const QPointF at = w.campusView()->project(osg::Vec3(b.cx, b.cy, b.sz));
            QVERIFY(w.campusView()->rect().contains(at.toPoint()));
            const QColor px = framebufferPixel(w.campusView(), at.toPoint());
            const auto want = hmi::withQuality(views::colourAt(scene->rackValue(i)), scene->rackQuality(i));
            qInfo("rack %zu (%s): pixel %s, want %d,%d,%d shaded", i, twin::query::qualityWord(scene->rackQuality(i)),
                  qPrintable(px.name()), want[0], want[1], want[2]);
            QVERIFY2(nearShaded(px, want, 0.94, 30), qPrintable(px.name()));
        }
        // Stale: lilac with a trace of the value; missing: the no-data grey whatever the value.
        const auto stale = scene->rackColour(rec.staleRack);
        QVERIFY(colourDistance(QColor(stale[0], stale[1], stale[2]), hmi::kStale) < 80);
        const auto missing = scene->rackColour(rec.missingRack);
        QCOMPARE(QColor(missing[0], missing[1], missing[2]), hmi::kMissing);
    }

    void plantIsGreyWhenNormalAndShowsItsQuality() {
        const QualityRecording rec = recordWithQuality(dir_.filePath("quality-plant.twin").toStdString());
        Session session;
        MainWindow w(session);
        showFirstBuilding(w, session, rec.path);
        session.clock().seek(session.clock().span().first + 5'000);
        drawn(w);
        const auto* scene = w.campusView()->scene();
        auto colour = [&](AssetIndex a) {
            const auto c = scene->plantColour(a);
            return QColor(c[0], c[1], c[2]);
        };
        // ISA-101: a running turbine is grey, not green; the stale one is lilac; the Megapack
        // block without data is the no-data grey.
        QCOMPARE(colour(rec.goodTurbine), hmi::kRunning);
        QCOMPARE(colour(rec.staleTurbine), hmi::withQuality(hmi::kRunning, twin::query::DataQuality::Stale));
        QCOMPARE(colour(rec.missingBlock), hmi::kMissing);
        // And a tripped unit is the alarm colour (the trip recording's largest unit, after 20 s).
        Session trip;
        MainWindow tw(trip);
        showFirstBuilding(tw, trip, sharedRecording(recordings::kTrip60));
        trip.clock().seek(trip.clock().span().first + 40'000);
        drawn(tw);
        int red = 0, grey = 0;
        for (AssetIndex a : trip.campus().assetsOfKind(AssetKind::Turbine)) {
            const auto c = tw.campusView()->scene()->plantColour(a);
            const QColor q(c[0], c[1], c[2]);
            red += q == hmi::kAlarm;
            grey += q == hmi::kRunning || q == hmi::kStandby || q == hmi::kTransition;
        }
        QCOMPARE(red, 1);
        QCOMPARE(red + grey, static_cast<int>(trip.campus().assetsOfKind(AssetKind::Turbine).size()));
    }

    void anAlarmStaysRedWhileSelected() {
        Session session;
        MainWindow w(session);
        const std::string trip = sharedRecording(recordings::kTrip60);
        QVERIFY(w.openStore(QString::fromStdString(trip), false));
        w.resize(1280, 720);
        w.show();
        session.clock().seek(session.clock().span().first + 40'000);   // the largest unit tripped at 20 s
        const Campus& c = session.campus();
        AssetIndex tripped = kNoAsset;
        for (AssetIndex a : c.assetsOfKind(AssetKind::Turbine))
            if (w.campusView()->scene()->plantColour(a) == hmi::rgba8(hmi::kAlarm)) tripped = a;
        QVERIFY(tripped != kNoAsset);
        w.campusView()->flyTo(QString::fromStdString(c.assets[tripped].id), false);
        const Box& b = c.assets[tripped].box;
        auto look = [&](int& white) {
            drawn(w);
            const QPointF centre = w.campusView()->project(osg::Vec3(b.cx, b.cy, b.cz + b.sz / 2));
            const QColor px = framebufferPixel(w.campusView(), centre.toPoint());
            const QImage img = w.campusView()->grabFramebuffer();
            if (qEnvironmentVariableIsSet("TWIN_TEST_SAVE")) img.save(qEnvironmentVariable("TWIN_TEST_SAVE"));
            const QRect around(centre.toPoint() - QPoint(120, 120), QSize(241, 241));
            white = countPixels(img, around, 1, [](const QColor& q) { return q.red() > 250 && q.green() > 250 && q.blue() > 250; });
            return px;
        };
        int whiteBefore = 0, whiteSelected = 0;
        const QColor before = look(whiteBefore);
        session.select({tripped, -1, 0});
        const QColor selected = look(whiteSelected);
        qInfo("tripped turbine: %s unselected, %s selected; white pixels around it %d -> %d", qPrintable(before.name()),
              qPrintable(selected.name()), whiteBefore, whiteSelected);
        // Its face stays the alarm red; the selection is the white outline around it.
        QVERIFY2(nearShaded(selected, hmi::rgba8(hmi::kAlarm), 0.94, 30), qPrintable(selected.name()));
        QVERIFY(whiteSelected > whiteBefore + 40);
    }

    void overviewLabelsNeverOverlap_data() { addOverviewSizes(); }
    void overviewLabelsNeverOverlap() {
        QFETCH(QSize, size);
        // The default campus (four sites kilometres apart), its plant only: a few seconds.
        const std::string store = dir_.filePath("colossus-plant.twin").toStdString();
        if (!QFile::exists(QString::fromStdString(store))) {
            auto p = sim::scenario("turbine-trip", 5);
            p.recordGpus = false;
            p.tripAtS = 2;
            recordScenario("colossus.json", p, 5, store);
        }
        Session session;
        MainWindow w(session);
        showWholeCampus(w, session, store, size);
        const Campus& c = session.campus();
        const auto shown = w.campusView()->scene()->labels().visible();
        QVERIFY(!shown.empty());
        for (std::size_t i = 0; i < shown.size(); ++i)
            for (std::size_t j = i + 1; j < shown.size(); ++j)
                QVERIFY2(!shown[i].rect.intersects(shown[j].rect),
                         qPrintable(shown[i].text + " / " + shown[j].text));
        // Every site is named, with its figures; the plant's generation is the store's sum.
        std::set<AssetIndex> sites;
        for (const auto& l : shown) {
            QVERIFY(w.campusView()->rect().contains(l.rect.toRect()));
            // Drawn where it was placed (a lifted site label too): its anchor at the rect's bottom centre.
            QVERIFY2(std::abs(l.drawnAt.x() - l.rect.center().x()) < 3 && std::abs(l.drawnAt.y() - l.rect.bottom()) < 3,
                     qPrintable(QString("%1: drawn at %2,%3, placed %4,%5").arg(l.text.section('\n', 0, 0)).arg(l.drawnAt.x())
                                    .arg(l.drawnAt.y()).arg(l.rect.center().x()).arg(l.rect.bottom())));
            if (c.assets[l.asset].kind == AssetKind::Site) sites.insert(l.asset);
        }
        QCOMPARE(sites.size(), c.assetsOfKind(AssetKind::Site).size());
        const AssetIndex southaven = c.find("southaven");
        QVERIFY(southaven != kNoAsset);
        double gen = 0;
        const SeriesState* source = session.series("source");
        const SeriesInfo* info = twin::query::seriesNamed(session.reader(), "source");
        for (std::size_t p = 0; p < info->assets.size(); ++p)
            if (c.assets[info->assets[p]].site == southaven) gen += source->values[0][p];
        const QString text = w.campusView()->scene()->labels().siteText(southaven);
        qInfo("%dx%d: %zu labels shown; %s", size.width(), size.height(), shown.size(), qPrintable(QString(text).replace('\n', " / ")));
        QVERIFY2(text.contains("Gen " + QLocale(QLocale::English).toString(gen, 'f', 0) + " MW"), qPrintable(text));
        QVERIFY2(text.contains("1 unit tripped"), qPrintable(text));
    }

    // Level of detail: in the whole-campus view of the default (~1M GPU) campus every building is
    // far enough to draw its halls as heat maps on its roof; each shows rack tiles in its racks'
    // colours where they are placed, and clicking a tile selects its rack. Up close, racks again.
    void overviewShowsRackTilesOfEveryBuilding_data() { addOverviewSizes(); }
    void overviewShowsRackTilesOfEveryBuilding() {
        QFETCH(QSize, size);
        const std::string store = dir_.filePath("colossus-gpus.twin").toStdString();
        if (!QFile::exists(QString::fromStdString(store))) recordScenario("colossus.json", sim::scenario("steady-training", 2), 2, store);
        Session session;
        MainWindow w(session);
        showWholeCampus(w, session, store, size);
        CampusView* view = w.campusView();
        const Campus& c = session.campus();
        const CampusScene& scene = *view->scene();
        const auto& racks = c.racks();
        // Every tile has its rack's colour.
        for (std::size_t i = 0; i < racks.size(); i += 97) {
            const auto tile = scene.heatMaps().tileColour(i);
            QVERIFY(tile);
            for (int k = 0; k < 3; ++k) QCOMPARE((*tile)[k], scene.rackColour(i)[k]);
        }
        const QRect inside = view->rect().adjusted(2, 2, -2, -2);
        for (AssetIndex b : c.assetsOfKind(AssetKind::Building)) {
            QVERIFY2(!scene.racksShown(b), c.assets[b].id.c_str());
            QVERIFY(scene.heatMaps().buildingVisible(b));
            // A rack of this building whose tile is drawn in its colour (a pixel near the tile's
            // centre: a far tile is smaller than a pixel and mipmaps average its neighbours).
            int seen = 0, tried = 0;
            for (std::size_t i = 0; i < racks.size() && seen == 0 && tried < 400; i += 7) {
                AssetIndex up = racks[i];
                while (up != kNoAsset && up != b) up = c.assets[up].parent;
                if (up != b) continue;
                const QPointF at = view->project(*scene.heatMaps().tileCentre(i));
                if (!inside.contains(at.toPoint())) continue;
                ++tried;
                const std::uint8_t* rgba = scene.rackColour(i);
                const QColor want(rgba[0], rgba[1], rgba[2]);
                const QColor px = framebufferPixel(view, at.toPoint());
                if (near(px, want, 40)) {
                    ++seen;
                    QCOMPARE(view->pickAt(at), racks[i]);   // a click on the tile selects the rack
                }
            }
            qInfo("%dx%d: %s drawn as roof heat maps, %d of %d tiles tried in their rack's colour", size.width(),
                  size.height(), c.assets[b].id.c_str(), seen, tried);
            QVERIFY2(seen > 0, c.assets[b].id.c_str());
        }
        // Close over a hall (racks several pixels wide even in the small 3D view of a 1280x720
        // window): its building's racks are boxes again, its heat map gone.
        const AssetIndex hall = c.assetsOfKind(AssetKind::Hall).front();
        AssetIndex building = hall;
        while (c.assets[building].kind != AssetKind::Building) building = c.assets[building].parent;
        view->lookAt(hall, 50);
        drawn(w);
        QVERIFY(scene.racksShown(building));
        QVERIFY(!scene.heatMaps().buildingVisible(building));
    }

    // F frames the selection wherever it was made: a rack (close enough for its GPU cells), a
    // job (all its racks in view).
    void fFramesTheSelection() {
        Session session;
        MainWindow w(session);
        showFirstBuilding(w, session, crash_);
        drawn(w);
        CampusView* view = w.campusView();
        const Campus& c = session.campus();
        view->flyTo("campus", false);
        drawn(w);
        const AssetIndex rack = c.racks().back();
        Selection s;
        s.asset = rack;
        session.select(s);
        // View ▸ Frame selection, F (Xvfb has no window manager to make the window active, which
        // a window's shortcut needs: the entry is triggered as the key would).
        QAction* frame = nullptr;
        for (QAction* a : w.findChildren<QAction*>())
            if (a->text().remove('&') == "Frame selection") frame = a;
        QVERIFY(frame);
        QCOMPARE(frame->shortcut(), QKeySequence(Qt::Key_F));
        frame->trigger();
        QVERIFY(waitFor([&] { return view->project(osg::Vec3(c.assets[rack].box.cx, c.assets[rack].box.cy, 0)).x() > 0 &&
                                      view->scene()->detail(); }, 5000));
        QTest::qWait(1000);   // the flight's end
        drawn(w);
        const Box& b = c.assets[rack].box;
        const QPointF at = view->project(osg::Vec3(b.cx, b.cy, b.sz));
        qInfo("rack framed at %.0f,%.0f of %dx%d", at.x(), at.y(), view->width(), view->height());
        QVERIFY(std::abs(at.x() - view->width() / 2.0) < view->width() * 0.1);
        QVERIFY(std::abs(at.y() - view->height() / 2.0) < view->height() * 0.1);
        QVERIFY(view->scene()->detail());   // its GPU cells drawn
        QCOMPARE(view->pickAt(at), rack);

        // An alarm activated in the event list (double-click, Enter): its asset framed.
        auto* events = w.findChild<EventListPanel*>();
        QVERIFY(events && events->rowCount() > 0);
        view->flyTo("campus", false);
        events->activateRow(0);
        QVERIFY(!session.selection().empty());
        QTest::qWait(1100);   // the flight
        drawn(w);
        const auto where = selectionBounds(c, session.selection(), session.reader().jobs());
        QVERIFY(where);
        const QPointF centre = view->project(osg::Vec3(where->center().x(), where->center().y(), where->zMax()));
        qInfo("event %s framed at %.0f,%.0f", events->eventAt(0).text.c_str(), centre.x(), centre.y());
        QVERIFY(std::abs(centre.x() - view->width() / 2.0) < view->width() * 0.1);
        QVERIFY(std::abs(centre.y() - view->height() / 2.0) < view->height() * 0.1);

        // A job: every one of its racks in view.
        const Job& job = session.reader().jobs().front();
        Selection js;
        js.job = job.id;
        session.select(js);
        QVERIFY(view->frameSelection(false));
        drawn(w);
        for (const std::string& id : job.racks) {
            const Box& r = c.assets[c.find(id)].box;
            QVERIFY2(view->rect().contains(view->project(osg::Vec3(r.cx, r.cy, r.sz)).toPoint()), id.c_str());
        }
    }

    // The whole-campus view, fitted again when the window changes shape (the first layout
    // resizes the 3D view after the campus was framed): every building stays in view.
    void wholeCampusViewFollowsTheWindowsShape() {
        Session session;
        MainWindow w(session);
        QVERIFY(w.openStore(QString::fromStdString(crash_), false));
        w.resize(1920, 1080);
        w.show();
        QVERIFY(waitFor([&] { return w.campusView()->width() > 1000; }, 3000));
        w.campusView()->flyTo("campus", false);
        drawn(w);
        w.resize(1100, 1000);   // from a wide view to a squarer one
        QVERIFY(waitFor([&] { return w.campusView()->width() < 700; }, 3000));
        drawn(w);
        const Campus& c = session.campus();
        int corners = 0;
        for (AssetKind kind : {AssetKind::Building, AssetKind::Turbine, AssetKind::MegapackBlock, AssetKind::SolarArray,
                               AssetKind::Substation})
            for (AssetIndex b : c.assetsOfKind(kind)) {
                const Box& x = c.assets[b].box;
                if (x.sx <= 0) continue;
                for (double sx : {-0.5, 0.5})
                    for (double sy : {-0.5, 0.5}) {
                        const QPointF at = w.campusView()->project(osg::Vec3(x.cx + sx * x.sx, x.cy + sy * x.sy, 0));
                        QVERIFY2(w.campusView()->rect().contains(at.toPoint()),
                                 qPrintable(QString("%1 at %2,%3").arg(c.assets[b].id.c_str()).arg(at.x()).arg(at.y())));
                        ++corners;
                    }
            }
        QVERIFY(corners >= 8);
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

};

QTEST_MAIN(TestCampus3d)
#include "test_campus3d.moc"
