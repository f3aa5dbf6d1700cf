// The figures an incident review compares (the Compare window's table), for a loss of supply (a
// trip, a grid interruption): how deep the frequency fell and when, how fast it fell, what the Megapacks picked up, how long it took to recover.
// Read from a store's full-resolution samples after an anchor time (the incident's start, e.g. a
// turbine trip's alarm). Which signals: the frequency of the incident's island (the island the
// event's asset is connected to by feeds; else the first island) and the sum of the power of
// that island's Megapack blocks, as the Compare window draws them (electrical_signals.h).
#pragma once

#include "twin/query/electrical_signals.h"
#include "twin/store.h"

#include <optional>

namespace twin::query {

struct IncidentOptions {
    AssetIndex asset = kNoAsset;     // the incident's asset (the event's): its island is measured
    TimeMs afterMs = 60'000;         // the analysis window: [anchor, anchor + afterMs], clipped to the recording
    TimeMs pickupMs = 10'000;        // the Megapacks' pickup: their peak in [anchor, anchor + pickupMs]
                                     // (they answer in 0.3 s, the governors take over within seconds;
                                     // later peaks are the load's swings, not the incident)
    TimeMs rocofWindowMs = 500;      // RoCoF over this window (f(t) - f(t - window)) / window: a
                                     // relay-like measurement that ignores one-sample noise
    double nominalHz = 60;
    double recoveryBandHz = 0.05;    // "recovered": back within nominal ± this (docs/physics.md:
                                     // a trip of the largest unit is back within 0.05 Hz in 10 s)
};

struct IncidentFigures {
    bool hasFrequency = false;       // false: the store records no bus frequency (the rest is 0)
    double nadirHz = 0;              // the lowest frequency in the window
    TimeMs nadirAfterMs = 0;         //   its time after the anchor (the first sample at the lowest)
    // The steepest fall: the most negative RoCoF (Hz/s; 0 if the frequency never falls). The fall
    // is what a trip's protection and the Megapacks answer; the rebound after the nadir can be
    // steeper on a small island but is not the incident's.
    double maxRocofHzPerS = 0;
    TimeMs rocofAfterMs = 0;         //   the end of that window, after the anchor
    bool hasMegapacks = false;       // false: no Megapack power recorded (pickup 0)
    double megapackBeforeMw = 0;     // their power (discharge positive) at the last sample before the anchor
    double megapackPickupMw = 0;     // the peak power in the pickup window minus megapackBeforeMw
    TimeMs megapackPeakAfterMs = 0;  //   the peak's time after the anchor
    // When the frequency was back in the band for good: the first sample in the band after the
    // window's last sample outside it, after the anchor; 0 if it never left the band; nullopt if
    // it is still outside at the window's end.
    std::optional<TimeMs> recoveredAfterMs;
    TimeMs windowEnd = 0;            // the analysis window's end (clipped to the recording)
};

// Throws twin::Error (the store's) only where the reader does.
IncidentFigures incidentFigures(StoreReader& reader, TimeMs anchor, const IncidentOptions& options = {});

// The island of an asset: the index in electrical.islands of the island whose bus it is connected to
// by feeds (islands are the feed graph's connected components); 0 for kNoAsset or an asset
// connected to none. electrical.islands must not be empty.
std::size_t islandOf(const StoreReader& reader, const ElectricalSignals& electrical, AssetIndex asset);
// The power channels of the Megapack blocks of island i (empty if it has none).
ChannelGroup megapacksOf(const StoreReader& reader, const ElectricalSignals& electrical, std::size_t island);

} // namespace twin::query
