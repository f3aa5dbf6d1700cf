// The HTTP side of colossus-ingest: POST /api/v1/write (Prometheus remote-write 1.0) on
// cpp-httplib, with the checks before any decoding (bearer token, content type, writer behind)
// and the counts of what each request did. The decoding and mapping are twin_ingest's.
#pragma once

#include "twin/ingest/remote_write_ingest.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace httplib { class Server; }

namespace colossus_ingest {

struct ReceiverConfig {
    std::string host = "127.0.0.1";
    int port = 9201;                      // 0: any free port
    int threads = 4;
    std::size_t maxBodyBytes = 16u << 20;
    std::string bearerToken;              // empty: no token required
    std::string tlsCert, tlsKey;          // both set: HTTPS
    std::function<bool()> writerBehind;   // true: answer 503 so that the sender retries later
    double maxRequestsPerSecond = 0;      // > 0: requests over this rate (a burst of one second's) get 503
};

// What the receiver answered since the last take(), beside the samples' counts.
struct ReceiverInterval {
    twin::ingest::IngestCounts counts;
    std::int64_t unauthorized = 0;        // 401
    std::int64_t unsupported = 0;         // 415
    std::int64_t tooLarge = 0;            // 413 (by httplib before reading, or after snappy's header)
    std::int64_t busy = 0;                // 503: the writer is behind
    std::int64_t limited = 0;             // 503: over --max-requests-per-second
    std::string firstError, firstNotice;
};

class Receiver {
public:
    Receiver(ReceiverConfig config, twin::ingest::RemoteWriteIngest& ingest);
    ~Receiver();

    // Binds the address; returns the port. Throws std::runtime_error naming the address.
    int bind();
    // Serves on a thread of its own until stop().
    void start();
    void stop();
    ReceiverInterval take();
    bool tls() const { return !config_.tlsCert.empty(); }

private:
    ReceiverConfig config_;
    twin::ingest::RemoteWriteIngest& ingest_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    std::mutex mutex_;
    ReceiverInterval interval_;
    // The rate limit: a token bucket of one second's requests (guarded by mutex_).
    double tokens_ = 0;
    std::chrono::steady_clock::time_point refilled_ = std::chrono::steady_clock::now();
    bool takeToken();
};

} // namespace colossus_ingest
