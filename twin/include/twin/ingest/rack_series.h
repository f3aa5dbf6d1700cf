// The rack and hall series the receiver writes beside "gpu" (docs/store.md): "rack" exactly as
// the simulator records it (name, quantities, units, precision), "hall" with the simulator's
// it_power only, and their qualities "rack_quality" and "hall_quality" (for a series X, X_quality
// has X's assets and one quantity `quality`, unit `code`, precision 1: 0 good, 1 stale, 2 missing).
#pragma once

#include "twin/ingest/rack_assembler.h"
#include "twin/store.h"

namespace twin::ingest {

SeriesSpec rackSeriesSpec(TimeMs periodMs);
SeriesSpec rackQualitySeriesSpec(TimeMs periodMs);
SeriesSpec hallSeriesSpec(const Campus& campus, const RackHalls& halls, TimeMs periodMs);
SeriesSpec hallQualitySeriesSpec(const Campus& campus, const RackHalls& halls, TimeMs periodMs);

class RackSeriesWriter {
public:
    // Adds the four series to the store (the hall ones only when the campus has racks).
    RackSeriesWriter(StoreWriter& store, const Campus& campus, const RackHalls& halls, TimeMs periodMs);
    // Writes one frame of each. Throws twin::Error (from the store).
    void write(const RackFrame& frame);

private:
    StoreWriter& store_;
    int rack_ = 0, rackQuality_ = 0, hall_ = 0, hallQuality_ = 0;
};

} // namespace twin::ingest
