// What the plant-over-MQTT ingest did with the messages it got (docs/ingest.md, "Plant over
// MQTT"): counts per outcome and the first error and notice of the interval, each naming its
// source (the topic, the edge node). Nothing here is fatal.
#pragma once

#include <cstdint>
#include <string>

namespace twin::ingest {

struct PlantCounts {
    std::int64_t messages = 0;        // MQTT messages handled
    std::int64_t recorded = 0;        // values taken as the newest of an asset quantity
    std::int64_t unmapped = 0;        // metrics / JSON topics the plant map does not name (a notice)
    std::int64_t nulls = 0;           // Sparkplug is_null values: the quantity turns stale
    std::int64_t invalid = 0;         // NaN, infinite, not a number, wrong value field: dropped
    std::int64_t outOfOrder = 0;      // older than the value held for that asset quantity: dropped
    std::int64_t malformed = 0;       // payloads that do not parse (truncated, not protobuf / JSON, too big)
    std::int64_t births = 0, deaths = 0;  // NBIRTH + DBIRTH, NDEATH + DDEATH applied
    std::int64_t staleDeaths = 0;     // NDEATH whose bdSeq is not that of the current birth: ignored
    std::int64_t seqGaps = 0;         // a message whose seq is not the next one
    std::int64_t beforeBirth = 0;     // data from a node / device with no valid birth: dropped
    std::int64_t unknownAlias = 0;    // data by an alias the birth did not define: dropped
    std::int64_t rebirths = 0;        // rebirth requests (NCMD) sent
    std::int64_t ignored = 0;         // commands and other hosts' STATE: not for the host to record
    std::string firstError, firstNotice;

    void error(const std::string& text) { if (firstError.empty()) firstError = text; }
    void notice(const std::string& text) { if (firstNotice.empty()) firstNotice = text; }
};

// "120 messages: 480 recorded, 2 seq gaps, ...", zero counts left out.
std::string describe(const PlantCounts& c);

} // namespace twin::ingest
