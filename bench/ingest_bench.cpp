// ingest-bench: colossus-ingest's work without the network, on the default ~1M-GPU campus.
//
//   build/bin/ingest-bench [--campus FILE] [--rounds N] [--series-per-request N] [--threads N]
//                          [--latency-rate SAMPLES_PER_S] [--latency-period SECONDS]
//
// Builds, once, the remote-write requests of N scrape rounds: every GPU's power, utilisation and
// temperature with dcgm-exporter's full label set (gpu, UUID, pci_bus_id, device, modelName,
// Hostname, DCGM_FI_DRIVER_VERSION), encoded by the protobuf library and compressed by snappy,
// in requests of 2,000 series (a Prometheus sender's batch), in a shuffled order: a sender with
// many shards spreads each host's series over all of them. Then, on `threads` threads as the
// HTTP server's workers would:
//   - parse only: snappy + protobuf, every series handed to a callback that counts it;
//   - full: the same requests decoded, mapped (alias table, inventory), assembled, and one frame
//     of the "gpu", "gpu_quality", "rack", "rack_quality", "hall" and "hall_quality" series
//     written per round into a store.
// Prints samples per second of both (target for full: >= 2,000,000) and their ratio.
// Then the latency (ingest_latency.h): the same requests arrive at --latency-rate (default: a
// round a second, 3 M samples/s), a frame loop writes a frame a second into a store, a reader
// polls it; for each request, the time from its arrival to the reader seeing a frame with its
// samples (target p99 <= 1 s), beside the frame period, the floor of a frame-based writer.
#include "ingest_latency.h"

#include "twin/campus_file.h"
#include "twin/ingest/frame_assembler.h"
#include "twin/ingest/gpu_series.h"
#include "twin/ingest/inventory.h"
#include "twin/ingest/rack_series.h"
#include "twin/ingest/remote_write_ingest.h"
#include "twin/store.h"

#include "remote_write.pb.h"

#include <snappy.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace twin;
using namespace twin::ingest;
using Clock = std::chrono::steady_clock;

namespace {

constexpr TimeMs kT0 = 1'780'000'000'000;

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Runs work(i) for i in [0, n) on `threads` threads.
void parallel(int threads, std::size_t n, const std::function<void(std::size_t)>& work)
{
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    for (int k = 0; k < threads; ++k)
        pool.emplace_back([&] {
            for (std::size_t i = next++; i < n; i = next++) work(i);
        });
    for (auto& t : pool) t.join();
}

// What GPU g reads in round k (dcgm-exporter's resolutions: power to 0.01 W, integer % and °C).
double power(std::int64_t g, int k) { return 200 + (g * 37 + k * 101) % 500 + 0.01 * ((g + k) % 100); }
double util(std::int64_t g, int k) { return static_cast<double>((g * 13 + k * 7) % 101); }
double temp(std::int64_t g, int k) { return static_cast<double>(35 + (g + k) % 45); }

struct Device {
    std::int64_t gpu;
    const InventoryHost* host;
    int index;
};

// The requests of one round, each a snappy-compressed WriteRequest; `order` lists the series
// (device x 3 + metric) in the order they are sent.
std::vector<std::string> buildRound(const Campus& campus, const std::vector<Device>& devices,
                                    const std::vector<std::uint32_t>& order, int k, std::size_t perRequest,
                                    int threads, std::size_t& rawBytes)
{
    static const char* kMetrics[] = {"DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_GPU_TEMP"};
    const std::size_t series = order.size();
    const std::size_t requests = (series + perRequest - 1) / perRequest;
    std::vector<std::string> out(requests);
    std::atomic<std::size_t> raw{0};
    const TimeMs t = kT0 + k * 1000 - 500;
    parallel(threads, requests, [&](std::size_t r) {
        rw::WriteRequest req;
        std::string bytes;
        char text[64];
        for (std::size_t i = r * perRequest; i < std::min(series, (r + 1) * perRequest); ++i) {
            const Device& d = devices[order[i] / 3];
            const int m = static_cast<int>(order[i] % 3);
            rw::TimeSeries* ts = req.add_timeseries();
            const auto label = [&](const char* name, const std::string& value) {
                rw::Label* l = ts->add_labels();
                l->set_name(name);
                l->set_value(value);
            };
            // In label-name order, as Prometheus sends them.
            label("DCGM_FI_DRIVER_VERSION", "570.124.06");
            label("Hostname", d.host->host);
            std::snprintf(text, sizeof text, "GPU-%08llx-%04x-4%03x-a000-%012llx", static_cast<unsigned long long>(d.gpu),
                          static_cast<unsigned>(d.gpu & 0xffff), static_cast<unsigned>(d.index), static_cast<unsigned long long>(d.gpu * 2654435761u));
            label("UUID", text);
            label("__name__", kMetrics[m]);
            label("device", "nvidia" + std::to_string(d.index));
            label("gpu", std::to_string(d.index));
            const auto* model = campus.rackType(campus.assets[campus.rackOfGpu(d.gpu)].model);
            label("modelName", "NVIDIA " + (model ? model->gpuModel : std::string("GPU")));
            std::snprintf(text, sizeof text, "00000000:%02X:00.0", 0x18 + 0x10 * d.index);
            label("pci_bus_id", text);
            rw::Sample* sample = ts->add_samples();
            sample->set_timestamp(t);
            sample->set_value(m == 0 ? power(d.gpu, k) : m == 1 ? util(d.gpu, k) : temp(d.gpu, k));
        }
        req.SerializeToString(&bytes);
        raw += bytes.size();
        snappy::Compress(bytes.data(), bytes.size(), &out[r]);
        out[r].shrink_to_fit();   // snappy sizes the string for the worst case first
    });
    rawBytes += raw.load();
    return out;
}

// CPU seconds of the whole process (every thread): on a shared machine the wall clock also
// counts other people's work, the CPU time does not.
double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

double peakRssGb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024.0 / 1024.0;
}

} // namespace

