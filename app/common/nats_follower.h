// Follows a twin's JetStream stream into a local replica file (docs/opscentre.md): a thread
// subscribes (an ordered consumer, from the message after the last one the replica holds) and
// feeds every message to twin/opscentre's Follower. After a reconnection it subscribes again from
// the replica's position, so a server restart or a network cut leaves no gap. A newcomer, or a
// replica whose next messages the stream's retention has dropped, starts from the twin's newest
// snapshot (nats_snapshot.h) when there is one. The replica is a normal twin store: open it with
// StoreReader (or a Session) and refresh() it.
#pragma once

#include "nats_bus.h"

#include "twin/opscentre/snapshot.h"

#include "twin/opscentre/follower.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace app_nats {

struct FollowStatus {
    bool connected = false;
    bool replicaReady = false;           // the campus arrived: the replica can be opened
    std::uint64_t streamSeq = 0;         // of the last message applied
    std::uint64_t pending = 0;           // messages of the stream not yet received (as of the last one)
    std::int64_t lastCommitPublishedMs = 0;   // the publisher's clock when it read the last commit applied
    twin::opscentre::FollowCounts counts;
    std::string problem;                 // why it is not following ("" when it is)
    bool refused = false;                // the server does not let these credentials follow the twin
    // The snapshot: while it downloads, the bytes so far and in all; once installed, the stream
    // message it stands for; why it was not used when it could not be.
    bool downloading = false;
    std::uint64_t snapshotBytes = 0, snapshotSize = 0;
    std::uint64_t snapshotSeq = 0;
    std::string snapshotProblem;
    std::string server;                  // nats://HOST:PORT of the server it is connected to ("" when none)
};

class NatsFollower {
public:
    NatsFollower(twin::opscentre::BusAddress address, std::string replicaPath);
    ~NatsFollower();   // stop()

    // Connects (throws BusError: unreachable, refused credentials) and starts the thread.
    void start();
    void stop();
    FollowStatus status() const;
    const std::string& replicaPath() const { return replicaPath_; }
    // The header's text: "nats://host:port/twin · up to date (commit 0.4 s ago)", "· 12 messages
    // behind", "· DISCONNECTED, showing what it has", "· no stream TWIN_x yet".
    static std::string describe(const twin::opscentre::BusAddress& a, const FollowStatus& s, std::int64_t nowMs);

private:
    void run();
    // Whether to start from the newest snapshot rather than from the stream: when there is no
    // replica yet, or the stream no longer holds the messages after the replica's last one.
    void planStart();
    void startFromSnapshot();

    twin::opscentre::BusAddress address_;
    std::string replicaPath_;
    std::unique_ptr<Bus> bus_;
    std::unique_ptr<twin::opscentre::Follower> follower_;
    std::optional<twin::opscentre::SnapshotMeta> snapshot_;   // to start from (planStart)
    std::thread thread_;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    FollowStatus status_;
};

} // namespace app_nats
