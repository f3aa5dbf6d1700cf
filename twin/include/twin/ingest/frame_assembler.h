// The frame assembler: the newest value (and its sample time) of every GPU quantity, taken from
// samples as they arrive in any order from any number of threads, and turned into one frame of
// the "gpu" series (plus its quality, "gpu_quality") whenever the writer asks.
//
// XID errors (docs/ingest.md, "XID events"): the exporter reports a GPU's last XID code; a change
// to a non-zero code opens a "gpu_xid" event (warning) and a return to 0 (the GPU was reset or
// replaced) ends it; a change to another non-zero code ends the open one and opens another.
//
// Quality of a GPU in a frame (docs/ingest.md, "Quality"): 0 good, 1 stale (a quantity's newest
// sample is older than the staleness limit, or a Prometheus stale marker came for it), 2 missing
// (a quantity has had no sample yet); the worst of its three quantities. The store refuses NaN,
// so a stale quantity keeps its last value and a missing one is 0.
#pragma once

#include "twin/campus.h"
#include "twin/ingest/dcgm_metrics.h"
#include "twin/ingest/huge_page_allocator.h"
#include "twin/ingest/ingest_counts.h"
#include "twin/store.h"

#include <array>
#include <climits>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace twin::ingest {

enum class Quality : std::uint8_t { Good = 0, Stale = 1, Missing = 2 };

// One sample mapped to a GPU, in the twin's units.
struct GpuSample {
    std::int64_t gpu = 0;         // campus-wide GPU index
    TimeMs t = 0;
    float value = 0;
    GpuQuantity quantity = GpuQuantity::Power;
    bool staleMarker = false;     // value unused
};

// The end of an event opened earlier (matched by kind and asset when written).
struct EventEnd {
    std::string kind, asset;
    TimeMs t = 0;
};

// What the writer stores at one tick.
struct GpuFrame {
    TimeMs t = 0;
    std::array<std::vector<float>, kGpuSeriesQuantities> values;   // "gpu" series, quantity order
    std::vector<float> quality;                                     // "gpu_quality": Quality codes
    std::vector<Event> events;                                      // XID events since the last frame
    std::vector<EventEnd> ends;                                     // XID conditions cleared since then
    std::int64_t good = 0, stale = 0, missing = 0;                  // GPUs by quality
};

struct AssemblerOptions {
    TimeMs staleAfterMs = 90'000;   // 3 x a 30 s scrape interval
};

class FrameAssembler {
public:
    FrameAssembler(const Campus& campus, AssemblerOptions options);

    // Takes the samples (thread-safe). Adds recorded, staleMarkers, outOfOrder and xidEvents
    // to `counts`; out-of-order samples (older than the held one) are dropped.
    void apply(std::span<const GpuSample> samples, IngestCounts& counts);
    // Fills `out` with the state at `t` and hands over the XID events gathered (thread-safe).
    void snapshot(TimeMs t, GpuFrame& out);

    std::int64_t gpuCount() const { return n_; }
    const AssemblerOptions& options() const { return options_; }

private:
    static constexpr TimeMs kNever = INT64_MIN;
    // Everything held for one GPU side by side: samples arrive in no GPU order (a sender's shards
    // mix all hosts), so one sample should touch one place in memory, not one per array.
    struct Held {
        TimeMs t[kGpuSeriesQuantities] = {kNever, kNever, kNever};   // sample time of value[q]
        TimeMs xidT = kNever;
        float value[kGpuSeriesQuantities] = {0, 0, 0};
        std::int32_t xid = -1;                                        // the last XID seen, -1: none yet
        std::int32_t xidOpen = 0;                                     // the code of the open event, 0: none
        std::uint8_t staleMarked[kGpuSeriesQuantities] = {0, 0, 0};
    };
    const Campus& campus_;
    AssemblerOptions options_;
    std::int64_t n_ = 0;
    std::mutex mutex_;
    std::vector<Held, detail::HugePageAllocator<Held>> held_;
    std::vector<Event> events_;
    std::vector<EventEnd> ends_;
};

} // namespace twin::ingest
