// Racks and halls from the GPU telemetry (docs/ingest.md, "Racks and halls"): every frame, each
// rack's power is its rack sensor's (a PDU's active power, rack_metrics.h) when the site sends
// one, else the sum of its GPUs' power in the frame (an estimate of IT power without the rack's
// non-GPU overhead); inlet and outlet temperatures come from rack sensors only (0 when none was
// ever sent). A hall's it_power is the sum of its racks'. Qualities follow the store's
// convention (X_quality: 0 good, 1 stale, 2 missing): a rack with a power sensor takes that
// sensor's, and the temperatures' once sent; a rack without one the worst of its GPUs'; a hall
// the worst of its racks'.
#pragma once

#include "twin/campus.h"
#include "twin/ingest/frame_assembler.h"
#include "twin/ingest/rack_metrics.h"

#include <array>
#include <climits>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

namespace twin::ingest {

// What the writer stores of racks and halls at one tick.
struct RackFrame {
    TimeMs t = 0;
    std::array<std::vector<float>, kRackSeriesQuantities> values;   // "rack": kW, degC, degC
    std::vector<float> quality;                                      // "rack_quality"
    std::vector<float> hallItMw, hallQuality;                        // "hall" it_power, "hall_quality"
    std::int64_t sensed = 0;                                         // racks whose power is a sensor's
};

// The halls that hold racks, in the order of their first rack (as the simulator lists them), and
// each rack's hall (position in that list).
struct RackHalls {
    std::vector<AssetIndex> halls;
    std::vector<std::int32_t> hallOfRack;   // by position in Campus::racks()
};
RackHalls rackHallsOf(const Campus& campus);

class RackAssembler {
public:
    RackAssembler(const Campus& campus, AssemblerOptions options);

    // Position of a rack in Campus::racks() by its asset id; -1 when it is not a rack.
    std::int32_t rackPosition(std::string_view id) const;
    // Takes rack sensor samples (thread-safe); counts like FrameAssembler::apply.
    void apply(std::span<const RackSample> samples, IngestCounts& counts);
    // The racks and halls at `gpus.t` from that GPU frame and the sensors held (thread-safe).
    void snapshot(const GpuFrame& gpus, RackFrame& out);

    const RackHalls& halls() const { return halls_; }

private:
    static constexpr TimeMs kNever = INT64_MIN;
    struct Held {
        TimeMs t[kRackSeriesQuantities] = {kNever, kNever, kNever};
        float value[kRackSeriesQuantities] = {0, 0, 0};
        std::uint8_t staleMarked[kRackSeriesQuantities] = {0, 0, 0};
    };
    const Campus& campus_;
    AssemblerOptions options_;
    RackHalls halls_;
    std::vector<std::int32_t> rackOfAsset_;   // by AssetIndex; -1: not a rack
    std::mutex mutex_;
    std::vector<Held> held_;
};

} // namespace twin::ingest
