// views/compute, the compute view (totals, hall floor plans, rack drill-down, jobs, search) against
// a minute of steady training on the small campus, cut into small jobs and with frequent GPU
// failures (the shared recording compute-60). Every
// check recomputes what a widget should show from the store itself (StoreReader::seriesAt,
// seriesRange) without going through the views' own helpers.
#include "common/asset_search.h"
#include "common/colour_map.h"
#include "common/gpu_status.h"
#include "common/hmi_colours.h"
#include "common/legend_bar.h"
#include "compute/compute_totals.h"
#include "compute/floor_plans_panel.h"
#include "compute/gpu_cells.h"
#include "compute/hall_floor_plan.h"
#include "compute/job_power_chart.h"
#include "compute/job_table_model.h"
#include "compute/jobs_panel.h"
#include "compute/rack_drilldown.h"
#include "compute/rack_power_chart.h"

#include "support/recordings.h"

#include "twin/query/series_query.h"
#include "twin/session/session.h"

#include <QLineEdit>
#include <QToolButton>
#include <QTableView>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <set>

using namespace twin;
using namespace testsupport;

namespace {

std::set<AssetIndex> asSet(const std::vector<AssetIndex>& v) { return {v.begin(), v.end()}; }

} // namespace

class TestCompute : public QObject {
    Q_OBJECT
    std::unique_ptr<Session> session_;
    TimeSpan span_;

