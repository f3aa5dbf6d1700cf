// twin-bench: the twin store's figures on the default ~1M-GPU campus (docs/store.md, README).
//
//   build/bin/twin-bench [--campus FILE] [--ticks N] [--plain-ticks N] [--dir DIR]
//
// Records N ticks at 1 Hz of every GPU (power, utilisation, temperature), every rack (power,
// inlet and outlet temperature, 1 Hz, columnar) and the plant (10 Hz, columnar), from a
// synthetic training load (jobs alternating compute and communication, per-GPU spread, sensor
// noise, thermal lag), then measures what the issue asks and prints medians. The same data
// for a slice of ticks goes into a plain one-row-per-sample table, side by side.
#include "twin/campus_file.h"
#include "twin/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using namespace twin;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(std::min<double>(v.size() - 1, std::ceil(p * v.size()) - 1));
    return v[i];
}
double median(std::vector<double> v) { return percentile(std::move(v), 0.5); }

std::uint32_t hash(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return static_cast<std::uint32_t>(x);
}
double unit(std::uint64_t x) { return hash(x) / 4294967296.0; }   // [0, 1)

// A synthetic training load: contiguous blocks of racks run jobs with their own step period
// and duty; a few racks idle.
struct Load {
    const Campus& c;
    std::vector<double> tdp, spread, temp;          // per GPU
    std::vector<int> job;                           // per GPU, -1 idle
    std::vector<double> period, duty, offset;       // per job
    std::vector<float> power, util, tempOut;        // the current frame
    std::vector<float> rackPower, rackIn, rackOut;

    explicit Load(const Campus& campus) : c(campus) {
        const auto n = static_cast<std::size_t>(c.gpuCount());
        tdp.resize(n);
        spread.resize(n);
        temp.assign(n, 35.0);
        job.resize(n);
        power.resize(n);
        util.resize(n);
        tempOut.resize(n);
        const auto& racks = c.racks();
        rackPower.resize(racks.size());
        rackIn.resize(racks.size());
        rackOut.resize(racks.size());
        int j = -1;
        std::size_t left = 0;
        for (std::size_t r = 0; r < racks.size(); ++r) {
            if (left == 0) {   // a new job every 64 to 1,024 racks; one block in ten idles
                ++j;
                left = 64 + hash(j * 7 + 1) % 960;
                period.push_back(1.0 + 9.0 * unit(j * 7 + 2));
                duty.push_back(0.6 + 0.3 * unit(j * 7 + 3));
                offset.push_back(unit(j * 7 + 4));
            }
            --left;
            const Asset& a = c.assets[racks[r]];
            const RackType* rt = c.rackType(a.model);
            const GpuModel* gm = rt ? c.gpuModel(rt->gpuModel) : nullptr;
            for (std::int64_t g = a.gpuFirst; g < a.gpuFirst + a.gpuCount; ++g) {
                tdp[g] = gm ? gm->tdpW : 700;
                spread[g] = 0.96 + 0.08 * unit(g * 3 + 11);
                job[g] = hash(j * 7 + 5) % 10 == 0 ? -1 : j;
            }
        }
    }

    void tick(int k) {
        const auto n = power.size();
        for (std::size_t g = 0; g < n; ++g) {
            double activity = 0.08;
            double u = 0;
            if (job[g] >= 0) {
                const int j = job[g];
                const double phase = std::fmod(k / period[j] + offset[j], 1.0);
                const bool compute = phase < duty[j];
                activity = compute ? 0.95 : 0.35;
                u = compute ? 97 + 3 * unit(g * 131 + k) : 30 + 10 * unit(g * 131 + k);
            }
            const double noise = 6 * unit(g * 977 + k * 7919) - 3;
            power[g] = static_cast<float>(tdp[g] * activity * spread[g] + noise);
            util[g] = static_cast<float>(std::round(u));
            temp[g] += 0.15 * (28 + 50 * activity * spread[g] - temp[g]);
            tempOut[g] = static_cast<float>(temp[g]);
        }
        const auto& racks = c.racks();
        for (std::size_t r = 0; r < racks.size(); ++r) {
            const Asset& a = c.assets[racks[r]];
            double w = 0;
            for (std::int64_t g = a.gpuFirst; g < a.gpuFirst + a.gpuCount; ++g) w += power[g];
            rackPower[r] = static_cast<float>(w * 1.25 / 1000);   // servers, switches, CDU
            rackIn[r] = static_cast<float>(25 + 0.5 * unit(r * 5 + k));
            rackOut[r] = static_cast<float>(rackIn[r] + rackPower[r] / 6.0);
        }
    }
};

