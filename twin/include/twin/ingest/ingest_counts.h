// What the receiver did with the samples it was sent: counts per outcome, added up per request
// and per reporting interval. Nothing here is fatal: every sample lands in exactly one count.
#pragma once

#include <cstdint>
#include <string>

namespace twin::ingest {

struct IngestCounts {
    std::int64_t requests = 0;
    std::int64_t badRequests = 0;      // answered 4xx: undecodable body or invalid samples
    std::int64_t series = 0;           // time series read
    std::int64_t badSeries = 0;        // time series that could not be parsed (skipped)
    std::int64_t samples = 0;          // samples read, stale markers included
    std::int64_t recorded = 0;         // taken as the newest value of a GPU quantity
    std::int64_t staleMarkers = 0;     // Prometheus stale markers applied
    std::int64_t invalidValues = 0;    // NaN (not a stale marker) or infinite: dropped
    std::int64_t outOfOrder = 0;       // older than the value held for that GPU quantity: dropped
    std::int64_t notRecorded = 0;      // metrics the twin does not record (not in the alias table)
    std::int64_t unknownHost = 0;      // host label not in the inventory
    std::int64_t unknownGpu = 0;       // gpu label not a device index of that host
    std::int64_t unlabelled = 0;       // a recorded metric without a host or gpu label (rack: rack label)
    std::int64_t unknownRack = 0;      // a rack sensor whose rack label is not a rack of the campus
    std::int64_t xidEvents = 0;        // events written for XID errors

    // Samples that reached no GPU quantity because of what the sender sent (for the 400 answer).
    std::int64_t invalid() const { return invalidValues + outOfOrder; }
    void add(const IngestCounts& o);
};

// One line: "12 requests (1 bad), 3456 samples: 3400 recorded, ...", zero counts left out.
std::string describe(const IngestCounts& c);

} // namespace twin::ingest
