// What opscentre-bench measures (docs/opscentre.md, "The operations centre in numbers"): a writer
// live at one commit a second publishing through app_nats::NatsPublisher, N followers
// (app_nats::NatsFollower, each with its replica), and a newcomer's catch-up.
#pragma once

#include "nats_publisher.h"

#include "twin/campus.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace opsbench {

std::int64_t wallMs();   // the system clock in ms, as the publisher stamps a change set

struct Setup {
    std::string serverUrl;       // nats://127.0.0.1:PORT (a nats-server -js the bench started)
    int serverPort = 0;
    std::string dir;             // the writers' stores and the replicas
    const twin::Campus* campus = nullptr;
    std::string scenario = "steady-training";
    int commits = 30;            // live seconds, one commit (every GPU's frame) each
};

// One writer live for `commits` seconds with `followers` followers from the start.
struct LiveRun {
    int followers = 0;
    bool snapshots = false;              // the publisher put snapshots in the object store meanwhile
    std::string twin, writerPath;
    int commits = 0;                     // live commits made
    int lateCommits = 0;                 // commits the writer finished after their second was over
    double worstLateMs = 0;
    // Commit in the writer's store -> the follower's replica has committed it, every (follower,
    // commit) pair; the publisher's read of it; each follower's p99.
    std::vector<double> latencyMs, readMs, followerP99Ms;
    std::vector<double> firstFollowerMs;   // per commit: the first follower to have it
    int missing = 0;                     // pairs never seen applied
    double storeBytesPerCommit = 0;      // what each commit added to the writer's store
    double wireMean = 0, wireMin = 0, wireMax = 0;   // TCP bytes received per commit, per follower
    double publisherSentPerCommit = 0;   // TCP bytes the publisher sent per commit
    double bodyBytesPerCommit = 0;       // change-set bodies the publisher encoded per commit
    double drainS = 0;                   // last commit -> every follower holds the whole stream
    double cpuBusy = 0;                  // share of the machine's CPU time busy while live (0..1)
    double cpuWaiting = -1;              // share of the live time some task waited for a CPU (PSI; -1: unknown)
    double benchCores = 0, serverCores = 0;   // CPU used while live (cores): this process, nats-server
    std::uint64_t rejected = 0, lastSeq = 0;
    double spanS = 0;                    // the writer's store's span
    bool caughtUp = false;
    std::string problem;                 // why the run is not whole ("" when it is)
};

// `snapshots`: the publisher's snapshot policy (off: a newcomer has only the stream to start from,
// and the live figures are the bus's alone). `twin`: the stream's name ("" : bench<followers>).
LiveRun runLive(const Setup& setup, int followers, app_nats::SnapshotPolicy snapshots = {false, 60, 0},
                const std::string& twin = "");

// How a newcomer starts: `prepare` makes its replica file before it follows (nothing: an empty
// replica, which app_nats::NatsFollower starts from the twin's newest snapshot when there is
// one, else from the stream's first message). `fromSnapshot`: which of the two it must be.
struct CatchUpStart {
    std::string name;
    std::function<void(const std::string& replicaPath)> prepare;
    bool fromSnapshot = false;
};

struct CatchUp {
    std::string name;
    double seconds = 0, spanS = 0;       // time taken, span of data covered
    std::uint64_t snapshotSeq = 0, lastSeq = 0;   // the stream message its snapshot stands for (0: none), the last
    std::string difference;              // its replica against the writer's store ("" when equal)
    std::string problem;
};

// A newcomer on `run`'s stream after the run: the time until its replica holds the whole stream.
CatchUp measureCatchUp(const Setup& setup, const LiveRun& run, const CatchUpStart& start);

} // namespace opsbench
