#include "protection.h"

#include "twin/sim/frequency_limits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace twin::sim {

namespace {

// The curve's time without its instantaneous cut: log-linear through (59.5 Hz, 1800 s) and
// (57.8 Hz, 2 s) below, through (60.5 Hz, 600 s) and (62.2 Hz, 2 s) above. These are
// PRC-024-2's formulas 10^(1.7373 f - 100.116) and 10^(90.935 - 1.45713 f).
double curveS(double hz) {
    if (hz < kRideThroughLowHz) return std::pow(10.0, 1.7373 * hz - 100.116);
    if (hz > kRideThroughHighHz) return std::pow(10.0, 90.935 - 1.45713 * hz);
    return std::numeric_limits<double>::infinity();
}

std::string text(const char* f, double a, double b = 0) {
    char buf[160];
    std::snprintf(buf, sizeof buf, f, a, b);
    return buf;
}

} // namespace

double prc024RideThroughS(double hz) {
    if (hz <= kInstantLowHz || hz >= kInstantHighHz) return 0;
    return curveS(hz);
}

std::string FrequencyRelay::update(double hz, double h) {
    if (hz >= instantHighHz()) return text("over-frequency relay: %.2f Hz at or above %.2f Hz (instantaneous)", hz, instantHighHz());
    if (hz <= instantLowHz()) return text("under-frequency relay: %.2f Hz at or below %.2f Hz (instantaneous)", hz, instantLowHz());
    if (hz >= kRideThroughLowHz && hz <= kRideThroughHighHz) {
        used = 0;
        return {};
    }
    used += h / ((1 + 0.5 * group) * curveS(hz));
    if (used < 1) return {};
    return text(hz > kNominalHz ? "over-frequency relay: %.2f Hz, ride-through time used up (PRC-024 curve x %.1f)"
                                : "under-frequency relay: %.2f Hz, ride-through time used up (PRC-024 curve x %.1f)",
                hz, 1 + 0.5 * group);
}

std::vector<std::vector<int>> uflsPlan(const std::vector<double>& ratedMw, int stages, double stagePct) {
    std::vector<std::vector<int>> plan(static_cast<std::size_t>(std::max(0, stages)));
    std::vector<int> order(ratedMw.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return ratedMw[a] < ratedMw[b]; });
    const double total = std::accumulate(ratedMw.begin(), ratedMw.end(), 0.0);
    double shed = 0;
    std::size_t next = 0;
    for (int s = 0; s < stages; ++s) {
        const double target = (s + 1) * stagePct / 100 * total;
        while (shed < target && next + 1 < order.size()) {   // never the last hall
            plan[s].push_back(order[next]);
            shed += ratedMw[order[next]];
            ++next;
        }
    }
    return plan;
}

} // namespace twin::sim
