// heatmap-bench: the rack x time heat map (twin/query/rack_heat_map.h) on an hour-long recording
// of the default ~1M-GPU campus, against the naive way in the same run.
//
//   build/bin/heatmap-bench [--store FILE.twin] [--runs N] [--buckets N]
//
// Without --store it records one hour of job-crash (every GPU and rack; about 3 GB, minutes)
// into the temporary directory once. It times the heat map of Colossus 2's main building (the
// building with the most racks: 7,680) in 600 buckets over the hour (median of N runs, default
// 5), then the baseline: the same raster from the existing per-rack range query
// (StoreReader::seriesRange, rack by rack, each bucket's mean = sum / count), and checks that
// both give the same cells. Then the whole campus's racks, for scale.
#include "twin/query/rack_heat_map.h"
#include "twin/query/series_query.h"
#include "twin/sim/series.h"

#include "default_recording.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

using namespace twin;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// The process's CPU time (every thread), ms: what a query costs whatever else the machine runs.
double cpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

template <class F> double timeMs(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

constexpr double kTargetMs = 100;

} // namespace

int main(int argc, char** argv) {
    std::string store;
    int runs = 5, buckets = 600;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--store") store = argv[i + 1];
        else if (a == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
        else if (a == "--buckets") buckets = std::max(1, std::atoi(argv[i + 1]));
        else {
            std::fprintf(stderr, "heatmap-bench: unknown option %s (--store FILE, --runs N, --buckets N)\n", a.c_str());
            return 2;
        }
    }
    try {
        if (store.empty()) store = recording("heatmap-bench-1h.twin", "job-crash", 3600, true);
        auto reader = StoreReader::open(store);
        const Campus& campus = reader->campus();
        const SeriesInfo* rack = query::seriesOf<sim::series::Rack>(*reader);
        if (!rack) throw Error(store, "no rack series: record with every GPU (recordGpus)");
        const auto frames = reader->frameTimes(rack->id, std::numeric_limits<TimeMs>::min(), std::numeric_limits<TimeMs>::max());
        if (frames.size() < 2) throw Error(store, "fewer than two rack frames");
        // Whole buckets of the hour (or of the recording if shorter): span = a multiple of N ms, so
        // that the baseline's buckets (StoreReader's, ceil(span / N) wide) are the same ones.
        const TimeMs t0 = frames.front();
        const TimeMs hour = std::min<TimeMs>(3'600'000, frames.back() - t0 + 1);
        const TimeMs t1 = t0 + hour / buckets * buckets - 1;
        const TimeMs width = (t1 - t0 + 1) / buckets;

        AssetIndex building = kNoAsset;
        std::vector<std::int64_t> racks;
        for (AssetIndex b : campus.assetsOfKind(AssetKind::Building)) {
            auto r = query::racksUnder(campus, b);
            if (r.size() > racks.size()) {
                racks = std::move(r);
                building = b;
            }
        }
        const std::size_t nFrames = reader->frameTimes(rack->id, t0, t1).size();
        std::printf("heatmap-bench: %s\n", store.c_str());
        std::printf("heat map of %s: %zu racks x %d buckets of %.1f s over %.1f min (%zu frames), rack power\n\n",
                    campus.assets[static_cast<std::size_t>(building)].name.c_str(), racks.size(), buckets, width / 1000.0,
                    (t1 - t0 + 1) / 60000.0, nFrames);

        query::RackHeatMap map;
        std::vector<double> times;
        const double cpu0 = cpuMs();
        for (int i = 0; i < runs; ++i)
            times.push_back(timeMs([&] { map = query::rackHeatMap(*reader, {racks, "power", t0, t1, buckets}); }));
        const double cpu = (cpuMs() - cpu0) / runs;
        const double ours = median(times);
        std::printf("%-58s %9.1f ms (median of %d; first %.1f, fastest %.1f; CPU %.1f ms a query, all threads)\n",
                    "heat map query (rackHeatMap)", ours, runs, times.front(), *std::min_element(times.begin(), times.end()), cpu);

        // The baseline: the per-rack range query, rack by rack.
        std::vector<float> naive(map.values.size(), std::nanf(""));
        const int power = query::quantityIndex<sim::series::Rack>(*rack, sim::series::Rack::Power);
        const double cpuBase0 = cpuMs();
        const double baseline = timeMs([&] {
            for (std::size_t r = 0; r < racks.size(); ++r)
                for (const Bucket& b : reader->seriesRange(rack->id, power, racks[r], t0, t1, buckets)) {
                    const auto k = static_cast<std::size_t>((b.first - t0) / width);
                    naive[r * static_cast<std::size_t>(buckets) + k] = static_cast<float>(b.sum / b.count);
                }
        });
        std::printf("%-58s %9.1f ms (one run; CPU %.1f ms)\n", "baseline: seriesRange rack by rack, mean = sum / count",
                    baseline, cpuMs() - cpuBase0);
        std::printf("%-58s %9.1fx\n", "speed-up", baseline / ours);
        double worst = 0;
        std::size_t cells = 0, differ = 0;
        for (std::size_t i = 0; i < naive.size(); ++i) {
            if (std::isnan(naive[i]) != std::isnan(map.values[i])) ++differ;
            else if (!std::isnan(naive[i])) {
                ++cells;
                worst = std::max(worst, static_cast<double>(std::abs(naive[i] - map.values[i])));
            }
        }
        std::printf("%-58s %zu cells, largest difference %.4f kW, %zu cells with data on one side only\n",
                    "the two rasters", cells, worst, differ);

        const auto all = query::racksUnder(campus, kNoAsset);
        times.clear();
        for (int i = 0; i < runs; ++i)
            times.push_back(timeMs([&] { map = query::rackHeatMap(*reader, {all, "power", t0, t1, buckets}); }));
        std::printf("%-58s %9.1f ms (median of %d)\n",
                    ("every rack of the campus (" + std::to_string(all.size()) + "), same buckets").c_str(), median(times), runs);
        std::printf("\ntarget <= %.0f ms for 7,680 racks x 600 buckets over the hour: %s (%.1f ms)\n", kTargetMs,
                    ours <= kTargetMs ? "met" : "NOT met", ours);
        return differ == 0 && worst < 0.06 ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "heatmap-bench: %s\n", e.what());
        return 1;
    }
}
