// The plant frame assembler: the newest value and time of every mapped plant asset quantity,
// turned into one frame of each plant series ("source", "turbine", "megapack", "bus", "flow":
// exactly as the simulator records them, sim/plant_series.h) and of its quality series
// ("source_quality", ...) whenever the writer asks.
//
// Quality of an asset in a series' frame (docs/store.md): 0 good, 1 stale (a mapped quantity is
// older than its stale limit, or its edge node / device died, or it was sent null), 2 missing (a
// mapped quantity has had no value yet, or the map names no quantity of the asset); the worst of
// the asset's mapped quantities. Quantities the map does not name are written 0 and do not count.
#pragma once

#include "twin/ingest/plant_counts.h"
#include "twin/ingest/plant_map.h"
#include "twin/store.h"

#include <climits>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace twin::ingest {

struct PlantSeriesFrame {
    int series = 0;                               // a sim::PlantSeries
    std::vector<std::vector<float>> values;       // by quantity, by asset position
    std::vector<float> quality;                   // by asset position: Quality codes
};

struct PlantFrame {
    TimeMs t = 0;
    std::vector<PlantSeriesFrame> series;         // the written series, in sim::PlantSeries order
    std::int64_t good = 0, stale = 0, missing = 0;   // distinct mapped assets by their worst code
};

class PlantAssembler {
public:
    // `jsonStaleAfterMs`: the stale limit of rows that set none and are not Sparkplug (a JSON
    // sender has no death message). Sparkplug values without a limit of their own turn stale only
    // when their node or device dies (Sparkplug sends a value again only when it changes).
    PlantAssembler(const PlantLayout& layout, const PlantMap& map, TimeMs jsonStaleAfterMs);

    // Not thread-safe: PlantIngest serialises. Takes `value` (already scaled) at `t`; NaN and
    // infinities are refused (false, counted invalid), older than the held value too (outOfOrder).
    bool apply(const PlantMatch& match, TimeMs t, double value, PlantCounts& counts, const std::string& source);
    // The quantity turns stale (its node or device died, or a null came) until a newer value.
    void markDead(const PlantTarget& target);
    void snapshot(TimeMs t, PlantFrame& out) const;

    // The series the map can fill (the others are not written): sim::PlantSeries values.
    const std::vector<int>& writtenSeries() const { return written_; }
    const PlantLayout& layout() const { return layout_; }

private:
    static constexpr TimeMs kNever = INT64_MIN;
    struct Held {
        TimeMs t = kNever;
        TimeMs staleAfterMs = 0;   // 0: only by death
        double value = 0;
        bool mapped = false, dead = false;
    };
    TimeMs staleLimit(const PlantMatch& m) const {
        return m.staleAfterMs > 0 ? m.staleAfterMs : m.json ? jsonStaleAfterMs_ : 0;
    }
    Held& held(const PlantTarget& t) { return held_[t.series][t.quantity][t.position]; }
    const PlantLayout& layout_;
    TimeMs jsonStaleAfterMs_;
    std::vector<std::vector<std::vector<Held>>> held_;   // [series][quantity][position]
    std::vector<int> written_;
};

// Adds each written series and its "<name>_quality" series to the store (period `periodMs`) and
// writes their frames.
//
// It also writes the plant's alarms, as the simulator does, from the received state codes of the
// "source" series (docs/ingest.md, "Plant events"), each ended when its condition clears:
//   turbine_trip       a turbine's state Tripped, until it is Online again;
//   megapack_fault     a Megapack block's state Faulted (source_fault for other sources), until
//                      it leaves Faulted;
//   grid_interruption  a grid tie going from Online to Offline, until it is Online again;
//   plant_data_stale   (warning, campus-wide) some received plant asset turned stale (its
//                      Sparkplug node or device died, or a JSON value stopped coming), until every
//                      one is good again (e.g. the node's rebirth).
// A state whose quality is not good (stale, missing) neither opens nor ends an event: the state
// is unknown, not changed.
class PlantSeriesWriter {
public:
    PlantSeriesWriter(StoreWriter& store, const PlantAssembler& assembler, TimeMs periodMs);
    void write(const PlantFrame& frame);   // throws twin::Error (from the store)

private:
    void writeEvents(const PlantFrame& frame);
    void open(const std::string& kind, Severity severity, const std::string& asset, const std::string& text, TimeMs t);
    void close(const std::string& kind, const std::string& asset, TimeMs t);

    StoreWriter& store_;
    const PlantLayout& layout_;
    std::vector<std::pair<int, int>> ids_;   // per written series: (series id, quality series id)
    std::vector<int> lastState_;             // by "source" position: the last good state code, -1 none
    std::map<std::pair<std::string, std::string>, std::int64_t> open_;   // (kind, asset) -> event id
};

// The quality series of a recorded series (docs/store.md): same asset set and assets, one
// quantity `quality` (code, precision 1).
SeriesSpec qualitySeriesSpec(const SeriesSpec& recorded);

} // namespace twin::ingest
