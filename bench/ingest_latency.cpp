#include "ingest_latency.h"

#include "twin/ingest/frame_assembler.h"
#include "twin/ingest/gpu_series.h"
#include "twin/ingest/remote_write_ingest.h"
#include "twin/store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <thread>

namespace ingest_bench {

using namespace twin;
using namespace twin::ingest;
using Clock = std::chrono::steady_clock;

namespace {

struct FrameMark {
    TimeMs t = 0;
    Clock::time_point snapshot;        // when its snapshot began: requests done before are in it
};

struct Seen {
    TimeMs last = 0;                   // the reader's span().last after a refresh that moved it
    Clock::time_point at;
};

} // namespace

LatencyResult measureLatency(const Campus& campus, const Inventory& inventory,
                             const std::vector<std::vector<std::string>>& requests, const std::vector<Probe>& probes,
                             const std::function<double(std::int64_t, int, int)>& value, const LatencySetup& setup)
{
    const std::size_t perRound = requests.front().size(), total = perRound * requests.size();
    const auto gap = std::chrono::duration<double>(setup.samplesPerRequest / setup.samplesPerSecond);
    const auto period = std::chrono::milliseconds(setup.periodMs);
    // Frame times on the requests' own time base (samples of round k are at firstT + k s - 0.5 s),
    // so that the frames' quality is "good"; the receiver uses the wall clock, which changes no duration.
    const TimeMs firstT = 1'780'000'000'000;

    FrameAssembler assembler(campus, {});
    RemoteWriteIngest ingest(inventory, assembler, {.maxBodyBytes = 64u << 20, .maxDecodedBytes = 512u << 20});
    auto store = StoreWriter::create(setup.storePath, campus, {.overwrite = true});
    GpuSeriesWriter writer(*store, setup.periodMs);
    store->commit();

    std::vector<Clock::time_point> arrival(total), done(total);
    std::atomic<std::int64_t> refused{0}, recorded{0};
    std::atomic<bool> sendersDone{false}, framesDone{false};
    std::atomic<TimeMs> lastFrameT{0};
    std::vector<FrameMark> frames;     // the frame loop's only
    std::vector<Seen> seen;            // the reader's only
    std::int64_t lastGood = 0;
    const auto start = Clock::now() + std::chrono::milliseconds(200);

    // The frame loop, as colossus-ingest's: at every period, snapshot, write both series, commit.
    // It stops after the first frame begun once every request was done.
    std::thread frameLoop([&] {
        GpuFrame f;
        for (std::int64_t j = 0;; ++j) {
            std::this_thread::sleep_until(start + j * period);
            const bool last = sendersDone.load();
            const auto snapshot = Clock::now();
            assembler.snapshot(firstT + j * setup.periodMs, f);
            writer.write(f);
            store->commit();
            frames.push_back({f.t, snapshot});
            lastFrameT = f.t;
            lastGood = f.good;
            if (last) break;
        }
        framesDone = true;
    });
    // A viewer: refresh() on a timer, and the new frame's state read as the app reads it.
    std::thread readerLoop([&] {
        auto reader = StoreReader::open(setup.storePath);
        const int gpu = reader->findSeries("gpu");
        TimeMs last = std::numeric_limits<TimeMs>::min();
        SeriesState state;
        while (!(framesDone.load() && last >= lastFrameT.load())) {
            reader->refresh();
            const TimeSpan span = reader->span();
            if (!span.empty && span.last > last) {
                last = span.last;
                seen.push_back({last, Clock::now()});
                reader->seriesAt(gpu, last, state);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(setup.pollMs));
        }
    });
    // The receiver's workers: request i arrives at start + i x gap; a worker still busy with an
    // earlier one takes it late, as an HTTP server's queue would (the wait counts).
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < setup.threads; ++w)
        workers.emplace_back([&] {
            for (std::size_t i = next++; i < total; i = next++) {
                arrival[i] = start + std::chrono::duration_cast<Clock::duration>(gap * static_cast<double>(i));
                std::this_thread::sleep_until(arrival[i]);
                const IngestResult r = ingest.ingest(requests[i / perRound][i % perRound], "bench");
                done[i] = Clock::now();
                recorded += r.counts.recorded;
                refused += r.status != IngestStatus::Ok;
            }
        });
    for (auto& w : workers) w.join();
    sendersDone = true;
    frameLoop.join();
    readerLoop.join();
    store->close();

    LatencyResult out;
    out.frames = static_cast<std::int64_t>(frames.size());
    out.samples = recorded.load();
    out.refused = refused.load();
    out.lastFrameGood = lastGood;
    const auto lastDone = *std::max_element(done.begin(), done.end());
    out.ingestedPerSecond = out.samples / std::chrono::duration<double>(lastDone - start).count();

    // Each request's frame (the first begun after it was done) and when the reader saw it; then,
    // in the store, that the frame holds the request's first sample (or a later round's value).
    std::vector<std::vector<std::size_t>> byFrame(frames.size());
    for (std::size_t i = 0; i < total; ++i) {
        const auto f = std::partition_point(frames.begin(), frames.end(),
                                            [&](const FrameMark& m) { return m.snapshot < done[i]; });
        const auto s = std::partition_point(seen.begin(), seen.end(), [&](const Seen& x) { return x.last < f->t; });
        if (f == frames.end() || s == seen.end()) {   // cannot happen: the loops end after both
            ++out.wrongFrames;
            continue;
        }
        byFrame[f - frames.begin()].push_back(i);
        out.seconds.push_back(std::chrono::duration<double>(s->at - arrival[i]).count());
    }
    auto reader = StoreReader::open(setup.storePath);
    const int gpu = reader->findSeries("gpu");
    const int rounds = static_cast<int>(requests.size());
    SeriesState state;
    for (std::size_t f = 0; f < frames.size(); ++f) {
        if (byFrame[f].empty()) continue;
        reader->seriesAt(gpu, frames[f].t, state);
        for (std::size_t i : byFrame[f]) {
            const Probe& p = probes[i % perRound];
            const float got = state.values[p.quantity][p.gpu];
            bool ok = false;
            for (int k = static_cast<int>(i / perRound); k < rounds && !ok; ++k)
                ok = std::fabs(got - value(p.gpu, p.quantity, k)) <= 0.51;   // stored to 1 W, 1 %, 1 °C
            out.wrongFrames += !ok;
        }
    }
    return out;
}

} // namespace ingest_bench
