// views/common: time and value formats, asset references of events, the inspector (its values,
// trend, active events and job) and the search's result columns, driven
// like a user would against a simulated turbine trip on the small campus with extra events (the
// shared recording trip-events-60). Every check compares what a widget shows with what the store
// holds.
#include "common/asset_ref.h"
#include "common/asset_search.h"
#include "common/asset_trend.h"
#include "common/inspector_panel.h"
#include "common/state_words.h"
#include "common/time_format.h"

#include "support/recordings.h"
#include "support/replay.h"
#include "support/widgets.h"

#include "twin/query/series_query.h"
#include "twin/session/session.h"
#include "twin/store.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QTreeView>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace twin;
using namespace views;
using namespace testsupport;

class TestCommon : public ReplayTest {
    Q_OBJECT

    // What the store holds for one quantity of a list series at t (no widget involved).
    double storedValue(const std::string& series, const std::string& quantity, AssetIndex asset, TimeMs t) {
        StoreReader& r = session_->reader();
        const SeriesInfo& info = twin::query::seriesInfo(r, r.findSeries(series));
        std::size_t q = 0;
        while (info.spec.quantities[q].name != quantity) ++q;
        const auto pos = std::find(info.assets.begin(), info.assets.end(), asset) - info.assets.begin();
        return r.seriesAt(info.id, t).values[q][static_cast<std::size_t>(pos)];
    }

private slots:
    void initTestCase() { openTripReplay(sharedRecording(recordings::kTripEvents60)); }

    void init() { rewind(*session_, span_); }

    // --- time and value formats --------------------------------------------------------

    void formatsTimes() {
        const TimeMs t = 1'784'131'200'000 + 2 * 60'000 + 11'250;   // 2026-07-15 16:02:11.250 UTC
        QCOMPARE(views::formatUtcLong(t), QString("2026-07-15 16:02:11.250 UTC"));
        QCOMPARE(views::formatUtcClock(t), QString("16:02:11"));
        QCOMPARE(views::formatLocal(t, "UTC"), QString("16:02:11 UTC"));
        QCOMPARE(views::formatLocal(t, ""), QString("16:02:11 UTC"));
        QCOMPARE(views::formatLocal(t, "America/Chicago"), QString("11:02:11 CDT"));   // summer: UTC-5
        const TimeMs winter = 1'768'492'800'000;   // 2026-01-15 16:00:00 UTC
        QCOMPARE(views::formatLocal(winter, "America/Chicago"), QString("10:00:00 CST"));   // UTC-6
        QCOMPARE(views::formatSpeed(2), QString("2.0×"));
        QCOMPARE(views::formatSpeed(0.25), QString("0.25×"));
        QCOMPARE(views::formatSpeed(300), QString("300×"));
        QCOMPARE(views::formatValue(700), QString("700"));
        QCOMPARE(views::formatValue(59.99812), QString("59.998"));
        QCOMPARE(views::formatValue(12.5), QString("12.5"));
        QCOMPARE(views::formatValue(0.0123456), QString("0.0123"));
    }

    void resolvesEventAssets() {
        const Asset& rack = campus().assets[campus().racks().front()];
        const views::AssetRef r = views::resolveAsset(*session_, rack.id);
        QCOMPARE(r.selection.asset, campus().racks().front());
        QCOMPARE(r.kind, QString("rack"));
        QCOMPARE(r.name, QString::fromStdString(rack.name));
        const views::AssetRef g = views::resolveAsset(*session_, campus().gpuId(5));
        QCOMPARE(g.selection.gpu, 5);
        QCOMPARE(g.kind, QString("gpu"));
        QVERIFY(!session_->reader().jobs().empty());
        const Job& job = session_->reader().jobs().front();
        const views::AssetRef j = views::resolveAsset(*session_, job.name);
        QCOMPARE(j.selection.job, job.id);
        QCOMPARE(j.kind, QString("job"));
        QVERIFY(views::resolveAsset(*session_, "").selection.empty());
        QVERIFY(views::resolveAsset(*session_, "no/such/asset").selection.empty());
    }

