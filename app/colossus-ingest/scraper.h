// colossus-ingest --scrape URL: pulls the text exposition format from targets (dcgm-exporter's
// /metrics, a PDU exporter's) as a Prometheus would, with cpp-httplib (http and https), each
// target on its own schedule by a small pool of threads, and hands each body to twin_ingest's
// ScrapeIngest. A target that fails (refused, timed out, not 200, too large) is counted with its
// URL, and what it delivered last goes stale at once (docs/ingest.md, "Scraping targets").
#pragma once

#include "twin/ingest/scrape_ingest.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace colossus_ingest {

struct ScrapeConfig {
    std::vector<std::string> urls;           // http:// or https://, checked by the options
    std::int64_t intervalMs = 15'000;
    std::int64_t timeoutMs = 10'000;
    std::string caFile;                      // https: verify against these CAs (else the system's)
    std::string bearerToken;                 // sent to every target when set
    int threads = 4;
};

// What the scrapes did since the last take().
struct ScrapeInterval {
    twin::ingest::IngestCounts counts;       // requests = scrapes; badRequests = failed or bad bodies
    std::int64_t failed = 0;                 // scrapes that brought no body
    std::vector<std::string> down;           // "URL (why)" of each target whose last scrape failed
    int up = 0;                              // targets whose last scrape succeeded
    std::string firstError, firstNotice;
};

class Scraper {
public:
    Scraper(ScrapeConfig config, twin::ingest::ScrapeIngest& ingest);
    ~Scraper();
    void start();
    void stop();
    ScrapeInterval take();
    std::size_t targets() const { return targets_.size(); }

private:
    struct Target;
    void work();
    void scrape(Target& t);

    ScrapeConfig config_;
    twin::ingest::ScrapeIngest& ingest_;
    std::vector<std::unique_ptr<Target>> targets_;
    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::atomic<bool> cancel_{false};        // stop(): scrapes in flight end at their next read
    ScrapeInterval interval_;
};

// " | scraped N targets (u up, d down: URL (why), ...): <counts>", for the minute's line.
std::string describe(const ScrapeInterval& s, std::size_t targets);

} // namespace colossus_ingest
