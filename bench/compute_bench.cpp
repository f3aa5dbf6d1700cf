// compute-bench: the compute view's cost per clock tick on the default ~1M-GPU campus, with no
// display needed (the offscreen platform unless QT_QPA_PLATFORM says otherwise).
//
//   build/bin/compute-bench [--store FILE.twin] [--ticks N]
//
// Without --store it records 20 s of steady-training (every GPU) first, as render-bench does.
// Per tick (the clock moves one second) it times, as medians over N ticks (default 15): the
// store query behind the tick (the state of everything at the new time), the campus totals,
// every floor plan of Colossus 2's main building (16 halls, 7,680 racks: values and painting)
// by power and by utilisation, an open rack drill-down (GPU cells and its 10-minute chart), and
// the jobs table (MW now, MWh so far of every job).
#include "compute/compute_totals.h"
#include "compute/gpu_cells.h"
#include "compute/hall_floor_plan.h"
#include "compute/job_table_model.h"
#include "compute/rack_drilldown.h"
#include "compute/rack_power_chart.h"

#include "twin/campus_file.h"
#include "twin/sim/simulator.h"

#include "default_recording.h"

#include <QApplication>
#include <QImage>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

using namespace twin;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

template <class F> double timeMs(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    std::string store;
    int ticks = 15;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--store") store = argv[i + 1];
        else if (a == "--ticks") ticks = std::max(3, std::atoi(argv[i + 1]));
    }
    QApplication app(argc, argv);
    try {
        if (store.empty()) store = defaultRecording("compute-bench.twin");
        Session session;
        session.open(store);
        const Campus& campus = session.campus();
        const AssetIndex building = campus.find("colossus2/main");
        if (building == kNoAsset) throw std::runtime_error("no building colossus2/main in " + store);

        // The views, each driven by hand below so that each is timed on its own.
        views::ComputeTotals totals(session);
        std::vector<std::unique_ptr<views::HallFloorPlan>> plans;
        std::size_t tiles = 0;
        for (AssetIndex hall : campus.children(building))
            if (campus.assets[static_cast<std::size_t>(hall)].kind == AssetKind::Hall) {
                plans.push_back(std::make_unique<views::HallFloorPlan>(session, hall));
                plans.back()->resize(480, 360);   // a dock-sized plan, the whole hall in view
                tiles += static_cast<std::size_t>(plans.back()->tileCount());
            }
        views::JobTableModel jobs(session);   // refreshed by the seek (part of the whole tick)
        views::RackDrilldown drill(session);
        drill.resize(480, 640);
        drill.show();
        for (auto& p : plans) p->show();
        session.select(Selection{plans.front()->racks().front()});
        QApplication::processEvents();

        QImage planImage(480, 360, QImage::Format_RGB32), cellsImage(drill.cells()->size(), QImage::Format_RGB32),
            chartImage(drill.chart()->size(), QImage::Format_RGB32);
        auto drawPlans = [&] {
            for (auto& p : plans) {
                p->refresh();
                p->render(&planImage);
            }
        };
        std::vector<double> stateMs, totalsMs, plansPowerMs, plansUtilMs, drillMs, tickMs;
        const TimeSpan span = session.clock().span();
        CampusState scratch;
        for (int k = 0; k < ticks; ++k) {
            const TimeMs t = span.first + 1000 * (1 + k % std::max<TimeMs>(1, (span.last - span.first) / 1000));
            stateMs.push_back(timeMs([&] { session.reader().stateAt(t, scratch); }));
            // The whole tick as the app sees it: the new state, every connected view updated and painted.
            tickMs.push_back(timeMs([&] {
                session.clock().seek(t);
                drawPlans();
                drill.cells()->render(&cellsImage);
                drill.chart()->render(&chartImage);
            }));
            totalsMs.push_back(timeMs([&] { totals.refresh(); }));
            for (auto& p : plans) p->setQuantity(views::RackQuantity::Power);
            plansPowerMs.push_back(timeMs(drawPlans));
            for (auto& p : plans) p->setQuantity(views::RackQuantity::Utilisation);
            plansUtilMs.push_back(timeMs(drawPlans));
            drillMs.push_back(timeMs([&] {
                drill.chart()->reload();
                drill.cells()->render(&cellsImage);
                drill.chart()->render(&chartImage);
            }));
        }
        const views::Totals& tot = totals.totals();
        std::printf("campus: %s, %lld GPUs, %zu racks; building %s: %zu halls, %zu racks\n", campus.name.c_str(),
                    static_cast<long long>(campus.gpuCount()), campus.racks().size(),
                    campus.assets[static_cast<std::size_t>(building)].name.c_str(), plans.size(), tiles);
        std::printf("totals at the last tick: %lld healthy, %lld in use, IT %.1f MW, facility %.1f MW, PUE %.3f, %.1f GFLOPS/W\n",
                    static_cast<long long>(tot.healthyGpus), static_cast<long long>(tot.gpusInUse), tot.itMw,
                    tot.facilityMw, tot.pue, tot.gflopsPerWatt);
        std::printf("medians over %d ticks:\n", ticks);
        std::printf("%-66s %8.2f ms\n", "state of every GPU, rack and unit at the new time (store query)", median(stateMs));
        std::printf("%-66s %8.2f ms\n", "campus totals (1M GPUs)", median(totalsMs));
        std::printf("%-66s %8.2f ms\n", "16 hall floor plans, by rack power: values + paint 480x360", median(plansPowerMs));
        std::printf("%-66s %8.2f ms\n", "16 hall floor plans, by GPU utilisation: values + paint", median(plansUtilMs));
        std::printf("%-66s %8.2f ms\n", "rack drill-down: 10-min chart query + cells and chart painted", median(drillMs));
        std::printf("%-66s %8.2f ms   (target <= 16)\n", "views' share of a tick: totals + 16 plans (util) + drill-down",
                    median(totalsMs) + median(plansUtilMs) + median(drillMs));
        std::printf("%-66s %8.2f ms\n", "whole tick: seek (state query, totals, jobs, chart), all painted", median(tickMs));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "compute-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