    // --- inspector -----------------------------------------------------------------------

    void inspectorHintWhenNothingSelected() {
        InspectorPanel p(*session_);
        showWidget(p, 400, 500);
        QVERIFY(child<QLabel>(&p, "hint")->isVisible());
        QCOMPARE(child<QLabel>(&p, "hint")->text(), QString("Click an asset in the 3D view, the event list or the timeline"));
        QCOMPARE(p.titleText(), QString());
        QCOMPARE(child<QTableWidget>(&p, "values")->rowCount(), 0);
    }

    void inspectorShowsTheStoredValues() {
        InspectorPanel p(*session_);
        showWidget(p, 400, 500);
        const AssetIndex turbine = campus().find(trip_.asset);
        session_->select({turbine});
        QVERIFY(!child<QLabel>(&p, "hint")->isVisible());
        QCOMPARE(p.titleText(), QString::fromStdString(campus().assets[turbine].name));

        const TimeMs before = trip_.start - 3'000, after = trip_.start + 5'000;
        QStringList shown;
        for (TimeMs t : {before, after}) {
            clock().seek(t);
            const double stored = storedValue("source", "power", turbine, t);
            QCOMPARE(p.valueText("power"), views::formatValue(stored));
            const auto values = session_->valuesOf(session_->selection());
            const auto v = std::find_if(values.begin(), values.end(), [](const AssetValue& a) { return a.quantity == "power"; });
            QVERIFY(v != values.end());
            QCOMPARE(p.valueText("power"), views::formatValue(v->value));
            QCOMPARE(p.valueText("mechanical_power"),
                     views::formatValue(storedValue("turbine", "mechanical_power", turbine, t)));
            shown << p.valueText("power");
            // The state as a word, from the store's code.
            QCOMPARE(p.valueText("state"), t == before ? QString("online") : QString("tripped"));
        }
        QVERIFY2(shown[0] != shown[1], qPrintable(shown.join(" / ")));   // it tripped in between
        QCOMPARE(shown[1], QString("0"));
        QCOMPARE(p.valueText("no_such_quantity"), QString());
        // Units and the sample's time sit beside the value.
        auto* table = child<QTableWidget>(&p, "values");
        for (int r = 0; r < table->rowCount(); ++r)
            if (table->item(r, 0)->text() == "power") {
                QCOMPARE(table->item(r, 2)->text(), QString("MW"));
                QCOMPARE(table->item(r, 3)->text(), views::formatUtcClockMs(after));   // 10 Hz: a sample at it
            }
    }

