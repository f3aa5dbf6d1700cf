// Publishes a twin store to its JetStream stream as it grows (docs/opscentre.md): a thread tails
// the store file (twin/opscentre StoreTailer) and publishes each read — the campus first, then
// commits cut into parts under the server's payload limit. It goes on from the stream's last
// commit (a restarted publisher neither repeats nor skips), and while the server is away the
// store keeps growing and the backlog goes out when it returns. Now and then it also puts a
// consistent copy of the store in the twin's object store (nats_snapshot.h), so that a newcomer
// does not need the stream from its first message.
#pragma once

#include "nats_bus.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace app_nats {

// When the publisher puts a snapshot of the store in the object store (docs/opscentre.md,
// "Snapshots"): when the messages published since the last one add up to half the store's size
// (a newcomer would replay that much), or half the stream's retention (bytes or age) has passed
// since, but never more often than minIntervalS; and at least every maxIntervalS when that is set.
struct SnapshotPolicy {
    bool enabled = true;
    int minIntervalS = 60;
    int maxIntervalS = 0;     // 0: no fixed period
};

// --snapshot-every: "auto" (the policy above), "off", or SECONDS (at least every SECONDS, at most
// every SECONDS as well: a fixed period, 1 to 86400). nullopt with `why` set when it is none of them.
std::optional<SnapshotPolicy> parseSnapshotEvery(const std::string& text, std::string* why = nullptr);

struct PublisherStats {
    std::uint64_t commits = 0, parts = 0, bytes = 0;   // published
    std::uint64_t snapshots = 0, snapshotBytes = 0;    // put in the object store
    std::uint64_t lastStreamSeq = 0;                   // of the last part published
    bool connected = false;
    std::string lastError;                              // of the last failed attempt ("" when none)
};

class NatsPublisher {
public:
    NatsPublisher(twin::opscentre::BusAddress address, std::string storePath, Retention retention = {},
                  SnapshotPolicy snapshots = {});
    ~NatsPublisher();   // stop()

    // Starts the thread. The first connection is tried at once: a BusError here (unreachable,
    // refused credentials) is for the caller to report; later failures are retried.
    void start();
    void poke();        // the store has a new commit: read it now rather than at the next tick
    // Publishes what is left, then stops (waits at most `drainMs` for an unreachable server).
    void stop(int drainMs = 5000);
    PublisherStats stats() const;

private:
    void run();
    // Starts a snapshot standing for the stream up to `streamSeq` when one is due and none is running.
    void maybeSnapshot(std::uint64_t streamSeq, std::int64_t publishedAtMs, std::uint64_t bytesSince);
    void snapshot(std::uint64_t streamSeq, std::int64_t publishedAtMs);
    // At the end of a run: a last snapshot when the messages since the previous one are half the
    // stream's retention (they would be dropped first), so that no newcomer finds a gap.
    void snapshotAtStop(std::int64_t publishedAtMs);

    twin::opscentre::BusAddress address_;
    std::string storePath_;
    Retention retention_;
    SnapshotPolicy snapshots_;
    std::unique_ptr<Bus> bus_;
    std::thread thread_;
    std::thread snapshotThread_;
    std::atomic<bool> snapshotRunning_{false};
    std::chrono::steady_clock::time_point snapshotAt_;   // of the last attempt
    std::uint64_t bytesAtSnapshot_ = 0;                  // stats_.bytes when it was made
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool poked_ = false, stopping_ = false;
    PublisherStats stats_;
    std::chrono::steady_clock::time_point drainUntil_;
};

} // namespace app_nats
