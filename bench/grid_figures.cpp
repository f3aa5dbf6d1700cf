// grid-figures: the grid figures of a simulator recording, as docs/physics.md quotes them.
//
//   build/bin/grid-figures STORE [--band HZ] [--trace FROM TO]
//
// Prints, per electrical island, the lowest and highest frequency and when (a de-energised
// island's 0 Hz aside); for the first turbine trip, its nadir (the lowest frequency in the
// following 60 s, in mHz from 60 Hz), the steepest fall and when the frequency was back within
// the band (default 0.01 Hz) for good; then the protection's events (trips, load shedding and
// restoration, blackouts) with their times from the recording's start. --trace prints every
// recorded frequency sample of each island between FROM and TO seconds.
#include "twin/query/electrical_signals.h"
#include "twin/query/incident_figures.h"
#include "twin/store.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace twin;

int main(int argc, char** argv)
{
    std::string path;
    double band = 0.01, traceFrom = -1, traceTo = -1;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--band" && i + 1 < argc) band = std::atof(argv[++i]);
        else if (a == "--trace" && i + 2 < argc) traceFrom = std::atof(argv[++i]), traceTo = std::atof(argv[++i]);
        else if (path.empty() && a.rfind("--", 0) != 0) path = a;
        else {
            std::fprintf(stderr, "usage: %s STORE [--band HZ] [--trace FROM TO]\n", argv[0]);
            return 2;
        }
    }
    if (path.empty() || !(band > 0)) {
        std::fprintf(stderr, "usage: %s STORE [--band HZ] [--trace FROM TO]\n", argv[0]);
        return 2;
    }
    try {
        auto reader = StoreReader::open(path);
        const TimeSpan span = reader->span();
        const TimeMs t0 = span.first;
        const query::ElectricalSignals electrical = query::electricalSignals(*reader);
        for (const auto& is : electrical.islands) {
            if (is.frequency.empty()) continue;
            const auto points = static_cast<int>(std::min<TimeMs>(span.last - span.first + 1, INT_MAX));
            double lo = 1e9, hi = -1e9;
            TimeMs loT = 0, hiT = 0, deadMs = 0, lastT = t0;
            for (const Bucket& b : reader->seriesRange(is.frequency.series, is.frequency.quantity, is.frequency.position,
                                                       span.first, span.last, points)) {
                const double v = b.lastValue;
                if (v <= 0) deadMs += b.last - lastT;   // de-energised
                else {
                    if (v < lo) lo = v, loT = b.last;
                    if (v > hi) hi = v, hiT = b.last;
                }
                lastT = b.last;
                if (b.last - t0 >= traceFrom * 1000 && b.last - t0 <= traceTo * 1000)
                    std::printf("  %9.3f s  %.4f Hz\n", (b.last - t0) / 1000.0, v);
            }
            std::printf("island %-28s frequency %.3f Hz (at %.1f s) to %.3f Hz (at %.1f s)%s\n", is.busId.c_str(), lo,
                        (loT - t0) / 1000.0, hi, (hiT - t0) / 1000.0,
                        deadMs > 0 ? (", de-energised " + std::to_string(deadMs / 1000) + " s").c_str() : "");
        }
        const auto events = reader->events(span.first, span.last);
        const auto trip = std::find_if(events.begin(), events.end(), [](const Event& e) { return e.kind == "turbine_trip"; });
        if (trip != events.end()) {
            query::IncidentOptions o;
            o.asset = reader->campus().find(trip->asset);
            o.recoveryBandHz = band;
            const auto f = query::incidentFigures(*reader, trip->start, o);
            // The frequency just before the trip: the last sample before it on the island's bus.
            double before = 60;
            const auto& islands = electrical.islands;
            const std::size_t island = query::islandOf(*reader, electrical, o.asset);
            if (island < islands.size() && !islands[island].frequency.empty()) {
                const auto& c = islands[island].frequency;
                const auto b = reader->seriesRange(c.series, c.quantity, c.position, trip->start - 1000, trip->start - 1, 1000);
                if (!b.empty()) before = b.back().lastValue;
            }
            std::printf("trip of %s at %.2f s: %.4f Hz before; nadir %.4f Hz (%+.1f mHz from 60 Hz, %+.1f mHz from before) "
                        "%.2f s after, steepest fall %.3f Hz/s, back within %.3f Hz of 60 Hz %s\n",
                        trip->asset.c_str(), (trip->start - t0) / 1000.0, before, f.nadirHz, (f.nadirHz - 60) * 1000,
                        (f.nadirHz - before) * 1000, f.nadirAfterMs / 1000.0, f.maxRocofHzPerS, band,
                        f.recoveredAfterMs ? ("after " + std::to_string(*f.recoveredAfterMs / 1000.0).substr(0, 5) + " s").c_str()
                                           : "not within 60 s");
        }
        int shown = 0;
        for (const Event& e : events) {
            if (e.kind != "turbine_trip" && e.kind != "load_shed" && e.kind != "load_restored" && e.kind != "island_blackout")
                continue;
            if (++shown > 40) {
                std::printf("... (more)\n");
                break;
            }
            std::printf("%9.2f s  %-16s %s%s\n", (e.start - t0) / 1000.0, e.kind.c_str(), e.text.c_str(),
                        e.end ? (" [ends at " + std::to_string((*e.end - t0) / 1000.0).substr(0, 7) + " s]").c_str() : "");
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "grid-figures: %s\n", e.what());
        return 1;
    }
    return 0;
}