    void inspectorShowsARacksPlace() {
        InspectorPanel p(*session_);
        showWidget(p, 400, 500);
        const AssetIndex rack = campus().racks().front();
        const Asset& a = campus().assets[rack];
        session_->select({rack});
        QCOMPARE(p.titleText(), QString::fromStdString(a.name));
        const QString details = child<QLabel>(&p, "details")->text();
        QVERIFY2(details.contains("test-a64") && details.contains("TGPU-A") && details.contains("GPUs: 64"), qPrintable(details));
        const QString path = child<QLabel>(&p, "computePath")->text();
        for (AssetIndex up = a.parent; up != kNoAsset; up = campus().assets[up].parent)
            QVERIFY2(path.contains(QString("asset:%1").arg(up)), qPrintable(path));
        const QString electrical = child<QLabel>(&p, "electrical")->text();
        for (AssetIndex s : campus().sourcesOf(rack))
            QVERIFY(electrical.contains(QString::fromStdString(campus().assets[s].name).toHtmlEscaped()));
        QVERIFY(!campus().suppliers(rack).empty());
        QVERIFY(electrical.contains(QString("asset:%1").arg(campus().suppliers(rack).front())));
        // A level of the path is a link that selects it.
        emit child<QLabel>(&p, "computePath")->linkActivated(QString("asset:%1").arg(a.parent));
        QCOMPARE(session_->selection().asset, a.parent);
        QCOMPARE(p.titleText(), QString::fromStdString(campus().assets[a.parent].name));
        // The rack's own power, at the clock's time.
        session_->select({rack});
        clock().seek(span_.first + 30'000);
        const auto& racks = twin::query::seriesInfo(session_->reader(), session_->reader().findSeries(twin::sim::series::Rack::name));
        QCOMPARE(racks.spec.quantities[0].name, std::string("power"));
        QCOMPARE(p.valueText("power"),
                 views::formatValue(session_->reader().seriesAt(racks.id, span_.first + 30'000).values[0][0]));
    }

    void inspectorShowsAGpu() {
        InspectorPanel p(*session_);
        const std::int64_t gpu = 3;
        Selection s;
        s.gpu = gpu;
        session_->select(s);
        clock().seek(span_.first + 20'000);
        QCOMPARE(p.titleText(), QString::fromStdString(campus().gpuId(gpu)));
        QVERIFY(child<QLabel>(&p, "details")->text().contains(QString("asset:%1").arg(campus().rackOfGpu(gpu))));
        const int series = session_->reader().findSeries(twin::sim::series::Gpu::name);
        const float stored = session_->reader().seriesAt(series, span_.first + 20'000).values[0][gpu];
        QCOMPARE(p.valueText("power"), views::formatValue(stored));
        QVERIFY(stored > 0);
    }

    void inspectorShowsAJob() {
        InspectorPanel p(*session_);
        const auto& jobs = session_->reader().jobs();
        QVERIFY(!jobs.empty());
        Selection s;
        s.job = jobs.back().id;
        session_->select(s);
        const TimeMs t = span_.first + 30'000;
        clock().seek(t);
        QCOMPARE(p.titleText(), QString::fromStdString(jobs.back().name));
        const int series = session_->reader().findSeries(twin::sim::series::Job::name);
        const float stored = session_->reader().seriesAt(series, t).values[0][jobs.size() - 1];
        QCOMPARE(p.valueText("power"), views::formatValue(stored));
        QVERIFY(stored > 0);
    }

    // The hint is one small line, not a panel.
    void inspectorHintIsSmall() {
        InspectorPanel p(*session_);
        showWidget(p, 400, 500);
        auto* hint = child<QLabel>(&p, "hint");
        QVERIFY2(hint->height() <= 2 * hint->fontMetrics().height() + 8, qPrintable(QString::number(hint->height())));
    }

    // The trend: the selection's main quantity up to the clock, its last point the store's value
    // at the clock's time (a turbine's power, a bus's frequency, a rack's power, a hall's IT power).
    void inspectorTrendEndsAtTheStoresValue() {
        InspectorPanel p(*session_);
        showWidget(p, 400, 700);
        AssetTrend* trend = p.trend();
        QVERIFY(!trend->isVisible());   // nothing selected
        const AssetIndex turbine = campus().find(trip_.asset);
        const AssetIndex bus = campus().assetsOfKind(AssetKind::Bus).front();
        const AssetIndex rack = campus().racks()[2];
        const AssetIndex hall = campus().assetsOfKind(AssetKind::Hall).front();
        struct Case {
            AssetIndex asset;
            const char* series;
            const char* quantity;
        };
        for (const Case& c : {Case{turbine, "source", "power"}, Case{bus, "bus", "frequency"}, Case{hall, "hall", "it_power"}}) {
            session_->select({c.asset});
            QVERIFY(trend->isVisible());
            for (TimeMs t : {trip_.start - 2'000, trip_.start + 3'050}) {
                clock().seek(t);
                QCOMPARE(QString::fromStdString(trend->subject().quantity), QString(c.quantity));
                QCOMPARE(trend->timeEnd(), t);
                QCOMPARE(trend->timeStart(), std::max(span_.first, t - AssetTrend::kWindowMs));
                QVERIFY(trend->buckets().size() > 10);
                const double want = storedValue(c.series, c.quantity, c.asset, t);
                // The range holds the stored value as a double, the state as a float: equal to a float's precision.
                QVERIFY2(std::abs(trend->lastValue() - want) <= 1e-6 * std::abs(want) + 1e-9,
                         qPrintable(QString("%1 at %2: trend %3, store %4").arg(c.quantity).arg(t).arg(trend->lastValue(), 0, 'g', 10).arg(want, 0, 'g', 10)));
                QCOMPARE(views::formatValue(trend->lastValue()), p.valueText(c.quantity));   // "now" says what the table says
            }
        }
        // A rack: the "rack" series (positions in Campus::racks() order).
        session_->select({rack});
        const TimeMs t = span_.first + 33'333;
        clock().seek(t);
        const int racks = session_->reader().findSeries("rack");
        const double want = session_->reader().seriesAt(racks, t).values[0][2];
        QCOMPARE(QString::fromStdString(trend->subject().unit), QString("kW"));
        QVERIFY(std::abs(trend->lastValue() - want) <= 1e-6 * std::abs(want) + 1e-9);
        // Drawn: the mean line's blue in the plot.
        const QImage img = trend->grab().toImage();
        int blue = 0;
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x) blue += img.pixelColor(x, y).blue() > 200 && img.pixelColor(x, y).red() < 140;
        QVERIFY2(blue > 20, qPrintable(QString::number(blue)));
    }

    // Active events: the tripped turbine lists its trip while it is active (not before); the link
    // seeks to its start. A rack lists its job, a link that selects the job.
    void inspectorListsActiveEventsAndTheJob() {
        InspectorPanel p(*session_);
        showWidget(p, 400, 700);
        const AssetIndex turbine = campus().find(trip_.asset);
        session_->select({turbine});
        clock().seek(trip_.start - 1'000);
        QVERIFY(p.activeEvents().empty());
        QVERIFY2(p.eventsText().contains("No active"), qPrintable(p.eventsText()));
        clock().seek(trip_.start + 10'000);
        QVERIFY(p.activeEvents().size() >= 1);
        QVERIFY(std::any_of(p.activeEvents().begin(), p.activeEvents().end(), [&](const Event& e) { return e.id == trip_.id; }));
        for (const Event& e : p.activeEvents()) QCOMPARE(e.asset, trip_.asset);   // its own events only
        QVERIFY2(p.eventsText().contains(QString::fromStdString(trip_.text).toHtmlEscaped()), qPrintable(p.eventsText()));
        QVERIFY(p.eventsText().contains(QString("event:%1").arg(trip_.id)));
        emit child<QLabel>(&p, "activeEvents")->linkActivated(QString("event:%1").arg(trip_.id));
        QCOMPARE(clock().time(), trip_.start);
        // A turbine has no job line.
        QCOMPARE(p.jobText(), QString());

        // A rack: its job at the clock's time.
        const AssetIndex rack = campus().racks().front();
        const std::string rackId = campus().assets[rack].id;
        const auto& jobs = session_->reader().jobs();
        const auto job = std::find_if(jobs.begin(), jobs.end(), [&](const Job& j) {
            return std::find(j.racks.begin(), j.racks.end(), rackId) != j.racks.end();
        });
        QVERIFY(job != jobs.end());
        session_->select({rack});
        clock().seek(span_.first + 30'000);
        QVERIFY2(p.jobText().contains(QString::fromStdString(job->name)) && p.jobText().contains(QString("job:%1").arg(job->id)),
                 qPrintable(p.jobText()));
        // Its state word at the clock's time, from the job series.
        const int series = session_->reader().findSeries("job");
        const int code = static_cast<int>(session_->reader().seriesAt(series, span_.first + 30'000).values[1][static_cast<std::size_t>(job - jobs.begin())]);
        QVERIFY2(p.jobText().contains(*views::jobStateWord(code)), qPrintable(p.jobText()));
        // A GPU of the rack: the same job.
        Selection gpu;
        gpu.gpu = campus().assets[rack].gpuFirst + 1;
        session_->select(gpu);
        QVERIFY(p.jobText().contains(QString::fromStdString(job->name)));
        emit child<QLabel>(&p, "job")->linkActivated(QString("job:%1").arg(job->id));
        QCOMPARE(session_->selection().job, job->id);
        QCOMPARE(p.titleText(), QString::fromStdString(job->name));
    }

    // --- search ----------------------------------------------------------------------------

    // Results in columns (name, id, kind, location), each wide enough for its texts.
    void searchShowsResultsInColumns() {
        AssetSearch search(*session_);
        showWidget(search, 260, 30);
        search.setFocus();
        QTest::keyClicks(&search, "rack");
        QVERIFY(search.shownCount() > 3);
        const auto results = search.find("rack", 20);
        QCOMPARE(search.shownCount(), static_cast<int>(results.size()));
        for (int r = 0; r < search.shownCount(); ++r) {
            const AssetSearch::Result& want = results[static_cast<std::size_t>(r)];
            QCOMPARE(search.shownText(r, AssetSearch::NameColumn), want.name);
            QCOMPARE(search.shownText(r, AssetSearch::IdColumn), want.id);
            QCOMPARE(search.shownText(r, AssetSearch::KindColumn), QString(want.kind).replace('_', ' '));
        }
        // A rack's location: its site / building / hall by name, without the site's name that
        // the building's and hall's names repeat ("Test Site · Lab").
        const AssetIndex rack = campus().find(results.front().id.toStdString());
        QCOMPARE(campus().assets[rack].kind, AssetKind::Rack);
        const QString site = QString::fromStdString(campus().assets[campus().assets[rack].site].name);
        QStringList levels;
        for (AssetIndex up = campus().assets[rack].parent; up != kNoAsset; up = campus().assets[up].parent)
            if (campus().assets[up].kind == AssetKind::Site || campus().assets[up].kind == AssetKind::Building ||
                campus().assets[up].kind == AssetKind::Hall)
                levels.prepend(up == campus().assets[rack].site ? site
                                                                : QString::fromStdString(campus().assets[up].name).remove(site + " · "));
        QCOMPARE(levels.size(), 3);
        QCOMPARE(search.shownText(0, AssetSearch::LocationColumn), levels.join(" / "));
        QVERIFY2(levels.join(" / ").startsWith("Test Site / Lab / Hall "), qPrintable(levels.join(" / ")));
        // Shown, with a header, and no column narrower than its texts (nothing elided).
        QTreeView* view = search.resultsView();
        QVERIFY(waitFor([&] { return view->isVisible(); }, 2000));
        QVERIFY(!view->header()->isHidden());
        QVERIFY(view->width() > search.width());
        for (int c = 0; c < AssetSearch::Columns; ++c)
            for (int r = 0; r < search.shownCount(); ++r) {
                const QString text = search.shownText(r, static_cast<AssetSearch::Column>(c));
                QVERIFY2(view->header()->sectionSize(c) >= view->fontMetrics().horizontalAdvance(text),
                         qPrintable(QString("column %1 is %2 px for '%3'").arg(c).arg(view->header()->sectionSize(c)).arg(text)));
            }
        // The rows differ: no two show the same text.
        QStringList rows;
        for (int r = 0; r < search.shownCount(); ++r) rows << search.shownText(r, AssetSearch::IdColumn);
        QCOMPARE(rows.removeDuplicates(), 0);
        // A GPU's location is its rack's; a job's its first rack's.
        const QString gpuId = QString::fromStdString(campus().gpuId(campus().assets[rack].gpuFirst));
        QCOMPARE(search.find(gpuId, 1).front().location, levels.join(" / "));
    }
};

QTEST_MAIN(TestCommon)
#include "test_common.moc"
