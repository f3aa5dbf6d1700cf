// colossus-ingest's command line: what the user asked for, checked, before anything is loaded.
#pragma once

#include "bus_options.h"

#include <QStringList>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace colossus_ingest {

// A bad argument: exit status 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class Action { Run, Help, Version, WriteInventory, WritePlantMap };

struct Options {
    Action action = Action::Run;
    std::string helpText;               // Action::Help
    std::string site;                   // campus file (a bare name resolved)
    std::string inventory, out;
    std::string publish;                // nats://[USER:PASSWORD@]HOST:PORT[,HOST:PORT...]/TWIN (or tls://): the store's stream
    app_nats::BusOptions bus;          // --replicas, --bus-ca, --bus-cert, --bus-key
    std::string writeInventory;         // Action::WriteInventory: the file to write
    int gpusPerHost = 8;                //   and its hosts' size
    std::string listenHost = "127.0.0.1";
    int listenPort = 9201;              // 0: any free port (printed)
    std::int64_t periodMs = 1000;
    std::int64_t staleAfterMs = 90'000;
    std::int64_t reportEveryMs = 60'000;
    std::string bearerTokenFile;
    std::size_t maxBodyBytes = 16u << 20;
    double maxRequestsPerSecond = 0;    // 0: no limit
    std::string tlsCert, tlsKey;
    int threads = 4;                    // HTTP worker threads
    bool force = false;
    // Scraping (scrape_options.h, scraper.h).
    std::vector<std::string> scrapeUrls;
    std::int64_t scrapeIntervalMs = 15'000, scrapeTimeoutMs = 10'000;
    std::string scrapeCa, scrapeBearerTokenFile;
    bool listen = true;                 // false: scraping without --listen (no remote-write receiver)
    // The plant over MQTT (docs/ingest.md, "Plant over MQTT"); mqtt empty: none. With --mqtt the
    // inventory is optional: without one, no HTTP receiver and no GPU series.
    std::string mqtt, mqttCa, mqttUser, mqttPasswordFile, plantMap;   // plantMap empty: the default map
    std::string sparkplugHostId = "colossus-twin";
    std::int64_t plantStaleAfterMs = 30'000;   // JSON values (Sparkplug ones go stale by death)
    std::string writePlantMap;                 // Action::WritePlantMap: the file to write
};

// Throws UsageError with a one-line message.
Options parseOptions(const QStringList& arguments);

} // namespace colossus_ingest