std::int64_t dirBytes(const std::string& path) {
    std::int64_t total = 0;
    for (const char* s : {"", "-wal"}) {
        std::error_code ec;
        const auto n = std::filesystem::file_size(path + s, ec);
        if (!ec) total += static_cast<std::int64_t>(n);
    }
    return total;
}

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "plain table: %s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}

} // namespace

int main(int argc, char** argv) {
    std::string campusPath = std::string(COLOSSUS_SOURCE_DATA_DIR) + "/sites/colossus.json";
    int ticks = 300, plainTicks = 30;
    int gpuSegment = 16384;   // GPUs per segment of the GPU series
    bool reuse = false;   // keep a store written by an earlier run with the same --ticks
    std::string dir = std::filesystem::temp_directory_path().string() + "/twin-bench";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) { std::fprintf(stderr, "%s needs a value\n", a.c_str()); std::exit(2); }
            return argv[++i];
        };
        if (a == "--campus") campusPath = next();
        else if (a == "--ticks") ticks = std::stoi(next());
        else if (a == "--plain-ticks") plainTicks = std::stoi(next());
        else if (a == "--dir") dir = next();
        else if (a == "--reuse") reuse = true;
        else if (a == "--gpu-segment") gpuSegment = std::stoi(next());
        else { std::fprintf(stderr, "usage: %s [--campus FILE] [--ticks N] [--plain-ticks N] [--dir DIR] [--reuse] [--gpu-segment N]\n", argv[0]); return 2; }
    }
    try {
        std::filesystem::create_directories(dir);
        const auto tl = Clock::now();
        const Campus campus = loadCampusFile(campusPath);
        const double loadMs = ms(Clock::now() - tl);
        const auto nGpu = campus.gpuCount();
        const auto nRack = static_cast<std::int64_t>(campus.racks().size());
        std::vector<std::string> plantIds;
        for (auto kind : {AssetKind::Turbine, AssetKind::MegapackBlock, AssetKind::SolarArray, AssetKind::GridTie,
                          AssetKind::Bus, AssetKind::Transformer, AssetKind::Feeder})
            for (AssetIndex a : campus.assetsOfKind(kind)) plantIds.push_back(campus.assets[a].id);
        std::printf("campus: %s — %lld GPUs, %lld racks, %zu plant assets (loaded in %.1f ms)\n", campusPath.c_str(),
                    static_cast<long long>(nGpu), static_cast<long long>(nRack), plantIds.size(), loadMs);

        // ---- write
        const std::string store = dir + "/bench.twin";
        const TimeMs t0 = 1'780'000'000'000;
        Load load(campus);
        double writeMs = 0;
        std::vector<double> tickMs;
        if (reuse && std::filesystem::exists(store)) {
            tickMs.push_back(0);
            writeMs = 1;
            std::fprintf(stderr, "  reusing %s (write figures are not measured)\n", store.c_str());
        } else {
            WriterOptions o;
            o.overwrite = true;
            auto w = StoreWriter::create(store, campus, o);
            const int gpu = w->addSeries({"gpu", AssetSet::Gpus, {},
                                          {{"power", "W", 1}, {"utilisation", "%", 1}, {"temperature", "degC", 1}},
                                          1000, 30, gpuSegment, false});
            const int rack = w->addSeries({"rack", AssetSet::Racks, {},
                                           {{"power", "kW", 0.1}, {"inlet_temperature", "degC", 0.1},
                                            {"outlet_temperature", "degC", 0.1}},
                                           1000, 30, 4096, true});
            const int plant = w->addSeries({"plant", AssetSet::List, plantIds, {{"power", "MW", 0.001}}, 100, 100, 4096, true});
            std::vector<float> plantV(plantIds.size());
            for (int k = 0; k < ticks; ++k) {
                load.tick(k);
                for (int j = 0; j < 10; ++j)
                    for (std::size_t p = 0; p < plantV.size(); ++p)
                        plantV[p] = static_cast<float>(20 + 10 * std::sin(0.3 * (k + j * 0.1) + p));
                const auto s = Clock::now();
                const std::span<const float> g[] = {load.power, load.util, load.tempOut};
                w->writeFrame(gpu, t0 + k * 1000, g);
                const std::span<const float> r[] = {load.rackPower, load.rackIn, load.rackOut};
                w->writeFrame(rack, t0 + k * 1000, r);
                for (int j = 0; j < 10; ++j) {
                    const std::span<const float> p[] = {plantV};
                    w->writeFrame(plant, t0 + k * 1000 + j * 100, p);
                }
                const double d = ms(Clock::now() - s);
                tickMs.push_back(d);
                writeMs += d;
                if (k % 50 == 49) std::fprintf(stderr, "  written %d/%d ticks\n", k + 1, ticks);
            }
            const auto s = Clock::now();
            w->close();
            writeMs += ms(Clock::now() - s);
        }
        const double denseSamples = 3.0 * nGpu * ticks;
        const double allDense = denseSamples + 3.0 * nRack * ticks;

        // ---- sizes
        auto r = StoreReader::open(store);
        const double gpuBlobBytes = std::stod(r->query("SELECT sum(length(data)) FROM frame WHERE series = 1")[0][0]);
        const double fileBytes = static_cast<double>(dirBytes(store));

        // ---- state of the whole campus at random t
        std::mt19937_64 rng(42);
        std::uniform_int_distribution<TimeMs> anyT(t0, t0 + (ticks - 1) * 1000LL + 999);
        CampusState st;
        r->stateAt(t0, st);   // first touch: page cache warm-up
        std::vector<double> stateMs;
        for (int i = 0; i < 200; ++i) {
            const TimeMs t = anyT(rng);
            const auto s = Clock::now();
            r->stateAt(t, st);
            stateMs.push_back(ms(Clock::now() - s));
        }
        std::vector<double> stepMs;   // playback: the next tick (key frame cached)
        for (int k = 1; k < std::min(ticks, 120); ++k) {
            const auto s = Clock::now();
            r->stateAt(t0 + k * 1000, st);
            stepMs.push_back(ms(Clock::now() - s));
        }

        // ---- one signal over the whole recording, reduced to 2,000 points
        const TimeMs tEnd = t0 + ticks * 1000LL;
        auto timeRange = [&](auto&& f) {
            std::vector<double> v;
            std::size_t points = 0;
            for (int i = 0; i < 15; ++i) {
                const auto s = Clock::now();
                points = f().size();
                v.push_back(ms(Clock::now() - s));
            }
            return std::pair(median(v), points);
        };
        const auto [plantRangeMs, plantPts] = timeRange([&] { return r->seriesRange(3, 0, 5, t0, tEnd, 2000); });
        const auto [rackRangeMs, rackPts] = timeRange([&] { return r->seriesRange(2, 0, nRack / 2, t0, tEnd, 2000); });
        const auto [gpuRangeMs, gpuPts] = timeRange([&] { return r->seriesRange(1, 0, nGpu / 2, t0, tEnd, 2000); });
        r.reset();

        // ---- the same GPU data, one row per sample, for a slice
        const std::string plain = dir + "/plain.sqlite";
        for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(plain + s);
        sqlite3* db = nullptr;
        check(sqlite3_open(plain.c_str(), &db), db, "open");
        check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                               "CREATE TABLE sample(t INTEGER NOT NULL, gpu INTEGER NOT NULL, quantity INTEGER NOT NULL,"
                               " value REAL NOT NULL, PRIMARY KEY(t, quantity, gpu)) WITHOUT ROWID;",
                           nullptr, nullptr, nullptr), db, "schema");
        sqlite3_stmt* ins = nullptr;
        check(sqlite3_prepare_v2(db, "INSERT INTO sample VALUES(?, ?, ?, ?)", -1, &ins, nullptr), db, "prepare");
        Load plainLoad(campus);
        double plainWriteMs = 0;
        for (int k = 0; k < plainTicks; ++k) {
            plainLoad.tick(k);
            const auto s = Clock::now();
            check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
            const float* q[] = {plainLoad.power.data(), plainLoad.util.data(), plainLoad.tempOut.data()};
            for (int qi = 0; qi < 3; ++qi)
                for (std::int64_t g = 0; g < nGpu; ++g) {
                    sqlite3_bind_int64(ins, 1, t0 + k * 1000);
                    sqlite3_bind_int64(ins, 2, g);
                    sqlite3_bind_int(ins, 3, qi);
                    sqlite3_bind_double(ins, 4, qi == 2 ? std::round(q[qi][g]) : std::round(q[qi][g]));
                    check(sqlite3_step(ins), db, "insert");
                    sqlite3_reset(ins);
                }
            check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
            plainWriteMs += ms(Clock::now() - s);
            std::fprintf(stderr, "  plain table: %d/%d ticks\n", k + 1, plainTicks);
        }
        sqlite3_finalize(ins);
        check(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr), db, "checkpoint");
        const double plainSamples = 3.0 * nGpu * plainTicks;
        const double plainBytes = static_cast<double>(dirBytes(plain));
        sqlite3_stmt* sel = nullptr;
        check(sqlite3_prepare_v2(db, "SELECT gpu, quantity, value FROM sample WHERE t = "
                                     "(SELECT max(t) FROM sample WHERE t <= ?1)", -1, &sel, nullptr), db, "prepare");
        std::vector<float> out(3 * nGpu);
        std::vector<double> plainStateMs;
        std::uniform_int_distribution<TimeMs> plainT(t0, t0 + (plainTicks - 1) * 1000LL + 999);
        for (int i = 0; i < 15; ++i) {
            const auto s = Clock::now();
            sqlite3_bind_int64(sel, 1, plainT(rng));
            while (sqlite3_step(sel) == SQLITE_ROW)
                out[sqlite3_column_int(sel, 1) * nGpu + sqlite3_column_int64(sel, 0)] =
                    static_cast<float>(sqlite3_column_double(sel, 2));
            sqlite3_reset(sel);
            plainStateMs.push_back(ms(Clock::now() - s));
        }
        sqlite3_finalize(sel);
        sqlite3_stmt* one = nullptr;
        check(sqlite3_prepare_v2(db, "SELECT t, value FROM sample WHERE quantity = 0 AND gpu = ?1 ORDER BY t", -1, &one,
                                 nullptr), db, "prepare");
        std::vector<double> plainRangeMs;
        for (int i = 0; i < 5; ++i) {
            const auto s = Clock::now();
            sqlite3_bind_int64(one, 1, nGpu / 2);
            while (sqlite3_step(one) == SQLITE_ROW) {}
            sqlite3_reset(one);
            plainRangeMs.push_back(ms(Clock::now() - s));
        }
        sqlite3_finalize(one);
        sqlite3_close(db);

        // ---- report
        const double rate = allDense / (writeMs / 1000);
        const double gpuRate = denseSamples / (writeMs / 1000);
        const double plainRate = plainSamples / (plainWriteMs / 1000);
        std::printf("\nrecording: %d ticks at 1 Hz; %.0f dense GPU samples, %.0f with the racks'; plant at 10 Hz\n",
                    ticks, denseSamples, allDense);
        std::printf("%-58s %14s %14s %9s\n", "figure (median unless said)", "twin store", "plain table", "ratio");
        std::printf("%-58s %14.3g %14.3g %8.1fx\n", "dense samples written per second (GPU + rack)", rate, plainRate, rate / plainRate);
        std::printf("%-58s %14.3g %14s %9s\n", "  GPU samples alone per second", gpuRate, "", "");
        std::printf("%-58s %14.1f %14s %9s\n", "  one tick written, ms", median(tickMs), "", "");
        std::printf("%-58s %14.3f %14.2f %8.1fx\n", "bytes on disk per dense GPU sample (frames only)",
                    gpuBlobBytes / denseSamples, plainBytes / plainSamples, (plainBytes / plainSamples) / (gpuBlobBytes / denseSamples));
        std::printf("%-58s %14.3f %14s %9s\n", "bytes per dense sample, whole file (campus, racks, plant)", fileBytes / allDense, "", "");
        std::printf("%-58s %14.2f %14.1f %8.1fx\n", "state of the whole campus at a random t, ms", median(stateMs),
                    median(plainStateMs), median(plainStateMs) / median(stateMs));
        std::printf("%-58s %14.2f %14s %9s\n", "  same, p99, ms", percentile(stateMs, 0.99), "", "");
        std::printf("%-58s %14.2f %14s %9s\n", "  next tick during playback, ms", median(stepMs), "", "");
        std::printf("%-58s %14.2f %14s %9s\n", "one plant signal (10 Hz), whole recording -> 2000 pts, ms", plantRangeMs, "", "");
        std::printf("%-58s %14.2f %14s %9s\n", "one rack signal (1 Hz), whole recording -> 2000 pts, ms", rackRangeMs, "", "");
        std::printf("%-58s %14.2f %14.1f %8.1fx\n", "one GPU signal (1 Hz), whole recording -> 2000 pts, ms", gpuRangeMs,
                    median(plainRangeMs), median(plainRangeMs) / gpuRangeMs);
        std::printf("(points returned: plant %zu, rack %zu, GPU %zu; plain table holds %d ticks: its range is over them)\n",
                    plantPts, rackPts, gpuPts, plainTicks);
        std::printf("files: %s (%.1f MB), %s (%.1f MB)\n", store.c_str(), fileBytes / 1e6, plain.c_str(), plainBytes / 1e6);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "twin-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