    const Campus& campus() { return session_->campus(); }
    StoreReader& reader() { return session_->reader(); }
    void seek(TimeMs t) {
        session_->clock().seek(t);
        QCOMPARE(session_->clock().time(), t);
    }
    SeriesState stored(const char* series, TimeMs t) { return reader().seriesAt(reader().findSeries(series), t); }
    std::size_t rackPosition(AssetIndex rack) {
        const auto& racks = campus().racks();
        return static_cast<std::size_t>(std::find(racks.begin(), racks.end(), rack) - racks.begin());
    }
    std::vector<AssetIndex> racksOfHall(AssetIndex hall) {
        std::vector<AssetIndex> out;
        for (AssetIndex r : campus().racks())
            if (campus().assets[campus().assets[r].parent].parent == hall) out.push_back(r);
        return out;
    }
    // A GPU that failed before t (the simulator's gpu_failure events), or -1.
    std::int64_t failedGpuBefore(TimeMs t) {
        for (const Event& e : reader().events(span_.first, t))
            if (e.kind == "gpu_failure" && e.start < t - 1000)
                if (const auto g = campus().findGpu(e.asset)) return *g;
        return -1;
    }

private slots:
    void initTestCase() {
        session_ = std::make_unique<Session>();
        session_->open(sharedRecording(recordings::kCompute60));
        span_ = session_->clock().span();
        QVERIFY(span_.last - span_.first >= 59'000);
        QVERIFY(reader().jobs().size() >= 2);
    }

    // Totals: the sums over the store's GPU, rack and hall series at two times.
    void totalsEqualTheStoresSums() {
        views::ComputeTotals bar(*session_);
        for (TimeMs t : {span_.first + 20'000, span_.last}) {
            seek(t);
            const SeriesState gpu = stored("gpu", t), rack = stored("rack", t), hall = stored("hall", t);
            std::int64_t healthy = 0, inUse = 0;
            double tflops = 0;
            for (AssetIndex r : campus().racks()) {
                const Asset& a = campus().assets[r];
                const double peak = campus().gpuModel(campus().rackType(a.model)->gpuModel)->peakTflops;
                for (std::int64_t g = a.gpuFirst; g < a.gpuFirst + a.gpuCount; ++g) {
                    const double w = gpu.values[twin::sim::series::Gpu::Power][g], u = gpu.values[twin::sim::series::Gpu::Utilisation][g];
                    healthy += views::gpuHealthy(w, u);
                    inUse += u > 0;
                    tflops += u / 100 * peak;
                }
            }
            double itKw = 0, coolingMw = 0;
            for (float kw : rack.values[twin::sim::series::Rack::Power]) itKw += kw;
            for (float mw : hall.values[twin::sim::series::Hall::CoolingPower]) coolingMw += mw;
            const double facilityMw = itKw / 1000 + coolingMw;

            const views::Totals& got = bar.totals();
            QVERIFY(got.valid);
            QCOMPARE(got.gpus, std::int64_t{472});
            QCOMPARE(got.healthyGpus, healthy);
            QCOMPARE(got.gpusInUse, inUse);
            QVERIFY(inUse > 0 && healthy >= inUse && healthy < 472);   // training; GPUs failed or idle
            QVERIFY(qAbs(got.itMw - itKw / 1000) < 1e-9);
            QVERIFY(qAbs(got.facilityMw - facilityMw) < 1e-9);
            QVERIFY(coolingMw > 0);
            QVERIFY(qAbs(got.pue - facilityMw / (itKw / 1000)) < 1e-9);
            QVERIFY(got.pue > 1 && got.pue < 1.5);
            // GFLOPS/W = TFLOPS / (MW x 1e6 W/MW) x 1e3 GFLOPS/TFLOPS
            QVERIFY(qAbs(got.gflopsPerWatt - tflops / (facilityMw * 1e6) * 1e3) < 1e-9);
            QVERIFY(got.gflopsPerWatt > 100 && got.gflopsPerWatt < 5000);
        }
    }

    // One tile per rack of the hall, placed as the campus file lays them out.
    void floorPlanHasOneTilePerRack() {
        const auto halls = campus().assetsOfKind(AssetKind::Hall);
        QCOMPARE(halls.size(), std::size_t{2});
        const std::size_t expected[] = {4, 3};   // small.json: 2 rows x 2 racks, 1 row x 3 racks
        for (std::size_t h = 0; h < halls.size(); ++h) {
            views::HallFloorPlan plan(*session_, halls[h]);
            plan.resize(600, 400);
            plan.show();
            QVERIFY(QTest::qWaitForWindowExposed(&plan));
            QCOMPARE(plan.tileCount(), static_cast<int>(expected[h]));
            const auto racks = racksOfHall(halls[h]);
            QCOMPARE(racks.size(), expected[h]);
            QCOMPARE(asSet(plan.racks()), asSet(racks));
            for (std::size_t i = 0; i < racks.size(); ++i) {
                const QRectF r = plan.tileRect(racks[i]);
                QVERIFY(!r.isEmpty());
                QVERIFY(QRectF(plan.rect()).contains(r));
                QCOMPARE(plan.rackAt(r.center()), racks[i]);
                for (std::size_t j = i + 1; j < racks.size(); ++j) QVERIFY(!r.intersects(plan.tileRect(racks[j])));
            }
            // North is up, racks run east along their row: rack 2 right of rack 1, row 2 below row 1.
            QVERIFY(plan.tileRect(racks[1]).left() >= plan.tileRect(racks[0]).right() - 1e-9);
            if (racks.size() == 4) QVERIFY(plan.tileRect(racks[2]).top() > plan.tileRect(racks[0]).bottom());
            QVERIFY(plan.tileRect(campus().racks().front()).isEmpty() || h == 0);
        }
    }

    // Tiles coloured as the 3D view colours racks, for every quantity.
    void tileColourFollowsTheColourMap() {
        const AssetIndex hall = campus().assetsOfKind(AssetKind::Hall).front();
        views::HallFloorPlan plan(*session_, hall);
        const TimeMs t = span_.first + 40'000;
        seek(t);
        const SeriesState gpu = stored("gpu", t), rack = stored("rack", t);
        for (auto q : {views::RackQuantity::Power, views::RackQuantity::Utilisation, views::RackQuantity::InletTemperature,
                       views::RackQuantity::Health}) {
            plan.setQuantity(q);
            for (AssetIndex r : racksOfHall(hall)) {
                const std::size_t i = rackPosition(r);
                const Asset& a = campus().assets[r];
                double sumUtil = 0, alive = 0;
                for (std::int64_t g = a.gpuFirst; g < a.gpuFirst + a.gpuCount; ++g) {
                    sumUtil += gpu.values[twin::sim::series::Gpu::Utilisation][g];
                    alive += views::gpuHealthy(gpu.values[twin::sim::series::Gpu::Power][g], gpu.values[twin::sim::series::Gpu::Utilisation][g]);
                }
                const double n = a.gpuCount;
                double expected = 0;
                switch (q) {
                case views::RackQuantity::Power: expected = rack.values[twin::sim::series::Rack::Power][i] / campus().rackType(a.model)->ratedKw; break;
                case views::RackQuantity::Utilisation: expected = sumUtil / n / 100; break;
                case views::RackQuantity::InletTemperature: expected = (double{rack.values[twin::sim::series::Rack::InletTemperature][i]} - 20) / 40; break;
                case views::RackQuantity::Health: expected = (alive / n - 0.9) / 0.1; break;
                }
                QVERIFY2(qAbs(plan.tileValue(r) - expected) < 1e-9, qPrintable(QString::number(static_cast<int>(q))));
                QCOMPARE(plan.tileColour(r), views::qcolourAt(plan.tileValue(r)));
                QCOMPARE(plan.tileColour(r), views::qcolourAt(expected));
            }
        }
    }

    // Zoom: rack labels appear close up; a click on a tile selects its rack.
    void floorPlanZoomAndClick() {
        const AssetIndex hall = campus().assetsOfKind(AssetKind::Hall).front();
        views::HallFloorPlan plan(*session_, hall);
        plan.resize(200, 150);
        plan.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plan));
        const AssetIndex rack = racksOfHall(hall).back();
        const double before = plan.pixelsPerMetre();
        QVERIFY(!plan.rackLabelsShown());
        plan.zoom(12, plan.tileRect(rack).center());
        QVERIFY(qAbs(plan.pixelsPerMetre() - 12 * before) < 1e-9);
        QVERIFY(plan.rackLabelsShown());
        QTest::mouseClick(&plan, Qt::LeftButton, {}, plan.tileRect(rack).center().toPoint());
        QCOMPARE(session_->selection().asset, rack);
        session_->select({});
    }

