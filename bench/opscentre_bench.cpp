// opscentre-bench: the operations centre on NATS JetStream in numbers (docs/opscentre.md).
//
//   build/bin/opscentre-bench [--site colossus|small|FILE] [--duration S] [--followers 1,4,16]
//                             [--scenario NAME] [--dir DIR]
//
// Starts its own nats-server -js (127.0.0.1, a free port, its files in a temporary folder,
// stopped at the end), then for each follower count: the campus simulated live at one commit a
// second (every GPU's frame) for S seconds (default 30) into a store, published by
// app_nats::NatsPublisher as colossus-sim --live --publish does, with that many
// app_nats::NatsFollower from the start, each keeping its replica. Prints, per follower count:
// commit-to-follower-visible latency (median, p99), TCP bytes received per commit by each
// follower against the bytes the commit added to the writer's store; then a newcomer's catch-up
// from the stream's first message as a multiple of real time. Each figure beside its target and
// the baseline of the same run.
#include "opscentre_measure.h"
#include "stop_signal.h"

#include "support/nats_server.h"

#include "twin/campus_file.h"
#include "twin/data_paths.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <thread>

using namespace opsbench;

namespace {

constexpr double kLatencyP99TargetMs = 250;   // with 16 followers
constexpr double kWireRatioTarget = 1.2;      // bytes on the wire per commit / bytes the commit adds
constexpr double kCatchUpTarget = 10;         // x real time

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(std::clamp(std::ceil(p * v.size()) - 1, 0.0, v.size() - 1.0));
    return v[i];
}

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr, "opscentre-bench: %s\nusage: opscentre-bench [--site colossus|small|FILE] [--duration S] "
                         "[--followers 1,4,16] [--scenario NAME] [--dir DIR]\n", why);
    std::exit(2);
}

int positive(const std::string& option, const std::string& text) {
    char* end = nullptr;
    const long v = std::strtol(text.c_str(), &end, 10);
    if (end == text.c_str() || *end != '\0' || v <= 0 || v > 100000) usage((option + ": '" + text + "' is not a whole number > 0").c_str());
    return static_cast<int>(v);
}

double mb(double bytes) { return bytes / 1e6; }

