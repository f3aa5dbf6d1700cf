// Publishes a twin store to its JetStream stream as it grows (docs/opscentre.md): a thread tails
// the store file (twin/opscentre StoreTailer) and publishes each read — the campus first, then
// commits cut into parts under the server's payload limit. It goes on from the stream's last
// commit (a restarted publisher neither repeats nor skips), and while the server is away the
// store keeps growing and the backlog goes out when it returns.
#pragma once

#include "nats_bus.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace app_nats {

struct PublisherStats {
    std::uint64_t commits = 0, parts = 0, bytes = 0;   // published
    bool connected = false;
    std::string lastError;                              // of the last failed attempt ("" when none)
};

class NatsPublisher {
public:
    NatsPublisher(twin::opscentre::BusAddress address, std::string storePath, Retention retention = {});
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

    twin::opscentre::BusAddress address_;
    std::string storePath_;
    Retention retention_;
    std::unique_ptr<Bus> bus_;
    std::thread thread_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool poked_ = false, stopping_ = false;
    PublisherStats stats_;
    std::chrono::steady_clock::time_point drainUntil_;
};

} // namespace app_nats
