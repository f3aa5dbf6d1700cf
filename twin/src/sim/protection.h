// Frequency protection of the power plant: the turbines' frequency relays (a PRC-024-style
// ride-through curve, staggered so that a plant does not lose every unit at once), the
// over-speed trip, and which halls under-frequency load shedding (UFLS) opens in which stage.
// docs/physics.md, "Protection".
#pragma once

#include <limits>
#include <string>
#include <vector>

namespace twin::sim {

// NERC PRC-024-2, Attachment 1, Eastern Interconnection: how long a generator must stay
// connected at a frequency (seconds). Continuous (infinity) within [59.5, 60.5] Hz; log-linear in
// frequency from 1800 s at 59.5 Hz to 2 s at 57.8 Hz and from 600 s at 60.5 Hz to 2 s at 62.2 Hz;
// 0 (instantaneous trip allowed) at or below 57.8 Hz and at or above 61.8 Hz.
double prc024RideThroughS(double hz);

constexpr double kRideThroughLowHz = 59.5, kRideThroughHighHz = 60.5;   // continuous band
constexpr double kInstantLowHz = 57.8, kInstantHighHz = 61.8;           // instantaneous trip allowed
constexpr int kRelayGroups = 4;   // the units of an island in four groups, smallest first

// One unit's frequency relay: set on or outside the PRC-024 curve, by group g (0 = the
// island's smallest units): instantaneous at 61.8 + 0.1 g Hz and 57.8 - 0.1 g Hz; between the
// continuous band and those, an inverse-time element that trips when the time spent outside
// the band, weighted by 1 / ((1 + 0.5 g) x the curve's time at each frequency), reaches 1; it
// resets once the frequency is back inside [59.5, 60.5] Hz. Fed measured frequency.
struct FrequencyRelay {
    int group = 0;
    double used = 0;   // share of the allowed time used in the current excursion

    // Advances by h seconds at measured frequency hz; returns a non-empty reason when it trips.
    std::string update(double hz, double h);
    double instantHighHz() const { return kInstantHighHz + 0.1 * group; }
    double instantLowHz() const { return kInstantLowHz - 0.1 * group; }
};

// Which halls each UFLS stage sheds. `ratedMw[k]` is the rated IT of the island's k-th hall;
// halls are taken smallest first (ties in the given order) and stage s (0-based) takes the next
// halls until the halls of stages 0..s add up to (s + 1) x stagePct % of the island's rated IT
// (a stage may take none when an earlier one overshot); the island's last hall is never shed.
// Returns, per stage, positions into ratedMw.
std::vector<std::vector<int>> uflsPlan(const std::vector<double>& ratedMw, int stages, double stagePct);

} // namespace twin::sim
