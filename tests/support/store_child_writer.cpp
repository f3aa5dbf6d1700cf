// A writer in its own process, for the tailing and SIGKILL tests of test_store and the live data
// tests of test_app and test_wall (support/child_writer.h starts it).
// usage: twin-test-writer CAMPUS.json STORE.twin PERIOD_MS FRAMES_PER_COMMIT [MAX_FRAMES [resume]]
// Writes a GPU frame every PERIOD_MS (0: as fast as it can), commits every FRAMES_PER_COMMIT
// frames and then prints "committed <frames> <last t>" on stdout. Frame f is at t0 + f s with
// power (gpu * 7 + f * 13) % 700. With "resume" it continues the store (StoreWriter::resume)
// with the frame after its last one, writing MAX_FRAMES more (-1: until stopped); <frames>
// counts from the store's first frame.
#include "twin/campus_file.h"
#include "twin/store.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: %s CAMPUS STORE PERIOD_MS FRAMES_PER_COMMIT [MAX_FRAMES]\n", argv[0]);
        return 2;
    }
    try {
        const auto campus = twin::loadCampusFile(argv[1]);
        const bool resume = argc > 6 && std::string(argv[6]) == "resume";
        twin::WriterOptions o;
        o.overwrite = !resume;
        o.maxBatchMs = 1 << 30;   // commits only where this program says
        auto w = resume ? twin::StoreWriter::resume(argv[2], campus, o) : twin::StoreWriter::create(argv[2], campus, o);
        const int period = std::atoi(argv[3]);
        const int perCommit = std::max(1, std::atoi(argv[4]));
        const long maxFrames = argc > 5 ? std::atol(argv[5]) : -1;
        const int gpu = w->addSeries({"gpu", twin::AssetSet::Gpus, {}, {{"power", "W", 1}}, 1000, 10, 256, false});
        w->commit();
        std::printf("ready\n");
        std::fflush(stdout);
        const auto n = static_cast<std::size_t>(campus.gpuCount());
        std::vector<float> power(n);
        const twin::TimeMs t0 = 1'780'000'000'000;
        const long first = resume && w->lastFrameTime(gpu) ? (*w->lastFrameTime(gpu) - t0) / 1000 + 1 : 0;
        for (long f = first; maxFrames < 0 || f < first + maxFrames; ++f) {
            for (std::size_t i = 0; i < n; ++i) power[i] = static_cast<float>((i * 7 + f * 13) % 700);
            const std::span<const float> q[] = {power};
            w->writeFrame(gpu, t0 + f * 1000, q);
            if ((f + 1) % perCommit == 0) {
                w->commit();
                std::printf("committed %ld %lld\n", f + 1, static_cast<long long>(t0 + f * 1000));
                std::fflush(stdout);
            }
            if (period > 0) std::this_thread::sleep_for(std::chrono::milliseconds(period));
        }
        w->close();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}
