// ingest-bench's latency phase: the time from a remote-write request's arrival at the receiver to
// a reader seeing a frame that holds its samples (docs/ingest.md, "Performance").
#pragma once

#include "twin/campus.h"
#include "twin/ingest/inventory.h"
#include "twin/store.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ingest_bench {

struct LatencySetup {
    double samplesPerSecond = 3e6;     // offered load: requests arrive evenly at this rate
    double samplesPerRequest = 2000;   // for the pacing
    int threads = 2;                   // the receiver's workers (HTTP threads)
    twin::TimeMs periodMs = 1000;      // the frame loop's period
    int pollMs = 50;                   // the reader's refresh() timer (the app's)
    std::string storePath;             // a new store, written by the frame loop
};

// What a reader should find for a request: quantity `quantity` of GPU `gpu` in round `round` holds
// `value(gpu, quantity, round)` (that round's or, once a later round has come, a later one's).
struct Probe {
    std::int64_t gpu = 0;
    int quantity = 0;
};

struct LatencyResult {
    std::vector<double> seconds;       // per request: arrival to visible to the reader
    double ingestedPerSecond = 0;      // samples/s the workers got through while requests came
    std::int64_t frames = 0, samples = 0, wrongFrames = 0, refused = 0;
    std::int64_t lastFrameGood = 0;    // GPUs good in the last frame
};

// Hands requests[k][r] (round k) to a RemoteWriteIngest as arrivals paced at the setup's rate,
// round after round, while a frame loop writes a frame of the "gpu" and "gpu_quality" series every
// period to a store and a StoreReader on its own thread polls refresh(). probes[r] is what request
// r of every round holds first. Afterwards checks, in the store, each request's frame.
LatencyResult measureLatency(const twin::Campus& campus, const twin::ingest::Inventory& inventory,
                             const std::vector<std::vector<std::string>>& requests, const std::vector<Probe>& probes,
                             const std::function<double(std::int64_t, int, int)>& value, const LatencySetup& setup);

} // namespace ingest_bench