    // A stray drag pans a hall away; the panel's Fit button (or a double-click) brings the whole
    // hall back. Below the plans, the colour map's legend for the chosen quantity, with the
    // stale and no-data swatches, drawn in the map's colours.
    void floorPlanFitAndLegend() {
        views::FloorPlansPanel panel(*session_);
        panel.resize(320, 420);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        views::HallFloorPlan* plan = panel.currentPlan();
        QVERIFY(plan);
        const AssetIndex rack = racksOfHall(plan->hall()).front();
        const QRectF home = plan->tileRect(rack);
        QTest::mousePress(plan, Qt::LeftButton, {}, QPoint(60, 60));
        for (int x = 70; x <= 260; x += 10) QTest::mouseMove(plan, QPoint(x, 60 + x / 2));
        QTest::mouseRelease(plan, Qt::LeftButton, {}, QPoint(260, 190));
        QVERIFY(!plan->isFitted());
        QVERIFY(QLineF(plan->tileRect(rack).center(), home.center()).length() > 100);
        QTest::mouseClick(panel.fitButton(), Qt::LeftButton);
        QVERIFY(plan->isFitted());
        QCOMPARE(plan->tileRect(rack), home);
        plan->zoom(4, QPointF(10, 10));
        QTest::mouseDClick(plan, Qt::LeftButton, {}, QPoint(5, 5));
        QCOMPARE(plan->tileRect(rack), home);

        panel.setQuantity(views::RackQuantity::Utilisation);
        QCOMPARE(panel.legend()->quantity(), views::RackQuantity::Utilisation);
        const QImage shot = panel.legend()->grab().toImage();
        const QRect ramp = panel.legend()->rampRect();
        for (double f : {0.05, 0.5, 0.95}) {
            const QColor px = shot.pixelColor(ramp.left() + static_cast<int>(f * ramp.width()), ramp.center().y());
            const QColor want = views::qcolourAt(f);
            QVERIFY2(std::abs(px.red() - want.red()) + std::abs(px.green() - want.green()) + std::abs(px.blue() - want.blue()) < 30,
                     qPrintable(px.name() + " vs " + want.name()));
        }
        QCOMPARE(shot.pixelColor(panel.legend()->staleSwatch().center()), views::hmi::kStale);
        QCOMPARE(shot.pixelColor(panel.legend()->missingSwatch().center()), views::hmi::kMissing);
    }