int main(int argc, char** argv)
{
    std::string campusFile = std::string(COLOSSUS_SOURCE_DATA_DIR) + "/sites/colossus.json";
    int rounds = 5, threads = 2;
    std::size_t perRequest = 2000;
    double latencyRate = 0;   // 0: a round a second
    int latencyPeriodMs = 1000;   // the frame period of the latency phase (colossus-ingest --period)
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool more = i + 1 < argc;
        if (a == "--campus" && more) campusFile = argv[++i];
        else if (a == "--rounds" && more) rounds = std::max(1, std::atoi(argv[++i]));
        else if (a == "--threads" && more) threads = std::max(1, std::atoi(argv[++i]));
        else if (a == "--series-per-request" && more) perRequest = std::max(1, std::atoi(argv[++i]));
        else if (a == "--latency-rate" && more) latencyRate = std::max(1.0, std::atof(argv[++i]));
        else if (a == "--latency-period" && more) latencyPeriodMs = std::max(50, static_cast<int>(1000 * std::atof(argv[++i])));
        else {
            std::fprintf(stderr, "usage: ingest-bench [--campus FILE] [--rounds N] [--series-per-request N] [--threads N] "
                                 "[--latency-rate SAMPLES_PER_S] [--latency-period SECONDS]\n");
            return 2;
        }
    }
    const Campus campus = loadCampusFile(campusFile);
    const Inventory inventory = Inventory::defaultFor(campus);
    std::vector<Device> devices;
    for (const InventoryHost& h : inventory.hosts())
        for (int d = 0; d < h.gpus; ++d) devices.push_back({h.gpuFirst + d, &h, d});
    const auto samplesPerRound = static_cast<std::int64_t>(devices.size() * 3);
    std::printf("ingest-bench: %s, %lld GPUs on %zu hosts x 3 metrics = %lld samples a round, %d rounds, "
                "requests of %zu series, %d threads\n",
                campus.name.c_str(), static_cast<long long>(campus.gpuCount()), inventory.hosts().size(),
                static_cast<long long>(samplesPerRound), rounds, perRequest, threads);

    auto started = Clock::now();
    std::size_t rawBytes = 0, wireBytes = 0;
    std::vector<std::vector<std::string>> requests;
    std::vector<std::uint32_t> order(devices.size() * 3);
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
    std::shuffle(order.begin(), order.end(), std::mt19937(42));
    for (int k = 0; k < rounds; ++k) {
        requests.push_back(buildRound(campus, devices, order, k, perRequest, threads, rawBytes));
        for (const auto& r : requests.back()) wireBytes += r.size();
    }
    std::printf("built in %.1f s: %zu requests a round; protobuf %.0f MB, snappy %.0f MB (%.1fx), %.0f bytes a sample "
                "on the wire\n",
                seconds(Clock::now() - started), requests[0].size(), rawBytes / 1e6, wireBytes / 1e6,
                static_cast<double>(rawBytes) / wireBytes, wireBytes / (static_cast<double>(samplesPerRound) * rounds));

    // Each round twice: parse only (snappy + protobuf, each series counted), then the full work
    // (decode, map, assemble, write the round's frame). The machine is shared: each figure is
    // given for the best round and the median one.
    const DecodeLimits limits{.maxBodyBytes = 64u << 20, .maxDecodedBytes = 512u << 20};
    const auto dir = std::filesystem::temp_directory_path() / "ingest-bench";
    std::filesystem::create_directories(dir);
    const std::string storePath = (dir / "ingest-bench.twin").string();
    std::atomic<std::int64_t> parsed{0};
    std::int64_t recorded = 0, problems = 0, good = 0;
    std::vector<double> parseS, parseCpu, fullS, fullCpu, writeS, rackS;
    {
        FrameAssembler assembler(campus, {});   // freed before the latency phase builds its own
        RackAssembler racks(campus, {});
        RemoteWriteIngest ingest(inventory, assembler, limits, &racks);
        auto store = StoreWriter::create(storePath, campus, {.overwrite = true});
        GpuSeriesWriter writer(*store, 1000);
        RackSeriesWriter rackWriter(*store, campus, racks.halls(), 1000);
        GpuFrame frame;
        RackFrame rackFrame;
        std::mutex m;
        for (int k = 0; k < rounds; ++k) {
            started = Clock::now();
            double cpu = cpuSeconds();
            parallel(threads, requests[k].size(), [&](std::size_t r) {
                std::int64_t n = 0;
                decodeRemoteWrite(requests[k][r], "bench", limits,
                                  [&](const SeriesView& ts) { n += static_cast<std::int64_t>(ts.samples.size()); });
                parsed += n;
            });
            parseS.push_back(seconds(Clock::now() - started));
            parseCpu.push_back(cpuSeconds() - cpu);

            started = Clock::now();
            cpu = cpuSeconds();
            parallel(threads, requests[k].size(), [&](std::size_t r) {
                const IngestResult res = ingest.ingest(requests[k][r], "bench");
                std::lock_guard lock(m);
                recorded += res.counts.recorded;
                problems += res.status != IngestStatus::Ok;
            });
            const auto w = Clock::now();
            assembler.snapshot(kT0 + k * 1000, frame);
            writer.write(frame);
            const auto rw = Clock::now();
            racks.snapshot(frame, rackFrame);
            rackWriter.write(rackFrame);
            rackS.push_back(seconds(Clock::now() - rw));
            store->commit();
            writeS.push_back(seconds(Clock::now() - w));
            fullS.push_back(seconds(Clock::now() - started));
            fullCpu.push_back(cpuSeconds() - cpu);
            good = frame.good;
        }
        store->close();
    }
    const auto storeBytes = std::filesystem::file_size(storePath);
    std::filesystem::remove_all(dir);

    const double n = static_cast<double>(samplesPerRound);
    const auto best = [](std::vector<double> v) { return *std::min_element(v.begin(), v.end()); };
    const auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    std::printf("parse only (snappy + protobuf):           best %5.2f, median %5.2f M samples/s (%.2f s a round; "
                "%.2f M samples per CPU second)\n",
                n / best(parseS) / 1e6, n / median(parseS) / 1e6, median(parseS), n / median(parseCpu) / 1e6);
    std::printf("full (+ map, assemble, write the frame):  best %5.2f, median %5.2f M samples/s (%.2f s a round; "
                "%.2f M samples per CPU second; the frame %.3f s, of which racks and halls %.3f s)   target >= 2 M/s\n",
                n / best(fullS) / 1e6, n / median(fullS) / 1e6, median(fullS), n / median(fullCpu) / 1e6,
                median(writeS), median(rackS));
    std::printf("full / parse only (medians): %.2fx the time, %.2fx the CPU time; store %.1f MB; peak memory %.2f GB\n",
                median(fullS) / median(parseS), median(fullCpu) / median(parseCpu), storeBytes / 1e6, peakRssGb());

    // Latency: arrival to visible to a reader, at the offered rate.
    std::vector<ingest_bench::Probe> probes(requests[0].size());
    for (std::size_t r = 0; r < probes.size(); ++r) {
        const std::uint32_t first = order[r * perRequest];
        probes[r] = {devices[first / 3].gpu, static_cast<int>(first % 3)};
    }
    ingest_bench::LatencySetup setup;
    setup.samplesPerSecond = latencyRate > 0 ? latencyRate : n;
    setup.samplesPerRequest = static_cast<double>(perRequest);
    setup.threads = threads;
    setup.periodMs = latencyPeriodMs;   // colossus-ingest --period
    std::filesystem::create_directories(dir);
    setup.storePath = (dir / "ingest-latency.twin").string();
    const auto lat = ingest_bench::measureLatency(
        campus, inventory, requests, probes,
        [](std::int64_t g, int q, int k) { return q == 0 ? power(g, k) : q == 1 ? util(g, k) : temp(g, k); }, setup);
    std::filesystem::remove_all(dir);
    auto sorted = lat.seconds;
    std::sort(sorted.begin(), sorted.end());
    const auto at = [&](double q) { return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(q * sorted.size()))]; };
    const double periodS = setup.periodMs / 1000.0;
    std::printf("arrival to visible to a reader (%.1f M samples/s offered, ingested at %.2f M/s; a frame every %.1f s, "
                "the reader polling every %d ms; %zu requests, %lld frames):\n"
                "  p50 %.2f s, p99 %.2f s, max %.2f s   target p99 <= 1 s\n"
                "  baseline: the frame period, %.2f s (a frame-based writer's floor: a sample waits up to a period for "
                "its frame); p99 / period = %.2fx\n",
                setup.samplesPerSecond / 1e6, lat.ingestedPerSecond / 1e6, periodS, setup.pollMs, sorted.size(),
                static_cast<long long>(lat.frames), at(0.5), at(0.99), sorted.back(), periodS, at(0.99) / periodS);
    std::printf("peak memory %.2f GB\n", peakRssGb());

    const double total = n * rounds;
    if (lat.wrongFrames || lat.refused || lat.samples != static_cast<std::int64_t>(total) || lat.lastFrameGood != campus.gpuCount()) {
        std::fprintf(stderr, "ingest-bench: wrong latency result: %lld requests without their samples in their frame, "
                             "%lld refused, %lld of %.0f samples recorded, %lld GPUs good in the last frame\n",
                     static_cast<long long>(lat.wrongFrames), static_cast<long long>(lat.refused),
                     static_cast<long long>(lat.samples), total, static_cast<long long>(lat.lastFrameGood));
        return 1;
    }
    // The figures mean nothing if the work was not done.
    if (parsed.load() != static_cast<std::int64_t>(total) || recorded != static_cast<std::int64_t>(total) || problems ||
        good != campus.gpuCount()) {
        std::fprintf(stderr, "ingest-bench: wrong result: parsed %lld, recorded %lld of %.0f, %lld bad requests, %lld "
                             "GPUs good of %lld\n",
                     static_cast<long long>(parsed.load()), static_cast<long long>(recorded), total,
                     static_cast<long long>(problems), static_cast<long long>(good),
                     static_cast<long long>(campus.gpuCount()));
        return 1;
    }
    return 0;
}
