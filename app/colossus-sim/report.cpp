#include "report.h"

#include "twin/data_paths.h"
#include "twin/sim/param_list.h"
#include "twin/store.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace colossus_sim {

void printScenarios()
{
    for (const auto& s : twin::sim::scenarios()) std::printf("%-16s %s\n", s.name.c_str(), s.description.c_str());
}

void printParams()
{
    std::printf("%-22s %-8s %s\n", "KEY", "TYPE", "DEFAULT");
    for (const auto& p : twin::sim::listParams(twin::sim::Params{}))
        std::printf("%-22s %-8s %s\n", p.key.c_str(), p.type.c_str(), p.value.empty() ? "\"\"" : p.value.c_str());
}

bool printSites()
{
    const std::string dir = twin::dataDir();
    if (dir.empty()) return false;
    std::printf("Data directory: %s\n", dir.c_str());
    const auto section = [&dir](const char* title, const std::string& subdir) {
        std::printf("%s\n", title);
        const auto names = twin::dataFileNames(subdir);
        if (names.empty()) std::printf("  (none)\n");
        for (const auto& name : names)
            std::printf("  %-28s %s/%s/%s.json\n", name.c_str(), dir.c_str(), subdir.c_str(), name.c_str());
    };
    section("Campus files (--site NAME):", "sites");
    section("Scenario files (--scenario-file NAME):", "scenarios");
    return true;
}

// ---- progress --------------------------------------------------------------------------------

ProgressBar::ProgressBar(double totalS)
    : totalS_(totalS), enabled_(isatty(STDERR_FILENO) == 1), started_(Clock::now()), lastDraw_()
{
}

ProgressBar::~ProgressBar()
{
    if (lineOpen_) std::fputc('\n', stderr);
}

void ProgressBar::update(double simulatedS)
{
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - lastDraw_ < std::chrono::milliseconds(100)) return;
    lastDraw_ = now;
    draw(simulatedS);
}

void ProgressBar::finish(double simulatedS)
{
    if (!enabled_) return;
    draw(simulatedS);
    std::fputc('\n', stderr);
    lineOpen_ = false;
}

void ProgressBar::draw(double simulatedS)
{
    constexpr int kWidth = 30;
    const double fraction = totalS_ > 0 ? std::clamp(simulatedS / totalS_, 0.0, 1.0) : 1.0;
    const int filled = static_cast<int>(fraction * kWidth);
    char bar[kWidth + 1];
    for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
    bar[kWidth] = '\0';
    const double wallS = std::chrono::duration<double>(Clock::now() - started_).count();
    const double speed = wallS > 0 ? simulatedS / wallS : 0;
    std::fprintf(stderr, "\r[%s] %3.0f%%  %.0f/%.0f s  (%.1fx real time)  ", bar, fraction * 100, simulatedS,
                 totalS_, speed);
    std::fflush(stderr);
    lineOpen_ = true;
}

// ---- summary ---------------------------------------------------------------------------------

namespace {

std::string fileSize(const std::string& path)
{
    std::error_code ec;
    const auto bytes = static_cast<double>(std::filesystem::file_size(path, ec));
    if (ec) return "size unknown";
    char buf[32];
    if (bytes >= 1e9) std::snprintf(buf, sizeof buf, "%.2f GB", bytes / 1e9);
    else if (bytes >= 1e6) std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
    else std::snprintf(buf, sizeof buf, "%.0f kB", std::ceil(bytes / 1e3));
    return buf;
}

// Decimals that show about four significant digits of the largest value of a group, so that a
// test campus (kW) and the full campus (GW) both read well in MW.
int decimalsFor(double largest)
{
    if (!(largest > 0)) return 3;
    return std::clamp(3 - static_cast<int>(std::floor(std::log10(largest))), 1, 6);
}

} // namespace

void printSummary(const RunReport& r)
{
    const auto& s = r.summary;
    const twin::TimeMs end = r.params.start + static_cast<twin::TimeMs>(std::llround(s.simulatedS * 1000));
    std::printf("Scenario       %s (seed %llu) on %s, %lld GPUs\n", r.params.scenario.c_str(),
                static_cast<unsigned long long>(r.params.seed), r.campus.name.c_str(),
                static_cast<long long>(r.campus.gpuCount()));
    std::printf("Simulated      %.1f s of %.1f s  (%s to %s)\n", s.simulatedS, r.requestedS,
                twin::formatUtc(r.params.start).c_str(), twin::formatUtc(end).c_str());
    std::printf("Wall time      %.2f s  (%.1fx real time)\n", r.wallS, r.wallS > 0 ? s.simulatedS / r.wallS : 0.0);
    const int loadDecimals = decimalsFor(s.peakLoadMw);
    std::printf("Peak load      %.*f MW\n", loadDecimals, s.peakLoadMw);
    std::printf("Mean load      %.*f MW\n", loadDecimals, s.meanLoadMw);
    double largestMwh = 0;
    for (const auto& [source, mwh] : s.energyMwh) largestMwh = std::max(largestMwh, std::fabs(mwh));
    const char* label = "Energy";
    for (const auto& [source, mwh] : s.energyMwh) {
        std::printf("%-14s %-16s %12.*f MWh\n", label, source.c_str(), decimalsFor(largestMwh), mwh);
        label = "";
    }
    std::printf("Frequency      %.3f to %.3f Hz\n", s.frequencyMinHz, s.frequencyMaxHz);
    if (s.fuelMmbtu > 0) {
        const double turbineMwh = s.energyMwh.count("turbines") ? s.energyMwh.at("turbines") : 0;
        std::printf("Fuel           %.1f MMBtu (HHV); CO2 %.2f t", s.fuelMmbtu, s.co2T);
        if (turbineMwh > 0) std::printf(" (%.3f t per turbine MWh)", s.co2T / turbineMwh);
        std::printf("; NOx %.2f kg\n", s.noxKg);
    }
    if (r.campus.assetsOfKind(twin::AssetKind::MegapackBlock).empty()) {
        std::printf("Megapack SoC   none on this campus\n");
    } else if (!r.params.megapacks) {
        std::printf("Megapack SoC   switched off\n");
    } else {
        std::printf("Megapack SoC   %.1f to %.1f %%\n", s.socMinPct, s.socMaxPct);
        std::printf("Max cycles     %.4f equivalent full cycles (most-used block)\n", s.maxCycles);
    }
    std::string kinds;
    for (const auto& [kind, n] : s.eventsByKind) kinds += (kinds.empty() ? "" : ", ") + kind + " " + std::to_string(n);
    std::printf("Events         %d%s%s%s\n", s.events, kinds.empty() ? "" : " (", kinds.c_str(), kinds.empty() ? "" : ")");
    std::printf("Output         %s (%s)\n", r.out.c_str(), fileSize(r.out).c_str());
}

} // namespace colossus_sim