    // A rack's GPU cells show the store's values at two times; clicking one selects the GPU.
    void rackCellsShowTheStoresValues() {
        views::RackDrilldown drill(*session_);
        drill.resize(500, 600);
        drill.show();
        QVERIFY(QTest::qWaitForWindowExposed(&drill));
        const AssetIndex rack = campus().racks().back();   // a 72-GPU rack
        session_->select(Selection{rack});
        QCOMPARE(drill.rack(), rack);
        QCOMPARE(drill.cells()->cellCount(), 72);
        // The cells' legend follows the drill-down's colour-by choice.
        QVERIFY(drill.legend()->isVisible());
        drill.setQuantity(views::RackQuantity::InletTemperature);
        QCOMPARE(drill.legend()->quantity(), views::RackQuantity::InletTemperature);
        drill.setQuantity(views::RackQuantity::Power);
        QCOMPARE(drill.legend()->quantity(), views::RackQuantity::Power);
        const Asset& a = campus().assets[rack];
        for (TimeMs t : {span_.first + 10'000, span_.first + 50'000}) {
            seek(t);
            const SeriesState gpu = stored("gpu", t);
            for (int k = 0; k < 72; ++k) {
                const std::int64_t g = a.gpuFirst + k;
                const double w = gpu.values[twin::sim::series::Gpu::Power][g], u = gpu.values[twin::sim::series::Gpu::Utilisation][g], c = gpu.values[twin::sim::series::Gpu::Temperature][g];
                const QString first = views::gpuHealthy(w, u) ? QString::number(u, 'f', 0) + " %" : QString("failed");
                QCOMPARE(drill.cellText(k), first + "\n" + QString::number(w, 'f', 0) + " W\n" +
                                                QString::number(c, 'f', 0) + QString::fromUtf8(" °C"));
            }
        }
        // The chart: the rack series' last ten minutes up to the clock, one bucket per pixel at most.
        const TimeMs t = session_->clock().time();
        const auto& buckets = drill.chartBuckets();
        const auto expected = reader().seriesRange(reader().findSeries(twin::sim::series::Rack::name), twin::sim::series::Rack::Power, static_cast<std::int64_t>(rackPosition(rack)),
                                                   t - 600'000, t, drill.chart()->plotWidth());
        QCOMPARE(buckets.size(), expected.size());
        QVERIFY(static_cast<int>(buckets.size()) <= drill.chart()->plotWidth());
        double sum = 0, expectedSum = 0;
        std::uint32_t samples = 0;
        for (std::size_t i = 0; i < buckets.size(); ++i) {
            sum += buckets[i].sum;
            expectedSum += expected[i].sum;
            samples += buckets[i].count;
            QVERIFY(buckets[i].min <= buckets[i].max);
            QVERIFY(buckets[i].first >= t - 600'000);
        }
        QCOMPARE(sum, expectedSum);
        QCOMPARE(static_cast<TimeMs>(samples), (t - span_.first) / 1000 + 1);   // every 1 Hz sample since the start
        QCOMPARE(buckets.back().last, t);

        QTest::mouseClick(drill.cells(), Qt::LeftButton, {}, drill.cells()->cellRect(9).center().toPoint());
        QCOMPARE(session_->selection().gpu, a.gpuFirst + 9);
        QCOMPARE(drill.rack(), rack);   // the GPU's rack stays in view
    }

    // A failed GPU: marked in its cell.
    void failedGpuIsMarked() {
        seek(span_.last);
        const std::int64_t g = failedGpuBefore(span_.last);
        QVERIFY(g >= 0);
        views::RackDrilldown drill(*session_);
        Selection s;
        s.gpu = g;
        session_->select(s);
        QCOMPARE(drill.rack(), campus().rackOfGpu(g));
        const int k = static_cast<int>(g - campus().assets[campus().rackOfGpu(g)].gpuFirst);
        QVERIFY(drill.cells()->cellFailed(k));
        QVERIFY(drill.cellText(k).startsWith("failed\n0 W"));
    }

    // Selecting a job outlines exactly its racks, over the plans of every hall.
    void jobSelectionOutlinesItsRacks() {
        views::FloorPlansPanel panel(*session_);
        QCOMPARE(panel.plans().size(), std::size_t{2});
        for (const Job& job : reader().jobs()) {
            session_->select(Selection{kNoAsset, -1, job.id});
            std::set<AssetIndex> outlined, expected;
            for (auto* plan : panel.plans())
                for (AssetIndex r : plan->outlinedRacks()) outlined.insert(r);
            for (const std::string& id : job.racks) expected.insert(campus().find(id));
            QCOMPARE(outlined, expected);
            QVERIFY(expected.size() < campus().racks().size());
        }
        session_->select({});
        for (auto* plan : panel.plans()) QVERIFY(plan->outlinedRacks().empty());
    }

    // Search: assets by full and partial name or id, a job by name, a GPU by id.
    void searchFindsAssetsJobsAndGpus() {
        views::AssetSearch search(*session_);
        const AssetIndex rack = campus().racks()[5];
        const Asset& a = campus().assets[rack];
        auto first = [&](const QString& text) { return search.find(text, 10).front(); };
        QCOMPARE(first(QString::fromStdString(a.name)).selection.asset, rack);
        QCOMPARE(first(QString::fromStdString(a.id)).selection.asset, rack);
        QCOMPARE(first(QString::fromStdString(a.id).toUpper()).selection.asset, rack);
        // Partial: "hall 2" (any case) finds the hall first, then what it holds.
        const AssetIndex hall2 = campus().assetsOfKind(AssetKind::Hall)[1];
        const auto partial = search.find("HALL 2", 50);
        QVERIFY(partial.size() > 1);
        QCOMPARE(partial.front().selection.asset, hall2);
        for (const auto& r : partial) QVERIFY(r.name.contains("Hall 2", Qt::CaseInsensitive) || r.id.contains("hall2"));
        const auto rowPart = search.find("row01/rack0", 50);   // the middle of ids
        QVERIFY(!rowPart.empty());
        for (const auto& r : rowPart) QVERIFY(r.id.contains("row01/rack0"));
        // A job by its name, in full and in part.
        const Job& job = reader().jobs().back();
        QCOMPARE(first(QString::fromStdString(job.name)).selection.job, job.id);
        QCOMPARE(first(QString::fromStdString(job.name)).kind, QString("job"));
        const auto jobs = search.find("job", 50);
        QCOMPARE(static_cast<std::size_t>(std::count_if(jobs.begin(), jobs.end(), [](const auto& r) { return r.kind == "job"; })),
                 reader().jobs().size());
        // A GPU by its id; choosing it selects it and asks to fly to its rack.
        const std::int64_t gpu = a.gpuFirst + 7;
        const auto found = search.find(QString::fromStdString(campus().gpuId(gpu)), 10);
        QCOMPARE(found.size(), std::size_t{1});
        QCOMPARE(found.front().selection.gpu, gpu);
        QSignalSpy fly(&search, &views::AssetSearch::flyToRequested);
        search.choose(found.front());
        QCOMPARE(session_->selection().gpu, gpu);
        QCOMPARE(fly.size(), 1);
        QCOMPARE(fly.front().front().toString(), QString::fromStdString(a.id));
        QVERIFY(search.find("no such thing", 10).empty());
    }

    // Jobs: one row each; MW now from the job series; MWh so far = the integral of its power.
    void jobsShowPowerAndEnergy() {
        views::JobsPanel panel(*session_);
        QCOMPARE(panel.rowCount(), static_cast<int>(reader().jobs().size()));
        const int series = reader().findSeries(twin::sim::series::Job::name);
        // Forward twice (the incremental path), then back (from the start again).
        for (TimeMs t : {span_.first + 30'000, span_.first + 45'000, span_.first + 15'000}) {
            seek(t);
            const SeriesState now = reader().seriesAt(series, t);
            for (std::size_t k = 0; k < reader().jobs().size(); ++k) {
                double mws = 0;   // every 100 ms sample from the start, times 0.1 s
                for (TimeMs s = span_.first; s <= t; s += 100) mws += reader().seriesAt(series, s).values[0][k] * 0.1;
                const double expected = mws / 3600;
                const int id = reader().jobs()[k].id;
                QVERIFY(expected > 0);
                QVERIFY2(qAbs(panel.mwh(id) - expected) <= 0.01 * expected,
                         qPrintable(QString("%1: %2 vs %3").arg(id).arg(panel.mwh(id)).arg(expected)));
                QCOMPARE(panel.model()->powerMw(static_cast<int>(k)), static_cast<double>(now.values[0][k]));
            }
        }
        // Search and selection.
        const Job& job = reader().jobs().front();
        panel.searchBox()->setText(QString::fromStdString(job.name).toUpper());
        QCOMPARE(panel.rowCount(), 1);
        panel.table()->selectRow(0);
        QCOMPARE(session_->selection().job, job.id);
        QVERIFY(!panel.chart()->jobCurve().empty());
        QVERIFY(!panel.chart()->campusCurve().empty());
        panel.searchBox()->clear();
        QCOMPARE(panel.rowCount(), static_cast<int>(reader().jobs().size()));
        // Sorting by MWh puts the largest last.
        panel.table()->sortByColumn(views::JobTableModel::EnergySoFar, Qt::AscendingOrder);
        double previous = -1;
        for (int r = 0; r < panel.rowCount(); ++r) {
            const double mwh = panel.proxy()->index(r, views::JobTableModel::EnergySoFar).data(Qt::UserRole).toDouble();
            QVERIFY(mwh >= previous);
            previous = mwh;
        }
    }
};

QTEST_MAIN(TestCompute)
#include "test_compute.moc"
