// The series the receiver writes: "gpu", exactly as the simulator records it (so every view
// reads a received store like a simulated one), and "gpu_quality", the quality of each GPU's
// values at each frame (0 good, 1 stale, 2 missing; docs/store.md).
#pragma once

#include "twin/ingest/frame_assembler.h"
#include "twin/store.h"

#include <map>
#include <string>
#include <utility>

namespace twin::ingest {

SeriesSpec gpuSeriesSpec(TimeMs periodMs);
SeriesSpec gpuQualitySeriesSpec(TimeMs periodMs);

class GpuSeriesWriter {
public:
    // Adds both series to the store.
    GpuSeriesWriter(StoreWriter& store, TimeMs periodMs);
    // Writes one frame of each series and the frame's events, and ends the open events the frame
    // says have cleared (in time order; at equal times an end before a start). An end without an
    // event open in this writer (opened before a restart of the ingest) is dropped. Throws
    // twin::Error (from the store).
    void write(const GpuFrame& frame);

    int gpuSeries() const { return gpu_; }
    int qualitySeries() const { return quality_; }

private:
    StoreWriter& store_;
    int gpu_ = 0, quality_ = 0;
    std::map<std::pair<std::string, std::string>, std::int64_t> open_;   // (kind, asset) -> event id
};

} // namespace twin::ingest
