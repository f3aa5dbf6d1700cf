#include "twin/ingest/ingest_counts.h"

#include <utility>

namespace twin::ingest {

void IngestCounts::add(const IngestCounts& o)
{
    requests += o.requests;
    badRequests += o.badRequests;
    series += o.series;
    badSeries += o.badSeries;
    samples += o.samples;
    recorded += o.recorded;
    staleMarkers += o.staleMarkers;
    invalidValues += o.invalidValues;
    outOfOrder += o.outOfOrder;
    notRecorded += o.notRecorded;
    unknownHost += o.unknownHost;
    unknownGpu += o.unknownGpu;
    unlabelled += o.unlabelled;
    unknownRack += o.unknownRack;
    xidEvents += o.xidEvents;
}

std::string describe(const IngestCounts& c)
{
    std::string s = std::to_string(c.requests) + " requests";
    if (c.badRequests) s += " (" + std::to_string(c.badRequests) + " bad)";
    s += ", " + std::to_string(c.samples) + " samples";
    const std::pair<const char*, std::int64_t> parts[] = {
        {"recorded", c.recorded},         {"stale markers", c.staleMarkers},
        {"invalid", c.invalidValues},     {"out of order", c.outOfOrder},
        {"not recorded", c.notRecorded},  {"unknown host", c.unknownHost},
        {"unknown GPU", c.unknownGpu},    {"unknown rack", c.unknownRack},  {"unlabelled", c.unlabelled},
        {"bad series", c.badSeries},      {"XID events", c.xidEvents},
    };
    const char* sep = ": ";
    for (const auto& [name, n] : parts) {
        if (!n) continue;
        s += sep + std::to_string(n) + " " + name;
        sep = ", ";
    }
    return s;
}

} // namespace twin::ingest
