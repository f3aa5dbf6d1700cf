// sim-bench: the simulator's speed and the size of what it records, on the default campus.
//
//   build/bin/sim-bench [--campus FILE] [--duration S] [--dir DIR]
//
// Runs steady-training for S simulated seconds (default 3600) into DIR/sim-bench.twin, one
// simulated second per call of Simulator::run so that each second is timed, then reads the
// store back and prints: speed-up over real time, GPU frames written per second, ms per
// simulated second (median, p99), the store's size and bytes per dense GPU sample, and whether
// the targets are met (1 h in <= 300 s; live: <= 1000 ms per simulated second, taken at p99).
#include "twin/campus_file.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

using namespace twin;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kHourTargetS = 300;        // one simulated hour in at most this much wall time
constexpr double kLiveTargetMs = 1000;      // live: every simulated second in under a second

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double percentile(std::vector<double> v, double p)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(std::clamp(std::ceil(p * v.size()) - 1, 0.0, v.size() - 1.0));
    return v[i];
}

double number(const std::string& option, const char* text)
{
    char* end = nullptr;
    const double v = std::strtod(text, &end);
    if (end == text || *end != '\0' || !std::isfinite(v) || v <= 0) {
        std::fprintf(stderr, "sim-bench: %s: '%s' is not a number > 0\n", option.c_str(), text);
        std::exit(2);
    }
    return v;
}

double firstNumber(StoreReader& reader, const std::string& sql)
{
    const auto rows = reader.query(sql);
    return rows.empty() || rows[0].empty() || rows[0][0].empty() ? 0 : std::atof(rows[0][0].c_str());
}

} // namespace

int main(int argc, char** argv)
{
    std::string campusPath = std::string(COLOSSUS_SOURCE_DATA_DIR) + "/sites/colossus.json";
    double durationS = 3600;
    std::string dir = std::filesystem::temp_directory_path().string() + "/sim-bench";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 < argc && a == "--campus") campusPath = argv[++i];
        else if (i + 1 < argc && a == "--duration") durationS = number(a, argv[++i]);
        else if (i + 1 < argc && a == "--dir") dir = argv[++i];
        else {
            std::fprintf(stderr, "usage: %s [--campus FILE] [--duration S] [--dir DIR]\n", argv[0]);
            return 2;
        }
    }
    try {
        std::filesystem::create_directories(dir);
        const std::string path = dir + "/sim-bench.twin";

        auto t = Clock::now();
        const Campus campus = loadCampusFile(campusPath);
        const double loadS = seconds(Clock::now() - t);
        t = Clock::now();
        sim::Simulator sim(campus, sim::scenario("steady-training", durationS));
        const double buildS = seconds(Clock::now() - t);
        WriterOptions options;
        options.overwrite = true;
        auto writer = StoreWriter::create(path, campus, options);
        sim.attach(*writer);
        std::printf("campus: %s, %lld GPUs, %zu racks (loaded in %.2f s, simulator built in %.2f s)\n",
                    campusPath.c_str(), static_cast<long long>(campus.gpuCount()), campus.racks().size(), loadS, buildS);

        // One call per simulated second, each timed.
        std::vector<double> perSecondMs;
        const auto started = Clock::now();
        for (long k = 1; sim.timeS() < durationS - 1e-9; ++k) {
            const auto s = Clock::now();
            const double before = sim.timeS();
            sim.run(std::min(durationS, static_cast<double>(k)));
            perSecondMs.push_back(seconds(Clock::now() - s) * 1000);
            if (sim.timeS() <= before) throw std::runtime_error("Simulator::run did not advance past " + std::to_string(before) + " s");
        }
        const auto closing = Clock::now();
        writer->close();
        const double closeS = seconds(Clock::now() - closing);
        const double wallS = seconds(Clock::now() - started);
        const double simulatedS = sim.timeS();

        auto reader = StoreReader::open(path);
        const std::string gpuSeries = "(SELECT id FROM series WHERE name = 'gpu')";
        const double frames = firstNumber(*reader, "SELECT count(DISTINCT t) FROM frame WHERE series = " + gpuSeries);
        const double gpuBytes = firstNumber(*reader, "SELECT sum(length(data)) FROM frame WHERE series = " + gpuSeries);
        const double denseSamples = 3.0 * static_cast<double>(campus.gpuCount()) * frames;
        std::error_code ec;
        const double fileBytes = static_cast<double>(std::filesystem::file_size(path, ec));

        const double hourS = wallS / simulatedS * 3600;
        const double p99 = percentile(perSecondMs, 0.99);
        std::printf("\n%-48s %12.1f\n", "simulated seconds", simulatedS);
        std::printf("%-48s %12.2f   (closing the store: %.2f s)\n", "wall seconds", wallS, closeS);
        std::printf("%-48s %12.2fx\n", "speed-up over real time", simulatedS / wallS);
        std::printf("%-48s %12.2f   (%.3g dense GPU samples per second)\n", "GPU frames written per wall second",
                    frames / wallS, denseSamples / wallS);
        std::printf("%-48s %12.1f\n", "ms per simulated second, median", percentile(perSecondMs, 0.5));
        std::printf("%-48s %12.1f\n", "ms per simulated second, p99", p99);
        std::printf("%-48s %12.1f   (%s)\n", "store size, MB", fileBytes / 1e6, path.c_str());
        std::printf("%-48s %12.3f   (%.0f GPU frames, %.1f MB of GPU segments)\n", "bytes per dense GPU sample",
                    denseSamples > 0 ? gpuBytes / denseSamples : 0.0, frames, gpuBytes / 1e6);
        std::printf("\ntarget 1 h in <= %.0f s: %s (%.0f s%s)\n", kHourTargetS, hourS <= kHourTargetS ? "met" : "NOT met",
                    hourS, std::fabs(simulatedS - 3600) < 1e-6 ? "" : ", projected from this run");
        std::printf("target live: <= %.0f ms per simulated second (p99): %s (%.1f ms)\n", kLiveTargetMs,
                    p99 <= kLiveTargetMs ? "met" : "NOT met", p99);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sim-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