double peakRssGb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / (1024.0 * 1024.0);
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    std::string site = "colossus", scenario = "steady-training", dirGiven;
    int durationS = 30;
    std::vector<int> counts{1, 4, 16};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) usage(("unknown option or missing value: " + a).c_str());
        const std::string v = argv[++i];
        if (a == "--site") site = v;
        else if (a == "--scenario") scenario = v;
        else if (a == "--duration") durationS = positive(a, v);
        else if (a == "--dir") dirGiven = v;
        else if (a == "--followers") {
            counts.clear();
            std::stringstream list(v);
            for (std::string n; std::getline(list, n, ',');) counts.push_back(positive(a, n));
        } else usage(("unknown option: " + a).c_str());
    }
    app_common::installStopHandler();
    try {
        QTemporaryDir temporary;
        const std::string dir = dirGiven.empty() ? temporary.path().toStdString() : dirGiven;
        if (dirGiven.empty() && !temporary.isValid()) throw std::runtime_error("cannot make a temporary folder");
        const twin::Campus campus = twin::loadCampusFile(twin::resolveDataFile(site, "sites"));
        testsupport::NatsServer server;
        if (const QString error = server.start(QString::fromStdString(dir)); !error.isEmpty())
            throw std::runtime_error(error.toStdString());
        Setup setup;
        setup.serverUrl = server.url().toStdString();
        setup.serverPort = server.port();
        setup.dir = dir;
        setup.campus = &campus;
        setup.scenario = scenario;
        setup.commits = durationS;
        std::printf("opscentre-bench: %s (%lld GPUs), %s, %d s live at 1 commit/s; nats-server -js on %s; %u cores\n",
                    site.c_str(), static_cast<long long>(campus.gpuCount()), scenario.c_str(), durationS,
                    setup.serverUrl.c_str(), std::thread::hardware_concurrency());
        std::fflush(stdout);

        std::vector<LiveRun> runs;
        for (int n : counts) {
            if (app_common::stopRequested()) break;
            std::printf("  %d follower(s)...\n", n);
            std::fflush(stdout);
            runs.push_back(runLive(setup, n));
        }
        std::vector<CatchUp> catchUps;
        if (!runs.empty() && runs.front().caughtUp && !app_common::stopRequested())   // no snapshots in that stream
            catchUps.push_back(measureCatchUp(setup, runs.front(), {"stream", nullptr, false}));
        // One more live run whose publisher puts a snapshot in the object store every half run
        // (its real snapshot path), with one follower; a newcomer then starts from the newest.
        if (!app_common::stopRequested()) {
            std::printf("  1 follower, snapshots every %d s...\n", std::max(1, durationS / 2));
            std::fflush(stdout);
            runs.push_back(runLive(setup, 1, *app_nats::parseSnapshotEvery(std::to_string(std::max(1, durationS / 2))), "benchsnap"));
            if (runs.back().caughtUp && !app_common::stopRequested())
                catchUps.push_back(measureCatchUp(setup, runs.back(), {"snapshot + tail", nullptr, true}));
        }

        std::printf("\n%-10s %11s %9s %11s %11s %12s %12s %7s %8s %7s %6s\n", "followers", "latency", "p99", "worst p99",
                    "read after", "wire/commit", "store/commit", "ratio", "drained", "CPU", "late");
        std::printf("%-10s %11s %9s %11s %11s %12s %12s %7s %8s %7s %6s\n", "", "median ms", "ms", "follower ms",
                    "commit ms", "per follower", "growth", "", "after s", "busy", "commits");
        for (const LiveRun& r : runs) {
            if (r.snapshots) std::printf("(with snapshots:)\n");
            const double worst = r.followerP99Ms.empty() ? 0 : *std::max_element(r.followerP99Ms.begin(), r.followerP99Ms.end());
            std::printf("%-10d %11.0f %9.0f %11.0f %11.0f %9.3f MB %9.3f MB %6.2fx %8.1f %6.0f%% %3d/%d\n", r.followers,
                        percentile(r.latencyMs, 0.5), percentile(r.latencyMs, 0.99), worst, percentile(r.readMs, 0.5),
                        mb(r.wireMean), mb(r.storeBytesPerCommit),
                        r.storeBytesPerCommit > 0 ? r.wireMean / r.storeBytesPerCommit : 0.0, r.drainS, 100 * r.cpuBusy,
                        r.lateCommits, r.commits);
            if (r.wireMax > r.wireMin * 1.01)
                std::printf("%-10s wire per follower from %.3f to %.3f MB a commit\n", "", mb(r.wireMin), mb(r.wireMax));
            std::printf("%-10s publisher: %.3f MB of change sets, %.3f MB on its connection a commit; %d of %zu "
                        "(follower, commit) never seen, %llu rejected%s%s\n",
                        "", mb(r.bodyBytesPerCommit), mb(r.publisherSentPerCommit), r.missing,
                        static_cast<std::size_t>(r.followers) * static_cast<std::size_t>(r.commits),
                        static_cast<unsigned long long>(r.rejected), r.problem.empty() ? "" : "; PROBLEM: ", r.problem.c_str());
            if (r.followers > 1)
                std::printf("%-10s the first follower to have a commit: median %.0f ms, p99 %.0f ms\n", "",
                            percentile(r.firstFollowerMs, 0.5), percentile(r.firstFollowerMs, 0.99));
            std::printf("%-10s publisher read a commit after it: median %.0f ms, p99 %.0f ms\n", "", percentile(r.readMs, 0.5),
                        percentile(r.readMs, 0.99));
            std::printf("%-10s CPU while live: this process %.2f cores, nats-server %.2f; the machine %.0f%% busy "
                        "(other programs included)", "", r.benchCores, r.serverCores, 100 * r.cpuBusy);
            if (r.cpuWaiting >= 0) std::printf(", a task waiting for a CPU %.0f%% of the time", 100 * r.cpuWaiting);
            std::printf("\n");
            if (r.lateCommits > 0)
                std::printf("%-10s the writer could not keep 1 commit/s: %d commits late, the worst by %.0f ms\n", "",
                            r.lateCommits, r.worstLateMs);
        }
        for (const CatchUp& c : catchUps) {
            std::printf("\ncatch-up of a new follower from the %s: %.1f s of data in %.2f s = %.1fx real time; replica %s%s%s\n",
                        c.name.c_str(), c.spanS, c.seconds, c.seconds > 0 ? c.spanS / c.seconds : 0.0,
                        c.difference.empty() ? "equal to the writer's store" : "DIFFERS: ", c.difference.c_str(),
                        c.problem.empty() ? "" : ("; PROBLEM: " + c.problem).c_str());
            if (c.snapshotSeq > 0)
                std::printf("  (the snapshot stands for message %llu of %llu: a tail of %llu messages)\n",
                            static_cast<unsigned long long>(c.snapshotSeq), static_cast<unsigned long long>(c.lastSeq),
                            static_cast<unsigned long long>(c.lastSeq - c.snapshotSeq));
        }

        // The figures against their targets and the baseline each beats in the same run.
        std::printf("\n%-52s %14s %16s %34s %9s\n", "figure", "measured", "target", "baseline (same run)", "ratio");
        bool wrong = false;
        for (const LiveRun& r : runs) {
            if (r.snapshots) {   // its latency is in the table above; a row for its catch-up below
                wrong = wrong || r.missing > 0 || r.rejected > 0 || !r.problem.empty();
                continue;
            }
            const double p99 = percentile(r.latencyMs, 0.99);
            std::printf("%-52s %11.0f ms %16s %34s %8.1fx%s\n",
                        ("commit -> follower visible p99, " + std::to_string(r.followers) + " follower(s)").c_str(), p99,
                        r.followers >= 16 ? "<= 250 ms" : "", "the commit interval: 1000 ms", p99 > 0 ? 1000 / p99 : 0.0,
                        r.followers >= 16 ? (p99 <= kLatencyP99TargetMs ? "  met" : "  NOT met") : "");
            const double ratio = r.storeBytesPerCommit > 0 ? r.wireMax / r.storeBytesPerCommit : 0;
            char store[64];
            std::snprintf(store, sizeof store, "store growth: %.3f MB/commit", mb(r.storeBytesPerCommit));
            std::printf("%-52s %11.3f MB %16s %34s %8.2fx  %s\n",
                        ("bytes on the wire per commit, per follower (" + std::to_string(r.followers) + ")").c_str(),
                        mb(r.wireMax), "<= 1.2 x store", store, ratio,
                        r.storeBytesPerCommit <= 0 ? "(the store did not grow: no ratio)" : ratio <= kWireRatioTarget ? "met" : "NOT met");
            wrong = wrong || r.missing > 0 || r.rejected > 0 || !r.problem.empty();
        }
        for (const CatchUp& c : catchUps) {
            const double x = c.seconds > 0 ? c.spanS / c.seconds : 0;
            std::printf("%-52s %12.1fx %16s %34s %8.1fx  %s\n", ("catch-up from the " + c.name + ", x real time").c_str(), x,
                        ">= 10x", "real time: 1x", x, x >= kCatchUpTarget ? "met" : "NOT met");
            wrong = wrong || !c.difference.empty() || !c.problem.empty();
        }
        std::printf("\npeak memory %.2f GB (this process: writer, publisher and followers; nats-server apart)\n", peakRssGb());
        if (app_common::stopRequested()) std::printf("stopped by a signal: the figures cover what ran\n");
        server.stop();
        if (wrong) {
            std::fprintf(stderr, "opscentre-bench: wrong result: a commit was never seen, a message rejected, or a replica differs (above)\n");
            return 1;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "opscentre-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
