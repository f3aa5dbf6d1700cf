#include "opscentre_measure.h"

#include "socket_bytes.h"
#include "stop_signal.h"

#include "nats_follower.h"
#include "nats_publisher.h"
#include "support/store_compare.h"

#include "twin/opscentre/changes.h"
#include "twin/opscentre/wire.h"
#include "twin/sim/simulator.h"
#include "twin/store.h"

#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace opsbench {

using Clock = std::chrono::steady_clock;
using app_nats::NatsFollower;

std::int64_t wallMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

namespace {

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

twin::opscentre::BusAddress address(const Setup& s, const std::string& twin) {
    return *twin::opscentre::parseBusAddress(s.serverUrl + "/" + twin);
}

// The store's size as SQLite counts it: pages in use (free pages left out: a chunk's plain rows
// deleted make room that later rows reuse), the WAL's committed pages included.
double storeBytes(const std::string& path) {
    sqlite3* db = nullptr;
    double bytes = 0;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()", -1, &st,
                               nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            bytes = sqlite3_column_double(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return bytes;
}

// The stream's last sequence number (0 when it cannot be read).
std::uint64_t streamLastSeq(const twin::opscentre::BusAddress& a) {
    app_nats::Bus bus(a, "opscentre-bench");
    jsStreamInfo* si = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    if (js_GetStreamInfo(&si, bus.js(), a.stream().c_str(), nullptr, &err) != NATS_OK) return 0;
    const std::uint64_t seq = si->State.LastSeq;
    jsStreamInfo_Destroy(si);
    return seq;
}

// The newest frame's rowid in a store, read on a connection of its own (the writer's commit
// k holds the frames up to it).
class LastFrame {
public:
    explicit LastFrame(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
            sqlite3_prepare_v2(db_, "SELECT coalesce(max(rowid), 0) FROM frame", -1, &st_, nullptr) != SQLITE_OK)
            throw std::runtime_error(path + ": cannot read: " + sqlite3_errmsg(db_));
    }
    ~LastFrame() {
        sqlite3_finalize(st_);
        sqlite3_close(db_);
    }
    std::int64_t rowid() {
        const std::int64_t v = sqlite3_step(st_) == SQLITE_ROW ? sqlite3_column_int64(st_, 0) : -1;
        sqlite3_reset(st_);
        return v;
    }

private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* st_ = nullptr;
};

// Each commit change set of the stream, in order: when the publisher read it, and the writer's
// newest frame it holds (its marks). A commit's data is in the first change set whose marks
// reach the commit's newest frame: matched by content, not by clocks (the publisher can read a
// commit a moment before the writer's commit() returns, while SQLite checkpoints).
struct Published {
    std::int64_t publishedMs, frameRowid;
};
std::vector<Published> publishedCommits(const twin::opscentre::BusAddress& a, std::uint64_t lastSeq) {
    using namespace twin::opscentre;
    app_nats::Bus bus(a, "opscentre-bench reader");
    Reassembler parts;
    std::vector<Published> out;
    for (std::uint64_t seq = 1; seq <= lastSeq; ++seq) {
        natsMsg* m = nullptr;
        jsErrCode err = static_cast<jsErrCode>(0);
        if (js_GetMsg(&m, bus.js(), a.stream().c_str(), seq, nullptr, &err) != NATS_OK) continue;
        if (a.commitSubject() == natsMsg_GetSubject(m)) {
            try {
                const auto* data = reinterpret_cast<const std::uint8_t*>(natsMsg_GetData(m));
                if (auto whole = parts.add({data, static_cast<std::size_t>(natsMsg_GetDataLength(m))});
                    whole && whole->kind == Kind::Commit) {
                    const Changes c = decodeChanges(whole->body);
                    out.push_back({c.publishedAtMs, c.marks.frameRowid});
                }
            } catch (const std::exception&) {
                parts.reset();
            }
        }
        natsMsg_Destroy(m);
    }
    return out;
}

// The machine's CPU time, busy and all, from /proc/stat (jiffies).
struct CpuTimes {
    double busy = 0, total = 0;
};
CpuTimes cpuTimes() {
    std::ifstream f("/proc/stat");
    std::string cpu;
    double v[8] = {};
    f >> cpu;
    for (double& x : v) f >> x;
    CpuTimes t;
    for (double x : v) t.total += x;
    t.busy = t.total - v[3] - v[4];   // less idle and iowait
    return t;
}

// Microseconds some task has waited for a CPU since boot (Linux pressure stall information), or -1.
double cpuStallUs() {
    std::ifstream f("/proc/pressure/cpu");
    std::string word;
    while (f >> word)
        if (word.rfind("total=", 0) == 0) return std::atof(word.c_str() + 6);   // the "some" line comes first
    return -1;
}

// CPU seconds used so far: by this process (every thread), and by its nats-server child.
double processCpuS() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}
double serverCpuS() try {
    const pid_t self = getpid();
    for (const auto& e : std::filesystem::directory_iterator("/proc")) {
        std::ifstream f(e.path() / "stat");
        std::string line;
        if (!std::getline(f, line)) continue;
        const auto close = line.rfind(')');
        if (close == std::string::npos || line.find("(nats-server)") == std::string::npos) continue;
        std::istringstream rest(line.substr(close + 2));
        std::string state;
        long ppid = 0;
        rest >> state >> ppid;
        if (ppid != self) continue;
        double v[11] = {};
        for (double& x : v) rest >> x;   // fields 5..15 of proc(5): utime (14) and stime (15) last
        return (v[9] + v[10]) / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
    return 0;
} catch (const std::filesystem::filesystem_error&) {   // a process gone while listed
    return 0;
}

// The local port of the one connection to the server that `start` opened (-1: not exactly one).
int newConnection(int serverPort, const std::function<void()>& start) {
    const auto before = connectionsTo(serverPort);
    start();
    int port = -1, found = 0;
    for (const auto& [p, bytes] : connectionsTo(serverPort))
        if (!before.count(p)) port = p, ++found;
    return found == 1 ? port : -1;
}

double percentileOf(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(std::clamp(std::ceil(p * v.size()) - 1, 0.0, v.size() - 1.0));
    return v[i];
}

// A follower's replica seen to change: when, and the publish time of the commit it then held.
struct Seen {
    std::int64_t visibleMs, publishedMs;
};

// Polls every follower's status each millisecond and notes each new commit applied.
class Watcher {
public:
    explicit Watcher(const std::vector<std::unique_ptr<NatsFollower>>& followers)
        : followers_(followers), seen_(followers.size()), thread_([this] { run(); }) {}
    ~Watcher() { stop(); }
    void stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    const std::vector<std::vector<Seen>>& seen() const { return seen_; }

private:
    void run() {
        std::vector<std::int64_t> last(followers_.size(), 0);
        while (!stop_) {
            for (std::size_t i = 0; i < followers_.size(); ++i) {
                const std::int64_t p = followers_[i]->status().lastCommitPublishedMs;
                if (p != last[i]) {
                    seen_[i].push_back({wallMs(), p});
                    last[i] = p;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    const std::vector<std::unique_ptr<NatsFollower>>& followers_;
    std::vector<std::vector<Seen>> seen_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

// Waits until `done` or the deadline (or a stop signal); whether it was done.
bool waitFor(const std::function<bool()>& done, double timeoutS) {
    const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeoutS));
    while (!done()) {
        if (Clock::now() > until || app_common::stopRequested()) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

} // namespace

LiveRun runLive(const Setup& setup, int followerCount, app_nats::SnapshotPolicy snapshots, const std::string& twin) {
    LiveRun r;
    r.followers = followerCount;
    r.snapshots = snapshots.enabled;
    r.twin = twin.empty() ? "bench" + std::to_string(followerCount) : twin;
    r.writerPath = setup.dir + "/writer-" + r.twin + ".twin";
    const auto a = address(setup, r.twin);

    twin::WriterOptions options;
    options.overwrite = true;
    // One commit a second, each second's data whole in it, so that "the commit is in the store"
    // is one moment. (colossus-sim --live also commits after 100 ms of writing: part of a
    // second's data may then be in the store, and on the bus, before the second's own commit.)
    options.maxBatchMs = 5000;
    auto writer = twin::StoreWriter::create(r.writerPath, *setup.campus, options);
    twin::sim::Simulator sim(*setup.campus, twin::sim::scenario(setup.scenario, setup.commits));
    sim.attach(*writer);
    writer->commit();   // the catalogue, before the publisher reads it

    std::vector<std::unique_ptr<NatsFollower>> followers;
    std::vector<int> ports;
    for (int i = 0; i < followerCount; ++i) {
        const std::string replica = setup.dir + "/replica-" + r.twin + "-" + std::to_string(i) + ".twin";
        followers.push_back(std::make_unique<NatsFollower>(a, replica));
        ports.push_back(newConnection(setup.serverPort, [&] { followers.back()->start(); }));
    }
    app_nats::NatsPublisher publisher(a, r.writerPath, {}, snapshots);
    const int publisherPort = newConnection(setup.serverPort, [&] { publisher.start(); });
    // The campus first (the default campus's is 8.6 MB), into every replica.
    if (!waitFor([&] { return std::all_of(followers.begin(), followers.end(), [](const auto& f) { return f->status().replicaReady; }); },
                 300)) {
        r.problem = "the campus did not reach every follower within 300 s";
        return r;
    }

    const auto wire0 = connectionsTo(setup.serverPort);
    const double store0 = storeBytes(r.writerPath);
    const auto published0 = publisher.stats();
    Watcher watcher(followers);
    std::vector<std::int64_t> committedMs, committedRowid;
    LastFrame lastFrame(r.writerPath);
    const CpuTimes cpu0 = cpuTimes();
    const double bench0 = processCpuS(), server0 = serverCpuS(), stall0 = cpuStallUs();
    const auto started = Clock::now();
    // As colossus-sim --live: one simulated second, committed, the publisher told; then the wall clock.
    for (int k = 1; k <= setup.commits && !app_common::stopRequested(); ++k) {
        sim.run(k);
        writer->commit();
        committedMs.push_back(wallMs());
        publisher.poke();
        committedRowid.push_back(lastFrame.rowid());
        const auto due = started + std::chrono::seconds(k);
        if (const auto now = Clock::now(); now > due) {
            ++r.lateCommits;
            r.worstLateMs = std::max(r.worstLateMs, seconds(now - due) * 1000);
        }
        std::this_thread::sleep_until(due);
    }
    const CpuTimes cpu1 = cpuTimes();
    r.cpuBusy = (cpu1.busy - cpu0.busy) / std::max(1.0, cpu1.total - cpu0.total);
    const double liveS = std::max(1e-3, seconds(Clock::now() - started));
    r.benchCores = (processCpuS() - bench0) / liveS;
    r.serverCores = (serverCpuS() - server0) / liveS;
    if (const double stall1 = cpuStallUs(); stall0 >= 0 && stall1 >= 0) r.cpuWaiting = (stall1 - stall0) / 1e6 / liveS;
    r.commits = static_cast<int>(committedMs.size());
    const auto lastCommit = Clock::now();
    writer->close();   // its open chunks: published too
    publisher.poke();
    publisher.stop(30000);
    r.lastSeq = streamLastSeq(a);
    r.caughtUp = waitFor([&] { return std::all_of(followers.begin(), followers.end(), [&](const auto& f) { return f->status().streamSeq >= r.lastSeq; }); },
                         300);
    r.drainS = seconds(Clock::now() - lastCommit);
    watcher.stop();
    if (!r.caughtUp) r.problem = "not every follower reached the stream's last message within 300 s";

    const auto wire1 = connectionsTo(setup.serverPort);
    const double commits = std::max(1, r.commits);
    r.storeBytesPerCommit = (storeBytes(r.writerPath) - store0) / commits;
    r.bodyBytesPerCommit = static_cast<double>(publisher.stats().bytes - published0.bytes) / commits;
    if (wire0.count(publisherPort) && wire1.count(publisherPort))
        r.publisherSentPerCommit = static_cast<double>(wire1.at(publisherPort).sent - wire0.at(publisherPort).sent) / commits;
    std::vector<double> wire;
    for (int port : ports)
        if (wire0.count(port) && wire1.count(port))
            wire.push_back(static_cast<double>(wire1.at(port).received - wire0.at(port).received) / commits);
    if (wire.size() != ports.size() && r.problem.empty()) r.problem = "a follower's connection was not found or was replaced";
    if (!wire.empty()) {
        r.wireMin = *std::min_element(wire.begin(), wire.end());
        r.wireMax = *std::max_element(wire.begin(), wire.end());
        for (double w : wire) r.wireMean += w / static_cast<double>(wire.size());
    }

    // Commit k is in a follower's replica once it applied the change set that holds k's newest
    // frame (or one read after it).
    const std::vector<Published> published = publishedCommits(a, r.lastSeq);
    std::vector<std::int64_t> holdingMs;   // per commit: the publish time of the change set holding it (-1: none)
    for (std::size_t k = 0; k < committedRowid.size(); ++k) {
        const auto p = std::find_if(published.begin(), published.end(),
                                    [&](const Published& x) { return x.frameRowid >= committedRowid[k]; });
        holdingMs.push_back(p == published.end() ? -1 : p->publishedMs);
        if (p != published.end()) r.readMs.push_back(static_cast<double>(p->publishedMs - committedMs[k]));
    }
    std::vector<double> first(committedMs.size(), 1e300);
    for (std::size_t i = 0; i < followers.size(); ++i) {
        const auto& seen = watcher.seen()[i];
        std::vector<double> mine;
        std::size_t j = 0;
        for (std::size_t k = 0; k < committedMs.size(); ++k) {
            while (j < seen.size() && seen[j].publishedMs < holdingMs[k]) ++j;
            if (holdingMs[k] < 0 || j == seen.size()) {
                ++r.missing;
                continue;
            }
            mine.push_back(static_cast<double>(seen[j].visibleMs - committedMs[k]));
            first[k] = std::min(first[k], mine.back());
        }
        r.followerP99Ms.push_back(percentileOf(mine, 0.99));
        r.latencyMs.insert(r.latencyMs.end(), mine.begin(), mine.end());
        r.rejected += followers[i]->status().counts.rejected;
    }
    for (double f : first)
        if (f < 1e300) r.firstFollowerMs.push_back(f);
    for (auto& f : followers) f->stop();
    try {
        auto reader = twin::StoreReader::open(r.writerPath);
        const twin::TimeSpan sp = reader->span();
        r.spanS = sp.empty ? 0 : static_cast<double>(sp.last - sp.first) / 1000;
    } catch (const std::exception& e) {
        r.problem = e.what();
    }
    followers.clear();
    for (int i = 0; i < followerCount; ++i)   // the replicas' disk space (16 of the default campus add up)
        std::filesystem::remove(setup.dir + "/replica-" + r.twin + "-" + std::to_string(i) + ".twin");
    return r;
}

CatchUp measureCatchUp(const Setup& setup, const LiveRun& run, const CatchUpStart& start) {
    CatchUp c;
    c.name = start.name;
    c.spanS = run.spanS;
    const std::string replica = setup.dir + "/catchup-" + run.twin + "-" + start.name + ".twin";
    std::filesystem::remove(replica);
    const auto t0 = Clock::now();
    if (start.prepare) start.prepare(replica);
    NatsFollower follower(address(setup, run.twin), replica);
    follower.start();
    if (!waitFor([&] { return follower.status().streamSeq >= run.lastSeq; }, 600))
        c.problem = "not caught up within 600 s (at message " + std::to_string(follower.status().streamSeq) + " of " +
                    std::to_string(run.lastSeq) + ")";
    c.seconds = seconds(Clock::now() - t0);
    c.snapshotSeq = follower.status().snapshotSeq;
    c.lastSeq = run.lastSeq;
    if (start.fromSnapshot != (c.snapshotSeq > 0) && c.problem.empty())
        c.problem = start.fromSnapshot ? "it did not start from a snapshot (" + follower.status().snapshotProblem + ")"
                                       : "it started from a snapshot, not from the stream";
    follower.stop();
    try {   // the result must be right, not only quick
        auto a = twin::StoreReader::open(run.writerPath);
        auto b = twin::StoreReader::open(replica);
        c.difference = testsupport::storeDifference(*a, *b);
    } catch (const std::exception& e) {
        c.difference = e.what();
    }
    return c;
}

} // namespace opsbench
